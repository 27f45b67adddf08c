"""``dualuse exchange``: this deployment's signing keys, its trusted peers, and the documents it sends to other
member states' deployments (docs/exchange.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from dualuse.adapters.exchange_courier import HttpCourier
from dualuse.domain.errors import DualUseError, ValidationError
from dualuse.domain.exchange import DocumentKind
from dualuse.entrypoints.cli.common import JsonOption, container, fail, operator_actor, show_table
from dualuse.services.denials import outgoing as denials_outgoing
from dualuse.services.exchange import keys, outbox

app = typer.Typer(
    help="Exchange with other member states' deployments (signed documents).", no_args_is_help=True
)
peer_app = typer.Typer(help="The deployments this one trusts, one per member state.", no_args_is_help=True)
app.add_typer(peer_app, name="peer")
console = Console(width=160)


def _now() -> datetime:
    return datetime.now(UTC)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(ValidationError(f"{path}: not a readable JSON file ({exc})"))


@app.command("keygen")
def keygen() -> None:
    """Make this deployment's first signing key (Ed25519): its private half in the key directory, its public
    half in the database and in /exchange/keys.json."""
    with container() as c, c.uow() as uow:
        try:
            key = keys.keygen(uow, c.exchange_setup(), operator_actor(), _now())
            uow.commit()
        except DualUseError as exc:
            fail(exc)
    console.print(f"signing key [bold]{key.key_id}[/] made; give peers `dualuse exchange public-keys` output")


@app.command("rotate")
def rotate() -> None:
    """Make a new signing key and retire the current one now: the old key keeps verifying what it signed
    before, and refuses anything issued after. Peers need the new key set (`dualuse exchange public-keys`)."""
    with container() as c, c.uow() as uow:
        try:
            key = keys.rotate(uow, c.exchange_setup(), operator_actor(), _now())
            uow.commit()
        except DualUseError as exc:
            fail(exc)
    console.print(f"new signing key [bold]{key.key_id}[/]; the previous one is retired as of now")


@app.command("public-keys")
def public_keys(output: Annotated[Path | None, typer.Option("--output", "-o")] = None) -> None:
    """This deployment's key set (what /exchange/keys.json serves), for a peer's `exchange peer add`."""
    with container() as c, c.uow() as uow:
        text = json.dumps(keys.key_set(uow, c.exchange_setup()), indent=2)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")


@peer_app.command("add")
def peer_add(
    state: Annotated[str, typer.Argument(help="the member state the peer speaks for, e.g. FR")],
    url: Annotated[str, typer.Argument(help="the peer's base URL, e.g. https://dualuse.example.fr")],
    key_file: Annotated[Path, typer.Option(help="the peer's key set (its /exchange/keys.json)")],
) -> None:
    """Trust the deployment at URL to speak for STATE with the keys in its key set. Run it again with the
    peer's new key set after the peer rotated its key."""
    document = _read_json(key_file)
    with container() as c, c.uow() as uow:
        try:
            added = keys.add_peer(uow, state.upper(), url, document, operator_actor(), _now())
            uow.commit()
        except DualUseError as exc:
            fail(exc)
    console.print(
        f"{state.upper()} at {url}: {len(added)} key(s) trusted ({', '.join(k.key_id for k in added)})"
    )


@peer_app.command("list")
def peer_list(as_json: JsonOption = False) -> None:
    """The trusted peers and their keys."""
    with container() as c, c.uow() as uow:
        peers = uow.exchange.peers()
    table = Table(title="Trusted peers")
    for column in ("state", "url", "key", "valid from", "retired at"):
        table.add_column(column)
    for peer in peers:
        for key in peer.keys or ():
            retired = key.retired_at.isoformat() if key.retired_at else "-"
            table.add_row(peer.state, peer.base_url, key.key_id, key.valid_from.isoformat(), retired)
    show_table(console, table, as_json)


@app.command("publish")
def publish(
    kind: Annotated[DocumentKind, typer.Option(help="what the document carries")],
    from_state: Annotated[str, typer.Option("--from", help="the sending state (one this deployment serves)")],
    to_states: Annotated[list[str], typer.Option("--to", help="a recipient state (repeat for several)")],
    payload: Annotated[Path, typer.Argument(help="the payload as JSON (see /exchange/schema.json)")],
) -> None:
    """Sign a document and deliver it: at once to the states this deployment serves, through the outbox
    (`send-pending`) to the others."""
    body = _read_json(payload)
    if not isinstance(body, dict):
        fail(ValidationError(f"{payload}: the payload must be a JSON object"))
    with container() as c, c.uow() as uow:
        try:
            published = outbox.publish(
                uow,
                kind,
                body,
                from_state.upper(),
                [s.upper() for s in to_states],
                setup=c.exchange_setup(),
                now=_now(),
            )
            uow.commit()
        except DualUseError as exc:
            fail(exc)
    queued = ", ".join(",".join(group) for group in published.queued) or "none"
    local = ", ".join(published.delivered_locally) or "none"
    console.print(f"document {published.document['id']}: delivered here to {local}; queued for {queued}")


@app.command("send-pending")
def send_pending(
    limit: Annotated[int, typer.Option(min=1, max=10000)] = 100,
    retry_now: Annotated[
        bool, typer.Option(help="try every undelivered document now, whatever its back-off (a peer is back)")
    ] = False,
) -> None:
    """Send this deployment's new denials (and withdrawals) to the peers, then deliver the outbox's documents
    that are due (run it every minute from cron or a timer): a peer that is down gets the document again
    later, after 1 min, 2, 4 … at most 6 h."""
    with container() as c:
        with c.uow() as uow:
            published = denials_outgoing.publish_new(uow, c.exchange_setup(), _now())
            uow.commit()
        if published.denials or published.withdrawals:
            console.print(
                f"{published.denials} denial(s) and {published.withdrawals} withdrawal(s) put in the outbox"
            )
        report = outbox.send_pending(c.uow, HttpCourier(), _now, limit, retry_now=retry_now)
    console.print(f"{report.delivered} delivered, {report.failed} failed (tried again later)")
    for error in report.errors:
        console.print(f"  {error}")


@app.command("outbox")
def outbox_list(
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20, as_json: JsonOption = False
) -> None:
    """The newest outbox items: recipients, attempts, next attempt, last error, delivery."""
    with container() as c, c.uow() as uow:
        items = uow.exchange.outbox(limit)
    table = Table(title="Outbox")
    for column in ("document", "kind", "to", "attempts", "next attempt", "last error", "delivered"):
        table.add_column(column)
    for item in items:
        table.add_row(
            item.document_id,
            item.kind,
            ",".join(item.recipients),
            str(item.attempts),
            item.next_attempt_at.isoformat(),
            item.last_error or "-",
            item.delivered_at.isoformat() if item.delivered_at else "-",
        )
    show_table(console, table, as_json)
