"""Pages of the shared layout: home, sign-in, sign-out and the account page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dualuse.adapters.db.uow import SqlUnitOfWork
from dualuse.domain.errors import AuthenticationError, DualUseError, TooManyAttemptsError
from dualuse.domain.identity import ROLES_BY_KIND, Permission, Principal
from dualuse.entrypoints.http.deps import (
    SESSION_KEY,
    ContainerDep,
    PrincipalDep,
    RowId,
    client_address,
)
from dualuse.entrypoints.http.wording import plain, safe_next
from dualuse.services import home as home_svc
from dualuse.services import identity, oversight
from dualuse.services.identity import sessions

router = APIRouter(include_in_schema=False)


def render(
    request: Request, template: str, context: dict[str, object], status_code: int = 200
) -> HTMLResponse:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context, status_code=status_code)  # type: ignore[no-any-return]


ROLE_NAMES = {
    "exporter_admin": "exporter",
    "exporter_user": "exporter",
    "authority_officer": "licensing officer",
    "authority_senior": "senior licensing officer",
    "commission": "European Commission",
}


@router.get("/", response_class=HTMLResponse)
def home(request: Request, container: ContainerDep, principal: PrincipalDep) -> HTMLResponse:
    """Each kind of user's home: what they have to do, with counts from the data; the public's landing page."""
    with container.uow() as uow:
        todo = home_svc.todo_for(uow, principal, container.clock.today())
        commission = home_svc.commission_home(uow, principal) if oversight.is_commission(principal) else None
        organisation = (
            identity.organisation_names(uow, principal, [principal.organisation_id])[
                principal.organisation_id
            ]
            if principal.organisation_id is not None
            else ""
        )
    role = ROLE_NAMES.get(principal.role.value, "") if principal.role else ""
    context = {
        "principal": principal,
        "todo": todo,
        "role_name": role,
        "organisation_name": organisation,
        "commission": commission,
    }
    return render(request, "home.html", context)


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request, principal: PrincipalDep, next: Annotated[str, Query(max_length=2000)] = ""
) -> HTMLResponse:
    context = {"principal": principal, "errors": [], "email": "", "next": safe_next(next) or ""}
    return render(request, "login.html", context)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    container: ContainerDep,
    principal: PrincipalDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    errors: list[dict[str, str]] = []
    status_code = 400
    headers: dict[str, str] = {}
    if not email.strip():
        errors.append({"field": "email", "text": "Enter your email address"})
    if not password:
        errors.append({"field": "password", "text": "Enter your password"})
    if not errors:
        try:
            signed_in = sessions.sign_in(
                container.uow(),
                container.hasher,
                container.access_policy,
                email=email,
                password=password,
                client=client_address(request),
            )
        except TooManyAttemptsError as exc:
            errors.append({"field": "email", "text": plain(exc.detail)})
            status_code, headers = 429, {"Retry-After": str(exc.retry_after)}
        except AuthenticationError as exc:
            errors.append({"field": "email", "text": plain(exc.detail)})
        else:
            previous = request.session.get(SESSION_KEY)
            if isinstance(previous, str):  # signing in again ends the session this browser had
                sessions.sign_out(container.uow(), previous)
            request.session.clear()
            request.session[SESSION_KEY] = signed_in.session_secret
            return RedirectResponse(safe_next(next) or "/", status_code=303)
    context = {"principal": principal, "errors": errors, "email": email[:254], "next": safe_next(next) or ""}
    response = render(request, "login.html", context, status_code=status_code)
    response.headers.update(headers)
    return response


@router.post("/logout")
def logout(request: Request, container: ContainerDep) -> Response:
    secret = request.session.get(SESSION_KEY)
    if isinstance(secret, str):
        sessions.sign_out(container.uow(), secret)
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, container: ContainerDep, principal: PrincipalDep) -> Response:
    if not principal.is_authenticated or principal.organisation_id is None:
        return RedirectResponse("/login?next=/account", status_code=303)
    return _account_page(request, container, principal)


def _account_page(
    request: Request,
    container: ContainerDep,
    principal: Principal,
    *,
    errors: Sequence[dict[str, str]] = (),
    notice: str | None = None,
    new_token: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert principal.organisation_id is not None  # noqa: S101 - signed-in users belong to an organisation
    secret = request.session.get(SESSION_KEY)
    now = datetime.now(UTC)
    with container.uow() as uow:
        organisation = identity.get_organisation(uow, principal, principal.organisation_id)
        manages = Permission.MANAGE_USERS in principal.permissions
        members = identity.list_members(uow, principal, organisation.id) if manages else []
        own_sessions = sessions.sessions_of(uow, principal)
        current = sessions.current_session_id(uow, secret) if isinstance(secret, str) else None
        tokens = identity.tokens_of(uow, principal)
    return render(
        request,
        "account.html",
        {
            "principal": principal,
            "organisation": organisation,
            "members": members,
            "roles": sorted(ROLES_BY_KIND[organisation.kind]),
            "sessions": own_sessions,
            "current_session": current,
            "tokens": tokens,
            "now": now,
            "errors": list(errors),
            "notice": notice,
            "new_token": new_token,
        },
        status_code=status_code,
    )


def _account_action(
    request: Request, container: ContainerDep, principal: Principal, action: Callable[[SqlUnitOfWork], str]
) -> Response:
    """Run one change from the account page in a unit of work; show the page with what happened."""
    if not principal.is_authenticated or principal.organisation_id is None:
        return RedirectResponse("/login", status_code=303)
    try:
        with container.uow() as uow:
            notice = action(uow)
            uow.commit()
    except DualUseError as exc:
        errors = [{"field": exc.field or "members", "text": plain(exc.detail)}]
        return _account_page(request, container, principal, errors=errors, status_code=exc.status)
    return _account_page(request, container, principal, notice=notice)


@router.post("/account/users/{user_id}/role", response_class=HTMLResponse)
def change_role(
    request: Request,
    container: ContainerDep,
    principal: PrincipalDep,
    user_id: RowId,
    role: Annotated[str, Form()] = "",
) -> Response:
    def act(uow: SqlUnitOfWork) -> str:
        user = identity.set_role(uow, principal, user_id, role)
        return f"{user.email} is now {user.role.value.replace('_', ' ')}"

    return _account_action(request, container, principal, act)


@router.post("/account/users/{user_id}/deactivate", response_class=HTMLResponse)
def deactivate(
    request: Request, container: ContainerDep, principal: PrincipalDep, user_id: RowId
) -> Response:
    def act(uow: SqlUnitOfWork) -> str:
        return f"{identity.set_active(uow, principal, user_id, active=False).email} is deactivated"

    return _account_action(request, container, principal, act)


@router.post("/account/users/{user_id}/activate", response_class=HTMLResponse)
def activate(request: Request, container: ContainerDep, principal: PrincipalDep, user_id: RowId) -> Response:
    def act(uow: SqlUnitOfWork) -> str:
        return f"{identity.set_active(uow, principal, user_id, active=True).email} is active again"

    return _account_action(request, container, principal, act)


@router.post("/account/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token(
    request: Request, container: ContainerDep, principal: PrincipalDep, token_id: RowId
) -> Response:
    def act(uow: SqlUnitOfWork) -> str:
        return f"The API token {identity.revoke_token(uow, principal, token_id).prefix}… is revoked"

    return _account_action(request, container, principal, act)


@router.post("/account/sessions/sign-out-others", response_class=HTMLResponse)
def sign_out_others(request: Request, container: ContainerDep, principal: PrincipalDep) -> Response:
    secret = request.session.get(SESSION_KEY)

    def act(uow: SqlUnitOfWork) -> str:
        ended = sessions.sign_out_elsewhere(uow, principal, secret if isinstance(secret, str) else "")
        return f"Signed out of {ended} other session{'s' if ended != 1 else ''}"

    return _account_action(request, container, principal, act)
