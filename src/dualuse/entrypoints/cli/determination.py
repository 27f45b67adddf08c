"""``dualuse determine`` and ``dualuse determine-batch``: licence determination from the command line."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from dualuse.adapters.batch.orders_csv import determine_batch_file
from dualuse.adapters.files import atomic_path
from dualuse.domain.errors import DualUseError
from dualuse.entrypoints.cli.common import container, fail
from dualuse.services import determination

console = Console(width=160, stderr=True)


class OutputFormat(StrEnum):
    JSON = "json"
    TEXT = "text"


TEMPLATE_HELP = (
    "Fill in the case, then run `dualuse determine case.json`. activity: export, transfer, brokering, "
    "technical_assistance or transit; destination: an ISO country code or a country's name; end_user.type: "
    "government, military, commercial, research, individual, other or unknown; items[].control_code: the Annex I "
    "entry, or null if not listed; knowledge.informed / knowledge.aware: any of wmd, military_end_use, "
    "parts_of_illegally_exported_military_items, internal_repression."
)
# A case to fill in: every field the engine reads, with an example value (``determine --template``).
TEMPLATE: dict[str, object] = {
    "activity": "export",
    "exporter": {"name": "Your company", "member_state": "DE"},
    "destination": "CN",
    "end_user": {"name": "Example Research Institute", "country": "CN", "type": "research"},
    "items": [
        {
            "id": "1",
            "description": "What the item is, in a few words",
            "control_code": "5A002.a",
            "cyber_surveillance": False,
            "quantity": 1,
            "value_eur": 10000,
        }
    ],
    "knowledge": {"informed": [], "aware": []},
}


def determine(
    case: Annotated[
        Path | None, typer.Argument(help="a JSON case; `--template` prints one to fill in")
    ] = None,
    template: Annotated[
        bool, typer.Option("--template", help="print a case to fill in (JSON) and stop")
    ] = False,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="json (stdout) or text")
    ] = OutputFormat.JSON,
    organisation_id: Annotated[
        int | None,
        typer.Option(
            "--organisation-id", help="the exporter asking: its authority's notices bind the answer"
        ),
    ] = None,
) -> None:
    """Does this transaction need an authorisation, which one, and why (JSON on stdout)."""
    if template:
        typer.echo(json.dumps(TEMPLATE, indent=2, ensure_ascii=False))
        console.print(TEMPLATE_HELP)  # on stderr: the JSON on stdout stays a valid case
        return
    if case is None:
        fail(DualUseError("name a JSON case file, or run `dualuse determine --template > case.json` first"))
    try:
        data = json.loads(case.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(DualUseError(f"cannot read {case}: {exc.strerror}"))
    except json.JSONDecodeError as exc:
        fail(DualUseError(f"{case} is not valid JSON: {exc}"))
    if not isinstance(data, dict):
        fail(DualUseError(f"{case}: expected a JSON object"))
    try:
        with container() as c, c.uow() as uow:
            answer = determination.determine_case(c.determination_inputs(uow, organisation_id), data)
    except DualUseError as exc:
        fail(exc)
    if output_format is OutputFormat.JSON:
        typer.echo(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(determination.determination_text(answer))


def determine_batch(
    orders: Annotated[Path, typer.Argument(help="CSV of order lines, one item per line")],
    output: Annotated[Path, typer.Option("-o", "--output", help="where to write the results CSV")],
    organisation_id: Annotated[
        int | None,
        typer.Option(
            "--organisation-id", help="the exporter asking: its authority's notices bind the answers"
        ),
    ] = None,
) -> None:
    """Determine every order line of a CSV; bad lines get an error message and the run goes on."""
    try:
        with (
            container() as c,
            Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console,
            ) as bar,
        ):
            task = bar.add_task("Determining", total=None)

            def advance(done: int, expected: int) -> None:
                bar.update(task, completed=done, total=expected)

            with c.uow() as uow:
                inputs = c.determination_inputs(uow, organisation_id)
            with atomic_path(output) as partial:
                summary = determine_batch_file(orders, partial, inputs, progress=advance)
    except DualUseError as exc:
        fail(exc)
    except OSError as exc:
        fail(DualUseError(f"cannot write {output}: {exc.strerror}"))
    outcomes = ", ".join(f"{n} {k}" for k, n in sorted(summary.outcomes.items()))
    console.print(
        f"{summary.lines} line(s) determined into {output}: {outcomes or 'none'}; {summary.errors} with errors."
    )
    versions = "; ".join(f"{kind} {', '.join(ids)}" for kind, ids in sorted(summary.versions.items()))
    if versions:
        console.print(f"Versions used: {versions}")
