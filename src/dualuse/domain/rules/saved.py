"""A saved determination: the question an exporter asked and the answer it got, kept as a dated record.

The record keeps the case as it was read and the answer as it was given, with the control-list and rules
versions it rests on, so that the exporter can show later what it was told on that day (records of the
export, Art. 27 of Regulation (EU) 2021/821, and the due-diligence file) even after the list or the rules
have changed. Source: ../shared/reference/regulation-articles.md, Art 27 (records kept by exporters).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class SavedDetermination:
    """One saved question and its answer, owned by an exporter's organisation."""

    id: int
    organisation_id: int
    saved_by: str
    saved_at: datetime
    case: Mapping[str, Any]
    answer: Mapping[str, Any]

    @property
    def reference(self) -> str:
        """The reference the exporter quotes: the year it was saved and the record's number."""
        return f"DET-{self.saved_at.year}-{self.id:06d}"

    @property
    def outcome(self) -> str:
        return str(self.answer.get("outcome", ""))

    @property
    def list_version(self) -> str:
        return str(self.answer.get("list_version", ""))

    @property
    def rules_version(self) -> str:
        return str(self.answer.get("rules_version", ""))

    @property
    def destination(self) -> str:
        understood = self.answer.get("understood") or {}
        destination = understood.get("destination") or {}
        return str(destination.get("name") or destination.get("code") or "")
