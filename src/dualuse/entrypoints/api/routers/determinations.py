"""Licence determination over HTTP: does this transaction need an authorisation, which one, and why."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from dualuse.entrypoints.api.deps import ContainerDep, UowDep
from dualuse.services import duediligence

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
    case: Annotated[dict[str, Any], Body(examples=[EXAMPLE])],
) -> dict[str, object]:
    return duediligence.determine(uow, case, container.rulebook, container.list_source())
