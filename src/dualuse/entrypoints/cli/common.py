"""What every command shares: the wired application for one command, and one way to fail."""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from dualuse.adapters.db import migrate
from dualuse.bootstrap import Container, bootstrap
from dualuse.config import Settings
from dualuse.domain.errors import DualUseError, ValidationErrors

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
    if isinstance(exc, ValidationErrors):
        err_console.print(f"[bold red]Error:[/] {len(exc.errors)} mistakes, nothing was changed:")
        for error in exc.errors:
            err_console.print(f"  - {error.field}: {error.detail}" if error.field else f"  - {error.detail}")
    else:
        err_console.print(f"[bold red]Error:[/] {exc.detail}")
    raise typer.Exit(code=2)


OPERATOR_HELP = (
    "who is at the keyboard, recorded as the actor of what this command changes "
    "(default: DUALUSE_OPERATOR, else the name you are logged in with)"
)


def operator_name(given: str | None) -> str:
    """The operator's name as given (``--operator``, ``DUALUSE_OPERATOR``) or the OS user's; checked."""
    if given is None:
        try:
            given = getpass.getuser()
        except (OSError, KeyError):  # no login name in some containers
            given = "unknown"
    name = given.strip()
    if not name or len(name) > 80 or not name.isprintable():
        raise typer.BadParameter("give a name of 1 to 80 printable characters", param_hint="--operator")
    return name


# The operator of the command being run, set by the app's callback from --operator / DUALUSE_OPERATOR.
_operator: ContextVar[str | None] = ContextVar("dualuse_operator", default=None)


def set_operator(name: str) -> None:
    _operator.set(name)


def operator_actor() -> str:
    """The actor the audit trail records for this command: ``cli:<operator>``."""
    return f"cli:{_operator.get() or operator_name(None)}"


JsonOption = Annotated[bool, typer.Option("--json", help="print the rows as JSON instead of a table")]


def table_rows(table: Table) -> list[dict[str, str]]:
    """A rich table's rows as dictionaries keyed by its column headers (plain text)."""
    headers = [str(column.header) for column in table.columns]
    columns = [[str(cell) for cell in column.cells] for column in table.columns]
    return [dict(zip(headers, row, strict=True)) for row in zip(*columns, strict=True)]


def show_table(console: Console, table: Table, as_json: bool) -> None:
    """The table on the console, or its rows as JSON on stdout (``--json``)."""
    if as_json:
        typer.echo(json.dumps(table_rows(table), ensure_ascii=False, indent=2))
    else:
        console.print(table)
