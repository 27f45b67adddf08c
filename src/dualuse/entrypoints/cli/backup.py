"""``dualuse db backup -o FILE`` and ``dualuse db restore FILE``: a consistent copy of a SQLite database, and
its return into a fresh one. PostgreSQL is backed up with its own tools (``pg_dump -Fc`` and ``pg_restore``,
see the README), which these commands point to.

The audit anchor key is not in the backup, by design: keep it (DUALUSE_AUDIT_ANCHOR_KEY or the key file)
with the backups' keys, and give the restored database the same one, or ``audit verify`` fails its anchors.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.engine import make_url

from dualuse.config import Settings
from dualuse.domain.errors import DualUseError
from dualuse.entrypoints.cli.common import fail

console = Console(width=160)
POSTGRES_HINT = (
    "the database is PostgreSQL: back it up with `pg_dump --format=custom --file FILE DBNAME` and restore "
    "it with `pg_restore --dbname NEWDB FILE` (README, Backup and restore)"
)


def _sqlite_path() -> Path:
    """The configured SQLite database file (no app is wired: a restore must not create a key or a file)."""
    try:
        database_url = Settings().database_url
    except DualUseError as exc:
        fail(exc)
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        fail(DualUseError(POSTGRES_HINT))
    if not url.database or url.database == ":memory:":
        fail(DualUseError("an in-memory database cannot be backed up or restored"))
    return Path(url.database)


def _check_dualuse_database(path: Path) -> None:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            (verdict,) = connection.execute("PRAGMA integrity_check").fetchone()
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        fail(DualUseError(f"{path} is not a dualuse SQLite database: {exc}"))
    name = str(path)
    if verdict != "ok":
        fail(DualUseError(f"{name} is damaged: {verdict}"))
    if revision is None:
        fail(DualUseError(f"{name} is not a migrated dualuse database"))


def backup(
    output: Annotated[Path, typer.Option("-o", "--output", help="the backup file to write (must not exist)")],
) -> None:
    """Copy the SQLite database to FILE while the app may be running (SQLite's online backup: one
    consistent snapshot)."""
    source_path = _sqlite_path()
    if not source_path.exists():
        fail(DualUseError(f"there is no database at {source_path}"))
    if output.exists():
        fail(DualUseError(f"{output} exists: choose a new file name"))
    _check_dualuse_database(source_path)
    draft = output.with_name(output.name + ".partial")
    try:
        with (
            closing(sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)) as source,
            closing(sqlite3.connect(draft)) as target,
        ):
            source.backup(target)
        draft.replace(output)
    except (OSError, sqlite3.Error) as exc:
        draft.unlink(missing_ok=True)
        fail(DualUseError(f"the backup failed, nothing was written: {exc}"))
    console.print(f"Backed up {source_path} to {output}.")


def restore(
    backup_file: Annotated[Path, typer.Argument(metavar="FILE", help="a file written by `db backup`")],
) -> None:
    """Restore a backup into the configured SQLite database, which must not exist yet (restore into a fresh
    database, check it with `dualuse audit verify`, then switch over)."""
    target_path = _sqlite_path()
    if not backup_file.is_file():
        fail(DualUseError(f"there is no backup at {backup_file}"))
    _check_dualuse_database(backup_file)
    if target_path.exists() and target_path.stat().st_size > 0:
        fail(
            DualUseError(
                f"{target_path} exists: restore into a fresh database (point DUALUSE_DATABASE_URL at a new file)"
            )
        )
    draft = target_path.with_name(target_path.name + ".partial")
    try:
        target_path.parent.mkdir(parents=True, exist_ok=True)
        with (
            closing(sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)) as source,
            closing(sqlite3.connect(draft)) as target,
        ):
            source.backup(target)
        draft.replace(target_path)
    except (OSError, sqlite3.Error) as exc:
        draft.unlink(missing_ok=True)
        fail(DualUseError(f"the restore failed, nothing was written: {exc}"))
    console.print(
        f"Restored {backup_file} into {target_path}. Check it with `dualuse audit verify` (with the same "
        "audit anchor key)."
    )
