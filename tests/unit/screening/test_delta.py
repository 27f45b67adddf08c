"""Deltas between list versions and re-screening against the delta only."""

from __future__ import annotations

import dataclasses

import pytest

from dualuse.domain.errors import ValidationError
from dualuse.domain.screening import ListSnapshot, ScreeningQuery, affected, diff_snapshots
from tests.unit.screening.factories import person


def test_added_removed_and_changed_entities() -> None:
    kept, gone, edited = (
        person("Ivan Petrov", entity_id="1"),
        person("Ali Reza", entity_id="2"),
        person("Kim Song Chol", entity_id="3"),
    )
    new_edit = dataclasses.replace(edited, birth_dates=("1968",))
    added = person("Hamza bin Laden", entity_id="4")
    old = ListSnapshot("l", "1", (kept, gone, edited))
    new = ListSnapshot("l", "2", (kept, new_edit, added))
    delta = diff_snapshots(old, new)
    assert delta.added == (added,)
    assert delta.removed == (gone,)
    assert delta.changed == ((edited, new_edit),)
    assert diff_snapshots(new, new).is_empty


def test_first_version_adds_everything() -> None:
    new = ListSnapshot("l", "1", (person("Ivan Petrov"),))
    assert diff_snapshots(None, new).added == new.entities


def test_versions_of_different_lists_are_not_compared() -> None:
    with pytest.raises(ValidationError):
        diff_snapshots(ListSnapshot("a", "1", ()), ListSnapshot("b", "1", ()))


def test_affected_rescreens_only_against_the_delta() -> None:
    old = ListSnapshot("l", "1", (person("Ivan Petrov", entity_id="1"),))
    new = ListSnapshot(
        "l", "2", (person("Ivan Petrov", entity_id="1"), person("Hamza bin Laden", entity_id="9"))
    )
    delta = diff_snapshots(old, new)
    assert [m.entity.entity_id for m in affected(ScreeningQuery("Hamza Bin Ladin"), delta)] == ["9"]
    assert affected(ScreeningQuery("Ivan Petrov"), delta) == []


def test_fingerprint_changes_with_content_only() -> None:
    entity = person("Ivan Petrov", entity_id="1")
    assert entity.fingerprint == dataclasses.replace(entity).fingerprint
    assert entity.fingerprint != dataclasses.replace(entity, countries=("ru",)).fingerprint
