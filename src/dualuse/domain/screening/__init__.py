"""Restricted-party screening: listed entities, list versions and deltas, and the matching engine."""

from dualuse.domain.screening.delta import Delta, affected, diff_snapshots
from dualuse.domain.screening.engine import DEFAULT_THRESHOLD, ScreeningEngine
from dualuse.domain.screening.model import (
    EntityFilter,
    EntitySchema,
    Explanation,
    Hit,
    Identifier,
    ListedEntity,
    ListSnapshot,
    Match,
    ScreeningQuery,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "Delta",
    "EntityFilter",
    "EntitySchema",
    "Explanation",
    "Hit",
    "Identifier",
    "ListSnapshot",
    "ListedEntity",
    "Match",
    "ScreeningEngine",
    "ScreeningQuery",
    "affected",
    "diff_snapshots",
]
