"""Deltas between two versions of a sanctions list: who was added, removed or changed.

A new list version matters for the parties already screened only through its delta: a party needs
re-screening against the added and changed entities, and its hits on removed entities lapse.
"""

from __future__ import annotations

from dataclasses import dataclass

from dualuse.domain.errors import ValidationError
from dualuse.domain.screening.engine import ScreeningEngine
from dualuse.domain.screening.model import ListedEntity, ListSnapshot, Match, ScreeningQuery


@dataclass(frozen=True, slots=True)
class Delta:
    """The change from one list version to the next; ``changed`` pairs the old entity with the new one."""

    added: tuple[ListedEntity, ...]
    removed: tuple[ListedEntity, ...]
    changed: tuple[tuple[ListedEntity, ListedEntity], ...]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def to_screen(self) -> tuple[ListedEntity, ...]:
        """The entities of the new version that a party already screened must be checked against."""
        return self.added + tuple(new for _, new in self.changed)


def diff_snapshots(old: ListSnapshot | None, new: ListSnapshot) -> Delta:
    """Compare two versions of one list by entity id and content fingerprint."""
    if old is None:
        return Delta(added=new.entities, removed=(), changed=())
    if old.source != new.source:
        raise ValidationError(
            f"cannot compare versions of different lists ({old.source}, {new.source})", field="source"
        )
    before = old.by_id()
    after = new.by_id()
    added = tuple(e for e in new.entities if e.entity_id not in before)
    removed = tuple(e for e in old.entities if e.entity_id not in after)
    changed = tuple(
        (before[e.entity_id], e)
        for e in new.entities
        if e.entity_id in before and before[e.entity_id].fingerprint != e.fingerprint
    )
    return Delta(added=added, removed=removed, changed=changed)


def affected(query: ScreeningQuery, delta: Delta, *, threshold: float = 0.7, limit: int = 5) -> list[Match]:
    """Re-screen one party against only the added and changed entities of a delta.

    Hits on removed entities are not returned: the caller lapses them from the saved hits.
    """
    entities = delta.to_screen()
    if not entities:
        return []
    by_source: dict[str, list[ListedEntity]] = {}
    for entity in entities:
        by_source.setdefault(entity.source, []).append(entity)
    engine = ScreeningEngine(
        ListSnapshot(source=source, version="delta", entities=tuple(group))
        for source, group in by_source.items()
    )
    return engine.screen(query, threshold=threshold, limit=limit)
