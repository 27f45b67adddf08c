"""Working days of member states: the unit of consultation deadlines (Art. 5(5) [unverified], Art. 14(2))."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.domain.duediligence import (
    CONSULTATION_WORKING_DAYS,
    add_working_days,
    is_working_day,
    view_deadline,
    working_days_between,
)
from dualuse.domain.errors import ValidationError
from dualuse.domain.union import EU_MEMBER_STATES

states = st.sampled_from(sorted(EU_MEMBER_STATES))
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
counts = st.integers(min_value=0, max_value=70)


@given(start=days, n=counts, state=states)
def test_the_result_is_a_working_day_after_start(start: date, n: int, state: str) -> None:
    end = add_working_days(start, n, state)
    if n == 0:
        assert end == start
    else:
        assert end > start
        assert is_working_day(end, state)


@given(start=days, n=counts, state=states)
def test_counting_back_gives_the_same_number(start: date, n: int, state: str) -> None:
    end = add_working_days(start, n, state)
    assert working_days_between(start, end, state) == n
    assert working_days_between(end, start, state) == -n


@given(start=days, n=st.integers(min_value=1, max_value=70), state=states)
def test_each_working_day_moves_the_result(start: date, n: int, state: str) -> None:
    assert add_working_days(start, n, state) > add_working_days(start, n - 1, state)


CONCRETE = [
    # (state, start, working days, expected, why)
    ("DE", date(2026, 12, 24), 1, date(2026, 12, 28), "25 and 26 Dec are holidays, 26-27 the weekend"),
    ("DE", date(2026, 12, 23), 2, date(2026, 12, 28), "24 Dec is a working day in DE (nationwide)"),
    ("FR", date(2026, 7, 13), 1, date(2026, 7, 15), "14 July, Fête nationale"),
    ("DE", date(2026, 7, 13), 1, date(2026, 7, 14), "14 July is an ordinary day in DE"),
    ("NL", date(2026, 4, 24), 1, date(2026, 4, 28), "27 April 2026 (Monday) is King's Day"),
    ("BE", date(2026, 4, 24), 1, date(2026, 4, 27), "King's Day is Dutch only"),
    ("DE", date(2026, 12, 30), 2, date(2027, 1, 4), "year boundary: 1 Jan 2027 holiday, then the weekend"),
    ("FR", date(2026, 12, 31), 1, date(2027, 1, 4), "year boundary from the last day of the year"),
    (
        "GR",
        date(2026, 4, 9),
        1,
        date(2026, 4, 14),
        "Orthodox Good Friday 10 April, Easter Monday 13 April 2026",
    ),
    ("DE", date(2026, 4, 9), 1, date(2026, 4, 10), "Western Easter 2026 was a week earlier"),
    ("DE", date(2026, 12, 26), 0, date(2026, 12, 26), "zero days returns the start, even a holiday"),
]


@pytest.mark.parametrize(
    ("state", "start", "n", "expected"),
    [c[:4] for c in CONCRETE],
    ids=[f"{c[0]} {c[1]} +{c[2]}: {c[4]}" for c in CONCRETE],
)
def test_concrete_deadlines(state: str, start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n, state) == expected


def test_the_view_deadline_is_thirty_working_days() -> None:
    """Art. 5(5) [unverified]: 30 working days; in DE from 1 Dec 2026 they run over Christmas and New Year."""
    assert CONSULTATION_WORKING_DAYS == 30
    assert view_deadline(date(2026, 12, 1), "DE") == date(2027, 1, 14)
    assert working_days_between(date(2026, 12, 1), date(2027, 1, 14), "DE") == 30


def test_member_states_are_iso_codes() -> None:
    assert add_working_days(date(2026, 3, 24), 1, "gr") == date(2026, 3, 26)  # 25 March, Independence Day
    with pytest.raises(ValidationError, match="GR"):
        add_working_days(date(2026, 3, 24), 1, "EL")
    with pytest.raises(ValidationError) as raised:
        add_working_days(date(2026, 3, 24), 1, "US")
    assert raised.value.field == "member_state"


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        add_working_days(date(2026, 1, 5), -1, "DE")
    assert raised.value.field == "days"
