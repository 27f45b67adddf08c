"""Confidentiality of the annual report's tables: sensitive figures are withheld (threshold and dominance rules),
and complementary suppression leaves no withheld figure that a published total gives away by subtraction."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.domain.errors import ValidationError
from dualuse.domain.transparency import (
    TOTAL,
    Cell,
    ConfidentialityRule,
    Suppressed,
    Table,
    primary,
    published,
    suppress,
)

RULE = ConfidentialityRule(min_exporters=3, dominance_percent=Decimal(85))


def table(cells: dict[tuple[str, str], Cell], rows: tuple[str, ...], columns: tuple[str, ...]) -> Table:
    return Table("t", "T", "Member state", "Column", rows, columns, cells)


def cell(value: int, exporters: int, top: int | None = None) -> Cell:
    return Cell(
        count=exporters, value_eur=Decimal(value), exporters=exporters, top_value_eur=Decimal(top or 0)
    )


@pytest.mark.parametrize(
    ("figure", "sensitive", "why"),
    [
        (cell(900, 1, 900), True, "one exporter: its trade is the figure"),
        (cell(900, 2, 500), True, "two exporters: each can work out the other's"),
        (cell(900, 3, 300), False, "three exporters, none dominant"),
        (cell(1000, 5, 900), True, "one exporter above 85 % of the value"),
        (cell(1000, 5, 850), False, "exactly 85 % is not above it"),
        (Cell(), False, "an empty cell reveals nobody's trade"),
    ],
)
def test_the_rule_withholds_cells_that_reveal_one_exporter(figure: Cell, sensitive: bool, why: str) -> None:
    assert RULE.sensitive(figure) is sensitive, why


def test_the_rule_refuses_nonsense_settings() -> None:
    with pytest.raises(ValidationError):
        ConfidentialityRule(min_exporters=0)
    with pytest.raises(ValidationError):
        ConfidentialityRule(dominance_percent=Decimal(0))


def test_one_withheld_cell_in_a_row_takes_the_next_smallest_of_the_row_with_it() -> None:
    cells = {
        ("DE", "a"): cell(100, 1, 100),  # sensitive
        ("DE", "b"): cell(500, 4, 150),
        ("DE", "c"): cell(300, 4, 100),  # the smallest other cell of the row
        ("FR", "a"): cell(800, 5, 200),
        ("FR", "b"): cell(900, 5, 200),
        ("FR", "c"): cell(700, 5, 200),
    }
    found = suppress(table(cells, ("DE", "FR"), ("a", "b", "c")), RULE)
    assert found.primary == {("DE", "a")}
    assert ("DE", "c") in found
    assert ("DE", "b") not in found
    # and column a, left with one withheld cell, gives up FR's too (the column total is published)
    assert ("FR", "a") in found


def test_a_total_one_exporter_makes_is_withheld_too() -> None:
    cells = {("DE", "a"): cell(100, 1, 100), ("DE", "b"): cell(50, 1, 50)}
    found = suppress(table(cells, ("DE",), ("a", "b")), RULE)
    assert ("DE", TOTAL) in found.primary
    assert (TOTAL, TOTAL) in found


def test_a_table_with_nothing_sensitive_is_published_whole() -> None:
    cells = {(r, c): cell(1000, 4, 300) for r in ("DE", "FR") for c in ("a", "b")}
    found = suppress(table(cells, ("DE", "FR"), ("a", "b")), RULE)
    assert not found.keys


# --- property: no withheld figure can be recovered from a published total --------------------------------
@st.composite
def tables(draw: st.DrawFn) -> Table:
    rows = tuple(f"R{n}" for n in range(draw(st.integers(1, 5))))
    columns = tuple(f"C{n}" for n in range(draw(st.integers(1, 5))))
    cells = {}
    for r in rows:
        for c in columns:
            exporters = draw(st.integers(0, 6))
            if exporters == 0:
                continue
            value = draw(st.integers(1, 10**6))
            top = draw(st.integers(-(-value // exporters), value))  # the largest share is at least the mean
            cells[(r, c)] = Cell(draw(st.integers(exporters, 20)), Decimal(value), exporters, Decimal(top))
    return table(cells, rows, columns)


rules = st.builds(
    ConfidentialityRule,
    min_exporters=st.integers(1, 5),
    dominance_percent=st.decimals(min_value=Decimal(50), max_value=Decimal(100), places=0),
)


def recover_by_subtraction(t: Table, shown: dict[tuple[str, str], Cell | None]) -> set[tuple[str, str]]:
    """What an attacker works out: in any row or column (with its total) where exactly one figure is withheld,
    that figure is the total less the others (or the total is the sum); repeated with what is recovered."""
    known = {k: v.value_eur for k, v in shown.items() if v is not None}
    rows, columns = [*t.rows, TOTAL], [*t.columns, TOTAL]
    lines = [[(r, c) for c in columns] for r in rows] + [[(r, c) for r in rows] for c in columns]
    recovered: set[tuple[str, str]] = set()
    progress = True
    while progress:
        progress = False
        for line in lines:
            unknown = [k for k in line if k not in known]
            if len(unknown) != 1:
                continue
            (missing,) = unknown
            total_key = line[-1]
            if missing == total_key:
                known[missing] = sum((known[k] for k in line[:-1]), Decimal(0))
            else:
                known[missing] = known[total_key] - sum(
                    (known[k] for k in line[:-1] if k != missing), Decimal(0)
                )
            recovered.add(missing)
            progress = True
    return recovered


@settings(max_examples=300, deadline=None)
@given(tables(), rules)
def test_no_withheld_figure_can_be_recovered_by_subtracting_from_a_published_total(
    t: Table, rule: ConfidentialityRule
) -> None:
    found = suppress(t, rule)
    shown = dict(published(t, found))
    assert not recover_by_subtraction(t, shown) & found.keys
    # and every figure the rule finds sensitive is among the withheld
    assert primary(t, rule) <= found.keys
    for key, figure in shown.items():
        if figure is not None:
            assert not rule.sensitive(figure), key


@settings(max_examples=100, deadline=None)
@given(tables())
def test_the_attack_finds_a_figure_when_complementary_suppression_is_left_out(t: Table) -> None:
    """The check above can fail: with only the sensitive figures withheld, a lone one in a line is found."""
    first = primary(t, RULE)
    every = published(t, Suppressed(frozenset(), frozenset()))
    shown = {k: (None if k in first else v) for k, v in every.items()}
    rows, columns = [*t.rows, TOTAL], [*t.columns, TOTAL]
    lines = [[(r, c) for c in columns] for r in rows] + [[(r, c) for r in rows] for c in columns]
    if any(sum(1 for k in line if k in first) == 1 for line in lines):
        assert recover_by_subtraction(t, shown) & first
