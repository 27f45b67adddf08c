"""Small helpers shared by the repositories."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def new_id(result: Any) -> int:
    """The primary key an INSERT produced."""
    (inserted,) = result.inserted_primary_key
    return int(inserted)


def now() -> datetime:
    """The time a row is written, in UTC."""
    return datetime.now(UTC)


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
