"""``dualuse audit …``: verify the hash-chained trail against its anchors, anchor and export the head, and
read the trail.

``verify [--anchor FILE]`` checks the chain, that it extends every anchor in the database, and an exported
anchor kept elsewhere; ``anchor`` signs the current head (once after upgrading a database that has events from
before anchors); ``export-anchor -o FILE`` writes the newest signed head to a file to keep off the database
(run it from cron and keep the files where the database's administrators cannot write); ``list`` prints
events, newest first.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dualuse.domain.audit import Anchor, anchor_from_document
from dualuse.domain.errors import DualUseError
from dualuse.entrypoints.cli.common import container, err_console, fail
from dualuse.services import audit

app = typer.Typer(help="The audit trail.", no_args_is_help=True)
console = Console(width=200)


def _read_anchor(path: Path) -> Anchor:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(DualUseError(f"cannot read {path}: {exc.strerror}"))
    except ValueError:
        fail(DualUseError(f"{path} is not JSON"))
    if not isinstance(document, dict):
        fail(DualUseError(f"{path} is not an audit anchor"))
    try:
        return anchor_from_document(document)
    except ValueError as exc:
        fail(DualUseError(f"{path}: {exc}"))


@app.command("verify")
def verify(
    anchor_file: Annotated[
        Path | None,
        typer.Option("--anchor", help="an anchor exported with `audit export-anchor`, kept off the database"),
    ] = None,
) -> None:
    """Check the hash chain and that it extends every anchor; exits 1 if an event was edited, deleted or
    cut from the end (even with every hash recomputed)."""
    exported = _read_anchor(anchor_file) if anchor_file is not None else None
    try:
        with container() as c, c.uow() as uow:
            report = audit.verify_trail(uow, c.anchor_key, exported)
    except DualUseError as exc:
        fail(exc)
    if not report.intact:
        for problem in report.problems:
            err_console.print(f"[bold red]event {problem.sequence}:[/] {problem.problem}", soft_wrap=True)
        err_console.print(
            f"The audit trail is broken: {len(report.problems)} problem(s) in {report.count} events.",
            soft_wrap=True,
        )
        raise typer.Exit(code=1)
    extends = f"; it extends the exported anchor of event {exported.head_sequence}" if exported else ""
    console.print(
        f"The audit trail is intact: {report.count} events verified against {report.anchors} anchor(s){extends}.",
        soft_wrap=True,
    )
    if exported is None:
        err_console.print(
            "[yellow]Note:[/] without --anchor, the newest events deleted together with their anchors by someone "
            "who controls the database would not be noticed; verify against an anchor exported with "
            "`dualuse audit export-anchor` and kept off the database.",
            soft_wrap=True,
        )


@app.command("anchor")
def anchor() -> None:
    """Sign the current head of the trail with the anchor key (each commit does so already; run this once on
    a database with events from before anchors, after checking them)."""
    try:
        with container() as c, c.uow() as uow:
            made = audit.anchor(uow, c.anchor_key)
            uow.commit()
    except DualUseError as exc:
        fail(exc)
    console.print(f"Anchored the head: event {made.head_sequence} ({made.head_hash[:16]}…).")


@app.command("export-anchor")
def export_anchor(
    output: Annotated[Path, typer.Option("-o", "--output", help="the JSON file to write")],
) -> None:
    """Write the newest signed head to a file, to keep where the database's administrators cannot write;
    `audit verify --anchor FILE` later shows that the trail still extends it."""
    try:
        with container() as c, c.uow() as uow:
            latest = audit.latest_anchor(uow, c.anchor_key)
    except DualUseError as exc:
        fail(exc)
    text = json.dumps(latest.as_document(), indent=2) + "\n"
    try:  # a temporary file renamed into place: a killed run never leaves half an anchor
        handle, draft = tempfile.mkstemp(dir=output.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        Path(draft).replace(output)
    except OSError as exc:
        fail(DualUseError(f"cannot write {output}: {exc.strerror}"))
    console.print(f"Wrote the anchor of event {latest.head_sequence} to {output}.")


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        fail(
            DualUseError(f"--since must be a date or time like 2026-12-01 or 2026-12-01T09:00, not {text!r}")
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@app.command("list")
def list_events(
    since: Annotated[str | None, typer.Option(help="from this date or time (UTC unless it says)")] = None,
    actor: Annotated[str | None, typer.Option(help="only this actor (an e-mail, or cli:NAME)")] = None,
    action: Annotated[str | None, typer.Option(help="only this action, e.g. access.refused")] = None,
    limit: Annotated[int, typer.Option(min=1, max=audit.MAX_LIMIT)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
) -> None:
    """The events of the trail, newest first (the operator reads all of it)."""
    try:
        wanted = audit.query(limit=limit, since=_since(since), actor=actor, action=action)
        with container() as c, c.uow() as uow:
            events = audit.operator_events(uow, wanted)
    except DualUseError as exc:
        fail(exc)
    if as_json:
        for e in events:
            typer.echo(
                json.dumps(
                    {
                        "sequence": e.sequence,
                        "occurred_at": e.occurred_at.isoformat(),
                        "actor": e.actor,
                        "action": e.action,
                        "entity_type": e.entity_type,
                        "entity_id": e.entity_id,
                        "before": e.before,
                        "after": e.after,
                        "reason": e.reason,
                        "organisation_id": e.organisation_id,
                        "member_state": e.member_state,
                    },
                    ensure_ascii=False,
                    default=str,
                )
            )
        return
    if not events:
        console.print("No event matches.")
        return
    table = Table(title="Audit trail, newest first")
    for column in ("#", "when (UTC)", "actor", "action", "entity", "detail"):
        table.add_column(column, overflow="fold")
    for e in events:
        detail = json.dumps(e.after, ensure_ascii=False, default=str) if e.after else (e.reason or "")
        table.add_row(  # Text, not markup: what users typed is shown as typed
            str(e.sequence),
            e.occurred_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            Text(e.actor),
            Text(e.action),
            Text(f"{e.entity_type} {e.entity_id}"),
            Text(detail[:120]),
        )
    console.print(table)
