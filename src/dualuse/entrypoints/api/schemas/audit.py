"""The audit trail as the API shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from dualuse.domain.audit import AuditEvent


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
