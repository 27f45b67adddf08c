"""Liveness and readiness: is the database reachable, which reference data is loaded."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

import dualuse
from dualuse.entrypoints.api.schemas.health import HealthOut
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.http.deps import ContainerDep
from dualuse.services import reference

router = APIRouter(tags=["health"], responses=API_ERRORS)


@router.get(
    "/healthz",
    response_model=HealthOut,
    responses={503: {"model": HealthOut, "description": "the database does not answer"}},
    summary="Health of the service and versions of its reference data",
)
def healthz(container: ContainerDep) -> JSONResponse:
    body: dict[str, Any] = {"status": "ok", "version": dualuse.__version__}
    try:
        with container.uow() as uow:
            revision = container.schema_revision(uow)
            body["reference_data"], body["sanctions_lists"] = reference.versions(uow)
        body["database"] = {"status": "ok", "schema_revision": revision}
    except Exception as exc:
        body["status"] = "error"
        body["database"] = {"status": "unreachable", "error": type(exc).__name__}
        return JSONResponse(body, status_code=503)
    return JSONResponse(body)
