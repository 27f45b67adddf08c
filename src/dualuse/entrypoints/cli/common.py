"""What every command shares: the wired application for one command, and one way to fail."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
