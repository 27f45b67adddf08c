"""The denial register (Art. 16): a refusal (and an annulment, suspension, substantial limitation or
revocation) becomes a denial notification in the same transaction as the decision, with a notice to every
other member state's authority and to the Commission (Art. 16(1), verified); the register of denials in
force; the issuing state's periodic review (Art. 16(2), unverified: three years).

Never the exporter's commercial documents: a denial carries the items' codes, the destination, the
end-user and consignee, the considerations relied on and the licensing case's reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dualuse.domain import denials as dn
from dualuse.domain import licensing as lic
from dualuse.domain.errors import NotFoundError, ValidationError
from dualuse.domain.identity import Principal
from dualuse.domain.union import EU_MEMBER_STATES
from dualuse.services import audit
from dualuse.services.clock import today_in_brussels
from dualuse.services.denials.access import NO_DENIAL, authority_state, reader
from dualuse.services.denials.ports import COMMISSION, DenialNotice, DenialQuery, NoticeKind
from dualuse.services.unit_of_work import StoredCase, StoredLicence, UnitOfWork

ENTITY = "denial"

__all__ = [
    "ENTITY",
    "DenialPage",
    "denial_page",
    "due_for_review",
    "inbox",
    "notify_licence_action",
    "notify_refusal",
    "recipients",
    "register",
    "review",
]

_LICENCE_KINDS = {
    lic.LicenceAction.SUSPEND: dn.DenialKind.SUSPENSION,
    lic.LicenceAction.REVOKE: dn.DenialKind.REVOCATION,
    lic.LicenceAction.ANNUL: dn.DenialKind.ANNULMENT,
    lic.LicenceAction.AMEND: dn.DenialKind.SUBSTANTIAL_LIMITATION,
}


def recipients(sender_state: str) -> tuple[str, ...]:
    """Every other member state's authority and the Commission (Art. 16(1))."""
    return (*sorted(EU_MEMBER_STATES - {sender_state}), COMMISSION)


def _record(uow: UnitOfWork, actor: str, denial: dn.Denial, event: dn.DenialEvent) -> None:
    audit.record(
        uow,
        actor=actor,
        action=f"{ENTITY}.{event.name}",
        entity_type=ENTITY,
        entity_id=denial.id,
        before={"status": event.before.value} if event.before else None,
        after={"status": event.after.value, "version": denial.version, "kind": denial.kind.value},
        reason=event.note or None,
    )


def _subject(denial: dn.Denial) -> str:
    users = ", ".join(p.name for p in denial.parties)
    return f"{denial.kind.value.replace('_', ' ')}: {', '.join(denial.control_codes)} to {denial.destination} ({users})"


def _notify(
    uow: UnitOfWork,
    principal: Principal,
    kind: dn.DenialKind,
    stored: StoredCase,
    application: lic.Application,
    *,
    reasons: str,
    considerations: Sequence[str],
) -> dn.Denial:
    state = stored.member_state
    parties = [
        dn.DenialParty(p.name, p.role.value, p.country)
        for p in application.parties
        if p.role is not lic.PartyRole.INTERMEDIARY
    ]
    destination = application.destinations[0] if application.destinations else ""
    if not destination:
        destination = next((p.country for p in application.parties if p.role is lic.PartyRole.END_USER), "")

    def build(denial_id: int) -> dn.Denial:
        return dn.new_denial(
            denial_id,
            kind=kind,
            issuing_state=state,
            items=[dn.DenialItem(i.control_code, i.description) for i in application.items],
            destination=destination,
            parties=parties,
            considerations=considerations,
            reasons=reasons,
            decided_on=today_in_brussels(),
            case_reference=f"{state}/case/{stored.id}",
            actor_id=principal.label,
        )[0]

    denial = uow.denials.add_denial(build, case_id=stored.id)
    _record(
        uow,
        principal.label,
        denial,
        dn.DenialEvent("DenialNotified", denial.id, principal.label, None, denial.status, kind.value),
    )
    uow.denials.add_notices(
        kind=NoticeKind.DENIAL,
        denial_id=denial.id,
        sender_state=state,
        recipients=recipients(state),
        subject=_subject(denial),
        reasons=denial.reasons,
        case_id=stored.id,
    )
    return denial


