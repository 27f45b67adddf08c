"""``dualuse rules status``: how far the shipped determination rules are verified, area by area."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from dualuse.adapters.sources.rulebook import load_rulebook
from dualuse.domain.errors import DualUseError
from dualuse.domain.rules.status import rulebook_status
from dualuse.entrypoints.cli.common import JsonOption, fail

app = typer.Typer(
    help="The determination rules (Reg. (EU) 2021/821 and sanctions) as data.", no_args_is_help=True
)
console = Console(width=160)


class StatusFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


@app.command("status")
def status(
    rules_dir: Annotated[
        Path | None, typer.Option("--rules-dir", help="a rules directory (default: the shipped rules)")
    ] = None,
    output_format: Annotated[StatusFormat, typer.Option("--format", help="text or json")] = StatusFormat.TEXT,
    sources: Annotated[bool, typer.Option("--sources/--no-sources", help="list every source")] = True,
    as_json: JsonOption = False,
) -> None:
    """Per area (Annex I, general authorisations, embargoes, sanctions regimes, catch-alls, national
    measures): how many rules, how many verified against a named source, which are not, and the sources."""
    try:
        rulebook = load_rulebook(rules_dir)
    except DualUseError as exc:
        fail(exc)
    areas = rulebook_status(rulebook)
    if as_json or output_format is StatusFormat.JSON:
        typer.echo(
            json.dumps({"rules_version": rulebook.version, "areas": [a.to_dict() for a in areas]}, indent=2)
        )
        return
    table = Table(title=f"Rules {rulebook.version}: verified against a named source")
    for column in ("area", "rules", "verified", "not verified", *(("sources",) if sources else ())):
        table.add_column(column, overflow="fold")
    for area in areas:
        row = [area.area, str(area.rules), str(area.verified), ", ".join(area.unverified) or "-"]
        if sources:
            row.append("\n".join(f"- {s}" for s in area.sources) or "-")
        table.add_row(*row)
    console.print(table)
    total = sum(a.rules for a in areas)
    console.print(f"{sum(a.verified for a in areas)} of {total} rules verified.")
