"""Penalties and enforcement over HTTP: the comparison of the member states' penalties and the anonymised
enforcement figures (public), recording an enforcement case (authorities), an exporter's compliance visits
(the exporter and its authority)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from dualuse.domain import enforcement as enf
from dualuse.entrypoints.api.schemas.enforcement import (
    ComplianceVisitIn,
    ComplianceVisitOut,
    EnforcementCaseIn,
    EnforcementLineOut,
    PenaltyComparisonOut,
    PublicEnforcementCaseOut,
)
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, RowId, UowDep, UserDep
from dualuse.services.enforcement import cases, penalties, visits

router = APIRouter(prefix="/api/v1", tags=["penalties and enforcement"], responses=API_ERRORS)


def _money(value: Any) -> str | None:
    return None if value is None else str(value)


def comparison_out(row: enf.ViolationComparison) -> dict[str, Any]:
    v = row.violation
    return {
        "violation": {
            "id": v.id,
            "title": v.title,
            "description": v.description,
            "legal_basis": v.legal_basis,
            "source": v.source,
            "verified": v.verified,
        },
        "states": [
            {
                "member_state": s.member_state,
                "max_fine_eur": _money(s.max_fine_eur),
                "max_imprisonment_years": _money(s.max_imprisonment_years),
                "has_criminal": s.has_criminal,
                "has_administrative": s.has_administrative,
                "fine_formulas": list(s.fine_formulas),
                "sources": [{"law": x.law, "article": x.article, "url": x.url} for x in s.sources],
                "verified": s.verified,
                "note": s.note,
            }
            for s in row.states
        ],
        "states_without_data": list(row.missing),
    }


def public_case_out(case: enf.PublicEnforcementCase) -> dict[str, Any]:
    return {
        "id": case.id,
        "member_state": case.member_state,
        "violation": case.violation,
        "decision_date": case.decision_date.isoformat(),
        "decision": case.decision.value,
        "amount_eur": _money(case.amount_eur),
        "imprisonment_months": case.imprisonment_months,
    }


def statistics_out(line: enf.EnforcementLine) -> dict[str, Any]:
    return {
        "member_state": line.member_state,
        "violation": line.violation,
        "cases": line.cases,
        "decisions": line.decisions,
        "fines_total_eur": str(line.fines_total_eur),
        "largest_fine_eur": _money(line.largest_fine_eur),
    }


def visit_out(visit: enf.ComplianceVisit) -> dict[str, Any]:
    return {
        "id": visit.id,
        "organisation_id": visit.organisation_id,
        "member_state": visit.member_state,
        "visit_date": visit.visit_date.isoformat(),
        "findings": [
            {
                "icp_element": f.icp_element,
                "icp_element_title": f.element_title,
                "severity": f.severity.value,
                "text": f.text,
            }
            for f in visit.findings
        ],
    }


@router.get(
    "/penalties",
    response_model=list[PenaltyComparisonOut],
    summary="The member states' penalties per violation type, normalised, with their sources (public)",
)
def penalty_comparison(
    container: ContainerDep,
    violation: Annotated[str | None, Query(max_length=60)] = None,
    state: Annotated[list[str] | None, Query(max_length=27)] = None,
) -> list[dict[str, Any]]:
    states = [s.strip().upper() for s in state] if state else None
    return [
        comparison_out(r)
        for r in penalties.comparison(container.penalties, violation=violation, states=states)
    ]


@router.get(
    "/enforcement/cases",
    response_model=list[PublicEnforcementCaseOut],
    summary="Enforcement decisions of every member state, anonymised (public; Commission reads are audited)",
)
def enforcement_cases(principal: PrincipalDep, uow: UowDep) -> list[dict[str, Any]]:
    return [public_case_out(c) for c in cases.public_cases(uow, principal)]


@router.get(
    "/enforcement/statistics",
    response_model=list[EnforcementLineOut],
    summary="Enforcement figures per member state and violation type (public)",
)
def enforcement_statistics(principal: PrincipalDep, uow: UowDep) -> list[dict[str, Any]]:
    return [statistics_out(line) for line in cases.public_statistics(uow, principal)]


@router.post(
    "/enforcement/cases",
    response_model=PublicEnforcementCaseOut,
    status_code=201,
    summary="Record an enforcement decision of the officer's member state (authority officers)",
)
def record_enforcement_case(
    body: EnforcementCaseIn, principal: UserDep, uow: UowDep, container: ContainerDep
) -> dict[str, Any]:
    case_id = cases.record_case(
        uow,
        principal,
        container.penalties,
        violation=body.violation,
        decision=body.decision,
        decision_date=body.decision_date,
        amount_eur=body.amount_eur,
        imprisonment_months=body.imprisonment_months,
        organisation_id=body.organisation_id,
        summary=body.summary,
    )
    recorded = next(c for c in cases.state_cases(uow, principal) if c.id == case_id)
    return public_case_out(enf.anonymised(recorded))


@router.get(
    "/organisations/{organisation_id}/compliance-visits",
    response_model=list[ComplianceVisitOut],
    summary="An exporter's compliance visits and their findings against its ICP (the exporter, its authority)",
)
def compliance_visits(organisation_id: RowId, principal: UserDep, uow: UowDep) -> list[dict[str, Any]]:
    return [visit_out(v) for v in visits.visits_of(uow, principal, organisation_id)]


@router.post(
    "/organisations/{organisation_id}/compliance-visits",
    response_model=ComplianceVisitOut,
    status_code=201,
    summary="Record a compliance visit to an exporter of the officer's member state (authority officers)",
)
def record_compliance_visit(
    organisation_id: RowId, body: ComplianceVisitIn, principal: UserDep, uow: UowDep
) -> dict[str, Any]:
    findings = visits.findings_from(f.model_dump() for f in body.findings)
    visit_id = visits.record_visit(
        uow, principal, organisation_id=organisation_id, visit_date=body.visit_date, findings=findings
    )
    return visit_out(next(v for v in visits.visits_of(uow, principal, organisation_id) if v.id == visit_id))
