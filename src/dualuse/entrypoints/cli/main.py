"""``dualuse``: serve the app, migrate the database, load demo data, manage users and tokens, verify the audit trail;
``dualuse records`` exports an exporter's records and lists those past retention (``cli/records.py``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

import dualuse
from dualuse.adapters.db import migrate
from dualuse.adapters.db.uow import SqlUnitOfWork
from dualuse.bootstrap import load_demo_world, load_reference_data
from dualuse.config import Environment
from dualuse.domain.errors import ConfigurationError, DualUseError
from dualuse.domain.identity import OrganisationKind, Principal, User
from dualuse.entrypoints.cli import (
    audit,
    backup,
    controllist,
    determination,
    documents,
    exchange,
    handbook,
    jobs,
    listchange,
    records,
    reference,
    rules,
    screening,
)
from dualuse.entrypoints.cli.common import (
    OPERATOR_HELP,
    JsonOption,
    container,
    fail,
    operator_actor,
    operator_name,
    set_operator,
    show_table,
)
from dualuse.entrypoints.cli.examples import add_examples
from dualuse.services import audit as audit_svc
from dualuse.services import identity

app = typer.Typer(
    help="dualuse: the EU export-control regime for dual-use items.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo world.", no_args_is_help=True)
users_app = typer.Typer(help="Users.", no_args_is_help=True)
orgs_app = typer.Typer(help="Organisations.", no_args_is_help=True)
tokens_app = typer.Typer(help="API bearer tokens.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(users_app, name="users")
app.add_typer(orgs_app, name="organisations")
app.add_typer(tokens_app, name="tokens")
app.add_typer(audit.app, name="audit")
app.add_typer(controllist.app, name="list")
app.add_typer(screening.app, name="lists")
app.add_typer(records.app, name="records")
app.add_typer(rules.app, name="rules")
app.add_typer(jobs.app, name="jobs")
app.add_typer(documents.app, name="documents")
app.add_typer(exchange.app, name="exchange")
app.add_typer(handbook.app, name="handbook")
app.add_typer(listchange.app, name="list-changes")
app.command("worker")(jobs.worker)
app.command("screen")(screening.screen)
app.command("determine")(determination.determine)
app.command("determine-batch")(determination.determine_batch)
reference_app = typer.Typer(help="Reference data shipped with dualuse.", no_args_is_help=True)
app.add_typer(reference_app, name="reference")
reference_app.command("status")(reference.status)
reference_app.command("build-annex-i")(reference.build_annex_i)
controllist.app.command("assess")(reference.assess)
controllist.app.command("classify")(reference.classify)

console = Console(width=160)
db_app.command("backup")(backup.backup)
db_app.command("restore")(backup.restore)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dualuse {dualuse.__version__}")
        raise typer.Exit


@app.callback()
def main(
    operator: Annotated[str | None, typer.Option(envvar="DUALUSE_OPERATOR", help=OPERATOR_HELP)] = None,
    version: Annotated[  # noqa: ARG001 - its callback answers and stops
        bool, typer.Option("--version", callback=_version, is_eager=True, help="print the version and stop")
    ] = False,
) -> None:
    """dualuse: the EU export-control regime for dual-use items.

    Start with `dualuse determine --template`, `dualuse list search TEXT` or `dualuse serve`;
    every command's --help ends with examples.
    """
    set_operator(operator_name(operator))


@reference_app.command("load")
def reference_load() -> None:
    """Record the versions of the shipped reference data (control list, rules) for /healthz, checking they load."""
    try:
        with container() as c:
            loaded = load_reference_data(c)
    except DualUseError as exc:
        fail(exc)
    for name, version in loaded.items():
        console.print(f"{name}: [bold]{version}[/]")


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply the migrations (SQLite or PostgreSQL, from DUALUSE_DATABASE_URL)."""
    with container(migrated=False) as c:
        migrate.upgrade(c.engine, revision)
        console.print(f"Database at revision [bold]{migrate.current_revision(c.engine)}[/]")


@demo_app.command("load")
def demo_load(as_json: JsonOption = False) -> None:
    """Load the demo world and print the demo logins (new random passwords each time)."""
    with container() as c:
        if c.settings.env is Environment.PRODUCTION:
            fail(DualUseError("production mode refuses the demo data"))
        logins = load_demo_world(c)
        table = Table(title="Demo logins (passwords are new each time the demo is loaded)")
        for column in ("email", "password", "role", "organisation"):
            table.add_column(column)
        for login in logins:
            table.add_row(login.email, login.password, login.role.value, login.organisation)
        show_table(console, table, as_json)


