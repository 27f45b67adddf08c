"""The Cryptography Note as data: what it can release, and that every condition must hold."""

from __future__ import annotations

import pytest

from dualuse.adapters.sources.annex_i import load_cryptography_note
from dualuse.domain.controllist.codes import ControlCode


@pytest.mark.parametrize(
    ("code", "released"),
    [
        ("5A002.a", True),
        ("5A002", True),
        ("5D002.c.1", True),
        ("5E002", False),
        ("5A004.b", False),
        ("5A001.f", False),
    ],
)
def test_what_the_note_can_release(code: str, released: bool) -> None:
    assert load_cryptography_note().may_release(ControlCode.parse(code)) is released


def test_a_mass_market_item_needs_every_condition() -> None:
    note = load_cryptography_note()
    ok, unmet = note.assess("a", {"a.1": True, "a.2": True, "a.3": True})
    assert not ok
    assert unmet == ("a.4",)
    ok, unmet = note.assess("a", {"a.1": True, "a.2": True, "a.3": True, "a.4": True})
    assert ok
    assert unmet == ()


def test_every_condition_is_verified_only_with_the_source_it_was_checked_in() -> None:
    note = load_cryptography_note()
    assert note.legal_source.startswith("Regulation (EU) 2021/821")
    conditions = [c for p in note.paragraphs for c in p.conditions]
    assert [c.id for c in conditions] == ["a.1", "a.2", "a.3", "a.4", "b.1", "b.2", "b.3", "b.4"]
    assert all(c.text for c in conditions)
    assert all("02021R0821-20251115" in c.source for c in conditions if c.verified)
