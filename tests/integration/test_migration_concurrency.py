"""The migration that adds the unique indexes behind the concurrency fixes (F4, F20): on a database
that holds duplicates left by races before it, it refuses with the rows to resolve and changes nothing;
once they are resolved it runs, on SQLite and PostgreSQL, and back down."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from dualuse.adapters.db import migrate
from dualuse.adapters.db.engine import make_engine


def _concurrency_revision(engine: Engine) -> tuple[str, str]:
    """(revision, the one before it) of the migration, found by what it does (its number is the
    integrator's to choose)."""
    script = ScriptDirectory.from_config(migrate.alembic_config(engine))
    found = next(
        r for r in script.walk_revisions() if "(security review F4, F20)" in (r.module.__doc__ or "")
    )
    assert isinstance(found.down_revision, str)
    return found.revision, found.down_revision


def _report(engine: Engine, period_start: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO eugea_reports (organisation_id, eugea_id, period_start, period_end, shipments, "
                "value_eur, destinations, submitted_by, submitted_at) VALUES (1, 'EU001', :start, :start, 0, "
                "'0', '[]', 'a@acme.example', :at)"
            ),
            {"start": period_start, "at": datetime.now(UTC)},
        )


def test_duplicates_from_before_are_refused_then_the_upgrade_runs(database_url: str) -> None:
    engine = make_engine(database_url)
    revision, before = _concurrency_revision(engine)
    migrate.upgrade(engine, before)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO organisations (kind, name, created_at) VALUES ('exporter', 'Acme', :at)"),
            {"at": datetime.now(UTC)},
        )
    _report(engine, "2026-01-01")
    _report(engine, "2026-01-01")  # two reports of one period, sent at once before the fix
    with pytest.raises(RuntimeError, match=r"eugea_reports holds 1 group.*period_start=2026-01-01"):
        migrate.upgrade(engine, revision)
    assert migrate.current_revision(engine) == before
    assert "licence_number_counters" not in inspect(engine).get_table_names()
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM eugea_reports WHERE id = (SELECT MAX(id) FROM eugea_reports)"))
    migrate.upgrade(engine, revision)
    assert "licence_number_counters" in inspect(engine).get_table_names()
    migrate.downgrade(engine, before)
    assert "licence_number_counters" not in inspect(engine).get_table_names()
    engine.dispose()
