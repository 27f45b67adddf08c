"""An append-only audit trail whose events are hash-chained, its head anchored with a keyed MAC.

Each event's hash covers its content and the previous event's hash, so editing or deleting any event
breaks the chain from that point on (``verify_chain`` finds the first broken link). The chain alone cannot
show that events were cut from its end, or that an event was edited and every later hash recomputed: an
*anchor* does. It records the head (sequence, hash, count, time) with an HMAC under a key the database does
not hold, so whoever can write to the database cannot make a new one (``check_anchors``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
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
    # Whose trail it is part of: the organisation of the acting user and the member state whose authority
    # supervises it (None for operators and the public). Reading the trail is scoped by them.
    organisation_id: int | None = None
    member_state: str | None = None


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
    organisation_id: int | None = None
    member_state: str | None = None


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
            organisation_id=entry.organisation_id,
            member_state=entry.member_state,
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
    organisation_id: int | None = None,
    member_state: str | None = None,
) -> str:
    """SHA-256 over a canonical JSON rendering of the event and the previous hash. The scope (organisation,
    member state) is covered when set; events written before it existed hash as they always did."""
    content: dict[str, object] = {
        "previous_hash": previous_hash,
        "sequence": sequence,
        "occurred_at": _utc_text(occurred_at),
        "actor": actor,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "before": before,
        "after": after,
        "reason": reason,
    }
    if organisation_id is not None:
        content["organisation_id"] = organisation_id
    if member_state is not None:
        content["member_state"] = member_state
    payload = json.dumps(
        content,
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
        organisation_id=event.organisation_id,
        member_state=event.member_state,
    )


def _utc_text(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; we only ever store UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


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


# --- anchors of the head ---------------------------------------------------------------------------------
ANCHOR_FORMAT = "dualuse-audit-anchor/1"


@dataclass(frozen=True)
class Anchor:
    """The head of the trail at a moment, vouched for by an HMAC-SHA256 under the anchor key.

    ``count`` is the number of events up to and including the head (the head's sequence, as sequences
    run from 1 without gaps)."""

    head_sequence: int
    head_hash: str
    count: int
    anchored_at: datetime
    mac: str

    def as_document(self) -> dict[str, object]:
        """The anchor as a JSON document, to keep away from the database (``audit export-anchor``)."""
        return {
            "format": ANCHOR_FORMAT,
            "head_sequence": self.head_sequence,
            "head_hash": self.head_hash,
            "count": self.count,
            "anchored_at": _utc_text(self.anchored_at),
            "mac": self.mac,
        }


def _anchor_mac(key: bytes, head_sequence: int, head_hash: str, count: int, anchored_at: datetime) -> str:
    message = json.dumps(
        {
            "format": ANCHOR_FORMAT,
            "head_sequence": head_sequence,
            "head_hash": head_hash,
            "count": count,
            "anchored_at": _utc_text(anchored_at),
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def anchor_head(key: bytes, head: AuditEvent, anchored_at: datetime) -> Anchor:
    """An anchor of ``head`` as the last event of the trail."""
    return Anchor(
        head_sequence=head.sequence,
        head_hash=head.hash,
        count=head.sequence,
        anchored_at=anchored_at,
        mac=_anchor_mac(key, head.sequence, head.hash, head.sequence, anchored_at),
    )


def anchor_is_authentic(key: bytes, anchor: Anchor) -> bool:
    """Whether ``anchor`` was made with ``key`` and not changed since."""
    expected = _anchor_mac(key, anchor.head_sequence, anchor.head_hash, anchor.count, anchor.anchored_at)
    return hmac.compare_digest(expected, anchor.mac)


def anchor_from_document(document: Mapping[str, object]) -> Anchor:
    """An anchor read back from ``Anchor.as_document``; ``ValueError`` when it is not one."""
    if document.get("format") != ANCHOR_FORMAT:
        raise ValueError(f"not an audit anchor (format {ANCHOR_FORMAT!r} expected)")
    try:
        head_sequence, count = document["head_sequence"], document["count"]
        head_hash, mac, anchored_at = document["head_hash"], document["mac"], document["anchored_at"]
        if not (isinstance(head_sequence, int) and isinstance(count, int)):
            raise TypeError("head_sequence and count must be integers")
        if not (isinstance(head_hash, str) and isinstance(mac, str) and isinstance(anchored_at, str)):
            raise TypeError("head_hash, mac and anchored_at must be text")
        moment = datetime.fromisoformat(anchored_at)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"not an audit anchor: {exc}") from None
    if moment.tzinfo is None:
        raise ValueError("not an audit anchor: anchored_at carries no time zone")
    return Anchor(head_sequence, head_hash, count, moment, mac)


def check_anchors(
    events: Sequence[AuditEvent], anchors: Iterable[Anchor], key: bytes, *, require_covered: bool = True
) -> list[ChainProblem]:
    """Every way the trail fails its anchors: an anchor not made with ``key``, an anchored head that is
    missing (events cut from the end) or different (edited, hashes recomputed), and, with
    ``require_covered``, events after the newest anchor (each commit anchors its events, so a tail no anchor
    covers was written around the application, or its anchors were deleted)."""
    problems: list[ChainProblem] = []
    by_sequence = {event.sequence: event for event in events}
    last_sequence = events[-1].sequence if events else 0
    covered = 0
    for anchor in anchors:
        when = _utc_text(anchor.anchored_at)
        if not anchor_is_authentic(key, anchor):
            problems.append(
                ChainProblem(
                    anchor.head_sequence,
                    f"the anchor of {when} does not carry a valid HMAC: it was forged, altered, or made "
                    "with another key",
                )
            )
            continue
        anchored = by_sequence.get(anchor.head_sequence)
        if anchored is None:
            problems.append(
                ChainProblem(
                    anchor.head_sequence,
                    f"the anchor of {when} covers {anchor.count} events but the trail ends at event "
                    f"{last_sequence}: events were cut from the end",
                )
            )
        elif anchored.hash != anchor.head_hash:
            problems.append(
                ChainProblem(
                    anchor.head_sequence,
                    f"event {anchor.head_sequence} is not the event anchored on {when}: the trail was "
                    "edited and its hashes recomputed",
                )
            )
        covered = max(covered, anchor.head_sequence)
    if require_covered and last_sequence > covered:
        problems.append(
            ChainProblem(
                covered + 1,
                f"events {covered + 1} to {last_sequence} are not covered by any anchor: written around the "
                "application, or their anchors were deleted",
            )
        )
    return problems
