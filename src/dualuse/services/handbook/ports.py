"""Port: where the editions of the handbook are kept, each with the snapshot it was built from (so that the
next edition can say what changed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from dualuse.domain.handbook import Edition, Snapshot


@dataclass(frozen=True)
class RecordedEdition:
    edition: Edition
    snapshot: Snapshot


class EditionStore(Protocol):
    def latest(self) -> RecordedEdition | None:
        """The last edition recorded, or None before the first."""
        ...

    def get(self, number: int) -> RecordedEdition | None:
        """The edition numbered ``number``, or None."""
        ...

    def record(self, edition: Edition, snapshot: Snapshot) -> None:
        """Keep ``edition`` with its snapshot."""
        ...
