"""How long licensing records are kept (Art. 27 of Regulation (EU) 2021/821).

Exporters, brokers and providers of technical assistance keep their records for at least five years from
the end of the calendar year in which the export took place or the service was provided, and produce
them on request (Art. 27). The authority's own case files follow the same rule here.
"""

from __future__ import annotations

from datetime import date

from dualuse.domain.errors import ValidationError

__all__ = ["RETENTION_YEARS", "may_delete", "retention_until"]

RETENTION_YEARS = 5
"""Art. 27: at least five years from the end of the calendar year."""


def retention_until(d: date) -> date:
    """The last day a record dated ``d`` must be kept: 31 December of the fifth year after ``d``'s year
    (Art. 27: five years from the end of the calendar year)."""
    year = d.year + RETENTION_YEARS
    if year > date.max.year:
        raise ValidationError(f"a record dated {d.isoformat()} would be kept beyond year 9999", field="date")
    return date(year, 12, 31)


def may_delete(record_date: date, today: date) -> bool:
    """Whether a record dated ``record_date`` may be deleted on ``today``: only after its retention
    period has ended (Art. 27), i.e. from 1 January of the sixth year on."""
    return today > retention_until(record_date)
