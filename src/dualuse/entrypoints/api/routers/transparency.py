"""The annual report (Art. 26(2) Reg. (EU) 2021/821): the public open data (no sign-in), the authority's part
(review, submit) and the Commission's Union report."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from dualuse.bootstrap import Container
from dualuse.domain.transparency import ConfidentialityRule
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.api.schemas.transparency import (
    AnnualReportPartIn,
    AnnualReportPartOut,
    OpenDataDocument,
    OpenDataSchemaOut,
    PartFigureOut,
    PartSubmissionOut,
    ReportYearsOut,
    UnionAnnualReportOut,
)
from dualuse.entrypoints.http.deps import ContainerDep, UowDep, UserDep
from dualuse.services.clock import today_in_brussels
from dualuse.services.transparency import annual_report as svc
from dualuse.services.transparency import opendata

router = APIRouter(prefix="/api/v1", tags=["transparency"], responses=API_ERRORS)
YearQuery = Annotated[int | None, Query(ge=2021, le=2100, description="the report year; default: the latest")]


def _rule(container: Container) -> ConfidentialityRule:
    s = container.settings
    return svc.confidentiality_rule(s.transparency_min_exporters, s.transparency_dominance_percent)


@router.get("/transparency/years", response_model=ReportYearsOut, summary="Years with a submitted part")
def years(uow: UowDep) -> dict[str, Any]:
    return {"years": svc.submitted_years(uow)}


@router.get(
    "/transparency/report",
    response_model=OpenDataDocument,
    summary="A year's published figures (open data, CC BY 4.0)",
)
def report(container: ContainerDep, uow: UowDep, year: YearQuery = None) -> dict[str, Any]:
    submitted = svc.submitted_years(uow)
    wanted = year or (submitted[0] if submitted else today_in_brussels().year)
    composed = svc.union_report(uow, wanted)
    return opendata.document(composed, svc.publish(composed, _rule(container)))


@router.get(
    "/transparency/schema",
    response_model=OpenDataSchemaOut,
    summary="The JSON Schema of the open data document",
)
def schema() -> dict[str, Any]:
    return opendata.json_schema()


def _part_out(found: svc.Part) -> dict[str, Any]:
    state = found.member_state
    return {
        "member_state": state,
        "year": found.year,
        "status": found.status.value,
        "submitted_at": found.submitted.submitted_at.isoformat() if found.submitted else None,
        "submitted_by": found.submitted.submitted_by if found.submitted else None,
        "figures": [
            PartFigureOut(
                table=key,
                column=column,
                count=cell.count,
                value_eur=f"{cell.value_eur:.2f}",
                exporters=cell.exporters,
            )
            for key, table in found.report.tables.items()
            for (row, column), cell in sorted(table.cells.items())
            if row == state
        ],
    }


@router.get(
    "/authority/annual-report",
    response_model=AnnualReportPartOut,
    summary="The authority's part of the annual report (draft or submitted)",
)
def authority_part(
    principal: UserDep, container: ContainerDep, uow: UowDep, year: YearQuery = None
) -> dict[str, Any]:
    found = svc.part(
        uow,
        principal,
        year or today_in_brussels().year,
        svc.cyber_surveillance_in(container.list_view_today()),
        svc.national_ids(container.rulebook),
    )
    return _part_out(found)


@router.post(
    "/authority/annual-report",
    response_model=AnnualReportPartOut,
    status_code=201,
    summary="Submit the authority's part of the annual report (its figures are frozen)",
)
def submit_part(
    body: AnnualReportPartIn, principal: UserDep, container: ContainerDep, uow: UowDep
) -> dict[str, Any]:
    is_cyber = svc.cyber_surveillance_in(container.list_view_today())
    national = svc.national_ids(container.rulebook)
    svc.submit(uow, principal, body.year, is_cyber, national)
    return _part_out(svc.part(uow, principal, body.year, is_cyber, national))


@router.get(
    "/commission/annual-report",
    response_model=UnionAnnualReportOut,
    summary="The Union report composed of the submitted parts, with what the public will not see marked",
)
def union(principal: UserDep, container: ContainerDep, uow: UowDep, year: YearQuery = None) -> dict[str, Any]:
    wanted = year or today_in_brussels().year
    parts = svc.submissions(uow, principal, wanted)
    composed = svc.union_report(uow, wanted)
    return {
        "year": wanted,
        "submitted": [
            PartSubmissionOut(
                member_state=p.member_state,
                submitted_at=p.submitted_at.isoformat(),
            )
            for p in parts
        ],
        "not_submitted": list(composed.not_submitted),
        "records": opendata.records(composed, svc.publish(composed, _rule(container)), reveal=True),
    }
