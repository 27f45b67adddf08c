"""Before granting, the check of denials in force (Art. 16(5), verified): the officer of the case's state
sees every denial of ANOTHER member state that is essentially identical to the application (Art. 2(22),
verified; ``domain.denials.matching``), the case is flagged ("denial match", blocking) and the decision is
held until the denying state has been consulted: the consultation answered, or its deadline passed
(the deadline is the system's default, not law: no time limit was found in Art. 16).

Granting anyway, while the denial is in force, is notified to every other member state and the Commission
with the reasons (Art. 16(5), third sentence — unverified [M]; done, the safe side).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from dualuse.domain import casework as cw
from dualuse.domain import denials as dn
from dualuse.domain import licensing as lic
from dualuse.domain.errors import ConflictError, ValidationError
from dualuse.domain.identity import Principal
from dualuse.services import audit
from dualuse.services import licensing as licensing_service
from dualuse.services.clock import today_in_brussels
from dualuse.services.denials.ports import DenialQuery, NoticeKind
from dualuse.services.denials.register import ENTITY, notify_refusal, recipients
from dualuse.services.unit_of_work import StoredCase, UnitOfWork

DENIAL_MATCH_RULE = "denial_match"
FILE_ENTITY = "case_file"

__all__ = [
    "DENIAL_MATCH_RULE",
    "CaseDenials",
    "CaseMatch",
    "after_decision",
    "before_decision",
    "case_denials",
    "flag_file",
    "flag_matches",
    "matches_for",
    "settle_flag",
    "transaction_of_application",
]


@dataclass(frozen=True)
class CaseMatch:
    """A denial of another state essentially identical to the case, and the consultation about it."""

    match: dn.DenialMatch
    consultation: dn.Consultation | None
    today: date

    @property
    def denial(self) -> dn.Denial:
        return self.match.denial

    @property
    def consulted(self) -> bool:
        """Answered, lapsed, or open past its deadline: the officer may decide."""
        c = self.consultation
        return c is not None and (c.status is not dn.ConsultationStatus.OPEN or c.overdue(self.today))


@dataclass(frozen=True)
class CaseDenials:
    matches: tuple[CaseMatch, ...]
    located: tuple[dn.Consultation, ...] = ()  # Art. 14(1) consultations of the states where the items are

    @property
    def held(self) -> tuple[CaseMatch, ...]:
        """The matches whose denying state is still to be consulted (the decision waits for them)."""
        return tuple(m for m in self.matches if not m.consulted)

    @property
    def may_decide(self) -> bool:
        return not self.held


def transaction_of_application(application: lic.Application) -> dn.Transaction:
    return dn.Transaction(
        control_codes=tuple(i.control_code for i in application.items),
        destinations=tuple(application.destinations),
        parties=tuple(
            dn.TransactionParty(p.name, p.role.value, p.country)
            for p in application.parties
            if p.role is not lic.PartyRole.INTERMEDIARY
        ),
    )


def matches_for(uow: UnitOfWork, stored: StoredCase, today: date | None = None) -> CaseDenials:
    """The denials in force of other states essentially identical to the case, with their consultations."""
    today = today or today_in_brussels()
    in_force = uow.denials.denials(DenialQuery(statuses=dn.IN_FORCE))
    found = dn.find_matches(
        in_force,
        transaction_of_application(stored.case.current_application),
        exclude_state=stored.member_state,
    )
    latest: dict[int, dn.Consultation] = {}
    located = []
    for consultation in uow.denials.consultations(case_id=stored.id):  # newest first
        if consultation.denial_id is not None:
            latest.setdefault(consultation.denial_id, consultation)
        elif consultation.kind is dn.ConsultationKind.ITEMS_IN_OTHER_STATE:
            located.append(consultation)
    return CaseDenials(tuple(CaseMatch(m, latest.get(m.denial.id), today) for m in found), tuple(located))


def case_denials(uow: UnitOfWork, principal: Principal, case_id: int) -> CaseDenials:
    """For the case's authority: the denials in force from other states that match the case."""
    stored = licensing_service.assessed_case(uow, principal, case_id)
    return matches_for(uow, stored)


def _label(denial: dn.Denial) -> str:
    return f"Denial in force from {denial.issuing_state} ({denial.reference}): essentially identical"


def flag_file(
    uow: UnitOfWork, stored: StoredCase, file: cw.CaseFile, actor: str
) -> tuple[cw.CaseFile, list[cw.FlagEvent]]:
    """Raise a blocking "denial match" flag on the case file for each matching denial not yet flagged."""
    events = []
    for found in matches_for(uow, stored).matches:
        if found.consulted:
            continue
        try:
            file, event = cw.raise_flag(
                file,
                level=cw.FlagLevel.CASE,
                subject=found.denial.reference,
                label=_label(found.denial),
                blocking=True,
                raised_by=actor,
                reason="; ".join(found.match.reasons),
                rule_id=DENIAL_MATCH_RULE,
            )
        except ConflictError:
            continue  # already raised
        events.append(event)
    return file, events


def _record_flags(uow: UnitOfWork, actor: str, case_id: int, events: Sequence[cw.FlagEvent]) -> None:
    for event in events:
        audit.record(
            uow,
            actor=actor,
            action=f"{FILE_ENTITY}.{event.name}",
            entity_type=FILE_ENTITY,
            entity_id=case_id,
            after={"flag": event.flag_id, "label": event.note, "rule": DENIAL_MATCH_RULE},
        )


