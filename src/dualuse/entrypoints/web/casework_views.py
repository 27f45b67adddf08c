"""Casework pages (issue 19): the officer gathers a case's evidence, raises and clears flags, and assigns
the case; the case page and the queue show them (``licensing_views``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response

from dualuse.entrypoints.api.deps import ContainerDep, PrincipalDep, RowId
from dualuse.services import licensing as licensing_service
from dualuse.services.casework import evidence, flags

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
