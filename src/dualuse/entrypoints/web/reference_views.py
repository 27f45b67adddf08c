"""The public verification report: how much of the reference data is verified, per area, and what is not."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from dualuse.adapters.sources.annex_i import load_cryptography_note
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep
from dualuse.entrypoints.web.views import render
from dualuse.services.verification import status

router = APIRouter(include_in_schema=False)


@router.get("/reference/status", response_class=HTMLResponse)
def status_page(request: Request, container: ContainerDep, principal: PrincipalDep) -> HTMLResponse:
    with container.uow() as uow:
        report = status.current(uow, container.catalogue, container.rulebook, load_cryptography_note())
    return render(
        request,
        "reference/status.html",
        {"principal": principal, "report": report, "target_met": status.meets_target(report)},
    )
