"""Recording and verifying the hash-chained audit trail."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from dualuse.domain.audit import GENESIS_HASH, AuditEvent, ChainProblem, event_hash, verify_chain
from dualuse.services.unit_of_work import UnitOfWork


def record(
    uow: UnitOfWork,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str | int,
    before: Mapping[str, object] | None = None,
    after: Mapping[str, object] | None = None,
    reason: str | None = None,
) -> AuditEvent:
    """Append one event, chained to the last; it is written in the caller's transaction."""
    last = uow.audit.last()
    previous_hash = last.hash if last else GENESIS_HASH
    content: dict[str, Any] = {
        "sequence": (last.sequence + 1) if last else 1,
        "occurred_at": datetime.now(UTC),
        "actor": actor,
        "action": action,
        "entity_type": entity_type,
        "entity_id": str(entity_id),
        "before": dict(before) if before is not None else None,
        "after": dict(after) if after is not None else None,
        "reason": reason,
    }
    event = AuditEvent(
        previous_hash=previous_hash, hash=event_hash(previous_hash=previous_hash, **content), **content
    )
    uow.audit.append(event)
    return event


def verify(uow: UnitOfWork) -> tuple[int, list[ChainProblem]]:
    """How many events there are, and every break in the chain (none when nothing was tampered with)."""
    events = uow.audit.all()
    return len(events), verify_chain(events)
