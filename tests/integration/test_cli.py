"""The command line against a real database: users, tokens, demo data, and audit verification."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from dualuse.bootstrap import Container
from dualuse.entrypoints.cli.main import app
from tests.audit_tampering import as_owner

runner = CliRunner()


@pytest.fixture
def cli_env(container: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    monkeypatch.setenv("DUALUSE_SECRET_KEY", container.settings.secret_key)
    return container


def test_audit_verify_detects_a_raw_sql_edit(cli_env: Container) -> None:
    assert runner.invoke(app, ["demo", "load"]).exit_code == 0
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "intact" in ok.output
    as_owner(cli_env.engine, "UPDATE audit_events SET actor = 'mallory' WHERE sequence = 3")
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "event 3" in broken.output


def test_audit_verify_detects_a_deleted_event(cli_env: Container) -> None:
    assert runner.invoke(app, ["demo", "load"]).exit_code == 0
    as_owner(cli_env.engine, "DELETE FROM audit_events WHERE sequence = 2")
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 1


def test_demo_load_prints_logins_and_reloads_with_new_passwords(cli_env: Container) -> None:
    first = runner.invoke(app, ["demo", "load"])
    second = runner.invoke(app, ["demo", "load"])
    assert first.exit_code == 0
    assert second.exit_code == 0
    for email in ("exporter@demo.dualuse.eu", "officer-nl@demo.dualuse.eu", "commission@demo.dualuse.eu"):
        assert email in first.output
    assert first.output != second.output


def test_users_and_tokens_from_the_cli(cli_env: Container) -> None:
    created = runner.invoke(
        app,
        [
            "organisations",
            "create",
            "--kind",
            "exporter",
            "--name",
            "Acme BV",
            "--member-state",
            "NL",
            "--eori",
            "NL123456789",
        ],
    )
    assert created.exit_code == 0, created.output
    user = runner.invoke(
        app,
        [
            "users",
            "create",
            "--email",
            "ops@acme.example",
            "--role",
            "exporter_admin",
            "--organisation-id",
            "1",
            "--password",
            "a long enough password",
        ],
    )
    assert user.exit_code == 0, user.output
    token = runner.invoke(app, ["tokens", "create", "--email", "ops@acme.example"])
    assert token.exit_code == 0
    assert token.output.strip().startswith("du_")


def test_cli_refuses_an_unknown_role_with_a_clear_message(cli_env: Container) -> None:
    runner.invoke(
        app, ["organisations", "create", "--kind", "exporter", "--name", "Acme BV", "--member-state", "NL"]
    )
    result = runner.invoke(
        app,
        [
            "users",
            "create",
            "--email",
            "ops@acme.example",
            "--role",
            "root",
            "--organisation-id",
            "1",
            "--password",
            "a long enough password",
        ],
    )
    assert result.exit_code == 2
    assert "unknown role 'root'" in result.output
