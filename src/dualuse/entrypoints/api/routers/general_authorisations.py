"""Union general export authorisations (registration and reports of use) and the exporter's records
(Art. 27) over HTTP."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from dualuse.bootstrap import Container
from dualuse.domain.transparency import UseLine
from dualuse.entrypoints.api.schemas.general_authorisations import (
    AuthorityViewOut,
    RecordsOut,
    RegistrationIn,
    RegistrationOut,
    ReportIn,
    ReportOut,
)
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.http.deps import ContainerDep, RowId, UowDep, UserDep
from dualuse.services import audit, records
from dualuse.services import generalauth as svc
from dualuse.services.records import plain
from dualuse.services.transparency import annual_report

router = APIRouter(prefix="/api/v1", tags=["general authorisations"], responses=API_ERRORS)


@router.post(
    "/general-authorisations/registrations",
    response_model=RegistrationOut,
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


@router.get(
    "/general-authorisations/registrations",
    response_model=list[RegistrationOut],
    summary="The organisation's registrations",
)
def list_registrations(principal: UserDep, container: ContainerDep, uow: UowDep) -> list[dict[str, Any]]:
    return [_registration(container, r) for r in svc.registrations(uow, principal)]


@router.post(
    "/general-authorisations/reports",
    response_model=ReportOut,
    status_code=201,
    summary="Report the use of a general authorisation",
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
        [UseLine(i.control_code, i.quantity, i.unit, i.value_eur) for i in body.items],
        annual_report.listed_in(container.list_view_today()),
    )
    found = next(r for r in svc.reports(uow, principal) if r["id"] == report_id)
    return dict(plain(found))


@router.get(
    "/general-authorisations/reports",
    response_model=list[ReportOut],
    summary="The organisation's reports of use",
)
def list_reports(principal: UserDep, uow: UowDep) -> list[dict[str, Any]]:
    return [plain(r) for r in svc.reports(uow, principal)]


@router.get(
    "/authority/general-authorisations",
    response_model=AuthorityViewOut,
    summary="Registrations and reports of the exporters of the authority's member state",
)
def for_authority(principal: UserDep, uow: UowDep) -> dict[str, Any]:
    view = svc.for_authority(uow, principal)
    return {"registrations": plain(list(view.registrations)), "reports": plain(list(view.reports))}


@router.get(
    "/organisations/{organisation_id}/records",
    response_model=RecordsOut,
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
