"""Recording and verifying the hash-chained audit trail."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from dualuse.domain.audit import AuditEntry, ChainProblem, verify_chain
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
) -> None:
    """Add one event to the caller's transaction. It joins the chain when the transaction commits, so
    the trail is locked for the commit only, not for the whole of the caller's work."""
    uow.audit.append(
        AuditEntry(
            occurred_at=datetime.now(UTC),
            actor=actor,
            action=action,
            entity_type=entity_type,
            entity_id=str(entity_id),
            before=dict(before) if before is not None else None,
            after=dict(after) if after is not None else None,
            reason=reason,
        )
    )


def verify(uow: UnitOfWork) -> tuple[int, list[ChainProblem]]:
    """How many events there are, and every break in the chain (none when nothing was tampered with)."""
    events = uow.audit.all()
    return len(events), verify_chain(events)
