"""The clock the use cases read: today is the calendar day in Brussels (where a legal act's day begins), a
manual clock stands still until moved and refuses a time without its zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from dualuse.services.clock import ManualClock, SystemClock, brussels_day


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (datetime(2026, 7, 1, 21, 59, tzinfo=UTC), date(2026, 7, 1)),  # 23:59 in Brussels (summer time)
        (datetime(2026, 7, 1, 22, 0, tzinfo=UTC), date(2026, 7, 2)),  # midnight in Brussels
        (datetime(2026, 12, 31, 22, 59, tzinfo=UTC), date(2026, 12, 31)),  # 23:59 in winter
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), date(2027, 1, 1)),
    ],
)
def test_today_is_the_day_in_brussels(moment: datetime, day: date) -> None:
    assert brussels_day(moment) == day
    assert ManualClock(moment).today() == day


def test_a_moment_without_a_time_zone_is_read_as_utc_as_the_database_stores_it() -> None:
    stored = datetime(2026, 12, 6, 23, 30, tzinfo=UTC).replace(tzinfo=None)  # as SQLite gives it back
    assert brussels_day(stored) == date(2026, 12, 7)
    assert brussels_day(stored - timedelta(minutes=31)) == date(2026, 12, 6)


def test_a_manual_clock_stands_still_until_moved() -> None:
    clock = ManualClock(datetime(2026, 3, 2, 12, tzinfo=UTC))
    assert clock.now() == clock.now()
    clock.advance(timedelta(days=40))
    assert clock.now() == datetime(2026, 4, 11, 12, tzinfo=UTC)
    clock.advance(timedelta(days=-41))
    assert clock.today() == date(2026, 3, 1)
    clock.set(datetime(2027, 1, 1, tzinfo=UTC))
    assert clock.today() == date(2027, 1, 1)
    with pytest.raises(ValueError, match="time zone"):
        ManualClock(datetime(2026, 3, 2, 12))  # noqa: DTZ001 - the naive time it refuses
    with pytest.raises(ValueError, match="time zone"):
        clock.set(datetime(2026, 3, 2, 12))  # noqa: DTZ001 - the naive time it refuses


def test_the_system_clock_is_aware_and_its_today_follows_its_now() -> None:
    clock = SystemClock()
    now = clock.now()
    assert now.tzinfo is not None
    assert clock.today() in {brussels_day(now), brussels_day(clock.now())}
