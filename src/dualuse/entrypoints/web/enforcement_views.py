"""Penalties and enforcement pages: the public comparison of the member states' penalties (``/penalties``),
and the authority's page to record enforcement decisions and compliance visits (``/authority/enforcement``).
The exporter sees its visits' findings on its ICP page (``duediligence_views``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dualuse.bootstrap import Container
from dualuse.domain import enforcement as enf
from dualuse.domain.duediligence import ICP_ELEMENTS
from dualuse.domain.errors import DualUseError
from dualuse.domain.identity import Permission, Principal
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, UserDep
from dualuse.entrypoints.web.access import refused, require
from dualuse.entrypoints.web.forms import FormErrors
from dualuse.entrypoints.web.views import render
from dualuse.services import notices
from dualuse.services.enforcement import cases, penalties, visits

router = APIRouter(include_in_schema=False)
PAGE = "/authority/enforcement"
CASE_FIELDS = (
    "violation",
    "decision",
    "decision_date",
    "amount_eur",
    "imprisonment_months",
    "organisation_id",
    "summary",
)
FINDING_ROWS = 3
VISIT_FIELDS = (
    "visit-organisation_id",
    "visit_date",
    *(f"finding-{i}-{part}" for i in range(FINDING_ROWS) for part in ("icp_element", "severity", "text")),
)
DECISIONS = [
    (enf.EnforcementDecision.FINE, "Fine"),
    (enf.EnforcementDecision.IMPRISONMENT, "Imprisonment"),
    (enf.EnforcementDecision.WARNING, "Warning"),
    (enf.EnforcementDecision.ACQUITTAL, "Acquittal"),
]
SEVERITIES = [
    (enf.FindingSeverity.OBSERVATION, "Observation: worth improving"),
    (enf.FindingSeverity.SHORTCOMING, "Shortcoming: to put right"),
    (enf.FindingSeverity.BREACH, "Breach: may lead to an enforcement case"),
]


@router.get("/penalties", response_class=HTMLResponse)
def penalties_page(request: Request, container: ContainerDep, principal: PrincipalDep) -> HTMLResponse:
    """The member states' penalties per violation type, with their sources, and the enforcement figures."""
    catalogue = container.penalties
    with container.uow() as uow:
        figures = cases.public_statistics(uow, principal)
    titles = {v.id: v.title for v in catalogue.violations}
    return render(
        request,
        "enforcement/penalties.html",
        {
            "principal": principal,
            "comparisons": penalties.comparison(catalogue),
            "catalogue": catalogue,
            "figures": figures,
            "titles": titles,
        },
    )


def _authority_context(
    container: Container,
    principal: Principal,
    case_form: dict[str, str] | None = None,
    visit_form: dict[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    with container.uow() as uow:
        recorded = cases.state_cases(uow, principal)
        done = visits.visits_by_authority(uow, principal)
        parties = notices.parties(uow, principal)
    names = {p.id: p.name for p in parties}
    return {
        "principal": principal,
        "cases": recorded,
        "visits": done,
        "names": names,
        "parties": parties,
        "violations": container.penalties.violations,
        "titles": {v.id: v.title for v in container.penalties.violations},
        "decisions": DECISIONS,
        "severities": SEVERITIES,
        "elements": ICP_ELEMENTS,
        "rows": range(FINDING_ROWS),
        "case_form": case_form or dict.fromkeys(CASE_FIELDS, ""),
        "visit_form": visit_form or dict.fromkeys(VISIT_FIELDS, ""),
        "errors": errors or [],
    }


@router.get(PAGE, response_class=HTMLResponse)
def authority_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    return render(request, "enforcement/authority.html", _authority_context(container, principal))


def _day(text: str, field: str, errors: FormErrors, what: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors.add(field, f"Enter the {what} as a date, for example 2026-03-31")
        return None


@router.post(PAGE + "/cases", response_class=HTMLResponse)
async def record_case(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    require(principal, Permission.ASSESS_CASE)
    async with request.form() as raw:
        form = {f: str(raw.get(f) or "")[:4000] for f in CASE_FIELDS}
    errors = FormErrors(default="violation", ids={f: f for f in CASE_FIELDS})
    if not form["violation"]:
        errors.add("violation", "Choose the violation")
    if not form["decision"]:
        errors.add("decision", "Choose the decision")
    decided = _day(form["decision_date"], "decision_date", errors, "date of the decision")
    amount: Decimal | None = None
    if form["amount_eur"].strip():
        try:
            amount = Decimal(form["amount_eur"].strip().replace(",", ""))
        except InvalidOperation:
            errors.add("amount_eur", "Enter the fine in euros, for example 25000")
    months: int | None = None
    if form["imprisonment_months"].strip():
        if form["imprisonment_months"].strip().isdigit() and len(form["imprisonment_months"].strip()) < 5:
            months = int(form["imprisonment_months"])
        else:
            errors.add("imprisonment_months", "Enter the sentence in whole months, for example 18")
    party = form["organisation_id"].strip()
    if party and (not party.isdigit() or len(party) > 9):
        errors.add("organisation_id", "Choose the party from the list")
    if not errors and decided is not None:
        try:
            with container.uow() as uow:
                cases.record_case(
                    uow,
                    principal,
                    container.penalties,
                    violation=form["violation"],
                    decision=form["decision"],
                    decision_date=decided,
                    amount_eur=amount,
                    imprisonment_months=months,
                    organisation_id=int(party) if party else None,
                    summary=form["summary"],
                )
        except DualUseError as exc:
            if refused(exc):
                raise
            errors.add_exception(exc)
    if errors:
        context = _authority_context(container, principal, case_form=form, errors=errors.as_list())
        return render(request, "enforcement/authority.html", context, status_code=400)
    return RedirectResponse(PAGE + "#cases", status_code=303)


@router.post(PAGE + "/visits", response_class=HTMLResponse)
async def record_visit(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    require(principal, Permission.ASSESS_CASE)
    async with request.form() as raw:
        form = {f: str(raw.get(f) or "")[:4000] for f in VISIT_FIELDS}
    errors = FormErrors(
        default="visit-organisation_id",
        ids={"organisation_id": "visit-organisation_id", "visit_date": "visit_date"}
        | {
            f"findings[{i}].{part}": f"finding-{i}-{part}"
            for i in range(FINDING_ROWS)
            for part in ("icp_element", "severity", "text")
        },
    )
    party = form["visit-organisation_id"].strip()
    if not party.isdigit() or len(party) > 9:
        errors.add("visit-organisation_id", "Choose the exporter you visited")
    visited = _day(form["visit_date"], "visit_date", errors, "date of the visit")
    rows = [
        {part: form[f"finding-{i}-{part}"] for part in ("icp_element", "severity", "text")}
        for i in range(FINDING_ROWS)
    ]
    if not errors and visited is not None:
        try:
            findings = visits.findings_from(rows)
            with container.uow() as uow:
                visits.record_visit(
                    uow, principal, organisation_id=int(party), visit_date=visited, findings=findings
                )
        except DualUseError as exc:
            if refused(exc):
                raise
            errors.add_exception(exc)
    if errors:
        context = _authority_context(container, principal, visit_form=form, errors=errors.as_list())
        return render(request, "enforcement/authority.html", context, status_code=400)
    return RedirectResponse(PAGE + "#visits", status_code=303)