@orgs_app.command("create")
def organisations_create(
    kind: Annotated[OrganisationKind, typer.Option(help="exporter, authority or commission")],
    name: Annotated[str, typer.Option()],
    member_state: Annotated[str | None, typer.Option(help="ISO code, e.g. DE")] = None,
    eori: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Register an organisation."""
    with container() as c:
        try:
            with c.uow() as uow:
                org = identity.create_organisation(
                    uow, actor=operator_actor(), kind=kind, name=name, member_state=member_state, eori=eori
                )
                uow.commit()
        except DualUseError as exc:
            fail(exc)
        console.print(f"Created organisation {org.id}: {org.name}")


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option()],
    role: Annotated[
        str,
        typer.Option(help="exporter_admin, exporter_user, authority_officer, authority_senior, commission"),
    ],
    organisation_id: Annotated[int, typer.Option()],
    full_name: Annotated[str, typer.Option()] = "",
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)] = "",
) -> None:
    """Create a user (outside demo mode there are no default credentials)."""
    with container() as c:
        try:
            with c.uow() as uow:
                user = identity.create_user(
                    uow,
                    c.hasher,
                    actor=operator_actor(),
                    email=email,
                    full_name=full_name,
                    password=password,
                    role=role,
                    organisation_id=organisation_id,
                )
                uow.commit()
        except DualUseError as exc:
            fail(exc)
        console.print(f"Created user {user.id}: {user.email} ({user.role.value})")


@tokens_app.command("create")
def tokens_create(
    email: Annotated[str, typer.Option(help="the user the token acts for")],
    name: Annotated[str, typer.Option(help="what the token is for")] = "cli",
    valid_days: Annotated[int, typer.Option(help="days until it expires (1 to 365)")] = 90,
    scope: Annotated[str, typer.Option(help="read (GET only) or write")] = "write",
) -> None:
    """Issue an API bearer token; it is printed once and stored only as a hash."""
    with container() as c:
        try:
            with c.uow() as uow:
                issued = identity.create_token(
                    uow, actor=operator_actor(), email=email, name=name, valid_days=valid_days, scope=scope
                )
                uow.commit()
        except DualUseError as exc:
            fail(exc)
        typer.echo(issued.token)


@tokens_app.command("list")
def tokens_list(
    email: Annotated[str | None, typer.Option(help="only this user's tokens")] = None,
    as_json: JsonOption = False,
) -> None:
    """API tokens (never their secrets): id, user, name, scope, expiry and whether revoked."""
    with container() as c:
        try:
            with c.uow() as uow:
                tokens, emails = identity.token_listing(uow, email)
        except DualUseError as exc:
            fail(exc)
        table = Table(title="API tokens")
        for column in ("id", "user", "name", "starts with", "scope", "expires", "status"):
            table.add_column(column)
        now = datetime.now(UTC)
        for token in tokens:
            status = "revoked" if token.revoked_at else ("valid" if token.is_valid(now) else "expired")
            expires = f"{token.expires:%Y-%m-%d}"
            table.add_row(
                str(token.id),
                emails.get(token.user_id, "?"),
                token.name,
                token.prefix,
                token.scope.value,
                expires,
                status,
            )
        show_table(console, table, as_json)


@tokens_app.command("revoke")
def tokens_revoke(
    token_id: Annotated[int, typer.Argument(help="the id `dualuse tokens list` shows")],
) -> None:
    """Revoke an API token: it is refused from now on."""
    with container() as c:
        try:
            with c.uow() as uow:
                token = identity.revoke_token(uow, Principal.system(operator_actor()), token_id)
                uow.commit()
        except DualUseError as exc:
            fail(exc)
        console.print(f"Revoked API token {token.id} ({token.prefix}…)")


def _change_user(email: str, change: Callable[[SqlUnitOfWork, int], User]) -> User:
    with container() as c:
        try:
            with c.uow() as uow:
                user = change(uow, identity.user_by_email(uow, email).id)
                uow.commit()
        except DualUseError as exc:
            fail(exc)
    return user


@users_app.command("deactivate")
def users_deactivate(email: Annotated[str, typer.Option()]) -> None:
    """Deactivate a user: their sessions end, their API tokens are refused, they cannot sign in."""
    system = Principal.system(operator_actor())
    user = _change_user(email, lambda uow, uid: identity.set_active(uow, system, uid, active=False))
    console.print(f"Deactivated {user.email}")


@users_app.command("activate")
def users_activate(email: Annotated[str, typer.Option()]) -> None:
    """Activate a deactivated user again."""
    system = Principal.system(operator_actor())
    user = _change_user(email, lambda uow, uid: identity.set_active(uow, system, uid, active=True))
    console.print(f"Activated {user.email}")


@users_app.command("set-role")
def users_set_role(
    email: Annotated[str, typer.Option()],
    role: Annotated[
        str,
        typer.Option(help="exporter_admin, exporter_user, authority_officer, authority_senior, commission"),
    ],
) -> None:
    """Change a user's role (it must fit their organisation); their sessions end."""
    system = Principal.system(operator_actor())
    user = _change_user(email, lambda uow, uid: identity.set_role(uow, system, uid, role))
    console.print(f"{user.email} is now {user.role.value}")


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, max=64, help="worker processes (default DUALUSE_WORKERS, 1); in production two per core"
        ),
    ] = None,
) -> None:
    """Serve the web app and the API. With several workers the app and the screening index are built once in
    this process and the workers are forked from it instead of each building its own; after a list import each
    worker rebuilds its own index on its next screening. A worker that dies is replaced; SIGTERM or Ctrl-C
    stops them all."""
    import uvicorn

    from dualuse.entrypoints.cli import prefork
    from dualuse.entrypoints.http.app import create_app

    with container() as c:
        if c.anchor_key is None:  # production without a key: the trail could be cut unnoticed
            fail(ConfigurationError(audit_svc.NO_KEY))
        bind_host = host or c.settings.host
        try:
            c.settings.refuse_demo_secret(bind_host)
        except DualUseError as exc:
            fail(exc)
        bind_port = port or c.settings.port
        processes = workers or c.settings.workers
        console.print(
            f"dualuse is serving on [bold]http://{bind_host}:{bind_port}[/] (API docs at /docs), "
            f"{processes} worker process(es)"
        )
        if processes == 1:
            uvicorn.run(create_app(container=c), host=bind_host, port=bind_port, log_level="info")
            return
        try:
            status = prefork.serve_forked(c, create_app(container=c), bind_host, bind_port, processes)
        except DualUseError as exc:
            fail(exc)
    if status:
        raise typer.Exit(code=status)


add_examples(app)  # last: every command is registered by now

if __name__ == "__main__":  # pragma: no cover
    app()
