"""Screening a party against the lists' ownership graphs: is it a company the lists show as owned 50% or more,
or directed, by listed parties? The party is recognised among the graph's companies by name, with the same
matching as screening against the lists themselves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dualuse.domain.ownership.aggregation import ListedControl, OwnershipGraph
from dualuse.domain.screening.engine import ScreeningEngine
from dualuse.domain.screening.model import EntitySchema, ListedEntity, ListSnapshot, ScreeningQuery


@dataclass(frozen=True, slots=True)
class OwnershipFinding:
    """A company of a list's graph that the screened party matches, and what listed parties hold in it."""

    source: str
    score: float
    matched_name: str
    control: ListedControl


class OwnershipScreen:
    """The ownership graphs of the newest list versions, and the names of the companies in them."""

    def __init__(self, snapshots: Sequence[ListSnapshot] = ()) -> None:
        self._graphs: dict[str, OwnershipGraph] = {}
        companies: list[ListSnapshot] = []
        for snapshot in snapshots:
            if not snapshot.relations:
                continue
            listed = {e.entity_id for e in snapshot.entities}
            graph = OwnershipGraph(snapshot.relations, listed)
            self._graphs[snapshot.source] = graph
            companies.append(
                ListSnapshot(
                    source=snapshot.source,
                    version=snapshot.version,
                    entities=tuple(
                        ListedEntity(snapshot.source, key, EntitySchema.UNKNOWN, (name,))
                        for key, name in graph.companies.items()
                        if key not in listed  # a listed company is a hit of its own
                    ),
                )
            )
        self._engine = ScreeningEngine(companies)

    def __len__(self) -> int:
        return sum(map(len, self._graphs.values()))

    def check(
        self, query: ScreeningQuery, *, threshold: float, limit: int = 5
    ) -> tuple[OwnershipFinding, ...]:
        """The graph companies the party matches from ``threshold`` whose listed owners or directors are known,
        flagged ones first."""
        if not self._graphs:
            return ()
        findings = []
        for match in self._engine.screen(query, threshold=threshold, limit=limit):
            control = self._graphs[match.entity.source].control(match.entity.entity_id)
            if control.paths or control.directors:
                findings.append(
                    OwnershipFinding(match.entity.source, match.score, match.matched_name, control)
                )
        return tuple(sorted(findings, key=lambda f: (not f.control.flagged, -f.control.share, -f.score)))
