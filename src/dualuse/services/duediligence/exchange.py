"""The Art. 5(4) exchange: a requirement imposed by one member state is notified to the others and the Commission,
who give their views; when all agree it is published for the whole Union (Art. 5(6) [M: paragraph numbers
beyond (4) unverified])."""

from __future__ import annotations

from collections.abc import Sequence

from dualuse.domain.duediligence import (
    ConsultationOutcome,
    View,
    consultation_outcome,
)
from dualuse.domain.duediligence.records import Requirement, StateView
from dualuse.domain.errors import ConflictError, NotFoundError, ValidationError
from dualuse.domain.identity import OrganisationKind, Permission, Principal, authorize
from dualuse.services import audit, oversight
from dualuse.services.duediligence.notifications import authority_state
from dualuse.services.unit_of_work import UnitOfWork


def requirements_for_authority(
    uow: UnitOfWork, principal: Principal
) -> list[tuple[Requirement, Sequence[StateView]]]:
    """Requirements this authority imposed or is consulted on, each with the views recorded so far; the
    Commission, which is informed of every one (Art. 5(4)), sees them all."""
    commission = principal.organisation_kind is OrganisationKind.COMMISSION
    if commission:
        authorize(principal, Permission.VIEW_UNION_AGGREGATES)
    state = None if commission else authority_state(principal)
    if commission:
        oversight.record_read(
            uow, principal, entity_type="art5_requirement", entity_id="*", legal_basis="Art. 5(4)"
        )
    out: list[tuple[Requirement, Sequence[StateView]]] = []
    for requirement in uow.duediligence.requirements():
        views = uow.duediligence.views(requirement.id)
        if commission or requirement.imposing_state == state or any(v.member_state == state for v in views):
            out.append((requirement, views))
    return out


def record_view(
    uow: UnitOfWork, principal: Principal, requirement_id: int, view: View | str, reason: str
) -> str:
    """A consulted member state records its view (Art. 5(5) [M]); when every consulted state agrees the
    requirement is published for the whole Union (Art. 5(6) [M]). Returns the requirement's status."""
    state = authority_state(principal)
    requirement = uow.duediligence.requirement(requirement_id)
    views = uow.duediligence.views(requirement_id) if requirement else []
    mine = next((v for v in views if v.member_state == state), None)
    if requirement is None or mine is None:
        raise NotFoundError("no such requirement for your member state")
    # Views are recorded one at a time, each seeing the others', so that the last of the states to agree
    # publishes the requirement even when they answer at the same moment.
    uow.duediligence.lock_requirement(requirement_id)
    requirement = uow.duediligence.requirement(requirement_id)
    assert requirement is not None  # noqa: S101 - requirements are never deleted
    mine = next(v for v in uow.duediligence.views(requirement_id) if v.member_state == state)
    try:
        chosen = View(view)
    except ValueError:
        raise ValidationError("choose whether you agree or disagree", field="view") from None
    if chosen is View.PENDING:
        raise ValidationError("choose whether you agree or disagree", field="view")
    if mine.view is not View.PENDING:
        raise ConflictError(f"{state} has already recorded its view")
    uow.duediligence.record_view(mine.id, view=chosen, reason=reason.strip(), by=principal.label)
    updated = {v.member_state: v.view for v in uow.duediligence.views(requirement_id)}
    outcome = consultation_outcome(
        requirement.imposing_state, updated, [requirement.imposing_state, *updated]
    )
    if outcome != requirement.status:
        uow.duediligence.set_requirement(
            requirement_id,
            status=outcome,
            published_on=uow.clock.today() if outcome is ConsultationOutcome.PUBLISHED else None,
        )
    audit.record(
        uow,
        actor=principal.label,
        action="art5_requirement.view",
        entity_type="art5_requirement",
        entity_id=requirement_id,
        after={"member_state": state, "view": chosen.value, "status": outcome},
        reason=reason.strip() or None,
    )
    uow.commit()
    return outcome


def published_requirements(uow: UnitOfWork) -> Sequence[Requirement]:
    """What the Union published: public."""
    return uow.duediligence.requirements(status=ConsultationOutcome.PUBLISHED)
