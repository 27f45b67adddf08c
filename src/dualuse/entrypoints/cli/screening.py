"""``dualuse lists …`` and ``dualuse screen``: sanctions lists and restricted-party screening.

``screen PARTIES.csv -o HITS.csv`` reads a UTF-8 CSV with a header row and the columns
``name`` (required), ``schema`` (person, organization, vessel, aircraft; blank = unknown),
``birth_date`` (YYYY, YYYY-MM or YYYY-MM-DD), ``country`` (ISO 3166-1 alpha-2) and ``identifiers``
(passport or registration numbers, separated by ``;``). It writes one line per hit with the columns
``row`` (the input line number), ``name``, ``rank``, ``score``, ``source``, ``entity_id``,
``listed_name``, ``matched_name``, ``programs``, ``explanation`` (feature: value, note; …) and
``error``; a party without hits gets one line with an empty ``rank``, a bad line one with an ``error``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from dualuse.adapters.files import atomic_path
from dualuse.adapters.sources.sanctions_formats import FORMATS, parse
from dualuse.domain.errors import DualUseError, ImportFailedError, ValidationError
from dualuse.domain.identity import Principal
from dualuse.domain.screening.engine import ScreeningEngine
from dualuse.domain.screening.model import EntitySchema, ScreeningQuery
from dualuse.domain.screening.normalise import partial_date_problem
from dualuse.domain.screening.review import DEFAULT_THRESHOLD, check_threshold
from dualuse.entrypoints.cli.common import JsonOption, container, fail, operator_actor, show_table
from dualuse.services import screening as svc
from dualuse.services.casework.evidence import rescreen_open_cases

app = typer.Typer(help="Sanctions lists: import and status.", no_args_is_help=True)
console = Console(width=160)
err_console = Console(width=160, stderr=True)

OUTPUT_COLUMNS = (
    "row",
    "name",
    "rank",
    "score",
    "source",
    "entity_id",
    "listed_name",
    "matched_name",
    "programs",
    "explanation",
    "error",
)


@app.command("import")
def import_list(
    format_name: Annotated[str, typer.Argument(metavar="FORMAT", help=", ".join(sorted(FORMATS)))],
    path: Path,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="import even a version older than (or as undated as) the newest one held; needs --reason",
        ),
    ] = False,
    reason: Annotated[
        str | None, typer.Option(help="why a forced import is right (recorded in the audit trail)")
    ] = None,
    in_background: Annotated[
        bool,
        typer.Option(
            "--in-background",
            help="store the version now and queue the re-screening as a job for `dualuse worker`",
        ),
    ] = False,
) -> None:
    """Import a list file as a new version; saved parties are re-screened against what changed (now, or by
    `dualuse worker` with --in-background: `dualuse jobs list` shows its progress).

    A list only moves forward: a file published before the newest version held is refused (designations
    made since would stop being hits) unless --force --reason "..." says why. Importing the version already
    held stores nothing and says so.

    Example: dualuse lists import ofac-sdn-csv sdn_2024-05-03.csv
    """
    if force and not (reason and reason.strip()):
        fail(ValidationError("--force needs --reason: say why an older or undated version is right"))
    try:
        with console.status(f"Reading {path.name}…"):
            snapshot = parse(format_name, path)
        with container() as c, c.uow() as uow, console.status("Storing and re-screening saved parties…"):
            report = svc.import_snapshot(
                uow,
                Principal.system(operator_actor()),
                snapshot,
                format_name=format_name,
                filename=path.name,
                force_reason=reason if force else None,
                in_background=in_background,
            )
            rescreened = (0, 0)
            if not report.unchanged:  # the parties of open licensing cases too (issue 19)
                with c.uow() as case_uow:
                    rescreened = rescreen_open_cases(case_uow, c.screening_index, c.casework_rules)
    except DualUseError as exc:
        fail(exc)
    if report.unchanged:
        console.print(
            f"[bold]{report.source}[/] version {report.version} is already imported, entity for entity: "
            "nothing stored, nothing re-screened."
        )
        return
    d = report.delta
    if report.rescreen_job is not None:
        console.print(
            f"Imported [bold]{report.source}[/] version {report.version}: {report.entities} entities; "
            f"{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed; re-screening of the "
            f"saved parties queued as job {report.rescreen_job} (`dualuse worker` runs it)."
        )
        return
    console.print(
        f"Imported [bold]{report.source}[/] version {report.version}: {report.entities} entities; "
        f"{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed; "
        f"{report.parties_rescreened} saved parties re-screened, {report.alerts} new alert(s); "
        f"{rescreened[0]} open licensing case(s) re-screened, {rescreened[1]} new flag(s)."
    )
    for warning in snapshot.warnings:
        console.print(f"[yellow]warning:[/] {warning}")


@app.command("status")
def status(as_json: JsonOption = False) -> None:
    """Every imported list version: source, version, date, counts."""
    with container() as c, c.uow() as uow:
        rows = svc.list_status(uow)
    table = Table(title="Sanctions lists")
    for column in (
        "source",
        "version",
        "published",
        "imported",
        "entities",
        "added",
        "removed",
        "changed",
        "file",
    ):
        table.add_column(column)
    for r in rows:
        table.add_row(
            r["source"],
            r["version"],
            str(r["published"] or ""),
            r["imported_at"].strftime("%Y-%m-%d %H:%M"),
            str(r["entity_count"]),
            str(r["added"]),
            str(r["removed"]),
            str(r["changed"]),
            r["filename"],
        )
    show_table(console, table, as_json)


def _query(cells: dict[str, str]) -> ScreeningQuery:
    schema_text = (cells.get("schema") or "").strip().lower()
    try:
        schema = EntitySchema(schema_text) if schema_text else None
    except ValueError:
        raise DualUseError(f"schema: unknown {schema_text!r}") from None
    identifiers = tuple(x.strip() for x in (cells.get("identifiers") or "").split(";") if x.strip())
    birth_date = (cells.get("birth_date") or "").strip()
    if birth_date and (problem := partial_date_problem(birth_date)):
        raise DualUseError(f"birth_date: {problem}")
    return ScreeningQuery(
        name=(cells.get("name") or "").strip(),
        schema=schema,
        birth_date=birth_date or None,
        country=(cells.get("country") or "").strip().lower() or None,
        identifiers=identifiers,
    )


def screen(
    parties: Annotated[Path, typer.Argument(help="CSV with name, schema, birth_date, country, identifiers")],
    output: Annotated[Path, typer.Option("-o", "--output")],
    threshold: Annotated[float, typer.Option(help="scores at or above are hits")] = DEFAULT_THRESHOLD,
    limit: Annotated[int, typer.Option(help="hits per party at most")] = 5,
) -> None:
    """Screen every party of a CSV against the newest version of every imported list."""
    try:
        check_threshold(threshold)
        with parties.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        fail(DualUseError(f"cannot read {parties}: {exc.strerror}"))
    except (UnicodeDecodeError, csv.Error) as exc:
        fail(ImportFailedError(f"not a UTF-8 CSV file: {exc}", location=str(parties)))
    except DualUseError as exc:
        fail(exc)
    if rows and "name" not in rows[0]:
        fail(ImportFailedError("the header has no 'name' column", location=str(parties)))
    with container() as c, c.uow() as uow:
        engine, versions = c.screening_index.engine(uow)
    try:
        hits = _screen_into(output, rows, engine, threshold, limit)
    except OSError as exc:
        fail(DualUseError(f"cannot write {output}: {exc.strerror}"))
    lists = ", ".join(f"{s} {v}" for s, v in sorted(versions.items())) or "no lists imported"
    err_console.print(
        f"{len(rows)} parties screened against {lists} at threshold {threshold}: {hits} hit(s) in {output}."
    )


def _screen_into(
    output: Path, rows: list[dict[str, str]], engine: ScreeningEngine, threshold: float, limit: int
) -> int:
    """Write the hits CSV, all or nothing (a temporary file renamed over ``output`` at the end)."""
    hits = 0
    with (
        atomic_path(output) as partial,
        partial.open("w", newline="", encoding="utf-8") as out,
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err_console,
        ) as bar,
    ):
        writer = csv.writer(out)
        writer.writerow(OUTPUT_COLUMNS)
        task = bar.add_task("Screening", total=len(rows))
        for number, cells in enumerate(rows, start=2):
            name = cells.get("name") or ""
            try:
                matches = engine.screen(_query(cells), threshold=threshold, limit=limit)
            except DualUseError as exc:
                writer.writerow([number, name, "", "", "", "", "", "", "", "", exc.detail])
                bar.advance(task)
                continue
            if not matches:
                writer.writerow([number, name, "", "", "", "", "", "", "", "", ""])
            for rank, m in enumerate(matches, start=1):
                explanation = "; ".join(f"{k}: {v:.2f}, {note}" for k, (v, note) in m.explanation.items())
                writer.writerow(
                    [
                        number,
                        name,
                        rank,
                        f"{m.score:.4f}",
                        m.entity.source,
                        m.entity.entity_id,
                        m.entity.primary_name,
                        m.matched_name,
                        "; ".join(m.entity.programs),
                        explanation,
                        "",
                    ]
                )
            hits += len(matches)
            bar.advance(task)
    return hits
