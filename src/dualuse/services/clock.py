"""The calendar day in the Union's time, the default date of anything that applies "today"."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_BRUSSELS = "Europe/Brussels"


def today_in_brussels() -> date:
    """Today's date where the Commission sits: legal acts apply from a calendar day in the Union's time."""
    try:
        return datetime.now(ZoneInfo(_BRUSSELS)).date()
    except ZoneInfoNotFoundError:  # no time zone database: UTC is at most two hours off
        return datetime.now(UTC).date()
