"""``GET /api/v1/audit/events``: the audit trail, read-only, scoped as ``services.audit`` sets out (an
exporter's administrator: its organisation's events; an authority's senior officer: its member state's)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from dualuse.domain.audit import AuditEvent
from dualuse.entrypoints.http.deps import UowDep, UserDep
from dualuse.services import audit

router = APIRouter(prefix="/api/v1", tags=["audit"])


class AuditEventOut(BaseModel):
    sequence: int
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    organisation_id: int | None
    member_state: str | None
    hash: str

    @classmethod
    def of(cls, event: AuditEvent) -> AuditEventOut:
        return cls(
            sequence=event.sequence,
            occurred_at=event.occurred_at,
            actor=event.actor,
            action=event.action,
            entity_type=event.entity_type,
            entity_id=event.entity_id,
            before=dict(event.before) if event.before is not None else None,
            after=dict(event.after) if event.after is not None else None,
            reason=event.reason,
            organisation_id=event.organisation_id,
            member_state=event.member_state,
            hash=event.hash,
        )


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
