"""Licence determination over HTTP: does this transaction need an authorisation, which one, and why."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, UowDep
from dualuse.services import determination

router = APIRouter(prefix="/api/v1", tags=["determination"])

EXAMPLE = {
    "activity": "export",
    "date": "2026-12-01",
    "exporter": {"name": "Acme GmbH", "member_state": "DE"},
    "destination": "CN",
    "end_user": {"name": "Provincial Public Security Bureau", "country": "CN", "type": "government"},
    "items": [
        {
            "id": "1",
            "description": "IMSI catcher",
            "control_code": "5A001.f",
            "cyber_surveillance": False,
            "quantity": 2,
            "value_eur": 150000,
        }
    ],
    "knowledge": {"informed": [], "aware": []},
}


@router.post(
    "/determinations",
    summary="Determine a transaction: outcome per item and overall, legal basis, general authorisations, customs codes",
)
def determine(
    container: ContainerDep,
    uow: UowDep,
    principal: PrincipalDep,
    case: Annotated[dict[str, Any], Body(examples=[EXAMPLE])],
) -> dict[str, object]:
    """The answer binds on what the Union published under Art. 5 and, for a signed-in exporter, on the
    notices its authority gave it; ``understood`` states the facts as read (country names, item titles)."""
    inputs = container.determination_inputs(uow, principal.organisation_id)
    return determination.determine_case(inputs, case).to_dict()
