"""Statistical confidentiality of the published tables: a cell small enough to reveal one exporter's trade is
withheld (primary suppression; totals too), and further cells are withheld so that no withheld cell can be worked out by
subtracting the published cells of a row or column from its published total (secondary, complementary
suppression).

The rule is configurable (``ConfidentialityRule``): a cell is sensitive when fewer than ``min_exporters``
exporters contribute to it, or when one exporter contributes more than ``dominance_percent`` of its value. These
are the usual threshold and dominance rules of official statistics; the Regulation and Rec. 2024/214 as the
reference notes give them set no figures, so the defaults are the project's choice (unverified; set them per
publication).

The table is seen with its margins: each row ends with its total, each column with its total, and the corner is
the grand total. Every such line (a row with its total, a column with its total, the totals row, the totals
column) is a sum, so a line with exactly one withheld figure gives it away. ``suppress`` withholds, in every line
that has exactly one withheld figure, the smallest other figure of that line (an inner cell with contributors
first, a total only when nothing else is left), until no line has exactly one. A total that is withheld is
shown as withheld too.

What this does not rule out: recovering a cell by combining several lines (solving the system of sums); the
pattern chosen by this rule resists single subtractions, which is what the publication promises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from dualuse.domain.errors import ValidationError
from dualuse.domain.transparency.model import Cell, Table

__all__ = ["TOTAL", "ConfidentialityRule", "Suppressed", "primary", "published", "suppress"]

TOTAL = "__total__"
Key = tuple[str, str]


@dataclass(frozen=True)
class ConfidentialityRule:
    """When a cell is too revealing to publish; ``source`` and ``verified`` say where the figures come from."""

    min_exporters: int = 3
    dominance_percent: Decimal = Decimal(85)
    source: str = (
        "project default (threshold and dominance rules of official statistics); not set by Reg. 2021/821"
    )
    verified: bool = False

    def __post_init__(self) -> None:
        if self.min_exporters < 1:
            raise ValidationError("at least one exporter must contribute to a cell", field="min_exporters")
        if not Decimal(0) < self.dominance_percent <= Decimal(100):
            raise ValidationError("the dominance share is a percentage above 0", field="dominance_percent")

    def sensitive(self, cell: Cell) -> bool:
        """Whether publishing the cell would reveal one exporter's trade."""
        if cell.empty:
            return False
        if cell.exporters < self.min_exporters:
            return True
        if cell.value_eur <= 0:
            return False
        return cell.top_value_eur * 100 > cell.value_eur * self.dominance_percent


@dataclass(frozen=True)
class Suppressed:
    """The keys withheld: inner cells ``(row, column)``, row totals ``(row, TOTAL)``, column totals
    ``(TOTAL, column)`` and the grand total ``(TOTAL, TOTAL)``; ``primary`` are those withheld for their own
    sake."""

    keys: frozenset[Key]
    primary: frozenset[Key]

    def __contains__(self, key: object) -> bool:
        return key in self.keys


def _grid(table: Table) -> dict[Key, Cell]:
    grid: dict[Key, Cell] = {}
    for r in table.rows:
        for c in table.columns:
            grid[(r, c)] = table.cell(r, c)
        grid[(r, TOTAL)] = table.row_total(r)
    for c in table.columns:
        grid[(TOTAL, c)] = table.column_total(c)
    grid[(TOTAL, TOTAL)] = table.grand_total()
    return grid


def _lines(table: Table) -> list[list[Key]]:
    rows = [*table.rows, TOTAL]
    columns = [*table.columns, TOTAL]
    return [[(r, c) for c in columns] for r in rows] + [[(r, c) for r in rows] for c in columns]


def primary(table: Table, rule: ConfidentialityRule) -> frozenset[Key]:
    """The figures withheld for their own sake (``rule.sensitive``): cells and totals alike, since a total
    to which one exporter contributes reveals its trade as much as a cell does."""
    return frozenset(k for k, cell in _grid(table).items() if rule.sensitive(cell))


def _preference(key: Key, cell: Cell) -> tuple[int, int, Decimal, int, Key]:
    is_total = TOTAL in key
    # inner cells with contributors first, then empty inner cells, totals last; the smallest value first
    return (1 if is_total else 0, 1 if cell.empty else 0, cell.value_eur, cell.count, key)


def suppress(table: Table, rule: ConfidentialityRule) -> Suppressed:
    """Withhold the sensitive cells and, in every line (row or column with its total) left with exactly one
    withheld figure, the smallest other figure of the line, until no line has exactly one."""
    grid = _grid(table)
    first = primary(table, rule)
    withheld: set[Key] = set(first)
    lines = _lines(table)
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [k for k in line if k in withheld]
            if len(hidden) != 1:
                continue
            candidates = [k for k in line if k not in withheld]
            if not candidates:  # pragma: no cover - a line always has its total besides one cell
                continue
            chosen = min(candidates, key=lambda k: _preference(k, grid[k]))
            withheld.add(chosen)
            changed = True
    return Suppressed(frozenset(withheld), first)


def published(table: Table, suppressed: Suppressed) -> Mapping[Key, Cell | None]:
    """Every figure of the table with its margins, ``None`` where withheld."""
    return {k: (None if k in suppressed else v) for k, v in _grid(table).items()}