def flag_matches(uow: UnitOfWork, principal: Principal, case_id: int) -> CaseDenials:
    """The officer checks the denials in force now: matches are flagged on the case file (when it has one)."""
    stored = licensing_service.assessed_case(uow, principal, case_id)
    file = uow.casework.file(case_id)
    if file is not None:
        moved, events = flag_file(uow, stored, file, principal.label)
        if events:
            moved = replace(moved, version=file.version + 1)
            uow.casework.save_file(moved, expected_version=file.version)
            _record_flags(uow, principal.label, case_id, events)
    uow.commit()
    return matches_for(uow, stored)


def settle_flag(
    uow: UnitOfWork, case_id: int, denial: dn.Denial, reason: str, *, actor: str = "system"
) -> None:
    """Clear the case's "denial match" flag on ``denial`` once its state has been consulted (the caller
    commits). The flag is the system's: it is cleared by the consultation, not by hand."""
    file = uow.casework.file(case_id)
    if file is None:
        return
    flag = next(
        (
            f
            for f in file.flags
            if f.rule_id == DENIAL_MATCH_RULE and f.subject == denial.reference and f.holds_decision
        ),
        None,
    )
    if flag is None:
        return
    moved, event = cw.clear(file, flag.id, actor_id=actor, reason=reason)
    uow.casework.save_file(moved, expected_version=file.version)
    audit.record(
        uow,
        actor=actor,
        action=f"{FILE_ENTITY}.{event.name}",
        entity_type=FILE_ENTITY,
        entity_id=case_id,
        after={"flag": flag.id, "rule": DENIAL_MATCH_RULE},
        reason=reason,
    )


def before_decision(
    uow: UnitOfWork, stored: StoredCase, *, outcome: str, despite_reasons: str
) -> CaseDenials:
    """Refuse the decision while a matching denial's state is still to be consulted (Art. 16(5)); a grant
    while a matching denial is in force says why (``despite_reasons``). Flags of consulted matches are
    settled here (a deadline that passed needs no one to record it). Runs in the decision's transaction."""
    found = matches_for(uow, stored)
    if found.held:
        states = ", ".join(sorted({m.denial.issuing_state for m in found.held}))
        raise ConflictError(
            f"a denial in force from {states} concerns an essentially identical transaction: consult "
            f"{states} before deciding (Art. 16(5))"
        )
    for m in found.matches:
        c = m.consultation
        assert c is not None  # noqa: S101 - every match is consulted here
        why = f"{c.consulted_state} {c.answer.value if c.answer else 'did not answer by ' + c.due_on.isoformat()}"
        settle_flag(uow, stored.id, m.denial, f"consulted: {why}")
    grants = outcome in (lic.DecisionOutcome.GRANTED.value, lic.DecisionOutcome.PARTIALLY_GRANTED.value)
    _check_items_consultations(uow, stored, grants=grants, today=found_today(found))
    if grants and found.matches and not despite_reasons.strip():
        raise ValidationError(
            "a denial in force concerns an essentially identical transaction: say why you grant anyway "
            "(the other member states and the Commission are told)",
            field="despite_denial_reasons",
        )
    return found


def found_today(found: CaseDenials) -> date:
    return found.matches[0].today if found.matches else today_in_brussels()


def _check_items_consultations(uow: UnitOfWork, stored: StoredCase, *, grants: bool, today: date) -> None:
    """Art. 14(1) (verified): the states where the items are make their objections known within 10 working
    days, and an objection binds. The decision waits while such a consultation is open within its deadline;
    a grant is refused once one of them objected. (Silence after the deadline is not taken as consent: the
    regulation does not say so; the officer decides knowing there was no answer.)"""
    located = [
        c
        for c in uow.denials.consultations(case_id=stored.id)
        if c.kind is dn.ConsultationKind.ITEMS_IN_OTHER_STATE
    ]
    waiting = sorted(
        {
            c.consulted_state
            for c in located
            if c.status is dn.ConsultationStatus.OPEN and not c.overdue(today)
        }
    )
    if waiting:
        raise ConflictError(
            f"the consultation of {', '.join(waiting)} on the items located there is still open (Art. 14(1)): "
            "decide once it has answered or its 10 working days have passed"
        )
    objecting = sorted({c.consulted_state for c in located if c.answer is dn.Answer.OBJECTS})
    if grants and objecting:
        raise ConflictError(
            f"{', '.join(objecting)} objected under Art. 14(1), and its objection binds: the authorisation "
            "cannot be granted"
        )


def after_decision(
    uow: UnitOfWork, principal: Principal, stored: StoredCase, found: CaseDenials, despite_reasons: str
) -> None:
    """After the decision is stored (same transaction): a refusal is notified as a denial (Art. 16(1)); a
    grant despite matching denials is notified with its reasons to every other state and the Commission."""
    decision = stored.case.decision
    if decision is None:
        return
    if decision.outcome is lic.DecisionOutcome.DENIED:
        notify_refusal(uow, principal, stored)
        return
    reasons = despite_reasons.strip()
    for m in found.matches:
        uow.denials.add_notices(
            kind=NoticeKind.GRANTED_DESPITE_DENIAL,
            denial_id=m.denial.id,
            sender_state=stored.member_state,
            recipients=recipients(stored.member_state),
            subject=(
                f"{stored.member_state} granted case {stored.id} despite denial {m.denial.reference} "
                f"(consulted: {m.consultation.answer.value if m.consultation and m.consultation.answer else 'no answer'})"
            ),
            reasons=reasons,
            case_id=stored.id,
        )
        audit.record(
            uow,
            actor=principal.label,
            action=f"{ENTITY}.GrantedDespiteDenial",
            entity_type=ENTITY,
            entity_id=m.denial.id,
            after={"case": stored.id, "state": stored.member_state},
            reason=reasons,
        )
