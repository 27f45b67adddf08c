"""``dualuse reference status`` / ``build-annex-i`` and ``dualuse list assess`` / ``list classify``:
the verification report, the derived Annex I text, and assessing an item on its parameters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from dualuse.adapters.sources import annex_i_text
from dualuse.adapters.sources.annex_i import load_cryptography_note
from dualuse.domain.controllist.assessment import Assessment
from dualuse.domain.errors import DualUseError
from dualuse.entrypoints.cli.common import container, fail
from dualuse.services import controllist as svc
from dualuse.services.annex_i.assess import assess_item, parse_params
from dualuse.services.verification import status as status_svc

console = Console(width=160)

ParamOption = Annotated[
    list[str] | None,
    typer.Option(
        "-p", "--param", help="a parameter as KEY=VALUE: bandwidth=600, frequency='14 GHz', 5A002.a.1=yes"
    ),
]


def status(
    as_json: Annotated[bool, typer.Option("--json", help="the report as JSON")] = False,
    show_all: Annotated[bool, typer.Option("--all", help="list every element not yet verified")] = False,
) -> None:
    """How much of the reference data is verified, per area, against which sources; and what is not yet."""
    try:
        with container() as c, c.uow() as uow:
            report = status_svc.current(uow, c.catalogue, c.rulebook, load_cryptography_note())
    except DualUseError as exc:
        fail(exc)
    target = status_svc.meets_target(report)
    if as_json:
        typer.echo(json.dumps({**report.as_dict(), "target_met": target}, ensure_ascii=False, indent=2))
        return
    table = Table(title="Reference data: verified elements per area")
    for column in ("area", "verified", "of", "share", "sources", "detail"):
        table.add_column(column, overflow="fold")
    for area in report.areas:
        table.add_row(
            area.name,
            str(area.verified),
            str(area.total),
            area.percent,
            "\n".join(area.sources)[:400],
            area.detail,
        )
    console.print(table)
    console.print(
        f"Target (Annex I Categories 3-6 ≥ 90 % and every cyber-surveillance entry verified): "
        f"[bold]{'met' if target else 'not met'}[/]"
    )
    console.print("[bold]Not yet verified[/]")
    for area in report.areas:
        if area.key == "annex-i-3-6" or not area.pending:
            continue
        shown = (
            area.pending
            if show_all or area.key.startswith("annex-i") or area.key == "cyber-surveillance"
            else area.pending[:5]
        )
        console.print(f"[bold]{area.name}[/] ({len(area.pending)})")
        for pending in shown:
            console.print(f"  {pending.id}: {pending.why}")
        if len(shown) < len(area.pending):
            console.print(f"  … and {len(area.pending) - len(shown)} more (--all)")


def build_annex_i(
    source: Annotated[
        Path, typer.Option("--from", help="the EUR-Lex machine-readable consolidated Annex I (JSON)")
    ],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="default: the shipped data file")
    ] = None,
) -> None:
    """Derive Annex I's provisions (codes, thresholds, notes, defined terms) from the consolidated text and
    write them as the shipped data (``data/controllist/annex_i/<version>.json``)."""
    try:
        document = annex_i_text.build(source)
    except DualUseError as exc:
        fail(exc)
    target = output or annex_i_text.shipped_path(str(document["version"]))
    try:
        annex_i_text.write(document, target)
    except OSError as exc:
        fail(DualUseError(f"cannot write {target}: {exc.strerror}"))
    provisions = document["provisions"]
    verified = sum(1 for p in provisions if p["verified"])
    console.print(
        f"Wrote {target}: {len(provisions)} provisions of {document['celex']}, {verified} verified, "
        f"{sum(len(p.get('parameters', [])) for p in provisions)} thresholds"
    )


def _print_assessment(assessment: Assessment) -> None:
    console.print(f"[bold]{assessment.code}[/]: {assessment.summary}")
    for item in assessment.items:
        console.print(f"  {item.code}  {item.status.value}  {'; '.join(item.reasons)}")
    for question in assessment.needed:
        unit = f" ({question.unit})" if question.unit else ""
        decides = ", ".join(str(c) for c in question.codes[:6])
        how = f"-p {question.key}=yes|no" if question.yes_no else f"-p {question.key}=VALUE{unit}"
        console.print(f"  needed: {question.label}{unit} — decides {decides}  [dim]{how}[/]")


def assess(
    code: str,
    param: ParamOption = None,
    version: Annotated[str | None, typer.Option(help="a version id")] = None,
) -> None:
    """Assess an item against an entry's sub-items: which is met, or which parameters are still needed."""
    try:
        with container() as c, c.uow() as uow:
            history = svc.current_history(uow, c.catalogue)
            result = assess_item(
                c.catalogue, svc.list_for(history, version=version), code, parse_params(param)
            )
    except DualUseError as exc:
        fail(exc)
    _print_assessment(result)


def classify(
    description: str,
    param: ParamOption = None,
    limit: int = 5,
    version: Annotated[str | None, typer.Option(help="a version id")] = None,
) -> None:
    """Candidate entries for a product, each assessed on the parameters given; it suggests, a person decides."""
    try:
        with container() as c, c.uow() as uow:
            history = svc.current_history(uow, c.catalogue)
            candidates = svc.suggest(
                c.catalogue, svc.list_for(history, version=version), description, parse_params(param), limit
            )
    except DualUseError as exc:
        fail(exc)
    for candidate in candidates:
        console.print(
            f"[bold]{candidate.entry.code}[/] {candidate.entry.title}  (score {candidate.score:.2f})"
        )
        for reason in candidate.reasons:
            console.print(f"  - {reason}")
        if candidate.assessment is not None:
            for question in candidate.assessment.needed[:8]:
                unit = f" ({question.unit})" if question.unit else ""
                console.print(f"  needed: {question.label}{unit}  [dim]-p {question.key}=…[/]")
