"""F9: anchors of the trail's head (domain, no database): an anchor made with the key vouches for the head;
a cut end, an edited-and-recomputed trail, a forged or altered anchor and an unanchored tail are each found."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from dualuse.domain.audit import (
    AuditEntry,
    AuditEvent,
    anchor_from_document,
    anchor_head,
    anchor_is_authentic,
    chain,
    check_anchors,
    hash_of,
    verify_chain,
)

KEY = b"k" * 32
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def trail(n: int) -> list[AuditEvent]:
    entries = [
        AuditEntry(
            T0 + timedelta(seconds=i), f"user{i}@example.eu", "case.decided", "case", str(i), None, None, None
        )
        for i in range(n)
    ]
    return chain(None, entries)


def test_an_anchor_vouches_for_the_head_it_was_made_for() -> None:
    events = trail(5)
    anchor = anchor_head(KEY, events[-1], T0)
    assert (anchor.head_sequence, anchor.count, anchor.head_hash) == (5, 5, events[-1].hash)
    assert anchor_is_authentic(KEY, anchor)
    assert check_anchors(events, [anchor], KEY) == []


@pytest.mark.parametrize(
    "change",
    [
        {"head_sequence": 4},
        {"head_hash": "0" * 64},
        {"count": 6},
        {"anchored_at": T0 + timedelta(seconds=1)},
        {"mac": "f" * 64},
    ],
)
def test_any_change_to_an_anchor_breaks_its_mac(change: dict[str, object]) -> None:
    anchor = anchor_head(KEY, trail(5)[-1], T0)
    assert not anchor_is_authentic(KEY, dataclasses.replace(anchor, **change))  # type: ignore[arg-type]


def test_another_key_does_not_verify() -> None:
    anchor = anchor_head(KEY, trail(1)[-1], T0)
    assert not anchor_is_authentic(b"x" * 32, anchor)


def test_a_cut_end_is_found() -> None:
    events = trail(5)
    anchor = anchor_head(KEY, events[-1], T0)
    assert verify_chain(events[:3]) == []
    problems = check_anchors(events[:3], [anchor], KEY)
    assert [p.sequence for p in problems] == [5]
    assert "cut from the end" in problems[0].problem


def test_an_edited_and_recomputed_trail_is_found() -> None:
    events = trail(5)
    anchor = anchor_head(KEY, events[-1], T0)
    rewritten, previous = [], "0" * 64
    for event in events:
        edited = dataclasses.replace(event, previous_hash=previous)
        if edited.sequence == 2:
            edited = dataclasses.replace(edited, actor="mallory@example.eu")
        edited = dataclasses.replace(edited, hash=hash_of(edited))
        previous = edited.hash
        rewritten.append(edited)
    assert verify_chain(rewritten) == []
    problems = check_anchors(rewritten, [anchor], KEY)
    assert [p.sequence for p in problems] == [5]
    assert "recomputed" in problems[0].problem


def test_events_after_the_last_anchor_are_reported_unless_not_required() -> None:
    events = trail(5)
    anchor = anchor_head(KEY, events[2], T0)
    problems = check_anchors(events, [anchor], KEY)
    assert [(p.sequence, "not covered" in p.problem) for p in problems] == [(4, True)]
    assert check_anchors(events, [anchor], KEY, require_covered=False) == []
    assert [p.sequence for p in check_anchors(events, [], KEY)] == [1]
    assert check_anchors([], [], KEY) == []


def test_an_anchor_survives_its_document_and_a_foreign_document_is_refused() -> None:
    anchor = anchor_head(KEY, trail(2)[-1], T0)
    assert anchor_from_document(anchor.as_document()) == anchor
    for bad in (
        {},
        {"format": "other"},
        {**anchor.as_document(), "count": "2"},
        {**anchor.as_document(), "anchored_at": "2026-12-01T09:00:00"},
        {k: v for k, v in anchor.as_document().items() if k != "mac"},
    ):
        with pytest.raises(ValueError, match="not an audit anchor"):
            anchor_from_document(bad)


def test_scope_is_covered_by_the_hash_and_old_events_hash_as_before() -> None:
    (event,) = trail(1)
    assert event.organisation_id is None
    scoped = dataclasses.replace(event, organisation_id=7, member_state="DE")
    assert hash_of(scoped) != event.hash
    assert verify_chain([dataclasses.replace(scoped, hash=hash_of(scoped))]) == []
    assert verify_chain([dataclasses.replace(scoped, hash=event.hash)])  # scope changed afterwards: found
