"""The audit trail's hash chain detects edited, deleted and reordered events."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from dualuse.domain.audit import GENESIS_HASH, AuditEntry, AuditEvent, chain, event_hash, verify_chain

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def make_chain(n: int) -> list[AuditEvent]:
    events: list[AuditEvent] = []
    previous = GENESIS_HASH
    for i in range(1, n + 1):
        fields = {
            "sequence": i,
            "occurred_at": T0 + timedelta(minutes=i),
            "actor": f"user{i}@example.eu",
            "action": "application.submitted",
            "entity_type": "application",
            "entity_id": str(100 + i),
            "before": {"status": "draft"},
            "after": {"status": "submitted"},
            "reason": None,
        }
        digest = event_hash(previous_hash=previous, **fields)  # type: ignore[arg-type]
        events.append(AuditEvent(previous_hash=previous, hash=digest, **fields))  # type: ignore[arg-type]
        previous = digest
    return events


def test_an_intact_chain_has_no_problems() -> None:
    assert verify_chain(make_chain(5)) == []


def test_a_naive_timestamp_hashes_like_its_utc_twin() -> None:
    """SQLite returns naive datetimes; they are UTC and must verify."""
    event = make_chain(1)[0]
    naive = dataclasses.replace(event, occurred_at=event.occurred_at.replace(tzinfo=None))
    assert verify_chain([naive]) == []


def test_deleting_an_event_breaks_the_chain() -> None:
    events = make_chain(5)
    del events[2]
    problems = verify_chain(events)
    assert [p.sequence for p in problems] == [4, 4]
    assert "deleted" in problems[0].problem


def test_editing_the_last_event_is_detected() -> None:
    events = make_chain(3)
    events[-1] = dataclasses.replace(events[-1], after={"status": "granted"})
    problems = verify_chain(events)
    assert len(problems) == 1
    assert "edited" in problems[0].problem


@given(
    index=st.integers(min_value=0, max_value=4),
    field=st.sampled_from(["actor", "action", "entity_type", "entity_id", "reason"]),
    value=st.text(min_size=1, max_size=20),
)
def test_any_edit_of_any_field_is_detected(index: int, field: str, value: str) -> None:
    events = make_chain(5)
    original = getattr(events[index], field)
    if value == original:
        value = value + "x"
    events[index] = dataclasses.replace(events[index], **{field: value})
    assert verify_chain(events), f"editing {field} of event {index + 1} went unnoticed"


def entry(n: int) -> AuditEntry:
    return AuditEntry(
        occurred_at=T0 + timedelta(seconds=n),
        actor=f"user{n}@example.eu",
        action="licensing_case.Submitted",
        entity_type="licensing_case",
        entity_id=str(n),
        before=None,
        after={"status": "submitted"},
        reason=None,
    )


@given(first=st.integers(min_value=0, max_value=5), then=st.integers(min_value=0, max_value=5))
def test_entries_chained_in_batches_make_one_intact_trail(first: int, then: int) -> None:
    """Events chained at each commit, batch after batch, read as one unbroken trail."""
    start = chain(None, [entry(n) for n in range(first)])
    more = chain(start[-1] if start else None, [entry(n) for n in range(first, first + then)])
    trail = start + more
    assert verify_chain(trail) == []
    assert [e.sequence for e in trail] == list(range(1, first + then + 1))
    assert [e.entity_id for e in trail] == [str(n) for n in range(first + then)]
    if trail:
        assert trail[0].previous_hash == GENESIS_HASH


def test_a_batch_chained_onto_a_stale_predecessor_is_detected() -> None:
    """Two transactions that chained onto the same last event (what the lock at commit prevents) break it."""
    base = chain(None, [entry(0)])
    ours = chain(base[-1], [entry(1)])
    theirs = chain(base[-1], [entry(2)])
    problems = verify_chain(base + ours + [dataclasses.replace(theirs[0], sequence=3)])
    assert [p.sequence for p in problems] == [3, 3]
