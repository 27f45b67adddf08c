"""What every command shares: the wired application for one command, and one way to fail."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NoReturn

import typer
from rich.console import Console

from dualuse.bootstrap import Container, bootstrap
from dualuse.config import Settings
from dualuse.domain.errors import DualUseError

err_console = Console(stderr=True)


@contextmanager
def container() -> Iterator[Container]:
    """The wired application for one command; its database connections are closed afterwards."""
    try:
        c = bootstrap(Settings())
    except DualUseError as exc:
        fail(exc)
    try:
        yield c
    finally:
        c.engine.dispose()


def fail(exc: DualUseError) -> NoReturn:
    """Print a clear message and exit with status 2: nothing was changed."""
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
