"""Union general export authorisations (registration and reports of use) and the exporter's records
(Art. 27) over HTTP."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from dualuse.bootstrap import Container
from dualuse.entrypoints.http.deps import ContainerDep, RowId, UowDep, UserDep
from dualuse.services import audit, records
from dualuse.services import general_authorisations as svc
from dualuse.services.records import plain

router = APIRouter(prefix="/api/v1", tags=["general authorisations"])


class RegistrationIn(BaseModel):
    eugea_id: str = Field(min_length=1, max_length=10)


class ReportIn(BaseModel):
    eugea_id: str = Field(min_length=1, max_length=10)
    period_start: date
    period_end: date
    shipments: int = Field(ge=0, le=2**31 - 1)
    value_eur: Decimal = Field(ge=0, max_digits=18, decimal_places=2)
    destinations: list[str] = Field(default_factory=list, max_length=250)


@router.post(
    "/general-authorisations/registrations",
    status_code=201,
    summary="Register for a Union general export authorisation (EU001-EU008)",
)
def register(
    body: RegistrationIn, principal: UserDep, container: ContainerDep, uow: UowDep
) -> dict[str, Any]:
    registration_id = svc.register(uow, principal, container.rulebook, body.eugea_id)
    found = next(r for r in svc.registrations(uow, principal) if r["id"] == registration_id)
    return _registration(container, found)


def _registration(container: Container, row: Any) -> dict[str, Any]:
    """A registration with the first day exports under it are covered and the first-use rule applied."""
    rule = svc.timing(container.rulebook, str(row["eugea_id"]), str(row["member_state"]))
    return {
        **dict(plain(row)),
        "exports_covered_from": svc.exports_covered_from(container.rulebook, row).isoformat(),
        "first_use_rule": rule.rule,
        "check_with_authority": rule.check_with_authority,
    }


@router.get("/general-authorisations/registrations", summary="The organisation's registrations")
def list_registrations(principal: UserDep, container: ContainerDep, uow: UowDep) -> list[dict[str, Any]]:
    return [_registration(container, r) for r in svc.registrations(uow, principal)]


@router.post(
    "/general-authorisations/reports", status_code=201, summary="Report the use of a general authorisation"
)
def report_use(body: ReportIn, principal: UserDep, container: ContainerDep, uow: UowDep) -> dict[str, Any]:
    report_id = svc.report_use(
        uow,
        principal,
        container.rulebook,
        body.eugea_id,
        body.period_start,
        body.period_end,
        body.shipments,
        body.value_eur,
        body.destinations,
    )
    found = next(r for r in svc.reports(uow, principal) if r["id"] == report_id)
    return dict(plain(found))


@router.get("/general-authorisations/reports", summary="The organisation's reports of use")
def list_reports(principal: UserDep, uow: UowDep) -> list[dict[str, Any]]:
    return [plain(r) for r in svc.reports(uow, principal)]


@router.get(
    "/authority/general-authorisations",
    summary="Registrations and reports of the exporters of the authority's member state",
)
def for_authority(principal: UserDep, uow: UowDep) -> dict[str, Any]:
    view = svc.for_authority(uow, principal)
    return {"registrations": plain(list(view.registrations)), "reports": plain(list(view.reports))}


@router.get(
    "/organisations/{organisation_id}/records",
    tags=["records"],
    summary="Everything the exporter keeps (Art. 27), as a JSON download",
)
def export_records(organisation_id: RowId, principal: UserDep, uow: UowDep) -> JSONResponse:
    content = records.export(uow, principal, organisation_id)
    audit.record_download(uow, principal, "records_export", organisation_id, organisation_id)
    return JSONResponse(
        content,
        headers={"Content-Disposition": f'attachment; filename="records-{organisation_id}.json"'},
    )
