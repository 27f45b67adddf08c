"""The customs port: Art. 21 holds (``adapters.db.customs_repo``, ``tests.fakes``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from dualuse.domain.customs import Hold


class CustomsRepository(Protocol):
    def add_hold(self, build: Callable[[int], Hold]) -> Hold: ...
    def hold(self, hold_id: int) -> Hold | None: ...
    def holds(
        self, *, customs_state: str | None = None, authority_state: str | None = None
    ) -> Sequence[Hold]:
        """Holds by the customs of a state, or on which the authority of a state is consulted; newest first."""
        ...

    def save_hold(self, hold: Hold, *, expected_version: int) -> None:
        """Raises ``ConflictError`` when the stored hold is no longer at ``expected_version``."""
        ...
