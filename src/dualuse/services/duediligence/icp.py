"""The exporter's internal compliance programme (ICP) self-assessment (Commission Recommendation (EU) 2019/1318)."""

from __future__ import annotations

from collections.abc import Mapping

from dualuse.domain.duediligence import (
    IcpLevel,
)
from dualuse.domain.duediligence.icp import ICP_ELEMENTS
from dualuse.domain.duediligence.records import IcpRecord
from dualuse.domain.errors import PermissionDeniedError, ValidationError
from dualuse.domain.identity import OrganisationKind, Permission, Principal, authorize
from dualuse.services import audit
from dualuse.services.duediligence.cases import exporter_of
from dualuse.services.unit_of_work import UnitOfWork


# --- internal compliance programme ----------------------------------------------------------------
def save_icp(uow: UnitOfWork, principal: Principal, answers: Mapping[str, IcpLevel | str]) -> int:
    """An exporter's ICP self-assessment against the seven elements of Recommendation (EU) 2019/1318."""
    organisation_id = exporter_of(principal)
    authorize(principal, Permission.MANAGE_USERS, organisation_id=organisation_id)
    checked: dict[str, str] = {}
    for element in ICP_ELEMENTS:
        value = answers.get(element.id)
        try:
            checked[element.id] = IcpLevel(value or "").value
        except ValueError:
            raise ValidationError(f"answer element {element.id}: {element.title}", field=element.id) from None
    assessment_id = uow.duediligence.add_icp(
        organisation_id=organisation_id, answers=checked, by=principal.label
    )
    audit.record(
        uow,
        actor=principal.label,
        action="icp.assessed",
        entity_type="organisation",
        entity_id=organisation_id,
        after=checked,
    )
    uow.commit()
    return assessment_id


def latest_icp(uow: UnitOfWork, principal: Principal, organisation_id: int) -> IcpRecord | None:
    """The latest ICP of an exporter: its own members, and the authority of its member state. Not the
    Commission: an ICP is neither aggregated information (Art. 26(2)) nor exchanged between the authorities
    (Art. 23(2)); see ``services.oversight`` (F15)."""
    if principal.organisation_kind is OrganisationKind.COMMISSION:
        raise PermissionDeniedError(
            "the Commission receives aggregated information (Art. 26(2)), not an exporter's ICP"
        )
    organisation = uow.organisations.get(organisation_id)
    authorize(
        principal,
        Permission.VIEW_ORGANISATION,
        organisation_id=organisation_id,
        member_state=organisation.member_state if organisation else None,
    )
    return uow.duediligence.latest_icp(organisation_id)
