"""Art. 21 holds and the usage feed parser: working days skip weekends, a hold is extended once and then
released or refused, the periods are data marked unverified; the parser refuses what does not fit and never
raises anything but ``ValidationError`` (Hypothesis)."""

from __future__ import annotations

import contextlib
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.adapters.sources.customs_data import load_hold_limits
from dualuse.domain import customs as cu
from dualuse.domain.errors import ConflictError, ValidationError

LIMITS = load_hold_limits()


def test_the_shipped_periods_say_they_are_unverified() -> None:
    assert (LIMITS.working_days, LIMITS.extended_working_days) == (10, 30)
    assert LIMITS.verified is False
    assert "Art. 21(4)" in LIMITS.source


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 12, 4), 1, date(2026, 12, 7)),  # Friday + 1 working day: Monday
        (date(2026, 12, 5), 10, date(2026, 12, 18)),  # from a Saturday
        (date(2026, 12, 7), 5, date(2026, 12, 14)),
    ],
)
def test_working_days(start: date, days: int, expected: date) -> None:
    assert cu.add_working_days(start, days) == expected


@given(start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)), days=st.integers(1, 60))
def test_working_days_never_end_on_a_weekend(start: date, days: int) -> None:
    end = cu.add_working_days(start, days)
    assert end.weekday() < 5
    assert (end - start).days >= days


def _hold() -> cu.Hold:
    hold, event = cu.new_hold(
        1,
        customs_state="FR",
        authority_state="DE",
        licence_number="DE-2026-000001",
        declaration="26FR1",
        ground="a_ii",
        note="changed",
        held_by="douane",
        today=date(2026, 12, 7),
        limits=LIMITS,
    )
    assert event.name == "ShipmentSuspended"
    return hold


def test_a_hold_is_extended_once_then_released_and_is_overdue_only_while_held() -> None:
    hold = _hold()
    assert hold.deadline == date(2026, 12, 21)
    assert hold.overdue(date(2026, 12, 22))
    extended, _ = cu.decide_hold(hold, "extend", actor="bafa", note="embassy", limits=LIMITS)
    assert extended.deadline == cu.add_working_days(date(2026, 12, 7), 30)
    assert extended.status is cu.HoldStatus.HELD
    with pytest.raises(ConflictError):
        cu.decide_hold(extended, "extend", actor="bafa", note="again", limits=LIMITS)
    with pytest.raises(ConflictError):
        cu.decide_hold(extended, "release", actor="bafa", note="x", limits=LIMITS, expected_version=1)
    released, event = cu.decide_hold(extended, "release", actor="bafa", note="maintained", limits=LIMITS)
    assert (event.name, released.status) == ("ShipmentReleased", cu.HoldStatus.RELEASED)
    assert not released.overdue(date(2027, 6, 1))
    with pytest.raises(ConflictError):
        cu.decide_hold(released, "refuse", actor="bafa", note="x", limits=LIMITS)


def test_a_hold_needs_a_ground_of_art_21_3_and_a_reason() -> None:
    with pytest.raises(ValidationError):
        cu.new_hold(
            1,
            customs_state="FR",
            authority_state="DE",
            licence_number="",
            declaration="x",
            ground="c",
            note="n",
            held_by="d",
            today=date(2026, 12, 7),
            limits=LIMITS,
        )
    with pytest.raises(ValidationError):
        cu.new_hold(
            1,
            customs_state="FR",
            authority_state="DE",
            licence_number="",
            declaration="x",
            ground="b",
            note=" ",
            held_by="d",
            today=date(2026, 12, 7),
            limits=LIMITS,
        )


def test_a_usage_record_is_parsed_exactly() -> None:
    (record,) = cu.parse_usage(
        {
            "format": "dualuse-usage",
            "version": 1,
            "records": [
                {
                    "licence": "de-2026-000001",
                    "line": 2,
                    "quantity": "1.5",
                    "value_eur": "10.00",
                    "declaration": "26DE1",
                    "accepted_on": "2026-12-05",
                }
            ],
        }
    )
    assert record == cu.UsageRecord(
        "DE-2026-000001", 2, Decimal("1.5"), Decimal("10.00"), "26DE1", date(2026, 12, 5)
    )


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
        max_leaves=12,
    )
)
def test_the_usage_parser_refuses_anything_else_cleanly(junk: object) -> None:
    document = {"format": "dualuse-usage", "version": 1, "records": junk}
    with contextlib.suppress(ValidationError):  # a clear refusal is fine; any other exception fails
        cu.parse_usage(document)
