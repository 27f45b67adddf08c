"""An append-only audit trail whose events are hash-chained.

Each event's hash covers its content and the previous event's hash, so editing or deleting any event
breaks the chain from that point on (``verify_chain`` finds the first broken link).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditEvent:
    """Who did what to which entity, when, why, and what it looked like before and after."""

    sequence: int
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    before: Mapping[str, object] | None
    after: Mapping[str, object] | None
    reason: str | None
    previous_hash: str
    hash: str


@dataclass(frozen=True)
class AuditEntry:
    """An event before it joins the chain: its place (sequence) and hashes are given when it is written."""

    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    before: Mapping[str, object] | None
    after: Mapping[str, object] | None
    reason: str | None


def chain(last: AuditEvent | None, entries: Iterable[AuditEntry]) -> list[AuditEvent]:
    """``entries`` as the events that follow ``last`` (or start the trail), each linked to the one before."""
    events: list[AuditEvent] = []
    previous_hash, sequence = (last.hash, last.sequence) if last else (GENESIS_HASH, 0)
    for entry in entries:
        sequence += 1
        unsealed = AuditEvent(
            sequence=sequence,
            occurred_at=entry.occurred_at,
            actor=entry.actor,
            action=entry.action,
            entity_type=entry.entity_type,
            entity_id=entry.entity_id,
            before=entry.before,
            after=entry.after,
            reason=entry.reason,
            previous_hash=previous_hash,
            hash="",
        )
        previous_hash = hash_of(unsealed)
        events.append(replace(unsealed, hash=previous_hash))
    return events


def event_hash(
    *,
    previous_hash: str,
    sequence: int,
    occurred_at: datetime,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    before: Mapping[str, object] | None,
    after: Mapping[str, object] | None,
    reason: str | None,
) -> str:
    """SHA-256 over a canonical JSON rendering of the event and the previous hash."""
    if occurred_at.tzinfo is None:  # SQLite hands back naive datetimes; we only ever store UTC
        occurred_at = occurred_at.replace(tzinfo=UTC)
    occurred_at = occurred_at.astimezone(UTC)
    payload = json.dumps(
        {
            "previous_hash": previous_hash,
            "sequence": sequence,
            "occurred_at": occurred_at.isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "before": before,
            "after": after,
            "reason": reason,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def hash_of(event: AuditEvent) -> str:
    """The hash ``event`` should carry: over its content and its ``previous_hash``."""
    return event_hash(
        previous_hash=event.previous_hash,
        sequence=event.sequence,
        occurred_at=event.occurred_at,
        actor=event.actor,
        action=event.action,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        before=event.before,
        after=event.after,
        reason=event.reason,
    )


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    problem: str


def verify_chain(events: Iterable[AuditEvent]) -> list[ChainProblem]:
    """Every problem in the chain, in order; an empty list means the trail is intact."""
    problems: list[ChainProblem] = []
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    for event in events:
        if event.sequence != expected_sequence:
            problems.append(
                ChainProblem(
                    event.sequence, f"expected event {expected_sequence}: an event was deleted or reordered"
                )
            )
        if event.previous_hash != previous_hash:
            problems.append(ChainProblem(event.sequence, "link to the previous event is broken"))
        recomputed = hash_of(event)
        if recomputed != event.hash:
            problems.append(
                ChainProblem(event.sequence, "content does not match its hash: the event was edited")
            )
        previous_hash = event.hash
        expected_sequence = event.sequence + 1
    return problems
