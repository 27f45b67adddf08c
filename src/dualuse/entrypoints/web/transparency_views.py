"""The transparency portal (no sign-in): the annual report of Art. 26(2) as charts drawn on the server with
their tables, the cyber-surveillance section on its own page, open data (CSV, JSON) with its schema and
licence; and the pages where an authority reviews and submits its part and the Commission reads the Union
report composed of the parts submitted."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dualuse.bootstrap import Container
from dualuse.domain.errors import DualUseError, ValidationError
from dualuse.domain.identity import Permission, Principal
from dualuse.domain.transparency import (
    CATEGORIES,
    OUTCOMES,
    SECTIONS,
    STRUCTURE_SOURCE,
    TOTAL,
    AnnualReport,
    ConfidentialityRule,
)
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, UserDep
from dualuse.entrypoints.http.wording import plain
from dualuse.entrypoints.web.access import refused, require
from dualuse.entrypoints.web.charts import Bar, Chart, bar_chart
from dualuse.entrypoints.web.views import render
from dualuse.services.clock import today_in_brussels
from dualuse.services.transparency import annual_report as svc
from dualuse.services.transparency import opendata
from dualuse.services.transparency.annual_report import Published

router = APIRouter(include_in_schema=False)
PORTAL = "/transparency"
AUTHORITY_PAGE = "/authority/annual-report"
COMMISSION_PAGE = "/commission/annual-report"
_CODE = re.compile(r"[A-Z]{2}")


def rule_for(container: Container) -> ConfidentialityRule:
    """The confidentiality rule of the settings."""
    s = container.settings
    return svc.confidentiality_rule(s.transparency_min_exporters, s.transparency_dominance_percent)


@dataclass(frozen=True)
class Filters:
    """The portal's filters, read from the query string (a GET form)."""

    year: int
    state: str
    destinations: tuple[str, ...]
    category: str
    outcome: str

    def query(self, **override: str) -> str:
        values = {
            "year": str(self.year),
            "state": self.state,
            "destination": ",".join(self.destinations),
            "category": self.category,
            "outcome": self.outcome,
            **override,
        }
        return "&".join(f"{k}={v}" for k, v in values.items() if v)


def _filters(request: Request, default_year: int) -> Filters:
    q = request.query_params
    year_text = (q.get("year") or "").strip()
    if year_text and not year_text.isdigit():
        raise ValidationError("give the year as a number, e.g. 2026", field="year")
    year = svc.check_year(int(year_text[:4])) if year_text else default_year
    state = (q.get("state") or "").strip().upper()[:2]
    if state and state not in svc.MEMBER_STATES:
        raise ValidationError(f"{state!r} is not a member state", field="state")
    destinations = tuple(
        dict.fromkeys(d for d in re.split(r"[\s,;]+", (q.get("destination") or "").upper()[:200]) if d)
    )
    for d in destinations:
        if not _CODE.fullmatch(d):
            raise ValidationError(f"{d!r} is not an ISO 3166-1 alpha-2 country code", field="destination")
    category = (q.get("category") or "").strip()[:1]
    if category and category not in CATEGORIES:
        raise ValidationError("the category is a digit from 0 to 9", field="category")
    outcome = (q.get("outcome") or "").strip()[:20]
    if outcome and outcome not in OUTCOMES:
        raise ValidationError(f"the decision is one of {', '.join(OUTCOMES)}", field="outcome")
    return Filters(year, state, destinations, category, outcome)


def _euro(value: Decimal) -> str:
    return f"€{value:,.0f}"


