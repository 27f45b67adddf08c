"""Consultations between authorities: the Art. 16(5) consultation of the state whose denial in force
concerns an essentially identical transaction (verified; reply time: the system's default, not law), and
the Art. 14(1) consultation of the state where the items are (verified: 10 working days, objections bind).

The consulting state opens it from the case; the consulted state answers (agrees, or objects with
reasons); the consulting state records a lapse once the deadline has passed unanswered. An answer or a
lapse settles the case's "denial match" flag.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dualuse.domain import denials as dn
from dualuse.domain.errors import ConflictError, NotFoundError
from dualuse.domain.identity import Principal
from dualuse.services import audit
from dualuse.services import licensing as licensing_service
from dualuse.services.clock import today_in_brussels
from dualuse.services.denials.access import NO_CONSULTATION, authority_state
from dualuse.services.denials.checks import matches_for, settle_flag
from dualuse.services.unit_of_work import UnitOfWork

ENTITY = "denial_consultation"

__all__ = [
    "ENTITY",
    "Consultations",
    "answer",
    "check_answerer",
    "consult_on_denial",
    "consult_on_items",
    "consultation",
    "consultations",
    "record_lapse",
]


def _record(
    uow: UnitOfWork, actor: str, c: dn.Consultation, event: dn.ConsultationEvent, reason: str = ""
) -> None:
    audit.record(
        uow,
        actor=actor,
        action=f"{ENTITY}.{event.name}",
        entity_type=ENTITY,
        entity_id=c.id,
        before={"status": event.before.value} if event.before else None,
        after={
            "status": event.after.value,
            "version": c.version,
            "consulting": c.consulting_state,
            "consulted": c.consulted_state,
            "case": c.case_id,
            "denial": c.denial_id,
        },
        reason=reason or event.note or None,
    )


def consult_on_denial(
    uow: UnitOfWork,
    principal: Principal,
    case_id: int,
    denial_id: int,
    *,
    question: str = "",
    reply_days: int = dn.ART_16_5_REPLY_DAYS,
) -> dn.Consultation:
    """The case's officer consults the state whose denial matches the case (Art. 16(5)); the deadline is
    ``reply_days`` of the consulted state's working days — the system's default, not law."""
    stored = licensing_service.assessed_case(uow, principal, case_id)
    found = next((m for m in matches_for(uow, stored).matches if m.denial.id == denial_id), None)
    if found is None:  # the denial exists for every authority: a mismatch, not a hidden object
        raise ConflictError("no denial in force of another state matches this case")
    if found.consultation is not None and found.consultation.status is dn.ConsultationStatus.OPEN:
        raise ConflictError(f"{found.denial.issuing_state} is already being consulted on this denial")
    denial = found.denial
    subject = (
        f"Case {stored.member_state}/{stored.id} is essentially identical to your denial {denial.reference} "
        f"({'; '.join(found.match.reasons)})."
    )
    if question.strip():
        subject += f" {question.strip()}"

    def build(consultation_id: int) -> dn.Consultation:
        return dn.open_consultation(
            consultation_id,
            kind=dn.ConsultationKind.ESSENTIALLY_IDENTICAL,
            consulting_state=stored.member_state,
            consulted_state=denial.issuing_state,
            subject=subject[:3000],
            opened_on=today_in_brussels(),
            actor_id=principal.label,
            case_id=stored.id,
            denial_id=denial.id,
            default_days=reply_days,
        )[0]

    created = uow.denials.add_consultation(build)
    _record(
        uow,
        principal.label,
        created,
        dn.ConsultationEvent("ConsultationOpened", created.id, principal.label, None, created.status),
    )
    uow.commit()
    return created


def consult_on_items(
    uow: UnitOfWork, principal: Principal, case_id: int, consulted_state: str, *, subject: str
) -> dn.Consultation:
    """The case's officer consults the state where the items are located (Art. 14(1), verified: objections
    within 10 working days bind)."""
    stored = licensing_service.assessed_case(uow, principal, case_id)

    def build(consultation_id: int) -> dn.Consultation:
        return dn.open_consultation(
            consultation_id,
            kind=dn.ConsultationKind.ITEMS_IN_OTHER_STATE,
            consulting_state=stored.member_state,
            consulted_state=consulted_state,
            subject=subject,
            opened_on=today_in_brussels(),
            actor_id=principal.label,
            case_id=stored.id,
        )[0]

    created = uow.denials.add_consultation(build)
    _record(
        uow,
        principal.label,
        created,
        dn.ConsultationEvent("ConsultationOpened", created.id, principal.label, None, created.status),
    )
    uow.commit()
    return created


def _load(uow: UnitOfWork, principal: Principal, consultation_id: int) -> tuple[str, dn.Consultation]:
    state = authority_state(principal)
    found = uow.denials.consultation(consultation_id)
    if found is None or state not in (found.consulting_state, found.consulted_state):
        raise NotFoundError(NO_CONSULTATION)  # another pair of states' exchange: as for a missing one
    return state, found


def check_answerer(uow: UnitOfWork, principal: Principal, consultation_id: int) -> dn.Consultation:
    """Refuse anyone but the consulted state's authority, before an answer form is read."""
    state, found = _load(uow, principal, consultation_id)
    if state != found.consulted_state:
        raise NotFoundError(NO_CONSULTATION)
    return found


