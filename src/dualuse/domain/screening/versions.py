"""Which list version is newer: a sanctions list only ever moves forward.

Importing an older file after a newer one would make it "the newest version": everyone designated in between
would silently stop being a hit. Importing the same file twice would store the whole list again and re-screen
for nothing. So an import is judged against the newest version held before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = ["SHRINK_LEAST", "SHRINK_SHARE", "ImportVerdict", "VersionStamp", "as_of", "judge_import"]


class ImportVerdict(StrEnum):
    NEW = "new"
    """Newer than what is held (or the first version of the list): stored."""
    IDENTICAL = "identical"
    """The version already held, entity for entity: nothing to store (re-imports are idempotent)."""
    OLDER = "older"
    """Published before the version held: refused unless forced with a reason."""
    UNDATED = "undated"
    """No date, where the version held has one: whether it is newer cannot be told; refused unless forced."""
    SHRUNK = "shrunk"
    """Removes a large share of the version held (`SHRINK_SHARE` of it and `SHRINK_LEAST` entities or more): a
    file cut short at a line end, or a partial export, is likelier than that many delistings at once; refused
    unless forced."""


#: a version removing at least this share of the entities held, and at least `SHRINK_LEAST` of them, is
#: refused unless forced (OFAC's SDN list lost 8 of its 14,668 entries from 26 Apr to 3 May 2024, and 493 of
#: 9,044, 5%, between the copy of 2022 in ../shared/data and 26 Apr 2024)
SHRINK_SHARE = 0.25
SHRINK_LEAST = 50


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


def judge_import(
    held: VersionStamp | None,
    incoming: VersionStamp,
    *,
    same_entities: bool,
    held_count: int = 0,
    removed: int = 0,
) -> ImportVerdict:
    """How an incoming version relates to the newest one held; ``same_entities`` when its entities are the
    held version's, entity for entity; ``removed`` of the ``held_count`` entities held are not in it."""
    if held is None:
        return ImportVerdict.NEW
    if same_entities and held.version == incoming.version:
        return ImportVerdict.IDENTICAL
    held_on, incoming_on = as_of(held), as_of(incoming)
    if held_on is not None and incoming_on is None:
        return ImportVerdict.UNDATED
    if held_on is not None and incoming_on is not None and incoming_on < held_on:
        return ImportVerdict.OLDER
    if removed >= SHRINK_LEAST and removed >= SHRINK_SHARE * held_count:
        return ImportVerdict.SHRUNK
    return ImportVerdict.NEW
