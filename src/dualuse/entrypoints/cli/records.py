"""``dualuse records …``: the records an exporter keeps (Art. 27), for the operator.

``export ORG_ID --output FILE`` writes everything the exporter keeps, as ``GET
/api/v1/organisations/{id}/records`` gives it, to a JSON file. ``purgeable [--as-of DATE]`` lists the records
past their retention period on a day; it deletes nothing.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from dualuse.adapters.files import write_text_atomically
from dualuse.domain import licensing as lic
from dualuse.domain.errors import DualUseError
from dualuse.domain.identity import OrganisationKind, Permission, Principal
from dualuse.entrypoints.cli.common import JsonOption, container, fail, operator_actor, show_table
from dualuse.services import audit
from dualuse.services import records as svc
from dualuse.services.clock import today_in_brussels

app = typer.Typer(help="The exporter's records (Art. 27): export and retention.", no_args_is_help=True)
console = Console(width=160)


def operator_for(organisation_id: int) -> Principal:
    """The operator, reading one exporter's records as its own members may (Art. 27: produced on request).

    ``Principal.system`` acts as the Commission, which ``records.export`` rightly refuses; the operator
    holds the database anyway, so it reads as the exporter would, with no other permission.
    """
    return Principal(
        0,
        operator_actor(),
        None,
        organisation_id,
        OrganisationKind.EXPORTER,
        None,
        frozenset({Permission.VIEW_ORGANISATION}),
    )


def _counts(content: dict[str, Any]) -> str:
    return ", ".join(
        f"{len(value)} {key.replace('_', ' ')}" for key, value in content.items() if isinstance(value, list)
    )


@app.command("export")
def export(
    organisation_id: Annotated[int, typer.Argument(metavar="ORG_ID", min=1, help="the exporter's id")],
    output: Annotated[Path, typer.Option("-o", "--output", help="the JSON file to write")],
) -> None:
    """Write everything one exporter keeps (Art. 27) to a JSON file.

    Each record carries its date and ``retain_until``, the last day it must be kept."""
    try:
        with container() as c, c.uow() as uow:
            operator = operator_for(organisation_id)
            content = svc.export(uow, operator, organisation_id)
            audit.record_download(uow, operator, "records_export", organisation_id, organisation_id)
    except DualUseError as exc:
        fail(exc)
    text = json.dumps(content, indent=2, ensure_ascii=False) + "\n"
    try:
        write_text_atomically(output, text)
    except OSError as exc:
        fail(DualUseError(f"cannot write {output}: {exc.strerror}"))
    organisation = content["organisation"]
    console.print(
        f"Wrote the records of [bold]{organisation['name']}[/] (organisation {organisation['id']}) "
        f"to {output}: {_counts(content)}."
    )


@app.command("purgeable")
def purgeable(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="YYYY-MM-DD; today in Brussels if not given")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the records past their retention period on a day; nothing is deleted.

    Art. 27: a record is kept for five years from the end of its calendar year."""
    try:
        day = date.fromisoformat(as_of) if as_of else today_in_brussels()
    except ValueError:
        fail(DualUseError(f"--as-of must be a date like 2026-12-31, not {as_of!r}"))
    try:
        with container() as c, c.uow() as uow:
            found = svc.purgeable(uow, day)
    except DualUseError as exc:
        fail(exc)
    if not found:
        if as_json:
            typer.echo("[]")
            return
        console.print(f"No record is past its retention period on {day.isoformat()}.")
        return
    table = Table(title=f"Records past their retention period on {day.isoformat()} (Art. 27)")
    for column in ("kind", "id", "dated", "kept until"):
        table.add_column(column)
    for kind, record_id, record_date in found:
        table.add_row(
            kind, str(record_id), record_date.isoformat(), lic.retention_until(record_date).isoformat()
        )
    show_table(console, table, as_json)
    if as_json:
        return
    console.print(
        f"{len(found)} record(s) may be deleted; nothing was deleted. Deleting one is a person's decision, "
        "recorded in the audit trail."
    )
