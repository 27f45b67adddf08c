"""Denial pages (Arts. 14, 16): the register of denials notified by every member state with the notices
received (``/authority/denials``), a denial's page and its review by the issuing state, the consultations
received and sent with the answer form (``/authority/consultations``), the actions on a case (consult the
denying state, check the denials in force again), and the Commission's read-only list
(``/commission/denials``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dualuse.bootstrap import Container
from dualuse.domain import denials as dn
from dualuse.domain.errors import DualUseError, PermissionDeniedError
from dualuse.domain.identity import OrganisationKind, Principal
from dualuse.domain.union import EU_MEMBER_STATES
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, RowId, UserDep
from dualuse.entrypoints.web.access import refused
from dualuse.entrypoints.web.forms import FormErrors
from dualuse.entrypoints.web.views import render
from dualuse.services.clock import today_in_brussels
from dualuse.services.denials import checks, consultations, register

router = APIRouter(include_in_schema=False)
REGISTER = "/authority/denials"
CONSULTATIONS = "/authority/consultations"
StateQuery = Annotated[str, Query(max_length=2)]


def _register_context(
    container: Container, principal: Principal, *, state: str, destination: str, show: str
) -> dict[str, Any]:
    with container.uow() as uow:
        denials = register.register(
            uow,
            principal,
            in_force_only=show != "all",
            issuing_state=state or None,
            destination=destination or None,
        )
        notices = register.inbox(uow, principal)
        due = (
            register.due_for_review(uow, principal)
            if principal.organisation_kind is OrganisationKind.AUTHORITY
            else []
        )
    return {
        "principal": principal,
        "denials": denials,
        "notices": notices[:20],
        "due": due,
        "states": sorted(EU_MEMBER_STATES),
        "filters": {"state": state.upper(), "destination": destination.upper(), "show": show},
    }


@router.get(REGISTER, response_class=HTMLResponse)
def register_page(
    request: Request,
    container: ContainerDep,
    principal: UserDep,
    state: StateQuery = "",
    destination: StateQuery = "",
    show: Annotated[str, Query(max_length=10)] = "in_force",
) -> Response:
    if principal.organisation_kind is not OrganisationKind.AUTHORITY:
        raise PermissionDeniedError("only a competent authority works the denial register")
    context = _register_context(container, principal, state=state, destination=destination, show=show)
    return render(request, "denials/register.html", context | {"readonly": False})


@router.get("/commission/denials", response_class=HTMLResponse)
def commission_page(
    request: Request,
    container: ContainerDep,
    principal: UserDep,
    state: StateQuery = "",
    destination: StateQuery = "",
    show: Annotated[str, Query(max_length=10)] = "in_force",
) -> Response:
    """The Commission reads the denials notified to it (Art. 16(1)); it sees no application."""
    if principal.organisation_kind is not OrganisationKind.COMMISSION:
        raise PermissionDeniedError("this list is the Commission's")
    context = _register_context(container, principal, state=state, destination=destination, show=show)
    return render(request, "denials/register.html", context | {"readonly": True})


def _denial_context(container: Container, principal: Principal, denial_id: int) -> dict[str, Any]:
    with container.uow() as uow:
        page = register.denial_page(uow, principal, denial_id)
    return {"principal": principal, "page": page, "denial": page.denial, "errors": []}


@router.get(REGISTER + "/{denial_id}", response_class=HTMLResponse)
def denial_page(request: Request, denial_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    return render(request, "denials/denial.html", _denial_context(container, principal, denial_id))


@router.post(REGISTER + "/{denial_id}/review", response_class=HTMLResponse)
def review(
    request: Request,
    denial_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    action: Annotated[str, Form(max_length=10)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
    version: Annotated[int, Form(ge=0, le=2**31 - 1)] = 0,
) -> Response:
    try:
        with container.uow() as uow:
            register.review(uow, principal, denial_id, action, note=note, expected_version=version or None)
    except DualUseError as exc:
        if refused(exc):
            raise
        errors = FormErrors(default="review-note", ids={"note": "review-note", "action": "review-note"})
        errors.add_exception(exc)
        context = _denial_context(container, principal, denial_id)
        context |= {"errors": errors.as_list(), "note": note}
        return render(request, "denials/denial.html", context, status_code=400)
    return RedirectResponse(f"{REGISTER}/{denial_id}", status_code=303)


# --- consultations -------------------------------------------------------------------------------------
def _consultations_context(container: Container, principal: Principal) -> dict[str, Any]:
    with container.uow() as uow:
        found = consultations.consultations(uow, principal)
    return {
        "principal": principal,
        "received": found.received,
        "sent": found.sent,
        "today": today_in_brussels(),
        "errors": [],
        "entered": {},
    }


@router.get(CONSULTATIONS, response_class=HTMLResponse)
def consultations_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    return render(request, "denials/consultations.html", _consultations_context(container, principal))


@router.post(CONSULTATIONS + "/{consultation_id}/answer", response_class=HTMLResponse)
def answer(
    request: Request,
    consultation_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    answer: Annotated[str, Form(max_length=10)] = "",
    reasons: Annotated[str, Form(max_length=4000)] = "",
    version: Annotated[int, Form(ge=0, le=2**31 - 1)] = 0,
) -> Response:
    field = f"reasons-{consultation_id}"
    errors = FormErrors(default=field, ids={"reasons": field, "answer": field})
    if answer not in (dn.Answer.AGREES.value, dn.Answer.OBJECTS.value):
        with container.uow() as uow:  # a refusal first: only the consulted state sees the form again
            consultations.check_answerer(uow, principal, consultation_id)
        errors.add(field, "Choose whether your state agrees or objects")
    else:
        try:
            with container.uow() as uow:
                consultations.answer(
                    uow, principal, consultation_id, answer, reasons=reasons, expected_version=version or None
                )
        except DualUseError as exc:
            if refused(exc):
                raise
            errors.add_exception(exc)
    if errors:
        context = _consultations_context(container, principal)
        context |= {
            "errors": errors.as_list(),
            "entered": {consultation_id: {"answer": answer, "reasons": reasons}},
        }
        return render(request, "denials/consultations.html", context, status_code=400)
    return RedirectResponse(CONSULTATIONS, status_code=303)


@router.post(CONSULTATIONS + "/{consultation_id}/lapse")
def lapse(consultation_id: RowId, container: ContainerDep, principal: PrincipalDep) -> Response:
    with container.uow() as uow:
        found = consultations.record_lapse(uow, principal, consultation_id)
    target = f"/applications/{found.case_id}" if found.case_id else CONSULTATIONS
    return RedirectResponse(target, status_code=303)


# --- on a case -------------------------------------------------------------------------------------------
@router.post("/applications/{case_id}/denials/{denial_id}/consult")
def consult(
    case_id: RowId,
    denial_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    question: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """The case's officer consults the state whose denial matches the case (Art. 16(5))."""
    with container.uow() as uow:
        consultations.consult_on_denial(uow, principal, case_id, denial_id, question=question)
    return RedirectResponse(f"/applications/{case_id}#denials", status_code=303)


@router.post("/applications/{case_id}/consultations", response_class=HTMLResponse)
def consult_on_items(
    case_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    consulted_state: Annotated[str, Form(max_length=2)] = "",
    subject: Annotated[str, Form(max_length=3000)] = "",
) -> Response:
    """The case's officer consults the state where the items are located (Art. 14(1): 10 working days,
    objections bind)."""
    with container.uow() as uow:
        consultations.consult_on_items(uow, principal, case_id, consulted_state, subject=subject)
    return RedirectResponse(f"/applications/{case_id}#denials", status_code=303)


@router.post("/applications/{case_id}/denials/check")
def check(case_id: RowId, container: ContainerDep, principal: PrincipalDep) -> Response:
    """Check the denials in force again: new matches are flagged on the case file."""
    with container.uow() as uow:
        checks.flag_matches(uow, principal, case_id)
    return RedirectResponse(f"/applications/{case_id}#denials", status_code=303)
