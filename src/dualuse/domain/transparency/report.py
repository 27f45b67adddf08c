"""The annual report's tables (Art. 26(2); Rec. 2024/214 structure, unverified) built from aggregated figures,
a member state's part frozen at submission, and the Union report composed of the parts submitted.

Figures arrive already aggregated (``Figure``: one per table, row and column, summed by the database); this
module only arranges them. A member state's part is its row of every table; the Union report puts the
submitted rows together and names the states that have not submitted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dualuse.domain.transparency.model import Cell, Table

__all__ = [
    "ADMINISTRATION",
    "CATEGORIES",
    "LICENCE_TYPES",
    "OUTCOMES",
    "TABLES",
    "AnnualReport",
    "Figure",
    "TableSpec",
    "build",
    "compose",
    "part_from_json",
    "part_to_json",
]

LICENCE_TYPES = (
    "individual",
    "global",
    "large_project",
    "brokering",
    "technical_assistance",
    "national_general",
    "union_general",
)
OUTCOMES = ("granted", "partially_granted", "denied")
CATEGORIES = tuple(str(n) for n in range(10))
ADMINISTRATION = ("authority_staff", "applications_received", "decisions", "notices_issued", "customs_holds")


@dataclass(frozen=True)
class TableSpec:
    key: str
    section: str
    title: str
    column_label: str
    columns: tuple[str, ...] = ()  # fixed columns; empty: the columns the figures bring, sorted
    confidential: bool = True


TABLES: tuple[TableSpec, ...] = (
    TableSpec("licence_types", "licence_types", "Authorisations granted, by type", "Type", LICENCE_TYPES),
    TableSpec("decisions", "licence_types", "Decisions, by outcome", "Outcome", OUTCOMES),
    TableSpec("destinations", "destinations", "Authorisations granted, by destination", "Destination"),
    TableSpec(
        "categories", "categories", "Authorisations granted, by Annex I category", "Category", CATEGORIES
    ),
    TableSpec(
        "registered_users",
        "registered_users",
        "Exporters registered, by general authorisation",
        "General authorisation",
    ),
    TableSpec(
        "general_use", "general_use", "Reported use of general authorisations", "General authorisation"
    ),
    TableSpec(
        "general_use_categories",
        "general_use",
        "Reported use of general authorisations, by category",
        "Category",
        CATEGORIES,
    ),
    TableSpec("denials", "denials", "Denials, by destination", "Destination"),
    TableSpec(
        "cyber_applications",
        "cyber_surveillance",
        "Applications for cyber-surveillance items, by item",
        "Control code",
    ),
    TableSpec(
        "cyber_decisions",
        "cyber_surveillance",
        "Decisions on cyber-surveillance items, by outcome",
        "Outcome",
        OUTCOMES,
    ),
    TableSpec(
        "cyber_destinations",
        "cyber_surveillance",
        "Decisions on cyber-surveillance items, by destination",
        "Destination",
    ),
    TableSpec(
        "administration",
        "administration",
        "Administration and enforcement",
        "Figure",
        ADMINISTRATION,
        confidential=False,
    ),
)
SPECS: Mapping[str, TableSpec] = {s.key: s for s in TABLES}


@dataclass(frozen=True)
class Figure:
    """One aggregated cell as the database sums it."""

    table: str
    row: str
    column: str
    count: int
    value_eur: Decimal
    exporters: int
    top_value_eur: Decimal

    @property
    def cell(self) -> Cell:
        return Cell(self.count, self.value_eur, self.exporters, self.top_value_eur)


@dataclass(frozen=True)
class AnnualReport:
    """The report of one year: its tables, the member states it covers and, for the Union report, the states
    whose part is missing."""

    year: int
    member_states: tuple[str, ...]
    tables: Mapping[str, Table]
    not_submitted: tuple[str, ...] = ()

    def table(self, key: str) -> Table:
        return self.tables[key]

    def for_state(self, member_state: str) -> AnnualReport:
        return AnnualReport(
            self.year,
            (member_state,),
            {k: t.only_rows([member_state]) for k, t in self.tables.items()},
        )


def build(year: int, member_states: Sequence[str], figures: Iterable[Figure]) -> AnnualReport:
    """Arrange aggregated figures into the report's tables: one row per member state (in the order given)."""
    by_table: dict[str, dict[tuple[str, str], Cell]] = {s.key: {} for s in TABLES}
    extra_columns: dict[str, set[str]] = {s.key: set() for s in TABLES}
    for f in figures:
        if f.table not in by_table:
            continue
        key = (f.row, f.column)
        by_table[f.table][key] = by_table[f.table].get(key, Cell()) + f.cell
        extra_columns[f.table].add(f.column)
    states = tuple(dict.fromkeys(member_states))
    tables = {}
    for spec in TABLES:
        columns = spec.columns or tuple(sorted(extra_columns[spec.key]))
        if spec.columns:  # a figure outside the fixed columns is kept, after them
            columns = (*columns, *sorted(extra_columns[spec.key] - set(spec.columns)))
        tables[spec.key] = Table(
            spec.key,
            spec.title,
            "Member state",
            spec.column_label,
            states,
            columns,
            {k: v for k, v in by_table[spec.key].items() if k[0] in states},
            spec.confidential,
        )
    return AnnualReport(year, states, tables)


def part_to_json(report: AnnualReport) -> dict[str, Any]:
    """A member state's part as frozen at submission (exact decimals as strings)."""
    return {
        "year": report.year,
        "member_states": list(report.member_states),
        "figures": [
            [key, row, column, c.count, str(c.value_eur), c.exporters, str(c.top_value_eur)]
            for key, table in report.tables.items()
            for (row, column), c in sorted(table.cells.items())
        ],
    }


def part_from_json(data: Mapping[str, Any]) -> list[Figure]:
    """The figures of a frozen part."""
    return [
        Figure(str(t), str(r), str(c), int(n), Decimal(v), int(e), Decimal(top))
        for t, r, c, n, v, e, top in data["figures"]
    ]


def compose(year: int, member_states: Sequence[str], parts: Mapping[str, Mapping[str, Any]]) -> AnnualReport:
    """The Union report of ``year``: the submitted parts put together; the states in ``member_states`` without
    a submitted part are named as not submitted and have no figures."""
    figures = [f for state, part in parts.items() for f in part_from_json(part) if f.row == state]
    submitted = [s for s in member_states if s in parts]
    report = build(year, submitted, figures)
    missing = tuple(s for s in member_states if s not in parts)
    return AnnualReport(report.year, report.member_states, report.tables, missing)
