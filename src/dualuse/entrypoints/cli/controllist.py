"""``dualuse list …``: the control list from the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from dualuse.adapters.files import write_text_atomically
from dualuse.adapters.sources.annex_i import dump_version
from dualuse.domain.errors import DualUseError
from dualuse.domain.identity import Principal
from dualuse.entrypoints.cli.common import (
    JsonOption,
    container,
    err_console,
    fail,
    operator_actor,
    show_table,
)
from dualuse.services import controllist as svc
from dualuse.services.customs import lookup as customs

app = typer.Typer(
    help="The control list (Annex I): show, search, compare, import, export.", no_args_is_help=True
)
console = Console(width=160)


@app.command("versions")
def versions(as_json: JsonOption = False) -> None:
    """Every list version, with its effective date and legal source."""
    with container() as c, c.uow() as uow:
        history = svc.current_history(uow, c.catalogue)
    table = Table(title="Control list versions")
    for column in ("id", "in force from", "entries", "legal source", "verified"):
        table.add_column(column)
    for cl in history.lists:
        v = cl.version
        table.add_row(
            v.id, v.effective_from.isoformat(), str(len(cl)), v.legal_source, "yes" if v.verified else "no"
        )
    show_table(console, table, as_json)


@app.command("show")
def show(
    code: str,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="YYYY-MM-DD: the list in force on that day")
    ] = None,
    version: Annotated[str | None, typer.Option(help="a version id")] = None,
) -> None:
    """One entry with its flags, notes and sub-items."""
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        fail(DualUseError(f"--as-of must be a date like 2025-11-15, not {as_of!r}"))
    try:
        with container() as c, c.uow() as uow:
            history = svc.current_history(uow, c.catalogue)
            view = svc.show(history, code, svc.list_for(history, version=version, as_of=day))
    except DualUseError as exc:
        fail(exc)
    e = view.entry
    console.print(" › ".join(f"{x.code} {x.title}" for x in view.lineage))
    console.print(f"[bold]{e.code}[/] {e.title}  [dim](list version {view.control_list.version_id})[/]")
    flags = [
        name
        for name in ("cyber_surveillance", "information_security", "eugea_excluded")
        if getattr(view.flags, name)
    ]
    if view.flags.annex_iv:
        flags.append(f"annex_iv part {view.flags.annex_iv}")
    console.print(f"regime: {e.regime.value}; flags: {', '.join(flags) or 'none'}; verified: {e.verified}")
    if e.summary:
        console.print(e.summary)
    for note in e.notes:
        console.print(f"  [{note.kind.value}] {note.text}")
    if e.parameters:
        console.print(f"parameters: {dict(e.parameters)}")
    for child in view.children:
        console.print(f"  └ {child.code} {child.title}")
    console.print(f"[dim]source: {e.source}[/]")
    latest = history.latest.version_id
    if history.acts is not None and view.control_list.version_id != latest:
        for reason in history.acts.unverified_for(e.code, view.control_list.version_id, latest):
            console.print(f"[yellow]history not verified[/] up to {latest}: {reason}")


@app.command("search")
def search(
    text: str,
    limit: int = 10,
    version: Annotated[str | None, typer.Option(help="a version id")] = None,
    as_json: JsonOption = False,
) -> None:
    """Typo-tolerant search in the words exporters use."""
    try:
        with container() as c, c.uow() as uow:
            history = svc.current_history(uow, c.catalogue)
            control_list = svc.list_for(history, version=version)
            hits = svc.search(c.catalogue, control_list, text, limit)
    except DualUseError as exc:
        fail(exc)
    table = Table(title=f"'{text}' in list version {control_list.version_id}")
    for column in ("code", "title", "score", "why"):
        table.add_column(column)
    for hit in hits:
        table.add_row(str(hit.entry.code), hit.entry.title, f"{hit.score:.2f}", "; ".join(hit.why))
    if not hits:
        err_console.print(
            f"Nothing found for {text!r}. Try fewer or other words (what the item does, e.g. 'encryption'), "
            "a code such as 5A002 (`dualuse list show 5A002`), or another --version."
        )
    show_table(console, table, as_json)


@app.command("diff")
def diff(from_version: str, to_version: str) -> None:
    """Entries added, removed and changed between two versions, the acts in between and the codes of the
    official texts added and removed (deeper than the entries too)."""
    try:
        with container() as c, c.uow() as uow:
            changes = svc.diff(svc.current_history(uow, c.catalogue), from_version, to_version)
    except DualUseError as exc:
        fail(exc)
    console.print(
        f"[bold]{from_version} → {to_version}[/]: {len(changes.added)} added, "
        f"{len(changes.removed)} removed, {len(changes.changed)} changed"
        + (
            f"; official codes {len(changes.codes_added)} added, {len(changes.codes_removed)} removed"
            if changes.codes_added or changes.codes_removed
            else ""
        )
    )
    for act in changes.acts:
        itemised = "" if act.complete else " (not every change itemised)"
        when = "" if act.effective_from_verified else " [date not verified]"
        console.print(
            f"[bold]{act.title}[/], {act.official_journal}, in force {act.effective_from.isoformat()}{when}{itemised}"
        )
    for e in changes.added:
        console.print(f"[green]+ {e.code}[/] {e.title}")
    for e in changes.removed:
        console.print(f"[red]- {e.code}[/] {e.title}")
    for ch in changes.changed:
        console.print(f"[yellow]~ {ch.code}[/] {', '.join(f.field for f in ch.changes)}")
    deeper = [c for c in changes.codes_added if all(str(e.code) != c for e in changes.added)]
    if deeper:
        console.print("official codes added below the entries: " + ", ".join(deeper))
    if changes.codes_removed:
        console.print("official codes removed: " + ", ".join(changes.codes_removed))


@app.command("cn")
def cn(code: str) -> None:
    """The Annex I entries a Combined Nomenclature code correlates with (a lookup aid, not a classification)."""
    try:
        with container() as c, c.uow() as uow:
            history = svc.current_history(uow, c.catalogue)
            answer = customs.look_up(c.cn_correlation, history.latest, code)
    except DualUseError as exc:
        fail(exc)
    console.print(
        answer.advice or f"No correlation row covers CN {answer.cn}; that does not mean it is not listed."
    )
    table = Table(title=f"CN {answer.cn}: correlation rows (list version {answer.list_version})")
    for column in ("CN", "entries", "note", "verified", "source"):
        table.add_column(column)
    for row in answer.rows:
        table.add_row(
            row.cn,
            ", ".join(str(e) for e in row.entries),
            row.note,
            "yes" if row.verified else "no",
            row.source,
        )
    console.print(table)


@app.command("acts")
def acts() -> None:
    """The acts behind each list version: Official Journal reference, date in force, what is verified."""
    with container() as c, c.uow() as uow:
        history = svc.current_history(uow, c.catalogue)
    table = Table(title="Acts that made the list versions")
    for column in ("version", "act", "OJ", "in force", "changes itemised", "verified"):
        table.add_column(column)
    for act in history.acts.acts if history.acts is not None else ():
        verified = sum(1 for ch in act.changes if ch.verified)
        table.add_row(
            act.version_id,
            act.title,
            act.official_journal,
            act.effective_from.isoformat() + ("" if act.effective_from_verified else " (not verified)"),
            f"{len(act.changes)}" + ("" if act.complete else " (incomplete)"),
            f"{verified}/{len(act.changes)}",
        )
    console.print(table)


@app.command("review")
def review() -> None:
    """Flag classification records made against an older version whose entry an act has changed since."""
    try:
        with container() as c, c.uow() as uow:
            history = svc.current_history(uow, c.catalogue)
            flagged = svc.flag_outdated(uow, history, actor=operator_actor())
    except DualUseError as exc:
        fail(exc)
    console.print(
        f"{len(flagged)} classification record(s) flagged for review against {history.latest.version_id}"
    )


@app.command("import")
def import_(path: Path) -> None:
    """Import an amendment file (validated; all or nothing); flags affected classification records."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        fail(DualUseError(f"cannot read {path}: {exc.strerror}"))
    try:
        with container() as c, c.uow() as uow:
            result = svc.import_amendment(
                uow, Principal.system(operator_actor()), c.catalogue, text, path.name
            )
    except DualUseError as exc:
        fail(exc)
    d = result.diff
    console.print(
        f"Imported list version [bold]{result.version_id}[/], in force from {result.effective_from}: "
        f"{len(d.added)} added, {len(d.changed)} changed, {len(d.removed)} removed; "
        f"{len(result.flagged)} classification record(s) flagged for review."
    )


@app.command("export")
def export(
    version: Annotated[str | None, typer.Option(help="a version id (default: the latest)")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """A whole version as YAML in the import format."""
    try:
        with container() as c, c.uow() as uow:
            history = svc.current_history(uow, c.catalogue)
            text = dump_version(svc.list_for(history, version=version))
    except DualUseError as exc:
        fail(exc)
    if output:
        try:
            write_text_atomically(output, text)
        except OSError as exc:
            fail(DualUseError(f"cannot write {output}: {exc.strerror}"))
        console.print(f"Wrote {output}")
    else:
        typer.echo(text)
