"""Small helpers shared by the repositories."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


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


def insert_or(connection: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT of the connection's dialect, which can say what to do on a conflict
    (``on_conflict_do_nothing`` / ``on_conflict_do_update``: the same on PostgreSQL and SQLite)."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
