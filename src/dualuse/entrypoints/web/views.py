"""Pages of the shared layout: home, sign-in, sign-out and the account page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dualuse.domain.errors import AuthenticationError
from dualuse.entrypoints.api.deps import ContainerDep, PrincipalDep
from dualuse.services import identity

router = APIRouter(include_in_schema=False)


def render(
    request: Request, template: str, context: dict[str, object], status_code: int = 200
) -> HTMLResponse:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context, status_code=status_code)  # type: ignore[no-any-return]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, principal: PrincipalDep) -> HTMLResponse:
    return render(request, "home.html", {"principal": principal})


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, principal: PrincipalDep) -> HTMLResponse:
    return render(request, "login.html", {"principal": principal, "errors": [], "email": ""})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    container: ContainerDep,
    principal: PrincipalDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    errors: list[dict[str, str]] = []
    if not email.strip():
        errors.append({"field": "email", "text": "Enter your email address"})
    if not password:
        errors.append({"field": "password", "text": "Enter your password"})
    if not errors:
        try:
            with container.uow() as uow:
                signed_in = identity.authenticate(uow, container.hasher, email, password)
        except AuthenticationError as exc:
            errors.append({"field": "email", "text": exc.detail})
        else:
            request.session.clear()
            request.session["user_id"] = signed_in.user_id
            return RedirectResponse("/account", status_code=303)
    context = {"principal": principal, "errors": errors, "email": email}
    return render(request, "login.html", context, status_code=400)


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, container: ContainerDep, principal: PrincipalDep) -> Response:
    if not principal.is_authenticated or principal.organisation_id is None:
        return RedirectResponse("/login", status_code=303)
    with container.uow() as uow:
        organisation = identity.get_organisation(uow, principal, principal.organisation_id)
        members = (
            uow.users.in_organisation(organisation.id) if "manage_users" in principal.permissions else []
        )
    return render(
        request, "account.html", {"principal": principal, "organisation": organisation, "members": members}
    )
