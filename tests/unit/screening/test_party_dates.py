"""A party's date of birth is a real date or it is refused with words that say why (form, API and CLI
alike use `partial_date_problem`): "1999-13-45" once passed as a date because it had the right shape."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.domain.screening.normalise import partial_date_problem


@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 12, 31)))
def test_every_calendar_date_and_its_month_and_year_are_real(day: date) -> None:
    assert partial_date_problem(day.isoformat()) is None
    assert partial_date_problem(day.isoformat()[:7]) is None
    assert partial_date_problem(day.isoformat()[:4]) is None
    assert partial_date_problem(f" {day.isoformat()} ") is None  # as typed, with spaces around


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1999-13-45", "month"),
        ("1999-00", "month"),
        ("1999-02-30", "February 1999 has no day 30"),
        ("2023-02-29", "February 2023 has no day 29"),
        ("1999-04-31", "April 1999 has no day 31"),
        ("1999-04-00", "April 1999 has no day 0"),
        ("0999-01-01", "between 1800 and 2100"),
        ("31/12/1970", "year-month-day"),
        ("1970-1-2", "year-month-day"),
        ("19700102", "year-month-day"),
        ("born 1970", "year-month-day"),
    ],
)
def test_a_date_that_is_no_date_is_refused_with_the_reason(text: str, words: str) -> None:
    problem = partial_date_problem(text)
    assert problem is not None
    assert words in problem


def test_the_29th_of_february_of_a_leap_year_is_real() -> None:
    assert partial_date_problem("2024-02-29") is None
    assert partial_date_problem("2000-02-29") is None
    assert partial_date_problem("1900-02-29") is not None  # 1900 was no leap year
