"""Union general export authorisation pages (Art. 12(1)(d), Annex II): the exporter registers for EU001-EU008
and reports their use; the authority sees the registrations and reports of the exporters of its member
state."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dualuse.bootstrap import Container
from dualuse.domain.errors import DualUseError, ValidationError
from dualuse.domain.identity import Principal, Role
from dualuse.domain.transparency import UseLine
from dualuse.entrypoints.http.deps import ContainerDep, UserDep
from dualuse.entrypoints.http.wording import plain
from dualuse.entrypoints.web.access import refused
from dualuse.entrypoints.web.forms import FormErrors
from dualuse.entrypoints.web.views import render
from dualuse.services import generalauth as svc
from dualuse.services import identity
from dualuse.services.transparency import annual_report

T = TypeVar("T")
router = APIRouter(include_in_schema=False)
PAGE = "/general-authorisations"
REGISTER_FIELDS = ("eugea_id",)
REPORT_FIELDS = ("eugea_id", "period_start", "period_end", "shipments", "value_eur", "destinations", "items")
MAX_ITEM_LINES = 200
# The bounds of the API's ReportIn, so that the web refuses what the API refuses.
MAX_EURO = Decimal(10) ** 16
MAX_DESTINATIONS = 250
CENT = Decimal("0.01")


def _errors(exc: DualUseError, form: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
    """The error summary's entry, pointing at the field of ``form`` it is about (ids are prefixed by the
    form: both forms ask for an authorisation)."""
    field = exc.field if exc.field in fields else fields[0]
    return [{"field": f"{form}-{field}", "text": plain(exc.detail)}]


def _day(text: str, field: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"give the {what} as a date, e.g. 2026-03-31", field=field) from None


def _shipments(text: str) -> int:
    if not re.fullmatch(r"\s*[0-9]{1,12}\s*", text):
        raise ValidationError(
            "give the number of shipments as a non-negative whole number", field="shipments"
        )
    return int(text)


def _euro(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValidationError(
            "give the value in euro as a number, e.g. 12500.50", field="value_eur"
        ) from None
    if not value.is_finite() or value < 0:
        raise ValidationError("the value in euro must be a non-negative number", field="value_eur")
    if value >= MAX_EURO:
        raise ValidationError("the value in euro is too large", field="value_eur")
    if value != value.quantize(CENT):
        raise ValidationError("give the value in euro to the cent at most, e.g. 12500.50", field="value_eur")
    return value.quantize(CENT)


def _destinations(text: str) -> list[str]:
    codes = [c for c in re.split(r"[\s,;]+", text) if c]
    if len(codes) > MAX_DESTINATIONS:
        raise ValidationError(f"name at most {MAX_DESTINATIONS} destinations", field="destinations")
    return codes


def _items(text: str) -> list[UseLine]:
    """The items textarea: one item a line, ``code; quantity; unit; value``."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_ITEM_LINES:
        raise ValidationError(f"report at most {MAX_ITEM_LINES} items", field="items")
    items = []
    for number, line in enumerate(lines, start=1):
        parts = [p.strip() for p in line.split(";")]
        if len(parts) != 4:
            raise ValidationError(
                f"item {number}: write code; quantity; unit; value, e.g. 5A002.a; 10; pieces; 25000",
                field="items",
            )
        code, quantity, unit, value = parts
        try:
            amount = Decimal(quantity)
        except InvalidOperation:
            raise ValidationError(f"item {number}: the quantity is not a number", field="items") from None
        try:
            items.append(UseLine(code[:40], amount, unit[:40], _euro(value)))
        except ValidationError as exc:
            raise ValidationError(f"item {number}: {exc.detail}", field="items") from None
    return items


