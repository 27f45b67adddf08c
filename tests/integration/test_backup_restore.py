"""Backup and restore (issue 11, "Also"): a backup restored into a fresh database passes `dualuse audit
verify` there, chain and anchors, given the same anchor key — SQLite with `dualuse db backup` / `db restore`,
PostgreSQL with pg_dump / pg_restore as the README says."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from dualuse.adapters.anchor_key import default_key_file
from dualuse.adapters.db import migrate
from dualuse.bootstrap import Container, bootstrap
from dualuse.config import Environment, Settings
from dualuse.entrypoints.cli.main import app
from dualuse.services import audit

runner = CliRunner()


def write_events(container: Container) -> None:
    for n in range(3):
        with container.uow() as uow:
            audit.record(uow, actor="tester", action="test.done", entity_type="test", entity_id=n)
            uow.commit()


def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Container:
    """A migrated database the commands below work on (one backend per test: no skipped twins)."""
    settings = Settings(
        env=Environment.TEST, database_url=database_url, secret_key="test-secret-key-" + "x" * 32
    )
    container = bootstrap(settings)
    migrate.upgrade(container.engine)
    monkeypatch.setenv("DUALUSE_DATABASE_URL", database_url)
    monkeypatch.setenv("DUALUSE_SECRET_KEY", settings.secret_key)
    # the key travels apart from the backup: the restored database is checked with the original one
    monkeypatch.setenv("DUALUSE_AUDIT_ANCHOR_KEY_FILE", str(default_key_file(database_url)))
    return container


def verified(count: int) -> None:
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"{count} events verified against 3 anchor(s)" in result.output


def test_sqlite_backup_restores_into_a_fresh_database_that_verifies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    container = cli_env(f"sqlite:///{tmp_path / 'live.db'}", monkeypatch)
    write_events(container)
    container.engine.dispose()
    backup = tmp_path / "backup.db"
    made = runner.invoke(app, ["db", "backup", "-o", str(backup)])
    assert made.exit_code == 0, made.output
    again = runner.invoke(app, ["db", "backup", "-o", str(backup)])
    assert again.exit_code == 2  # never overwrites a backup
    fresh = tmp_path / "restored" / "dualuse.db"
    monkeypatch.setenv("DUALUSE_DATABASE_URL", f"sqlite:///{fresh}")
    restored = runner.invoke(app, ["db", "restore", str(backup)])
    assert restored.exit_code == 0, restored.output
    verified(3)
    over = runner.invoke(app, ["db", "restore", str(backup)])
    assert over.exit_code == 2  # never restores over a database
    assert "fresh database" in over.output


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    result = runner.invoke(app, ["db", "restore", str(junk)])
    assert result.exit_code == 2
    assert "not a dualuse SQLite database" in result.output


@pytest.mark.postgres
def test_postgresql_dump_restores_into_a_fresh_database_that_verifies(
    postgres_server_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.fail("pg_dump and pg_restore are needed (Debian: postgresql-client)")
    engine = create_engine(postgres_server_url)
    with engine.begin() as conn:  # the session's database, wiped as the database_url fixture does
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    container = cli_env(postgres_server_url, monkeypatch)
    write_events(container)
    container.engine.dispose()
    source = make_url(postgres_server_url)
    hint = runner.invoke(app, ["db", "backup", "-o", str(tmp_path / "x")])
    assert hint.exit_code == 2
    assert "pg_dump" in hint.output
    dump = tmp_path / "dualuse.dump"
    connection = ["--host", source.host or "127.0.0.1", "--port", str(source.port or 5432)]
    connection += ["--username", source.username or "postgres"]
    subprocess.run(
        ["pg_dump", *connection, "--format=custom", "--file", str(dump), source.database or ""], check=True
    )
    fresh = f"dualuse_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(source.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{fresh}"'))
    try:
        subprocess.run(
            ["pg_restore", *connection, "--dbname", fresh, "--exit-on-error", str(dump)], check=True
        )
        monkeypatch.setenv(
            "DUALUSE_DATABASE_URL", source.set(database=fresh).render_as_string(hide_password=False)
        )
        verified(3)
        restored = create_engine(source.set(database=fresh))
        with restored.connect() as conn:  # the append-only triggers came back with the schema
            triggers = conn.execute(
                text("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'audit_%' AND NOT tgisinternal")
            ).scalar_one()
        restored.dispose()
        assert triggers == 4
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)'))
        admin.dispose()
