"""Licensing pages: the exporter applies, checks the answers, submits, answers questions, downloads the
licence and reports its use; the authority works its queue, assesses, recommends, countersigns and acts on
licences; anyone verifies a licence."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dualuse.domain import licensing as lic
from dualuse.domain.casework import FlagLevel
from dualuse.domain.errors import ValidationError
from dualuse.domain.identity import OrganisationKind
from dualuse.domain.licensing.model import check_quantity, check_value_eur
from dualuse.domain.union import EU_MEMBER_STATES
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, RowId, UserDep
from dualuse.entrypoints.report import licence_pdf, refusal_letter_pdf, ruling_letter_pdf
from dualuse.entrypoints.web import application_views
from dualuse.entrypoints.web.charts import Bar, bar_chart
from dualuse.entrypoints.web.forms import FormErrors
from dualuse.entrypoints.web.views import render
from dualuse.services import audit, identity
from dualuse.services import licensing as svc
from dualuse.services.casework import evidence as casework_evidence
from dualuse.services.casework import flags as casework_flags
from dualuse.services.casework import letters as casework_letters
from dualuse.services.casework import statements as casework_statements
from dualuse.services.casework import supporting as casework_supporting
from dualuse.services.clock import today_in_brussels
from dualuse.services.denials import checks as denial_checks

router = APIRouter(include_in_schema=False)


def _secret(container: Any) -> bytes:
    return svc.check_code_secret(container.settings.secret_key)


@router.get("/applications", response_class=HTMLResponse)
def applications_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        cases = svc.applications(uow, principal)
        licences = svc.licences(uow, principal)
    return render(
        request, "licensing/applications.html", {"principal": principal, "cases": cases, "licences": licences}
    )


def _used_percent(authorised: Decimal, left: Decimal) -> Decimal:
    """The share of an authorised quantity shipped, in per cent (0 to 100)."""
    if authorised <= 0:
        return Decimal(0)
    return max(Decimal(0), min(Decimal(100), (authorised - left) * 100 / authorised))


def _case_context(uow: Any, principal: Any, case_id: int, rules: Any) -> dict[str, Any]:
    """What the case page shows; an authority's page also shows the evidence the case brings (issue 19)."""
    stored = svc.get_application(uow, principal, case_id)
    messages = svc.messages(uow, principal, case_id)
    licence = next((x for x in svc.licences(uow, principal) if x.case_id == case_id), None)
    left = svc.remaining(uow, principal, licence.licence.number)[1] if licence else {}
    history = svc.shipment_history(uow, principal, licence.licence.number) if licence else ()
    usage_chart = (
        bar_chart(
            "licence-usage",
            f"How much of licence {licence.licence.number} is used",
            "For each line, the share of the authorised amount that has gone out so far.",
            [
                Bar(
                    f"Line {item.line}: {item.control_code}",
                    used,
                    f"{used:.0f} % used ({left[item.line].quantity} {item.unit} left)",
                )
                for item in licence.licence.items
                for used in [_used_percent(item.quantity, left[item.line].quantity)]
            ],
        )
        if licence
        else None
    )
    context: dict[str, Any] = {
        "principal": principal,
        "stored": stored,
        "case": stored.case,
        "messages": messages,
        "licence": licence,
        "remaining": left,
        "shipments": history,
        "usage_chart": usage_chart,
        "criteria": lic.CRITERIA,
        "errors": [],
        "today": uow.clock.today().isoformat(),
        "flag_levels": list(FlagLevel),
        "eu_statements": casework_statements.statements(uow, principal, case_id),
        "supporting": [],
    }
    if principal.organisation_kind in (OrganisationKind.EXPORTER, OrganisationKind.AUTHORITY):
        context["supporting"] = casework_supporting.listing(uow, principal, case_id)
    if principal.organisation_kind is OrganisationKind.AUTHORITY:
        context |= {
            "evidence": casework_evidence.case_evidence(uow, principal, case_id, rules),
            "teams": rules.teams,
            "denial_checks": denial_checks.case_denials(uow, principal, case_id),  # Art. 16(5)
            "today_date": today_in_brussels(),
            "eu_states": sorted(EU_MEMBER_STATES),
        }
    return context


