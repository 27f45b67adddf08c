"""Customs on the web (issue 19, point 6; Art. 21): a customs officer looks up a licence or a
general-authorisation registration by its number and sees only what a declaration needs, writes a
declaration off against a licence, and suspends a shipment (Art. 21(3)) pending the authority's decision.
The use cases are ``services.customs`` (the same as the API's); these pages only collect and show."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dualuse.domain.customs import Ground
from dualuse.domain.errors import DualUseError, NotFoundError
from dualuse.domain.identity import Permission
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, UserDep
from dualuse.entrypoints.web.access import refused, require
from dualuse.entrypoints.web.forms import FormErrors
from dualuse.entrypoints.web.views import render
from dualuse.services.customs import feed, holds
from dualuse.services.customs.feed import customs_state

router = APIRouter(include_in_schema=False)
_REGISTRATION = re.compile(r"[A-Z]{2}-EU00[1-8]-[0-9]{6}")
GROUNDS = [(g.value, g.label) for g in Ground]
USAGE_FIELDS = ("licence", "line", "quantity", "value_eur", "declaration", "accepted_on")
HOLD_FIELDS = ("h_licence", "h_declaration", "h_ground", "h_note")


def _page(
    request: Request,
    uow: Any,
    principal: Any,
    *,
    number: str = "",
    found: dict[str, Any] | None = None,
    errors: list[Any] | None = None,
    form: dict[str, str] | None = None,
    notice: str = "",
    status: int = 200,
) -> HTMLResponse:
    context = {
        "principal": principal,
        "state": customs_state(principal),
        "number": number,
        "found": found,
        "holds": holds.holds(uow, principal),
        "grounds": GROUNDS,
        "errors": errors or [],
        "form": form or {},
        "notice": notice,
    }
    return render(request, "customs/index.html", context, status_code=status)


@router.get("/customs", response_class=HTMLResponse)
def customs_page(
    request: Request,
    container: ContainerDep,
    principal: UserDep,
    number: Annotated[str, Query(max_length=30)] = "",
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """Look up an authorisation by its number; the forms to write off and to suspend; this office's holds."""
    require(principal, Permission.CHECK_DECLARATION)
    wanted = number.strip().upper()
    errors: list[dict[str, str]] = []
    found: dict[str, Any] | None = None
    with container.uow() as uow:
        customs_state(principal)
        if wanted:
            try:
                if _REGISTRATION.fullmatch(wanted):
                    found = {"kind": "registration", **feed.lookup_registration(uow, principal, wanted)}
                else:
                    found = {"kind": "licence", **feed.lookup_licence(uow, principal, wanted)}
            except NotFoundError:
                errors.append({"field": "number", "text": f"No licence or registration {wanted} was found"})
        notice = {"usage": "The declaration is written off.", "hold": "The shipment is suspended."}.get(
            done, ""
        )
        return _page(
            request,
            uow,
            principal,
            number=wanted,
            found=found,
            errors=errors,
            notice=notice,
            status=404 if errors else 200,
        )


@router.post("/customs/usage", response_class=HTMLResponse)
def write_off(
    request: Request,
    container: ContainerDep,
    principal: PrincipalDep,
    licence: Annotated[str, Form(max_length=30)] = "",
    line: Annotated[str, Form(max_length=6)] = "",
    quantity: Annotated[str, Form(max_length=30)] = "",
    value_eur: Annotated[str, Form(max_length=30)] = "",
    declaration: Annotated[str, Form(max_length=40)] = "",
    accepted_on: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Write one declaration off against a licence line (the same use case as the usage feed)."""
    require(principal, Permission.CHECK_DECLARATION)
    form = dict(
        zip(USAGE_FIELDS, (licence, line, quantity, value_eur, declaration, accepted_on), strict=True)
    )
    errors = FormErrors(default="licence", ids={"records": "licence", "format": "licence"})
    with container.uow() as uow:
        customs_state(principal)
    for name, message in (
        ("licence", "Enter the licence number"),
        ("line", "Enter the licence line"),
        ("quantity", "Enter the quantity declared"),
        ("declaration", "Enter the declaration's MRN"),
        ("accepted_on", "Enter the date the declaration was accepted, as YYYY-MM-DD"),
    ):
        if not form[name].strip():
            errors.add(name, message)
    if line.strip() and not line.strip().isdigit():
        errors.add("line", "The line is a whole number, for example 1")
    if not errors:
        document = {
            "format": "dualuse-usage",
            "version": 1,
            "records": [
                {
                    "licence": licence.strip().upper(),
                    "line": int(line.strip()),
                    "quantity": quantity.strip(),
                    "value_eur": value_eur.strip() or "0",
                    "declaration": declaration.strip(),
                    "accepted_on": accepted_on.strip(),
                }
            ],
        }
        try:
            with container.uow() as uow:
                feed.import_usage(uow, principal, document)
            return RedirectResponse(f"/customs?number={licence.strip().upper()}&done=usage", status_code=303)
        except DualUseError as exc:
            if refused(exc):
                raise
            errors.add_exception(exc)
    with container.uow() as uow:
        return _page(request, uow, principal, errors=errors.as_list(), form=form, status=400)


@router.post("/customs/holds", response_class=HTMLResponse)
def suspend(
    request: Request,
    container: ContainerDep,
    principal: PrincipalDep,
    h_licence: Annotated[str, Form(max_length=30)] = "",
    h_declaration: Annotated[str, Form(max_length=40)] = "",
    h_ground: Annotated[str, Form(max_length=10)] = "",
    h_note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Suspend a shipment (Art. 21(3)); the granting state's authority is consulted and decides in time."""
    require(principal, Permission.CHECK_DECLARATION)
    form = dict(zip(HOLD_FIELDS, (h_licence, h_declaration, h_ground, h_note), strict=True))
    first_ground = f"h_ground-{GROUNDS[0][0]}"
    errors = FormErrors(
        default="h_declaration",
        ids={
            "declaration": "h_declaration",
            "ground": first_ground,
            "note": "h_note",
            "licence": "h_licence",
        },
    )
    with container.uow() as uow:
        customs_state(principal)
    if not h_declaration.strip():
        errors.add("h_declaration", "Enter the declaration's MRN")
    if h_ground not in {g for g, _ in GROUNDS}:
        errors.add(first_ground, "Choose the ground of Art. 21(3) the suspension rests on")
    if not h_note.strip():
        errors.add("h_note", "Say what the ground rests on")
    if not errors:
        try:
            with container.uow() as uow:
                holds.suspend(
                    uow,
                    principal,
                    container.hold_limits,
                    declaration=h_declaration,
                    ground=h_ground,
                    note=h_note,
                    licence_number=h_licence,
                )
            return RedirectResponse("/customs?done=hold", status_code=303)
        except NotFoundError as exc:
            errors.add("h_licence", exc.detail)
        except DualUseError as exc:
            if refused(exc):
                raise
            errors.add_exception(exc)
    with container.uow() as uow:
        return _page(request, uow, principal, errors=errors.as_list(), form=form, status=400)
