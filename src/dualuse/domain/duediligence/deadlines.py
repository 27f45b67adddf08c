"""Working days of a member state: the unit of the deadlines in consultations between authorities
(Art. 5(5) [paragraph unverified], Art. 14(2)).

A working day is a day that is neither a Saturday, a Sunday nor a public holiday of the member state,
as the ``holidays`` package lists them for the whole country (regional holidays are not counted).
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

import holidays

from dualuse.domain.errors import ValidationError
from dualuse.domain.union import EU_MEMBER_STATES

_SATURDAY = 5
_ONE_DAY = timedelta(days=1)


def _member_state(code: str) -> str:
    normal = code.strip().upper()
    if normal == "EL":
        raise ValidationError("Greece is 'GR' (ISO 3166-1), not 'EL'", field="member_state")
    if normal not in EU_MEMBER_STATES:
        raise ValidationError(f"{code!r} is not the ISO code of an EU member state", field="member_state")
    return normal


@functools.lru_cache(maxsize=1024)
def _public_holidays(member_state: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(member_state, years=year).keys())


def _is_working_day(day: date, member_state: str) -> bool:
    return day.weekday() < _SATURDAY and day not in _public_holidays(member_state, day.year)


def is_working_day(day: date, member_state: str) -> bool:
    """Whether ``day`` is a working day in ``member_state`` (not a weekend, not a public holiday)."""
    return _is_working_day(day, _member_state(member_state))


def add_working_days(start: date, days: int, member_state: str) -> date:
    """The day on which ``days`` working days of ``member_state`` have passed since ``start``.

    Counting starts the day after ``start`` (the day of notification does not count); ``0`` returns
    ``start`` itself. Used for the 30 working days other member states have to give their views on an
    Art. 5 requirement (Art. 5(5) [paragraph unverified]).
    """
    if days < 0:
        raise ValidationError("the number of working days cannot be negative", field="days")
    state = _member_state(member_state)
    day = start
    remaining = days
    while remaining:
        day += _ONE_DAY
        if _is_working_day(day, state):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, member_state: str) -> int:
    """The working days of ``member_state`` after ``start`` up to and including ``end``.

    ``working_days_between(start, add_working_days(start, n, ms), ms) == n``; negative when ``end`` is
    before ``start``.
    """
    state = _member_state(member_state)
    if end < start:
        return -working_days_between(end, start, state)
    count = 0
    day = start
    while day < end:
        day += _ONE_DAY
        if _is_working_day(day, state):
            count += 1
    return count