def notify_refusal(uow: UnitOfWork, principal: Principal, stored: StoredCase) -> dn.Denial:
    """A case decided as a refusal becomes a denial notification to the other member states and the
    Commission (Art. 16(1), verified). Runs inside the decision's transaction; the caller commits."""
    decision = stored.case.decision
    if decision is None or decision.outcome is not lic.DecisionOutcome.DENIED:
        raise ValidationError("only a refusal is notified as a denial", field="outcome")
    recommendation = decision.recommendation
    return _notify(
        uow,
        principal,
        dn.DenialKind.DENIAL,
        stored,
        stored.case.current_application,
        reasons=recommendation.reasoning,
        considerations=recommendation.criteria_relied_on,
    )


def notify_licence_action(
    uow: UnitOfWork,
    principal: Principal,
    stored: StoredLicence,
    case: StoredCase,
    action: lic.LicenceAction,
    reason: str,
) -> dn.Denial | None:
    """A licence suspended, revoked, annulled or substantially limited is notified like a refusal
    (Art. 16(1), verified). Runs inside the licence action's transaction; the caller commits."""
    kind = _LICENCE_KINDS.get(action)
    if kind is None:
        return None
    considerations = case.case.decision.recommendation.criteria_relied_on if case.case.decision else ()
    return _notify(
        uow,
        principal,
        kind,
        case,
        case.case.current_application,
        reasons=f"Licence {stored.licence.number}: {reason}".strip(),
        considerations=considerations,
    )


# --- the register -----------------------------------------------------------------------------------------
def register(
    uow: UnitOfWork,
    principal: Principal,
    *,
    in_force_only: bool = True,
    issuing_state: str | None = None,
    destination: str | None = None,
) -> Sequence[dn.Denial]:
    """The denials notified by every member state, newest first: authorities and the Commission read them."""
    reader(principal)
    query = DenialQuery(
        statuses=dn.IN_FORCE if in_force_only else None,
        issuing_state=issuing_state.strip().upper() if issuing_state else None,
        destination=destination.strip().upper() if destination else None,
    )
    return uow.denials.denials(query)


@dataclass(frozen=True)
class DenialPage:
    denial: dn.Denial
    notices: Sequence[DenialNotice]
    may_review: bool


def _load(uow: UnitOfWork, denial_id: int) -> dn.Denial:
    denial = uow.denials.denial(denial_id)
    if denial is None:
        raise NotFoundError(NO_DENIAL)
    return denial


def denial_page(uow: UnitOfWork, principal: Principal, denial_id: int) -> DenialPage:
    """One denial with the notices about it (its own state's sent notices; another's: what it received)."""
    me = reader(principal)
    denial = _load(uow, denial_id)
    notices = uow.denials.notices(denial_id=denial_id)
    if me != denial.issuing_state:
        notices = [n for n in notices if n.recipient == me]
    return DenialPage(denial=denial, notices=notices, may_review=me == denial.issuing_state)


def due_for_review(uow: UnitOfWork, principal: Principal) -> Sequence[dn.Denial]:
    """The state's own denials in force whose review is due (Art. 16(2), unverified)."""
    state = authority_state(principal)
    today = today_in_brussels()
    return [
        d
        for d in uow.denials.denials(DenialQuery(statuses=dn.IN_FORCE, issuing_state=state))
        if d.review_due_on is not None and d.review_due_on <= today
    ]


def review(
    uow: UnitOfWork,
    principal: Principal,
    denial_id: int,
    action: str,
    *,
    note: str = "",
    expected_version: int | None = None,
) -> dn.Denial:
    """The issuing state's officer confirms (next review three years on) or withdraws a denial; the other
    states and the Commission are told (Art. 16(2), unverified)."""
    state = authority_state(principal)
    denial = _load(uow, denial_id)
    if denial.issuing_state != state:
        raise NotFoundError(NO_DENIAL)  # F16: another state's denial is reviewed by that state only
    after, event = dn.review_denial(
        denial,
        action,
        actor_state=state,
        actor_id=principal.label,
        on=today_in_brussels(),
        note=note,
        expected_version=expected_version,
    )
    uow.denials.save_denial(after, expected_version=denial.version)
    _record(uow, principal.label, after, event)
    uow.denials.add_notices(
        kind=NoticeKind.REVIEW,
        denial_id=denial.id,
        sender_state=state,
        recipients=recipients(state),
        subject=f"{after.status.value.replace('_', ' ')} at review: {_subject(after)}",
        reasons=event.note,
    )
    uow.commit()
    return after


def inbox(uow: UnitOfWork, principal: Principal) -> Sequence[DenialNotice]:
    """The notices addressed to the principal's state (or to the Commission)."""
    return uow.denials.notices(recipient=reader(principal))