def _series(
    published: Published,
    *,
    state: str,
    kind: str,
    by_state: bool = False,
    only: Sequence[str] = (),
) -> list[Bar]:
    """The bars of a table: per member state (its row totals), or per column for the Union (column totals)
    or for one state (its row); withheld figures without a bar."""
    table, hidden = published.table, published.suppressed
    if by_state:
        keys = [(r, TOTAL) for r in table.rows]
    else:
        row = state or TOTAL
        keys = [(row, c) for c in table.columns if not only or c in only]
    bars = []
    for key in keys:
        label = (key[0] if by_state else key[1]).replace("_", " ")
        if key in hidden:
            bars.append(Bar(label, None, "withheld (confidential)"))
            continue
        r, c = key
        if r == TOTAL:
            cell = table.column_total(c)
        elif c == TOTAL:
            cell = table.row_total(r)
        else:
            cell = table.cell(r, c)
        if cell.empty:
            continue
        if kind == "count":
            bars.append(Bar(label, Decimal(cell.count), str(cell.count)))
        else:
            bars.append(Bar(label, cell.value_eur, f"{_euro(cell.value_eur)} ({cell.count})"))
    return bars


def _chart(chart_id: str, title: str, what: str, bars: list[Bar]) -> Chart:
    shown = [b for b in bars if b.amount is not None]
    withheld = len(bars) - len(shown)
    description = f"{what}: " + (
        "; ".join(f"{b.label} {b.text}" for b in shown) if shown else "no published figures"
    )
    if withheld:
        description += f"; {withheld} withheld to protect confidential trade data"
    return bar_chart(chart_id, title, description, bars)


def _published(container: Container, report: AnnualReport) -> dict[str, Published]:
    return dict(svc.publish(report, rule_for(container)))


def _portal_years(container: Container) -> list[int]:
    with container.uow() as uow:
        return sorted({today_in_brussels().year, *svc.submitted_years(uow)}, reverse=True)


def _default_year(container: Container) -> int:
    with container.uow() as uow:
        submitted = svc.submitted_years(uow)
    return submitted[0] if submitted else today_in_brussels().year


def _context(request: Request, container: Container, principal: Principal) -> dict[str, Any]:
    filters = _filters(request, _default_year(container))
    with container.uow() as uow:
        report = svc.union_report(uow, filters.year)
        history = svc.year_on_year(uow)
    published = _published(container, report)
    state = filters.state
    where = state or "the Union"
    charts = []
    if not state:
        charts.append(
            (
                "licence_types",
                _chart(
                    "by-state",
                    "Authorisations granted, by member state",
                    f"Value of authorisations granted in {filters.year} per member state",
                    _series(published["licence_types"], state="", kind="value", by_state=True),
                ),
            )
        )
    charts += [
        (
            "licence_types",
            _chart(
                "by-type",
                f"Authorisations granted by type, {where}",
                f"Value of authorisations granted in {filters.year} per type",
                _series(published["licence_types"], state=state, kind="value"),
            ),
        ),
        (
            "destinations",
            _chart(
                "by-destination",
                f"Authorisations granted by destination, {where}",
                f"Value of authorisations granted in {filters.year} per destination",
                _series(published["destinations"], state=state, kind="value", only=filters.destinations),
            ),
        ),
        (
            "categories",
            _chart(
                "by-category",
                f"Authorisations granted by Annex I category, {where}",
                f"Value of authorisations granted in {filters.year} per category of Annex I",
                _series(
                    published["categories"],
                    state=state,
                    kind="value",
                    only=(filters.category,) if filters.category else (),
                ),
            ),
        ),
        (
            "decisions",
            _chart(
                "by-decision",
                f"Decisions by outcome, {where}",
                f"Number of decisions in {filters.year} per outcome",
                _series(
                    published["decisions"],
                    state=state,
                    kind="count",
                    only=(filters.outcome,) if filters.outcome else (),
                ),
            ),
        ),
    ]
    years_bars = []
    for year, yearly in history:
        pub = _published(container, yearly)["licence_types"]
        key = (state, TOTAL) if state else (TOTAL, TOTAL)
        if key in pub.suppressed:
            years_bars.append(Bar(str(year), None, "withheld (confidential)"))
            continue
        cell = pub.table.row_total(state) if state else pub.table.grand_total()
        years_bars.append(Bar(str(year), cell.value_eur, f"{_euro(cell.value_eur)} ({cell.count})"))
    year_chart = _chart(
        "by-year",
        f"Authorisations granted, year on year, {where}",
        "Value of authorisations granted per year, from the parts submitted",
        years_bars,
    )
    return {
        "principal": principal,
        "filters": filters,
        "years": _portal_years(container),
        "member_states": svc.MEMBER_STATES,
        "categories": CATEGORIES,
        "outcomes": OUTCOMES,
        "report": report,
        "published": published,
        "charts": charts,
        "year_chart": year_chart,
        "year_rows": [(b.label, b.text) for b in years_bars],
        "sections": SECTIONS,
        "structure_source": STRUCTURE_SOURCE,
        "rule": rule_for(container),
        "licence": opendata.LICENCE,
        "licence_url": opendata.LICENCE_URL,
        "state": state,
    }


