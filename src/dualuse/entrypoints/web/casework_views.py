"""Casework pages (issue 19): the officer gathers a case's evidence, raises and clears flags, and assigns
the case; the case page and the queue show them (``licensing_views``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dualuse.domain.errors import ValidationError
from dualuse.domain.identity import Permission
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, RowId
from dualuse.entrypoints.web.access import require
from dualuse.entrypoints.web.views import render
from dualuse.services import licensing as licensing_service
from dualuse.services.casework import evidence, flags, statements

router = APIRouter(include_in_schema=False)


def _back(case_id: int) -> Response:
    return RedirectResponse(f"/applications/{case_id}#casework", status_code=303)


@router.post("/applications/{case_id}/evidence")
def gather(case_id: RowId, container: ContainerDep, principal: PrincipalDep) -> Response:
    """Gather the evidence of a case submitted before casework existed (or whose gathering failed)."""
    with container.uow() as uow:
        licensing_service.check_assessor(uow, principal, case_id)
        evidence.open_case_file(
            uow,
            container.screening_index,
            container.list_view_today(),
            container.casework_rules,
            case_id,
            actor=principal.label,
        )
    return _back(case_id)


@router.post("/applications/{case_id}/flags")
def raise_flag(
    case_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    version: Annotated[int, Form(ge=0, le=2**31 - 1)] = 0,
    level: Annotated[str, Form(max_length=20)] = "case",
    subject: Annotated[str, Form(max_length=300)] = "",
    label: Annotated[str, Form(max_length=200)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    blocking: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    with container.uow() as uow:
        flags.raise_flag(
            uow,
            principal,
            case_id,
            level=level,
            subject=subject or str(case_id),
            label=label,
            blocking=blocking == "yes",
            reason=reason,
            expected_version=version,
        )
    return _back(case_id)


@router.post("/applications/{case_id}/flags/{flag_id}/clear")
def clear_flag(
    case_id: RowId,
    flag_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    version: Annotated[int, Form(ge=0, le=2**31 - 1)] = 0,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    with container.uow() as uow:
        flags.clear_flag(uow, principal, case_id, flag_id, reason=reason, expected_version=version)
    return _back(case_id)


@router.post("/applications/{case_id}/assignment")
def assign(
    case_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    version: Annotated[int, Form(ge=0, le=2**31 - 1)] = 0,
    assignee: Annotated[str, Form(max_length=254)] = "",
    team: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    with container.uow() as uow:
        flags.assign(
            uow,
            principal,
            case_id,
            assignee=assignee,
            team=team or None,
            rules=container.casework_rules,
            expected_version=version,
        )
    return _back(case_id)


# --- digital end-user statements -----------------------------------------------------------------------
def _statement_secret(container: Any) -> bytes:
    return statements.check_code_secret(container.settings.secret_key)


@router.post("/applications/{case_id}/statements", response_class=HTMLResponse)
def request_statement(
    request: Request, case_id: RowId, container: ContainerDep, principal: PrincipalDep
) -> Response:
    """The exporter asks its end-user for a digital statement; the signing link is shown once."""
    require(principal, Permission.ACT_FOR_EXPORTER)
    with container.uow() as uow:
        requested = statements.request_statement(uow, principal, case_id)
    link = f"{str(request.base_url).rstrip('/')}/statements/sign/{requested.token}"
    return render(
        request,
        "casework/statement_requested.html",
        {"principal": principal, "statement": requested.statement, "link": link},
    )


def _sign_page(
    request: Request,
    principal: Any,
    statement: Any,
    token: str,
    form: dict[str, str],
    errors: list[Any],
    status: int = 200,
) -> HTMLResponse:
    context = {"principal": principal, "statement": statement, "token": token, "form": form, "errors": errors}
    return render(request, "casework/statement_sign.html", context, status_code=status)


@router.get("/statements/sign/{token}", response_class=HTMLResponse)
def sign_page(
    request: Request,
    token: Annotated[str, Path(max_length=64)],
    container: ContainerDep,
    principal: PrincipalDep,
) -> HTMLResponse:
    with container.uow() as uow:
        statement = statements.for_signing(uow, token)
    return _sign_page(request, principal, statement, token, {"signer": "", "title": ""}, [])


@router.post("/statements/sign/{token}", response_class=HTMLResponse)
def sign(
    request: Request,
    token: Annotated[str, Path(max_length=64)],
    container: ContainerDep,
    principal: PrincipalDep,
    signer: Annotated[str, Form(max_length=300)] = "",
    title: Annotated[str, Form(max_length=300)] = "",
    declared: Annotated[str, Form(max_length=3)] = "",
) -> HTMLResponse:
    form = {"signer": signer, "title": title}
    try:
        with container.uow() as uow:
            signed, code = statements.sign(
                uow,
                token,
                signer=signer,
                title=title,
                declared=declared == "yes",
                secret=_statement_secret(container),
            )
    except ValidationError as exc:
        with container.uow() as uow:
            statement = statements.for_signing(uow, token)
        errors = [{"field": exc.field or "signer", "text": exc.detail}]
        return _sign_page(request, principal, statement, token, form, errors, status=400)
    return render(
        request, "casework/statement_signed.html", {"principal": principal, "statement": signed, "code": code}
    )


@router.get("/statements/verify/{number}", response_class=HTMLResponse)
def verify_statement(
    request: Request,
    number: Annotated[str, Path(max_length=30)],
    container: ContainerDep,
    principal: PrincipalDep,
    code: Annotated[str, Query(max_length=60)] = "",
) -> HTMLResponse:
    with container.uow() as uow:
        result = statements.verify(uow, number, code, _statement_secret(container)) if code else None
    return render(
        request,
        "casework/statement_verify.html",
        {"principal": principal, "number": number.strip().upper(), "code": code, "result": result},
    )
