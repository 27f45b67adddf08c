"""Art. 21(3)-(4): customs suspend a shipment and the granting state's authority decides (see
``domain.customs.holds`` for what is verified and what is not)."""

from __future__ import annotations

from collections.abc import Sequence

from dualuse.domain import customs as cu
from dualuse.domain.errors import NotFoundError, PermissionDeniedError
from dualuse.domain.identity import OrganisationKind, Permission, Principal, authorize
from dualuse.services import audit
from dualuse.services.customs.feed import customs_state
from dualuse.services.unit_of_work import UnitOfWork

ENTITY = "customs_hold"
NO_HOLD = "no such hold"


def _record(uow: UnitOfWork, principal: Principal, hold: cu.Hold, event: cu.HoldEvent) -> None:
    audit.record(
        uow,
        actor=principal.label,
        action=f"{ENTITY}.{event.name}",
        entity_type=ENTITY,
        entity_id=hold.id,
        before={"status": event.before.value} if event.before else None,
        after={
            "status": event.after.value,
            "deadline": hold.deadline.isoformat(),
            "licence": hold.licence_number,
        },
        reason=event.note,
    )


def suspend(
    uow: UnitOfWork,
    principal: Principal,
    limits: cu.HoldLimits,
    *,
    declaration: str,
    ground: str,
    note: str,
    licence_number: str = "",
    authority_state: str | None = None,
) -> cu.Hold:
    """Customs suspend a shipment under a licence (the granting state's authority is consulted) or without
    one (the authority named, e.g. for possible Art. 4(1) measures; by default the customs' own)."""
    state = customs_state(principal)
    number = licence_number.strip().upper()
    consulted = authority_state or state
    if number:
        stored = uow.licensing.licence(number[:20])
        if stored is None:
            raise NotFoundError("no such licence")
        consulted = stored.member_state
    today = uow.clock.today()  # the Union's calendar day, as everywhere (`brussels_day`)
    events: list[cu.HoldEvent] = []

    def build(hold_id: int) -> cu.Hold:
        hold, event = cu.new_hold(
            hold_id,
            customs_state=state,
            authority_state=consulted,
            licence_number=number,
            declaration=declaration,
            ground=ground,
            note=note,
            held_by=principal.label,
            today=today,
            limits=limits,
        )
        events.append(event)
        return hold

    build(0)  # refuse bad input before anything is written
    hold = uow.customs.add_hold(build)
    _record(uow, principal, hold, events[-1])
    uow.commit()
    return hold


def holds(uow: UnitOfWork, principal: Principal) -> Sequence[cu.Hold]:
    """A customs administration's holds, or those on which an authority is consulted."""
    if principal.organisation_kind is OrganisationKind.CUSTOMS:
        return uow.customs.holds(customs_state=customs_state(principal))
    authorize(principal, Permission.ASSESS_CASE)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY:
        raise PermissionDeniedError("only customs and the consulted authority see holds")
    return uow.customs.holds(authority_state=principal.member_state)


def decide(
    uow: UnitOfWork,
    principal: Principal,
    limits: cu.HoldLimits,
    hold_id: int,
    action: str,
    *,
    note: str,
    expected_version: int | None = None,
) -> cu.Hold:
    """The consulted authority extends the period once, releases the shipment or refuses the export."""
    authorize(principal, Permission.ASSESS_CASE)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY:
        raise PermissionDeniedError("only the consulted authority decides on a hold")
    hold = uow.customs.hold(hold_id)
    if hold is None or hold.authority_state != principal.member_state:
        raise NotFoundError(NO_HOLD)
    after, event = cu.decide_hold(
        hold, action, actor=principal.label, note=note, limits=limits, expected_version=expected_version
    )
    uow.customs.save_hold(after, expected_version=hold.version)
    _record(uow, principal, after, event)
    uow.commit()
    return after