def _bad_filter(request: Request, principal: Principal, exc: DualUseError) -> HTMLResponse:
    return render(
        request,
        "error.html",
        {"principal": principal, "status": 400, "title": "Check the filters", "detail": plain(exc.detail)},
        status_code=400,
    )


@router.get(PORTAL, response_class=HTMLResponse)
def portal(request: Request, container: ContainerDep, principal: PrincipalDep) -> Response:
    try:
        context = _context(request, container, principal)
    except ValidationError as exc:
        return _bad_filter(request, principal, exc)
    return render(request, "transparency/portal.html", context)


@router.get(f"{PORTAL}/cyber-surveillance", response_class=HTMLResponse)
def cyber_surveillance(request: Request, container: ContainerDep, principal: PrincipalDep) -> Response:
    try:
        filters = _filters(request, _default_year(container))
    except ValidationError as exc:
        return _bad_filter(request, principal, exc)
    with container.uow() as uow:
        report = svc.union_report(uow, filters.year)
    published = _published(container, report)
    state = filters.state
    where = state or "the Union"
    charts = [
        (
            "cyber_applications",
            _chart(
                "cyber-items",
                f"Applications for cyber-surveillance items, by item, {where}",
                f"Number of applications received in {filters.year} per control code",
                _series(published["cyber_applications"], state=state, kind="count"),
            ),
        ),
        (
            "cyber_decisions",
            _chart(
                "cyber-decisions",
                f"Decisions on cyber-surveillance items, by outcome, {where}",
                f"Number of decisions in {filters.year} per outcome",
                _series(published["cyber_decisions"], state=state, kind="count"),
            ),
        ),
        (
            "cyber_destinations",
            _chart(
                "cyber-destinations",
                f"Decisions on cyber-surveillance items, by destination, {where}",
                f"Number of decisions in {filters.year} per destination",
                _series(
                    published["cyber_destinations"], state=state, kind="count", only=filters.destinations
                ),
            ),
        ),
    ]
    context = {
        "principal": principal,
        "filters": filters,
        "years": _portal_years(container),
        "member_states": svc.MEMBER_STATES,
        "report": report,
        "published": published,
        "charts": charts,
        "state": state,
        "licence": opendata.LICENCE,
        "licence_url": opendata.LICENCE_URL,
    }
    return render(request, "transparency/cyber.html", context)


def _open_data(request: Request, container: Container) -> dict[str, Any]:
    filters = _filters(request, _default_year(container))
    with container.uow() as uow:
        report = svc.union_report(uow, filters.year)
    return opendata.document(report, _published(container, report))


@router.get(f"{PORTAL}/data.json")
def data_json(request: Request, container: ContainerDep, principal: PrincipalDep) -> Response:
    try:
        document = _open_data(request, container)
    except ValidationError as exc:
        return _bad_filter(request, principal, exc)
    return Response(
        json.dumps(document, indent=1),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="annual-report-{document["year"]}.json"',
            "Link": f'<{opendata.LICENCE_URL}>; rel="license", </transparency/schema.json>; rel="describedby"',
        },
    )


