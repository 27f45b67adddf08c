"""Migrations run unchanged on SQLite and PostgreSQL, from empty to head and back."""

from __future__ import annotations

from sqlalchemy import inspect

from dualuse.adapters.db import migrate
from dualuse.adapters.db.engine import make_engine
from dualuse.adapters.db.tables import metadata


def test_empty_to_head_creates_every_table(database_url: str) -> None:
    engine = make_engine(database_url)
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    tables = set(inspect(engine).get_table_names())
    assert set(metadata.tables) <= tables
    engine.dispose()


def test_the_migrated_schema_matches_the_tables(database_url: str) -> None:
    """Every column that the code's tables declare exists after migrating (no drift)."""
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    inspector = inspect(engine)
    for table in metadata.sorted_tables:
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        assert {c.name for c in table.columns} == columns, table.name
    engine.dispose()


def test_downgrade_to_empty_and_up_again(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert not set(metadata.tables) & set(inspect(engine).get_table_names())
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    engine.dispose()
