"""``dualuse list-changes``: the changes to the control list (issue 15), and entering those due into force
(what the job queued at adoption does, for an operator or a cron job)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from dualuse.entrypoints.cli.common import JsonOption, container, show_table
from dualuse.services.listchange import service as listchange

app = typer.Typer(help="Changes to the control list: drafts, comments, adoption.", no_args_is_help=True)
console = Console(width=160)


@app.command("list")
def list_changes(as_json: JsonOption = False) -> None:
    """Every list change, drafts too: proposer, status and dates."""
    with container() as c, c.uow() as uow:
        changes = uow.list_changes.list()
    table = Table(title="List changes")
    for column in ("id", "proposer", "title", "status", "comments until", "takes effect"):
        table.add_column(column)
    for stored in changes:
        change = stored.change
        table.add_row(
            str(change.id),
            change.proposer,
            change.title,
            change.status.value,
            change.comment_period_end.isoformat() if change.comment_period_end else "",
            change.effective_from.isoformat() if change.effective_from else "",
        )
    show_table(console, table, as_json)


@app.command("enter-into-force")
def enter_into_force() -> None:
    """Every adopted change whose effective date has come enters into force, and those it touches are
    notified (the worker does this at the date; run it if no worker ran then)."""
    with container() as c, c.uow() as uow:
        moved = listchange.enter_due_into_force(uow, actor="cli")
    console.print(f"{len(moved)} list change(s) entered into force" + (f": {moved}" if moved else ""))