@router.get(f"{PORTAL}/data.csv")
def data_csv(request: Request, container: ContainerDep, principal: PrincipalDep) -> Response:
    try:
        document = _open_data(request, container)
    except ValidationError as exc:
        return _bad_filter(request, principal, exc)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=opendata.CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for record in document["records"]:
        writer.writerow(
            {
                k: ("" if v is None else str(v).lower() if isinstance(v, bool) else v)
                for k, v in record.items()
            }
        )
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="annual-report-{document["year"]}.csv"',
            "Link": f'<{opendata.LICENCE_URL}>; rel="license", </transparency/schema.json>; rel="describedby"',
        },
    )


@router.get(f"{PORTAL}/schema", response_class=HTMLResponse)
def schema_page(request: Request, principal: PrincipalDep) -> Response:
    context = {
        "principal": principal,
        "fields": opendata.FIELDS,
        "licence": opendata.LICENCE,
        "licence_url": opendata.LICENCE_URL,
        "sections": SECTIONS,
        "structure_source": STRUCTURE_SOURCE,
    }
    return render(request, "transparency/schema.html", context)


@router.get(f"{PORTAL}/schema.json")
def schema_json() -> Response:
    return Response(json.dumps(opendata.json_schema(), indent=1), media_type="application/schema+json")


# --- the authority's part and the Commission's Union report -------------------------------------------
def _year(text: str | None) -> int:
    text = (text or "").strip()
    if not text:
        return today_in_brussels().year
    if not text.isdigit():
        raise ValidationError("give the year as a number, e.g. 2026", field="year")
    return svc.check_year(int(text[:4]))


def _authority_context(
    container: Container, principal: Principal, year: int, errors: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    list_view = container.list_view_today()
    with container.uow() as uow:
        part = svc.part(
            uow, principal, year, svc.cyber_surveillance_in(list_view), container_national_ids(container)
        )
        years = svc.years(uow)
    return {
        "principal": principal,
        "part": part,
        "year": year,
        "years": years,
        "tables": list(part.report.tables.values()),
        "state": part.member_state,
        "errors": errors or [],
        "no_list": list_view is None,
    }


def container_national_ids(container: Container) -> list[str]:
    return svc.national_ids(container.rulebook)


@router.get(AUTHORITY_PAGE, response_class=HTMLResponse)
def authority_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    require(principal, Permission.ASSESS_CASE)
    try:
        year = _year(request.query_params.get("year"))
    except ValidationError as exc:
        return _bad_filter(request, principal, exc)
    return render(request, "transparency/authority.html", _authority_context(container, principal, year))


@router.post(AUTHORITY_PAGE, response_class=HTMLResponse)
async def submit_part(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    require(principal, Permission.ASSESS_CASE)
    async with request.form() as raw:
        year_text = str(raw.get("year") or "")
    try:
        year = _year(year_text)
    except ValidationError as exc:
        return _bad_filter(request, principal, exc)
    try:
        with container.uow() as uow:
            svc.submit(
                uow,
                principal,
                year,
                svc.cyber_surveillance_in(container.list_view_today()),
                container_national_ids(container),
            )
    except DualUseError as exc:
        if refused(exc):
            raise
        errors = [{"field": "year", "text": plain(exc.detail)}]
        context = _authority_context(container, principal, year, errors)
        return render(request, "transparency/authority.html", context, status_code=400)
    return RedirectResponse(f"{AUTHORITY_PAGE}?year={year}", status_code=303)


@router.get(COMMISSION_PAGE, response_class=HTMLResponse)
def commission_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    require(principal, Permission.VIEW_UNION_AGGREGATES)
    try:
        year = _year(request.query_params.get("year"))
    except ValidationError as exc:
        return _bad_filter(request, principal, exc)
    with container.uow() as uow:
        parts = {p.member_state: p for p in svc.submissions(uow, principal, year)}
        report = svc.union_report(uow, year)
        years = svc.years(uow)
    context = {
        "principal": principal,
        "year": year,
        "years": years,
        "parts": parts,
        "member_states": svc.MEMBER_STATES,
        "report": report,
        "published": _published(container, report),
        "rule": rule_for(container),
    }
    return render(request, "transparency/commission.html", context)