@router.get("/applications/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    authority = bool(principal.organisation_kind and principal.organisation_kind.value == "authority")
    with container.uow() as uow:
        context = _case_context(uow, principal, case_id, container.casework_rules)
    if context["case"].status is lic.ApplicationStatus.DRAFT and not authority:
        return application_views.draft_page(request, container, principal, case_id)  # the task list
    template = "licensing/authority_case.html" if authority else "licensing/case.html"
    return render(request, template, context)


def _case_page_again(
    request: Request,
    container: ContainerDep,
    principal: Any,
    case_id: int,
    errors: FormErrors,
    **kept: Any,
) -> HTMLResponse:
    """The case page once more, with the errors of the form that was sent and what was entered in it."""
    with container.uow() as uow:
        context = _case_context(uow, principal, case_id, container.casework_rules)
    context |= {"errors": errors.as_list(), **kept}
    template = (
        "licensing/authority_case.html"
        if principal.organisation_kind and principal.organisation_kind.value == "authority"
        else "licensing/case.html"
    )
    return render(request, template, context, status_code=400)


@router.post("/applications/{case_id}/messages", response_class=HTMLResponse)
def post_message(
    request: Request,
    case_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    body: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    errors = FormErrors(default="body")
    if not body.strip():
        with container.uow() as uow:  # a refusal first: only a party to the case sees the form again
            svc.messages(uow, principal, case_id)
        errors.add("body", "Enter your message")
        return _case_page_again(request, container, principal, case_id, errors, message_form=body)
    try:
        with container.uow() as uow:
            svc.post_message(uow, principal, case_id, body)
    except ValidationError as exc:
        errors.add_exception(exc)
        return _case_page_again(request, container, principal, case_id, errors, message_form=body)
    return RedirectResponse(f"/applications/{case_id}", status_code=303)


@router.post("/applications/{case_id}/actions/{action}", response_class=HTMLResponse)
def case_action(
    request: Request,
    case_id: RowId,
    action: str,
    container: ContainerDep,
    principal: PrincipalDep,
    version: Annotated[int, Form()] = 0,
    note: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    errors = FormErrors(
        default="question", ids={"note": "question", "action": "question", "version": "question"}
    )
    if action == "request_information" and not note.strip():
        with container.uow() as uow:  # a refusal first: only the case's authority sees the form again
            svc.check_assessor(uow, principal, case_id)
        errors.add("question", "Enter the question for the exporter")
        return _case_page_again(request, container, principal, case_id, errors, question_form=note)
    try:
        with container.uow() as uow:
            svc.case_action(uow, principal, case_id, action, expected_version=version, note=note)
    except ValidationError as exc:
        errors.add_exception(exc)
        return _case_page_again(request, container, principal, case_id, errors, question_form=note)
    return RedirectResponse(f"/applications/{case_id}", status_code=303)


def _version(text: str) -> int:
    """The case version a form was rendered with (optimistic locking)."""
    if not re.fullmatch(r"[0-9]{1,9}", text.strip()):
        raise ValidationError(
            "the form lacks the case's version: reload the page and try again", field="version"
        )
    return int(text)


RECOMMENDATIONS = ("grant", "grant_with_conditions", "deny")


def _check_recommendation(principal: Any, entered: dict[str, Any], errors: FormErrors) -> None:
    """Every mistake in the assessment form at once, before anything is recorded (the domain's own
    checks follow, on objects built here and thrown away)."""
    kind, reasoning, conditions = entered["kind"], entered["reasoning"], entered["conditions"]
    concerns = [c for c, marked in entered["concerns"].items() if marked]
    if kind not in RECOMMENDATIONS:
        errors.add("kind-grant", "Choose a recommendation: grant, grant with conditions or deny")
    if kind == "deny" and not concerns:
        errors.add("kind-grant", "Mark a concern under at least one criterion for a denial to rely on")
    if not reasoning.strip():
        errors.add("reasoning", "Enter the reasoning for your recommendation")
    lines = [line for line in conditions.splitlines() if line.strip()]
    if kind == "grant_with_conditions" and not lines:
        errors.add("conditions", "Enter the conditions, one a line, or recommend a grant without conditions")
    if kind in ("grant", "deny") and lines:
        errors.add("conditions", "Leave the conditions empty, or recommend a grant with conditions")
    if errors:
        return
    findings = [lic.Finding(c.id, entered["concerns"][c.id], entered["notes"][c.id]) for c in lic.CRITERIA]
    try:
        assessment = lic.Assessment(officer_id=principal.label, findings=tuple(findings))
        lic.Recommendation(
            kind=lic.RecommendationKind(kind),
            officer_id=principal.label,
            assessment=assessment,
            reasoning=reasoning,
            criteria_relied_on=tuple(concerns) if kind == "deny" else (),
            conditions=tuple(lines),
        )
    except ValidationError as exc:
        errors.add_exception(exc)


@router.post("/applications/{case_id}/assessment", response_class=HTMLResponse)
async def assessment(
    request: Request, case_id: RowId, container: ContainerDep, principal: PrincipalDep
) -> Response:
    """Record the assessment and the recommendation together; a mistake shows the form again with every
    error and everything the officer entered, and nothing recorded."""
    with container.uow() as uow:  # the case's authority only, before the form is read
        svc.check_assessor(uow, principal, case_id)
    async with request.form() as raw:
        entered: dict[str, Any] = {
            "concerns": {c.id: raw.get(f"concern-{c.id}") == "yes" for c in lic.CRITERIA},
            "notes": {c.id: str(raw.get(f"note-{c.id}") or "")[:4000] for c in lic.CRITERIA},
            "kind": str(raw.get("kind") or ""),
            "reasoning": str(raw.get("reasoning") or "")[:20000],
            "conditions": str(raw.get("conditions") or "")[:20000],
            "version": str(raw.get("version") or ""),
        }
    errors = FormErrors(default="reasoning", ids={"criteria_relied_on": "kind-grant", "kind": "kind-grant"})
    try:
        version = _version(entered["version"])
    except ValidationError as exc:
        errors.add("reasoning", exc.detail)
        version = 0
    _check_recommendation(principal, entered, errors)
    if not errors:
        findings = [
            lic.Finding(c.id, entered["concerns"][c.id], entered["notes"][c.id]) for c in lic.CRITERIA
        ]
        relied = [c for c, marked in entered["concerns"].items() if marked]
        conditions = [line for line in entered["conditions"].splitlines() if line.strip()]
        try:
            with container.uow() as uow:
                svc.assess_and_recommend(
                    uow,
                    principal,
                    case_id,
                    findings,
                    kind=entered["kind"],
                    reasoning=entered["reasoning"],
                    criteria_relied_on=relied if entered["kind"] == "deny" else [],
                    conditions=conditions,
                    expected_version=version,
                )
        except ValidationError as exc:
            errors.add_exception(exc)
    if errors:
        with container.uow() as uow:
            context = _case_context(uow, principal, case_id, container.casework_rules)
        context |= {"errors": errors.as_list(), "assessment_form": entered}
        return render(request, "licensing/authority_case.html", context, status_code=400)
    return RedirectResponse(f"/applications/{case_id}", status_code=303)


@router.post("/applications/{case_id}/decision")
def decision(
    request: Request,
    case_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    version: Annotated[int, Form()] = 0,
    outcome: Annotated[str, Form()] = "",
    despite_denial_reasons: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    try:
        with container.uow() as uow:
            svc.decide(
                uow,
                principal,
                case_id,
                outcome=outcome,
                expected_version=version,
                secret=_secret(container),
                despite_denial_reasons=despite_denial_reasons,
            )
    except ValidationError as exc:
        if exc.field != "despite_denial_reasons":
            raise
        errors = FormErrors(default="despite_denial_reasons")
        errors.add("despite_denial_reasons", exc.detail)
        return _case_page_again(
            request, container, principal, case_id, errors, despite_denial_reasons=despite_denial_reasons
        )
    return RedirectResponse(f"/applications/{case_id}", status_code=303)


# the shipment form's field ids on the case page (the page has other quantity fields)
SHIPMENT_FIELD_IDS = {
    "item_line": "item_line",
    "quantity": "ship_quantity",
    "value_eur": "ship_value",
    "shipped_on": "shipped_on",
    "customs_reference": "customs_reference",
}


def _shipment_line(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,5}", text.strip()):
        raise ValidationError("give the item line as a whole number, e.g. 1", field="item_line")
    return int(text)


def _amount(text: str, field: str, what: str) -> Decimal:
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        raise ValidationError(f"give the {what} as a number, e.g. 12.5", field=field) from None


@router.post("/licences/{number}/shipments", response_class=HTMLResponse)
def shipment(
    request: Request,
    number: str,
    container: ContainerDep,
    principal: PrincipalDep,
    case_id: Annotated[int, Form(ge=0, le=2**31 - 1)] = 0,
    item_line: Annotated[str, Form()] = "1",
    quantity: Annotated[str, Form()] = "",
    value_eur: Annotated[str, Form()] = "",
    shipped_on: Annotated[str, Form()] = "",
    customs_reference: Annotated[str, Form()] = "",
) -> Response:
    """Report a shipment; what is wrong with it is shown on the case page, by its field (the same checks
    as ``POST /api/v1/licences/{number}/shipments``: they are the domain's ``Shipment``)."""
    entered = {
        "item_line": item_line,
        "quantity": quantity,
        "value_eur": value_eur,
        "shipped_on": shipped_on,
        "customs_reference": customs_reference,
    }
    with container.uow() as uow:  # the holder only, before the form is read
        svc.check_holder(uow, principal, number)
    errors = FormErrors(default="ship_quantity", ids=SHIPMENT_FIELD_IDS)
    day, line, amount, value = None, 0, Decimal(0), Decimal(0)
    try:
        day = date.fromisoformat(shipped_on.strip())
    except ValueError:
        errors.add("shipped_on", "Enter the date of the shipment as year-month-day, e.g. 2026-03-31")
    try:
        line = _shipment_line(item_line)
    except ValidationError as exc:
        errors.add_exception(exc)
    if not quantity.strip():
        errors.add("ship_quantity", "Enter the quantity shipped")
    try:
        if quantity.strip():
            check_quantity(_amount(quantity, "quantity", "quantity shipped"), what="quantity shipped")
    except ValidationError as exc:
        errors.add_exception(exc)
    try:
        check_value_eur(_amount(value_eur or "0", "value_eur", "value shipped"), what="value shipped")
    except ValidationError as exc:
        errors.add_exception(exc)
    if not errors:
        amount = _amount(quantity, "quantity", "quantity shipped")
        value = _amount(value_eur or "0", "value_eur", "value shipped")
        assert day is not None  # noqa: S101 - no error means the date was read
        try:
            with container.uow() as uow:
                svc.record_shipment(
                    uow,
                    principal,
                    number,
                    item_line=line,
                    quantity=amount,
                    value_eur=value,
                    shipped_on=day,
                    customs_reference=customs_reference,
                )
        except ValidationError as exc:
            errors.add_exception(exc)
    if errors:
        if case_id < 1:
            raise ValidationError(errors.items[0]["text"], field=errors.items[0]["field"])
        return _case_page_again(request, container, principal, case_id, errors, shipment=entered)
    return RedirectResponse(f"/applications/{case_id}", status_code=303)


@router.get("/licences/{number}.pdf")
def licence_download(
    request: Request, number: str, container: ContainerDep, principal: PrincipalDep
) -> Response:
    with container.uow() as uow:
        sheet = casework_letters.licence_sheet(uow, principal, number, container.casework_rules)
        pdf = licence_pdf(sheet, str(request.base_url))
        audit.record_download(uow, principal, "licence_pdf", number, sheet.case.organisation_id)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="licence-{number}.pdf"'},
    )


@router.get("/applications/{case_id}/refusal.pdf")
def refusal_download(case_id: RowId, container: ContainerDep, principal: PrincipalDep) -> Response:
    with container.uow() as uow:
        letter = casework_letters.refusal_letter(uow, principal, case_id, container.casework_rules)
        pdf = refusal_letter_pdf(letter)
        audit.record_download(uow, principal, "refusal_letter", str(case_id), letter.organisation_id)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="refusal-{case_id}.pdf"'},
    )


@router.get("/requests/{track_id}/ruling.pdf")
def ruling_download(track_id: RowId, container: ContainerDep, principal: PrincipalDep) -> Response:
    with container.uow() as uow:
        letter = casework_letters.ruling_letter(uow, principal, track_id, container.casework_rules)
        pdf = ruling_letter_pdf(letter)
        audit.record_download(uow, principal, "ruling_letter", str(track_id), letter.organisation_id)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="ruling-{track_id}.pdf"'},
    )


@router.get("/authority/cases", response_class=HTMLResponse)
def queue_page(
    request: Request,
    container: ContainerDep,
    principal: UserDep,
    status: Annotated[str | None, Query()] = None,
    destination: Annotated[str | None, Query(max_length=2)] = None,
    cyber: Annotated[str, Query(max_length=3)] = "",
    older_than_days: Annotated[str, Query(max_length=5)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    days = int(older_than_days) if older_than_days.isdigit() else None
    list_view = container.list_source().as_of(today_in_brussels()) if cyber else None
    size = svc.QUEUE_PAGE_SIZE
    with container.uow() as uow:
        found = svc.queue(
            uow,
            principal,
            status=status or None,
            destination=destination or None,
            cyber_surveillance=True if cyber else None,
            older_than_days=days,
            list_view=list_view,
            limit=size,
            offset=(page - 1) * size,
        )
    filters = {
        "status": status or "",
        "destination": destination or "",
        "cyber": cyber,
        "older_than_days": older_than_days,
    }
    with container.uow() as uow:
        ages = svc.queue_ages(uow, principal)
    age_chart = bar_chart(
        "queue-ages",
        "How long the open cases have waited",
        "Cases not yet decided or withdrawn, by days since submission.",
        [Bar(band.label, Decimal(band.cases), f"{band.cases} case(s)") for band in ages],
    )
    with container.uow() as uow:
        columns = casework_flags.queue_columns(
            uow, principal, [(c.id, c.submitted_at) for c in found.cases], container.casework_rules
        )
        exporters = identity.organisation_names(uow, principal, {c.organisation_id for c in found.cases})
    pages = max(1, -(-found.total // size))
    context: dict[str, object] = {
        "principal": principal,
        "ages": ages,
        "age_chart": age_chart,
        "cases": found.cases,
        "columns": columns,
        "exporters": exporters,
        "total": found.total,
        "page": page,
        "pages": pages,
        "first": (page - 1) * size + 1,
        "last": (page - 1) * size + len(found.cases),
        "previous_url": f"/authority/cases?{urlencode(filters | {'page': page - 1})}" if page > 1 else None,
        "next_url": f"/authority/cases?{urlencode(filters | {'page': page + 1})}" if page < pages else None,
        "statuses": list(lic.ApplicationStatus),
        **filters,
    }
    return render(request, "licensing/queue.html", context)


@router.get("/verify", response_class=HTMLResponse)
def verify_start(
    request: Request,
    principal: PrincipalDep,
    number: Annotated[str, Query(max_length=40)] = "",
    code: Annotated[str, Query(max_length=40)] = "",
    check: Annotated[str, Query(max_length=3)] = "",
) -> Response:
    """The landing page of the public check: the licence number and the check code, both asked for."""
    errors = FormErrors(default="number")
    if check:
        if not re.fullmatch(r"[A-Za-z]{2}-[0-9]{4}-[0-9]{1,9}", number.strip()):
            errors.add("number", "Enter the licence number as printed on it, e.g. DE-2026-000001")
        if not code.strip():
            errors.add("code", "Enter the check code printed on the licence")
        if not errors:
            target = f"/verify/{number.strip().upper()}?{urlencode({'code': code.strip()})}"
            return RedirectResponse(target, status_code=303)
    context = {
        "principal": principal,
        "number": number,
        "code": code,
        "result": None,
        "errors": errors.as_list(),
        "landing": True,
    }
    return render(request, "licensing/verify.html", context, status_code=400 if errors else 200)


@router.get("/verify/{number}", response_class=HTMLResponse)
def verify_page(
    request: Request,
    number: str,
    container: ContainerDep,
    principal: PrincipalDep,
    code: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    with container.uow() as uow:
        result = svc.verify(uow, number, code, _secret(container)) if code else None
    return render(
        request,
        "licensing/verify.html",
        {
            "principal": principal,
            "number": number,
            "code": code,
            "result": result,
            "errors": [],
            "landing": False,
        },
    )
