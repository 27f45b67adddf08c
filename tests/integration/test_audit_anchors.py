"""F9 (issue 11): the audit trail's head is anchored with a key the database does not hold, so cutting events
from the end, or editing one and recomputing every later hash, no longer passes `dualuse audit verify`; and
the trail is append-only in the database itself (triggers refuse UPDATE, DELETE and TRUNCATE), on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from dualuse.adapters.db import migrate
from dualuse.bootstrap import Container, bootstrap
from dualuse.config import Environment, Settings
from dualuse.entrypoints.cli.main import app
from dualuse.services import audit
from tests.audit_tampering import as_owner, rewrite_from

runner = CliRunner()


@pytest.fixture
def cli_env(container: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    monkeypatch.setenv("DUALUSE_SECRET_KEY", container.settings.secret_key)
    return container


def write_events(container: Container, commits: int) -> None:
    for n in range(commits):
        with container.uow() as uow:
            audit.record(
                uow, actor="officer@de.example", action="case.decided", entity_type="case", entity_id=n
            )
            audit.record(
                uow, actor="officer@de.example", action="licence.issued", entity_type="licence", entity_id=n
            )
            uow.commit()


def verify(*extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["audit", "verify", *extra])
    return result.exit_code, result.output


def test_f9_each_commit_anchors_the_head_and_an_intact_trail_verifies(cli_env: Container) -> None:
    write_events(cli_env, 3)
    with cli_env.uow() as uow:
        anchors = uow.audit.anchors()
    assert [(a.head_sequence, a.count) for a in anchors] == [(2, 2), (4, 4), (6, 6)]
    code, output = verify()
    assert code == 0, output
    assert "6 events verified against 3 anchor(s)" in output


def test_f9_cutting_the_end_fails_verify(cli_env: Container) -> None:
    write_events(cli_env, 3)
    as_owner(cli_env.engine, "DELETE FROM audit_events WHERE sequence > 4")
    with cli_env.uow() as uow:
        assert audit.verify(uow) == (4, [])  # the chain alone cannot tell
    code, output = verify()
    assert code == 1
    assert "events were cut from the end" in output


def test_f9_cutting_the_end_and_its_anchors_fails_against_an_exported_anchor(
    cli_env: Container, tmp_path: Path
) -> None:
    write_events(cli_env, 3)
    exported = tmp_path / "head.json"
    result = runner.invoke(app, ["audit", "export-anchor", "-o", str(exported)])
    assert result.exit_code == 0, result.output
    assert json.loads(exported.read_text())["head_sequence"] == 6
    as_owner(
        cli_env.engine,
        "DELETE FROM audit_events WHERE sequence > 4",
        "DELETE FROM audit_anchors WHERE head_sequence > 4",
    )
    assert verify()[0] == 0  # what is left in the database is consistent with itself …
    code, output = verify("--anchor", str(exported))
    assert code == 1  # … but not with the head kept away from it
    assert "exported anchor" in output
    assert "cut from the end" in output


def test_f9_editing_and_recomputing_the_chain_fails_verify(cli_env: Container) -> None:
    write_events(cli_env, 3)
    with cli_env.uow() as uow:
        events = list(uow.audit.all())
    rewrite_from(cli_env.engine, events, 3, actor="mallory@example.com")
    with cli_env.uow() as uow:
        count, chain_problems = audit.verify(uow)
        assert uow.audit.all()[2].actor == "mallory@example.com"
    assert (count, chain_problems) == (6, [])  # the chain was recomputed: it verifies on its own
    code, output = verify()
    assert code == 1
    assert "edited and its hashes recomputed" in output


def test_f9_deleting_every_anchor_leaves_the_trail_unanchored(cli_env: Container) -> None:
    write_events(cli_env, 2)
    as_owner(cli_env.engine, "DELETE FROM audit_anchors")
    code, output = verify()
    assert code == 1
    assert "not covered by any anchor" in output


def test_f9_an_anchor_forged_without_the_key_is_refused(cli_env: Container) -> None:
    write_events(cli_env, 2)
    with cli_env.uow() as uow:
        events = list(uow.audit.all())
    rewrite_from(cli_env.engine, events, 2, actor="mallory@example.com")
    with cli_env.uow() as uow:
        forged = uow.audit.all()[-1]
    as_owner(  # the forger recomputes the anchor's fields but has no key for its MAC
        cli_env.engine,
        ("UPDATE audit_anchors SET head_hash = :h WHERE head_sequence = 4", [{"h": forged.hash}]),
    )
    code, output = verify()
    assert code == 1
    assert "does not carry a valid HMAC" in output


def test_f9_verify_with_another_key_fails(cli_env: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    write_events(cli_env, 1)
    monkeypatch.setenv("DUALUSE_AUDIT_ANCHOR_KEY", "another-key-" + "y" * 32)
    code, output = verify()
    assert code == 1
    assert "valid HMAC" in output


def test_f9_update_delete_and_truncate_are_refused_by_the_database(container: Container) -> None:
    write_events(container, 1)
    statements = [
        "UPDATE audit_events SET actor = 'mallory' WHERE sequence = 1",
        "DELETE FROM audit_events WHERE sequence = 2",
        "UPDATE audit_anchors SET head_hash = 'x'",
        "DELETE FROM audit_anchors",
    ]
    if container.engine.dialect.name == "postgresql":
        statements += ["TRUNCATE audit_events", "TRUNCATE audit_anchors"]
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"), container.engine.begin() as conn:
            conn.execute(text(statement))
    with container.uow() as uow:
        assert audit.verify(uow) == (2, [])
        assert [e.actor for e in uow.audit.all()] == ["officer@de.example"] * 2


def test_f9_anchor_command_covers_events_written_before_anchors(cli_env: Container) -> None:
    """A database upgraded with events from before anchors: `audit anchor` signs the checked head once."""
    write_events(cli_env, 1)
    as_owner(cli_env.engine, "DELETE FROM audit_anchors")
    assert verify()[0] == 1
    anchored = runner.invoke(app, ["audit", "anchor"])
    assert anchored.exit_code == 0, anchored.output
    assert verify()[0] == 0


def test_f9_anchor_command_refuses_a_broken_trail(cli_env: Container) -> None:
    write_events(cli_env, 2)
    as_owner(cli_env.engine, "UPDATE audit_events SET actor = 'mallory' WHERE sequence = 1")
    result = runner.invoke(app, ["audit", "anchor"])
    assert result.exit_code == 2
    assert "nothing was anchored" in result.output
    with cli_env.uow() as uow:
        assert len(uow.audit.anchors()) == 2


def test_f9_a_malformed_anchor_file_is_a_clear_error(cli_env: Container, tmp_path: Path) -> None:
    write_events(cli_env, 1)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    result = runner.invoke(app, ["audit", "verify", "--anchor", str(bad)])
    assert result.exit_code == 2
    assert "not an audit anchor" in result.output


APP_ROLE_GRANTS = """
GRANT USAGE ON SCHEMA public TO {role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_anchors FROM {role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
"""


@pytest.mark.postgres
def test_f9_the_application_role_appends_but_cannot_change_the_trail(
    postgres_server_url: str, tmp_path: Path
) -> None:
    """The README's grants for a separate application role, on PostgreSQL: the app writes and anchors
    events; UPDATE, DELETE, TRUNCATE and switching the triggers off are refused to it."""
    settings = Settings(
        env=Environment.TEST,
        database_url=postgres_server_url,
        secret_key="test-secret-key-" + "x" * 32,
        audit_anchor_key_file=tmp_path / "anchor.key",
    )
    owner = bootstrap(settings)
    with owner.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(owner.engine)
    role = f"dualuse_app_{uuid.uuid4().hex[:8]}"
    with owner.engine.begin() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 'app-role-password'"))
        for statement in APP_ROLE_GRANTS.format(role=role).strip().splitlines():
            conn.execute(text(statement))
    app_url = make_url(settings.database_url).set(username=role, password="app-role-password")
    as_app = bootstrap(
        settings.model_copy(update={"database_url": app_url.render_as_string(hide_password=False)})
    )
    try:
        write_events(as_app, 2)
        with as_app.uow() as uow:
            report = audit.verify_trail(uow, as_app.anchor_key)
        assert (report.count, report.anchors, report.problems) == (4, 2, [])
        refused = [
            "UPDATE audit_events SET actor = 'mallory'",
            "DELETE FROM audit_events",
            "TRUNCATE audit_events",
            "DELETE FROM audit_anchors",
            "ALTER TABLE audit_events DISABLE TRIGGER USER",
            "DROP TRIGGER audit_events_append_only ON audit_events",
        ]
        for statement in refused:
            with (
                pytest.raises(DBAPIError, match=r"permission denied|must be owner"),
                as_app.engine.begin() as conn,
            ):
                conn.execute(text(statement))
    finally:
        as_app.engine.dispose()
        with owner.engine.begin() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
        owner.engine.dispose()


def test_f9_production_refuses_to_serve_without_an_anchor_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DUALUSE_ENV", "production")
    monkeypatch.setenv("DUALUSE_SECRET_KEY", "a-production-secret-key-of-at-least-32-chars")
    monkeypatch.setenv("DUALUSE_DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.delenv("DUALUSE_AUDIT_ANCHOR_KEY", raising=False)
    monkeypatch.delenv("DUALUSE_AUDIT_ANCHOR_KEY_FILE", raising=False)
    # a migrated database: what is refused is the missing key, not the schema
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    served = runner.invoke(app, ["serve"])
    assert served.exit_code == 2
    assert "DUALUSE_AUDIT_ANCHOR_KEY" in served.output
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 2
    assert "no audit anchor key" in verified.output
