"""``GET /api/v1/audit/events``: the audit trail, read-only, scoped as ``services.audit`` sets out (an
exporter's administrator: its organisation's events; an authority's senior officer: its member state's)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from dualuse.entrypoints.api.schemas.audit import AuditEventOut
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.http.deps import UowDep, UserDep
from dualuse.services import audit

router = APIRouter(prefix="/api/v1", tags=["audit"], responses=API_ERRORS)


@router.get("/audit/events", summary="Audit events you may read, newest first")
def events(
    principal: UserDep,
    uow: UowDep,
    since: datetime | None = None,
    actor: Annotated[str | None, Query(max_length=254)] = None,
    action: Annotated[str | None, Query(max_length=100)] = None,
    before: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="events older than this one")] = None,
    limit: Annotated[int, Query(ge=1, le=audit.MAX_LIMIT)] = 50,
) -> list[AuditEventOut]:
    wanted = audit.query(limit=limit, since=since, actor=actor, action=action, before_sequence=before)
    return [AuditEventOut.of(e) for e in audit.read_trail(uow, principal, wanted)]