def _report(container: Container, principal: Principal, form: dict[str, str]) -> FormErrors:
    """Check the form as the API's schema does (every mistake at once), then report the use through the
    service; the errors, if any, keyed by the form's field ids."""
    errors = FormErrors(default="report-eugea_id", ids={f: f"report-{f}" for f in REPORT_FIELDS})

    def read(check: Callable[[], T]) -> T | None:
        try:
            return check()
        except ValidationError as exc:
            errors.add_exception(exc)
            return None

    authorisation = read(lambda: svc.union_authorisation(container.rulebook, form["eugea_id"][:20]))
    start = read(lambda: _day(form["period_start"], "period_start", "start of the period"))
    end = read(lambda: _day(form["period_end"], "period_end", "end of the period"))
    # A report describes use that has happened; a far-future period would also outlive the Art. 27
    # retention arithmetic (records are kept to the fifth year after their date).
    if end is not None and end > container.clock.today():
        errors.add("report-period_end", "report a period that has ended (or ends today)")
    shipments = read(lambda: _shipments(form["shipments"]))
    value = read(lambda: _euro(form["value_eur"]))
    destinations = read(lambda: _destinations(form["destinations"]))
    items = read(lambda: _items(form["items"]))
    if errors:
        return errors
    if authorisation is None or start is None or end is None or shipments is None or value is None:
        return errors  # not reached: each None added an error above
    try:
        with container.uow() as uow:
            svc.report_use(
                uow,
                principal,
                container.rulebook,
                authorisation.id,
                start,
                end,
                shipments,
                value,
                destinations or [],
                items or [],
                annual_report.listed_in(container.list_view_today()) if items else None,
            )
    except DualUseError as exc:
        if refused(exc):
            raise
        errors.add_exception(exc)
    return errors


def _exporter_context(
    container: Container,
    principal: Principal,
    *,
    report_form: dict[str, str] | None = None,
    register_form: dict[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    with container.uow() as uow:
        registrations = svc.registrations(uow, principal)
        reports = svc.reports(uow, principal)
    registered = {r["eugea_id"]: svc.registered_on(r) for r in registrations}
    covered = {r["eugea_id"]: svc.exports_covered_from(container.rulebook, r) for r in registrations}
    union = [g for g in container.rulebook.general_authorisations if not g.is_national]
    return {
        "principal": principal,
        "authorisations": [
            {
                "authorisation": g,
                "registered_on": registered.get(g.id),
                "covered_from": covered.get(g.id),
                "timing": svc.timing(container.rulebook, g.id, principal.member_state),
            }
            for g in union
        ],
        "registered": registered,
        "reports": reports,
        "can_register": principal.role is Role.EXPORTER_ADMIN,
        "register_form": register_form or {"eugea_id": ""},
        "report_form": report_form or dict.fromkeys(REPORT_FIELDS, ""),
        "errors": errors or [],
    }


@router.get(PAGE, response_class=HTMLResponse)
def exporter_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    return render(request, "general_authorisations/exporter.html", _exporter_context(container, principal))


@router.post(f"{PAGE}/registrations", response_class=HTMLResponse)
async def register(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    async with request.form() as raw:
        form = {"eugea_id": str(raw.get("eugea_id") or "")}
    try:
        with container.uow() as uow:
            svc.register(uow, principal, container.rulebook, form["eugea_id"][:20])
    except DualUseError as exc:
        if refused(exc):
            raise
        context = _exporter_context(
            container, principal, register_form=form, errors=_errors(exc, "register", REGISTER_FIELDS)
        )
        return render(request, "general_authorisations/exporter.html", context, status_code=400)
    return RedirectResponse(PAGE, status_code=303)


@router.post(f"{PAGE}/reports", response_class=HTMLResponse)
async def report_use(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    async with request.form() as raw:
        form = {f: str(raw.get(f) or "") for f in REPORT_FIELDS}
    errors = _report(container, principal, form)
    if errors:
        context = _exporter_context(container, principal, report_form=form, errors=errors.as_list())
        return render(request, "general_authorisations/exporter.html", context, status_code=400)
    return RedirectResponse(f"{PAGE}#reports", status_code=303)


@router.get("/authority/general-authorisations", response_class=HTMLResponse)
def authority_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        view = svc.for_authority(uow, principal)
        ids = {r["organisation_id"] for r in [*view.registrations, *view.reports]}
        names = identity.organisation_names(uow, principal, ids)
    registrations = [{**r, "registered_on": svc.registered_on(r)} for r in view.registrations]
    context = {
        "principal": principal,
        "registrations": registrations,
        "reports": view.reports,
        "names": names,
    }
    return render(request, "general_authorisations/authority.html", context)
