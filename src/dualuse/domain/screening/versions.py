"""Which list version is newer: a sanctions list only ever moves forward.

Importing an older file after a newer one would make it "the newest version": everyone designated in between
would silently stop being a hit. Importing the same file twice would store the whole list again and re-screen
for nothing. So an import is judged against the newest version held before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = ["ImportVerdict", "VersionStamp", "as_of", "judge_import"]


class ImportVerdict(StrEnum):
    NEW = "new"
    """Newer than what is held (or the first version of the list): stored."""
    IDENTICAL = "identical"
    """The version already held, entity for entity: nothing to store (re-imports are idempotent)."""
    OLDER = "older"
    """Published before the version held: refused unless forced with a reason."""
    UNDATED = "undated"
    """No date, where the version held has one: whether it is newer cannot be told; refused unless forced."""


@dataclass(frozen=True)
class VersionStamp:
    """What identifies a version of a list in time: its label and, where the publisher gives one, its date."""

    version: str
    published: date | None


def as_of(stamp: VersionStamp) -> date | None:
    """The date of a version: its publication date, else a label that is an ISO date (``2024-05-03``)."""
    if stamp.published is not None:
        return stamp.published
    try:
        return date.fromisoformat(stamp.version.strip())
    except ValueError:
        return None


def judge_import(held: VersionStamp | None, incoming: VersionStamp, *, same_entities: bool) -> ImportVerdict:
    """How an incoming version relates to the newest one held; ``same_entities`` when its entities are the
    held version's, entity for entity."""
    if held is None:
        return ImportVerdict.NEW
    if same_entities and held.version == incoming.version:
        return ImportVerdict.IDENTICAL
    held_on, incoming_on = as_of(held), as_of(incoming)
    if held_on is not None and incoming_on is None:
        return ImportVerdict.UNDATED
    if held_on is not None and incoming_on is not None and incoming_on < held_on:
        return ImportVerdict.OLDER
    return ImportVerdict.NEW
