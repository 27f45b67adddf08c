"""``dualuse documents import-uploads``: evidence files from the upload folder of an older version into the
database's document store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from dualuse.entrypoints.cli.common import container, operator_actor
from dualuse.services.documents.legacy import import_uploads

app = typer.Typer(help="Documents (evidence files) kept in the database.", no_args_is_help=True)
console = Console(width=160)


@app.command("import-uploads")
def import_uploads_command(
    folder: Annotated[
        Path | None,
        typer.Option(help="the old upload folder (default DUALUSE_UPLOAD_DIR, var/uploads)", file_okay=False),
    ] = None,
) -> None:
    """Copy the evidence files that recorded steps refer to from this machine's upload folder into the database
    (before migration 0014 they were kept on the disk of the machine that took them). Run it on every machine
    that took uploads; files already in the database are skipped, the folder is left as it is."""
    with container() as c:
        source = (folder or c.settings.upload_dir).resolve()

        def read(name: str) -> bytes | None:
            path = source / Path(name).name  # a bare file name: never a path out of the folder
            return path.read_bytes() if path.is_file() else None

        with c.uow() as uow:
            report = import_uploads(uow, read, actor=operator_actor())
    console.print(
        f"{report.copied} file(s) copied into the database, {report.already_held} already there, "
        f"{len(report.missing)} not in {source}, {len(report.damaged)} whose content no longer matches its digest."
    )
    for name in report.damaged:
        console.print(f"[yellow]not copied (damaged):[/] {name}")
