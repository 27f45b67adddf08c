"""The port of saved determinations (``adapters.db.determinations_repo``, ``tests.fakes``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from dualuse.domain.rules.saved import SavedDetermination


class SavedDeterminationRepository(Protocol):
    def add(
        self, *, organisation_id: int, saved_by: str, case: Mapping[str, Any], answer: Mapping[str, Any]
    ) -> SavedDetermination: ...
    def get(self, saved_id: int) -> SavedDetermination | None: ...
    def of_organisation(self, organisation_id: int, *, limit: int = 200) -> Sequence[SavedDetermination]:
        """Newest first."""
        ...
