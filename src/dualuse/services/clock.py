"""The time of the use cases: the calendar day in the Union's time (the default date of anything that
applies "today") and the moment an event is recorded, both read from one injected ``Clock``.

Use cases read the time from the unit of work's clock (``uow.clock``), so that a test moves time on by
advancing a ``ManualClock`` instead of back-dating rows in the database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_BRUSSELS = "Europe/Brussels"


def brussels_day(moment: datetime) -> date:
    """The calendar day of ``moment`` where the Commission sits (UTC when there is no time zone database:
    at most two hours off). A moment without a time zone is read as UTC, as the database stores it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(ZoneInfo(_BRUSSELS)).date()
    except ZoneInfoNotFoundError:
        return moment.astimezone(UTC).date()


def today_in_brussels() -> date:
    """Today's date where the Commission sits: legal acts apply from a calendar day in the Union's time."""
    return brussels_day(datetime.now(UTC))


class Clock(Protocol):
    """Where a use case reads the time."""

    def now(self) -> datetime:
        """The current moment, time-zone aware."""
        ...

    def today(self) -> date:
        """Today in the Union's time (``brussels_day`` of ``now``)."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return brussels_day(self.now())


SYSTEM_CLOCK = SystemClock()


class ManualClock:
    """A clock that stands still until moved: tests set it, advance it past a deadline or a session's idle
    time, or turn it back to record something "as if made back then"."""

    def __init__(self, at: datetime | None = None) -> None:
        at = at if at is not None else datetime.now(UTC)
        if at.tzinfo is None:
            raise ValueError("a clock's time carries its time zone")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def today(self) -> date:
        return brussels_day(self._at)

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a clock's time carries its time zone")
        self._at = at

    def advance(self, by: timedelta) -> None:
        """Move the clock on by ``by`` (back, when negative)."""
        self._at += by
