"""The Art. 5(2) notification: the exporter tells its competent authority what its due diligence found, and the
authority decides whether an authorisation is required."""

from __future__ import annotations

from collections.abc import Sequence

from dualuse.domain.duediligence import (
    Conclusion,
    FlagAnswer,
    RedFlagSet,
    add_working_days,
    view_deadline,
)
from dualuse.domain.duediligence.records import DdAction, Notification, NotificationStatus, move
from dualuse.domain.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import OrganisationKind, Permission, Principal, authorize
from dualuse.services import audit
from dualuse.services.duediligence.cases import hold_case
from dualuse.services.unit_of_work import UnitOfWork


# --- notification and the authority's decision -------------------------------------------------------
def notify(
    uow: UnitOfWork, principal: Principal, flags: RedFlagSet, case_id: int, *, decision_working_days: int = 10
) -> int:
    """The exporter notifies its authority (Art. 5(2)) with the transaction and the due-diligence record,
    once per case."""
    view = hold_case(uow, principal, flags, case_id)
    case = view.case
    if case.conclusion is not Conclusion.NOTIFY_AUTHORITY:
        raise ConflictError("conclude the case with 'notify the authority' first", field="conclusion")
    if view.notification is not None:
        raise ConflictError("the authority has already been notified of this case")
    assert principal.member_state is not None  # noqa: S101 - exporters have a member state
    today = uow.clock.today()
    summary = {
        "title": case.title,
        "conclusion": case.conclusion.value,
        "flags_yes": sorted(f for f, a in view.answers.items() if a is FlagAnswer.YES),
        "flags_unknown": sorted(f for f, a in view.answers.items() if a is FlagAnswer.UNKNOWN),
        "notes": view.notes,
        "red_flag_version": case.red_flag_version,
    }
    notification_id = uow.duediligence.add_notification(
        case_id=case_id,
        organisation_id=case.organisation_id,
        member_state=principal.member_state,
        transaction=case.transaction,
        summary=summary,
        deadline=add_working_days(today, decision_working_days, principal.member_state),
    )
    audit.record(
        uow,
        actor=principal.label,
        action=move(case.status, DdAction.NOTIFY).event,
        entity_type="notification",
        entity_id=notification_id,
        after={"case": case_id, "member_state": principal.member_state},
    )
    uow.commit()
    return notification_id


def authority_state(principal: Principal) -> str:
    authorize(principal, Permission.ASSESS_CASE)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY or principal.member_state is None:
        raise PermissionDeniedError("only a competent authority handles notifications")
    return principal.member_state


def notifications_for_authority(uow: UnitOfWork, principal: Principal) -> Sequence[Notification]:
    """The notifications addressed to the principal's authority, and no others."""
    return uow.duediligence.notifications(member_state=authority_state(principal))


def get_notification(uow: UnitOfWork, principal: Principal, notification_id: int) -> Notification:
    state = authority_state(principal)
    notification = uow.duediligence.notification(notification_id)
    if notification is None or notification.member_state != state:
        raise NotFoundError("no such notification")
    return notification


def decide_notification(
    uow: UnitOfWork,
    principal: Principal,
    notification_id: int,
    *,
    required: bool,
    reason: str,
    member_states: Sequence[str],
) -> int | None:
    """The authority decides whether an authorisation is required (Art. 5(2)); the decision binds the
    exporter. If it is, the other member states and the Commission are informed (Art. 5(4)) and each is asked
    for its view within 30 working days; returns the requirement's id."""
    notification = get_notification(uow, principal, notification_id)
    moved = move(notification.status, DdAction.REQUIRE_AUTHORISATION if required else DdAction.RELEASE)
    if not reason.strip():
        raise ValidationError("record why", field="reason")
    status = NotificationStatus(moved.target)
    # Of concurrent decisions the repository records the first and refuses the others (a conditional
    # write), so only the decision recorded goes on to impose a requirement.
    uow.duediligence.decide_notification(
        notification_id, status=status, reason=reason.strip(), by=principal.label
    )
    audit.record(
        uow,
        actor=principal.label,
        action=moved.event,
        entity_type="notification",
        entity_id=notification_id,
        before={"status": moved.source.value},
        after={"status": status.value},
        reason=reason.strip(),
    )
    requirement_id = None
    if required:
        tx = notification.transaction
        today = uow.clock.today()
        imposing = notification.member_state
        requirement_id = uow.duediligence.add_requirement(
            notification_id=notification_id,
            imposing_state=imposing,
            destination=tx["destination"],
            end_user=tx["end_user"]["name"],
            item=tx["item"]["description"],
            notified_on=today,
        )
        for state in sorted(set(member_states) - {imposing}):
            uow.duediligence.add_view(
                requirement_id=requirement_id, member_state=state, deadline=view_deadline(today, state)
            )
        audit.record(
            uow,
            actor=principal.label,
            action="art5_requirement.notified",
            entity_type="art5_requirement",
            entity_id=requirement_id,
            after={"imposing_state": imposing, "consulted": sorted(set(member_states) - {imposing})},
        )
    uow.commit()
    return requirement_id
