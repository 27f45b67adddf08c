"""``dualuse handbook …``: the handbook for exporters, generated from the data in force.

``build`` records a new edition (number, date, content hash, list and rules versions, and the snapshot of
its inputs, in ``DUALUSE_HANDBOOK_DIR``) when the data changed since the last one, and says what changed.
``pdf OUT.pdf`` writes the handbook as PDF.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from dualuse.adapters.files import atomic_path
from dualuse.bootstrap import edition_store, handbook_sources
from dualuse.domain.errors import DualUseError
from dualuse.entrypoints.cli.common import JsonOption, container, fail
from dualuse.entrypoints.handbook_pdf import handbook_pdf
from dualuse.services import handbook as svc
from dualuse.services.clock import today_in_brussels

app = typer.Typer(
    help="The handbook for exporters: record an edition, write it as PDF.", no_args_is_help=True
)
console = Console(width=160)


@app.command("build")
def build(as_json: JsonOption = False) -> None:
    """Record a new edition of the handbook if the rules, list or data changed since the last one."""
    try:
        with container() as c:
            book, new = svc.publish(handbook_sources(c), edition_store(c), today_in_brussels())
            where = c.settings.handbook_dir
    except DualUseError as exc:
        fail(exc)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "edition": book.edition.number,
                    "new": new,
                    "made_on": book.edition.made_on.isoformat(),
                    "content_hash": book.edition.content_hash,
                    "list_version": book.edition.list_version,
                    "rules_version": book.edition.rules_version,
                    "changes": [{"area": x.area, "subject": x.subject, "what": x.what} for x in book.changes],
                },
                indent=2,
            )
        )
        return
    verb = "Recorded" if new else "Unchanged:"
    console.print(f"{verb} {book.edition.label} in {where}")
    for change in book.changes:
        console.print(f"  {change.area} {change.subject}: {change.what}", markup=False)


@app.command("pdf")
def pdf(output: Annotated[Path, typer.Argument(help="the PDF file to write")]) -> None:
    """Write the handbook the data gives today as PDF (WeasyPrint)."""
    try:
        with container() as c:
            book = svc.current(handbook_sources(c), edition_store(c), today_in_brussels())
    except DualUseError as exc:
        fail(exc)
    content = handbook_pdf(book)
    with atomic_path(output) as partial:
        partial.write_bytes(content)
    console.print(f"Wrote {output}: {book.edition.label}", markup=False)
