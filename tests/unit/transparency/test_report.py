"""The annual report's tables (Art. 26(2)): figures arranged per member state, a part frozen and read back, the
Union report composed of the parts submitted, and a submitted part that stays submitted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dualuse.domain.errors import ConflictError, ValidationError
from dualuse.domain.transparency import (
    SECTIONS,
    Figure,
    PartStatus,
    UseLine,
    build,
    category_of,
    check_part_transition,
    compose,
    part_from_json,
    part_to_json,
)

FIGURES = [
    Figure("licence_types", "DE", "individual", 2, Decimal("300.00"), 2, Decimal("200.00")),
    Figure("licence_types", "FR", "global", 1, Decimal("50.00"), 1, Decimal("50.00")),
    Figure("destinations", "DE", "IN", 2, Decimal("300.00"), 2, Decimal("200.00")),
]


def test_figures_land_in_their_tables_per_member_state() -> None:
    report = build(2026, ["DE", "FR"], FIGURES)
    types = report.table("licence_types")
    assert types.cell("DE", "individual").value_eur == Decimal("300.00")
    assert types.column_total("individual").count == 2
    assert types.grand_total().value_eur == Decimal("350.00")
    assert report.table("destinations").columns == ("IN",)
    assert "union_general" in types.columns  # the fixed columns are there even when empty


def test_a_part_reads_back_as_it_was_frozen_and_the_union_report_names_who_has_not_submitted() -> None:
    de = part_to_json(build(2026, ["DE", "FR"], FIGURES).for_state("DE"))
    assert {f.row for f in part_from_json(de)} == {"DE"}
    union = compose(2026, ["DE", "FR", "NL"], {"DE": de})
    assert union.member_states == ("DE",)
    assert union.not_submitted == ("FR", "NL")
    assert union.table("licence_types").grand_total().value_eur == Decimal("300.00")


def test_a_part_only_counts_its_own_rows() -> None:
    """A part claiming figures of another state contributes none of them."""
    forged = part_to_json(build(2026, ["DE", "FR"], FIGURES))
    union = compose(2026, ["DE", "FR"], {"DE": forged})
    assert union.table("licence_types").cell("FR", "global").empty


def test_a_submitted_part_stays_submitted() -> None:
    check_part_transition(PartStatus.DRAFT, PartStatus.SUBMITTED)
    with pytest.raises(ConflictError):
        check_part_transition(PartStatus.SUBMITTED, PartStatus.SUBMITTED)


@pytest.mark.parametrize(
    ("code", "category"), [("5A002.a", "5"), ("0A001", "0"), ("ML1", "-"), (" 9E003", "9")]
)
def test_the_category_is_the_first_digit_of_the_code(code: str, category: str) -> None:
    assert category_of(code) == category


def test_every_section_says_where_it_comes_from() -> None:
    assert all(s.source for s in SECTIONS)
    # the Recommendation's structure is known from notes only: not verified
    assert not next(s for s in SECTIONS if s.key == "cyber_surveillance").verified


def test_a_use_line_refuses_what_an_application_item_refuses() -> None:
    UseLine("5A002.a", Decimal(1), "pieces", Decimal("10.50"))
    with pytest.raises(ValidationError):
        UseLine("5A002.a", Decimal(0), "pieces", Decimal(1))
    with pytest.raises(ValidationError):
        UseLine("5A002.a", Decimal(1), "pieces", Decimal("0.001"))
    with pytest.raises(ValidationError):
        UseLine(" ", Decimal(1), "pieces", Decimal(1))
