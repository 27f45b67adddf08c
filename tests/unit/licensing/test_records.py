"""Record retention, Art. 27: at least five years from the end of the calendar year."""

from __future__ import annotations

from datetime import date

import pytest

from dualuse.domain.errors import ValidationError
from dualuse.domain.licensing import may_delete, retention_until


@pytest.mark.parametrize(
    ("record_date", "until"),
    [
        (date(2026, 1, 1), date(2031, 12, 31)),
        (date(2026, 6, 15), date(2031, 12, 31)),
        (date(2026, 12, 31), date(2031, 12, 31)),
        (date(2027, 1, 1), date(2032, 12, 31)),
        (date(2024, 2, 29), date(2029, 12, 31)),
    ],
)
def test_retention_until(record_date: date, until: date) -> None:
    assert retention_until(record_date) == until


@pytest.mark.parametrize(
    ("record_date", "today", "deletable"),
    [
        (date(2026, 12, 31), date(2031, 12, 31), False),  # last day of retention
        (date(2026, 12, 31), date(2032, 1, 1), True),  # first day after
        (date(2026, 1, 1), date(2031, 12, 31), False),
        (date(2026, 1, 1), date(2032, 1, 1), True),
        (date(2027, 1, 1), date(2032, 1, 1), False),  # one day later, one year longer
        (date(2027, 1, 1), date(2033, 1, 1), True),
        (date(2026, 6, 1), date(2026, 6, 1), False),
    ],
)
def test_may_delete(record_date: date, today: date, deletable: bool) -> None:
    assert may_delete(record_date, today) is deletable


def test_retention_beyond_year_9999_is_refused() -> None:
    with pytest.raises(ValidationError, match="9999"):
        retention_until(date(9995, 1, 1))
