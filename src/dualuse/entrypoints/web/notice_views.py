"""Authority notice pages: the authority issues notices that an authorisation is required (Art. 4(1), 5(1),
6(1), 7, 8(1)) and withdraws them (``/authority/notices``); the party sees the notices it received
(``/notices``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dualuse.bootstrap import Container
from dualuse.domain.countries import country_choices, resolve_country
from dualuse.domain.errors import DualUseError, ValidationError
from dualuse.domain.identity import Principal
from dualuse.domain.notices.model import NoticeArticle, NoticeScope
from dualuse.entrypoints.http.deps import ContainerDep, RowId, UserDep
from dualuse.entrypoints.web.access import refused
from dualuse.entrypoints.web.forms import FormErrors
from dualuse.entrypoints.web.views import render
from dualuse.services import notices as svc

router = APIRouter(include_in_schema=False)
PAGE = "/authority/notices"
FIELDS = ("organisation_id", "article", "scope", "destination", "end_user", "item", "control_code", "reason")
ARTICLES = [
    (NoticeArticle.ART_4_1, "Art. 4(1): export of non-listed items for a WMD or military use"),
    (NoticeArticle.ART_5_1, "Art. 5(1): export of non-listed cyber-surveillance items (human rights)"),
    (NoticeArticle.ART_6_1, "Art. 6(1): brokering services"),
    (NoticeArticle.ART_7, "Art. 7: transit"),
    (NoticeArticle.ART_8_1, "Art. 8(1): technical assistance"),
]
SCOPES = [
    (NoticeScope.TRANSACTION, "One transaction (destination, end-user and item)"),
    (NoticeScope.END_USER, "Every transaction for an end-user"),
    (NoticeScope.DESTINATION, "Every transaction to a destination"),
]


def _context(
    container: Container,
    principal: Principal,
    form: dict[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    with container.uow() as uow:
        issued = svc.issued(uow, principal)
        parties = svc.parties(uow, principal)
    return {
        "principal": principal,
        "notices": issued,
        "parties": parties,
        "articles": ARTICLES,
        "scopes": SCOPES,
        "countries": country_choices(),
        "form": form or dict.fromkeys(FIELDS, ""),
        "errors": errors or [],
    }


@router.get(PAGE, response_class=HTMLResponse)
def authority_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    return render(request, "notices/authority.html", _context(container, principal))


@router.post(PAGE, response_class=HTMLResponse)
async def issue(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    async with request.form() as raw:
        form = {f: str(raw.get(f) or "")[:4000] for f in FIELDS}
    errors = FormErrors(default="organisation_id", ids={f: f for f in FIELDS})
    if not form["organisation_id"].isdigit() or len(form["organisation_id"]) > 9:
        errors.add("organisation_id", "Choose the party the notice is for")
    if not form["reason"].strip():
        errors.add("reason", "Enter why an authorisation is required")
    destination = ""
    try:
        destination = resolve_country(form["destination"], "destination")
    except ValidationError as exc:
        errors.add(
            "destination", "Enter the destination country" if not form["destination"].strip() else exc.detail
        )
    if not errors:
        try:
            with container.uow() as uow:
                svc.issue(
                    uow,
                    principal,
                    organisation_id=int(form["organisation_id"]),
                    article=form["article"],
                    scope=form["scope"],
                    destination=destination,
                    end_user=form["end_user"],
                    item=form["item"],
                    control_code=form["control_code"] or None,
                    reason=form["reason"],
                )
        except DualUseError as exc:
            if refused(exc):
                raise
            errors.add_exception(exc)
    if errors:
        context = _context(container, principal, form, errors.as_list())
        return render(request, "notices/authority.html", context, status_code=400)
    return RedirectResponse(PAGE, status_code=303)


@router.post(PAGE + "/{notice_id}/withdraw", response_class=HTMLResponse)
async def withdraw(
    request: Request, notice_id: RowId, container: ContainerDep, principal: UserDep
) -> Response:
    async with request.form() as raw:
        reason = str(raw.get("reason") or "")[:4000]
    try:
        with container.uow() as uow:
            svc.withdraw(uow, principal, notice_id, reason)
    except ValidationError as exc:  # a refusal is not a form error: it goes to the error pages
        errors = FormErrors(default=f"reason-{notice_id}")
        errors.add(f"reason-{notice_id}", exc.detail)
        context = _context(container, principal, None, errors.as_list())
        return render(request, "notices/authority.html", context, status_code=400)
    return RedirectResponse(PAGE, status_code=303)


@router.get("/notices", response_class=HTMLResponse)
def received_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        received = svc.received(uow, principal)
    return render(request, "notices/received.html", {"principal": principal, "notices": received})
