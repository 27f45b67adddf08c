"""The transparency port: the annual report's figures summed by the database, and the member states' submitted
parts (``adapters.db.transparency_repo``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from dualuse.domain.transparency import Figure


@dataclass(frozen=True)
class StoredPart:
    """A member state's part of the annual report, as submitted (its figures frozen)."""

    id: int
    member_state: str
    year: int
    status: str
    figures: Mapping[str, Any]
    submitted_by: str
    submitted_at: datetime


class TransparencyRepository(Protocol):
    def years(self) -> Sequence[int]:
        """The years with recorded decisions or submitted parts, newest first."""
        ...

    def decision_codes(self, year: int) -> Collection[str]:
        """The control codes of the decisions and applications of ``year`` (to tell cyber-surveillance items)."""
        ...

    def decision_figures(self, year: int, cyber_codes: Collection[str]) -> Sequence[Figure]:
        """Licences by type, decisions by outcome, destinations, categories, denials and the cyber-surveillance
        tables of ``year``, each cell summed per exporter and then per cell (GROUP BY)."""
        ...

    def general_figures(self, year: int, national_ids: Collection[str]) -> Sequence[Figure]:
        """Registrations of general authorisations and their reported use in ``year``."""
        ...

    def administration_figures(self, year: int) -> Sequence[Figure]:
        """Staff accounts of each authority, applications received, notices and customs holds (the decisions
        come from ``decision_figures``)."""
        ...

    def part(self, member_state: str, year: int) -> StoredPart | None: ...
    def parts(self, year: int | None = None) -> Sequence[StoredPart]: ...
    def add_part(self, *, member_state: str, year: int, figures: Mapping[str, Any], by: str) -> int:
        """Raises ``ConflictError`` when the state's part of the year was submitted meanwhile."""
        ...