def consultation(uow: UnitOfWork, principal: Principal, consultation_id: int) -> dn.Consultation:
    """One consultation, for the consulting and the consulted state's authorities only."""
    return _load(uow, principal, consultation_id)[1]


@dataclass(frozen=True)
class Consultations:
    received: Sequence[dn.Consultation]
    sent: Sequence[dn.Consultation]


def consultations(uow: UnitOfWork, principal: Principal) -> Consultations:
    """The consultations the principal's state received and sent, newest first."""
    state = authority_state(principal)
    return Consultations(
        received=uow.denials.consultations(consulted_state=state),
        sent=uow.denials.consultations(consulting_state=state),
    )


def _settle(uow: UnitOfWork, c: dn.Consultation, reason: str) -> None:
    if c.case_id is None or c.denial_id is None:
        return
    denial = uow.denials.denial(c.denial_id)
    if denial is not None:
        settle_flag(uow, c.case_id, denial, reason)


def answer(
    uow: UnitOfWork,
    principal: Principal,
    consultation_id: int,
    given: str,
    *,
    reasons: str,
    expected_version: int | None = None,
) -> dn.Consultation:
    """The consulted state's officer answers: agrees, or objects with reasons."""
    found = check_answerer(uow, principal, consultation_id)  # F16: as for a missing one
    state = found.consulted_state
    after, event = dn.answer(
        found,
        given,
        reasons=reasons,
        actor_state=state,
        actor_id=principal.label,
        on=today_in_brussels(),
        expected_version=expected_version,
    )
    uow.denials.save_consultation(after, expected_version=found.version)
    _record(uow, principal.label, after, event, reasons.strip())
    _settle(uow, after, f"{after.consulted_state} answered: {event.note}")
    uow.commit()
    return after


def record_lapse(uow: UnitOfWork, principal: Principal, consultation_id: int) -> dn.Consultation:
    """The consulting state's officer records that the deadline passed without an answer."""
    state, found = _load(uow, principal, consultation_id)
    if state != found.consulting_state:
        raise NotFoundError(NO_CONSULTATION)  # F16: as for a missing one
    after, event = dn.lapse(found, actor_state=state, actor_id=principal.label, on=today_in_brussels())
    uow.denials.save_consultation(after, expected_version=found.version)
    _record(uow, principal.label, after, event)
    _settle(uow, after, f"{after.consulted_state} did not answer by {after.due_on.isoformat()}")
    uow.commit()
    return after
