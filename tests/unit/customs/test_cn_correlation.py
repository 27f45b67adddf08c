"""The correlation of CN codes with Annex I entries (a lookup aid): CN codes as customs writes them, the most
specific row first, and no row without its source."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.adapters.sources.annex_i import load_history
from dualuse.adapters.sources.cn_correlation import load_cn_correlation
from dualuse.domain.controllist import ControlCode
from dualuse.domain.customs import CnCorrelation, CorrelationRow
from dualuse.domain.errors import ValidationError

ROWS = CnCorrelation.of(
    [
        CorrelationRow("85", (ControlCode.parse("3A001"),), "chapter", "test"),
        CorrelationRow("8542", (ControlCode.parse("3A501"),), "heading", "test", verified=True),
        CorrelationRow("8542 31", (ControlCode.parse("3A001"),), "subheading", "test"),
    ]
)


def test_the_most_specific_row_comes_first_and_each_entry_once() -> None:
    assert [r.cn for r in ROWS.for_cn("8542.31.90")] == ["854231", "8542", "85"]
    assert ROWS.candidates("8542 31 90") == (ControlCode.parse("3A001"), ControlCode.parse("3A501"))


def test_a_heading_finds_the_rows_below_it() -> None:
    assert {r.cn for r in ROWS.for_cn("85")} == {"85", "8542", "854231"}
    assert ROWS.candidates("85") == (ControlCode.parse("3A001"),)


def test_a_code_no_row_covers_gives_no_advice() -> None:
    assert ROWS.for_cn("0101") == ()
    assert ROWS.advice("0101") is None


def test_advice_says_whether_the_rows_are_verified() -> None:
    assert "not verified" in (ROWS.advice("85423190") or "")
    only_verified = CnCorrelation.of([CorrelationRow("8542", (ControlCode.parse("3A501"),), "h", "s", True)])
    assert "not verified" not in (only_verified.advice("8542") or "")


@pytest.mark.parametrize("text", ["", "8", "abcd", "85423190123", "85-42"])
def test_text_that_is_not_a_cn_code_is_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        ROWS.for_cn(text)


@given(st.text(alphabet="0123456789", min_size=2, max_size=10), st.sampled_from(["", " ", "."]))
def test_separators_do_not_change_the_answer(digits: str, separator: str) -> None:
    spaced = separator.join(digits[i : i + 2] for i in range(0, len(digits), 2)) if separator else digits
    assert ROWS.for_cn(spaced) == ROWS.for_cn(digits)


def test_a_cn_code_given_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="more than one"):
        CnCorrelation.of([CorrelationRow("8542", (ControlCode.parse("3A001"),), "", "s")] * 2)


def test_the_shipped_rows_name_entries_of_the_list_in_force_and_say_they_are_unverified() -> None:
    """Every entry a shipped row names is listed in the latest list version; the rows are the platform's own
    reading (the Commission's table was not obtained), so none is marked verified."""
    correlation = load_cn_correlation()
    latest = load_history().latest
    assert len(correlation.rows) >= 30
    for row in correlation.rows:
        assert row.source
        assert not row.verified
        for code in row.entries:
            assert latest.get(code) is not None, (row.cn, code)
    assert set(correlation.candidates("8542 31 90")) == {
        ControlCode.parse("3A001"),
        ControlCode.parse("3A501"),
    }
    assert correlation.for_entry(ControlCode.parse("9A012"))[0].cn == "8806"
