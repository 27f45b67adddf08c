"""What every command shares: the wired application for one command, and one way to fail."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from dualuse.adapters.db import migrate
from dualuse.bootstrap import Container, bootstrap
from dualuse.config import Settings
from dualuse.domain.errors import DualUseError

err_console = Console(stderr=True)


@contextmanager
def container(*, migrated: bool = True) -> Iterator[Container]:
    """The wired application for one command; its database connections are closed afterwards. Unless
    ``migrated`` is false (``db upgrade`` itself), a database that was never migrated, or is behind this
    version of dualuse, is refused with what to run instead of an SQL error."""
    try:
        c = bootstrap(Settings())
    except DualUseError as exc:
        fail(exc)
    try:
        if migrated:
            _check_migrated(c)
        yield c
    finally:
        c.engine.dispose()


def _check_migrated(c: Container) -> None:
    try:
        current = migrate.current_revision(c.engine)
    except SQLAlchemyError as exc:
        fail(DualUseError(f"cannot open the database: {exc.__class__.__name__}: {getattr(exc, 'orig', exc)}"))
    if current is None:
        fail(DualUseError("the database has no tables yet: run `dualuse db upgrade` first"))
    head = migrate.head_revision(c.engine)
    if current != head:
        fail(
            DualUseError(
                f"the database is at revision {current}, this version of dualuse needs {head}: "
                "run `dualuse db upgrade` first"
            )
        )


def fail(exc: DualUseError) -> NoReturn:
    """Print a clear message and exit with status 2: nothing was changed."""
    err_console.print(f"[bold red]Error:[/] {exc.detail}")
    raise typer.Exit(code=2)
