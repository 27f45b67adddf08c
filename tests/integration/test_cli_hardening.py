"""The command line under a bad day (issue #11): a killed or failed ``determine-batch`` leaves no partial
output (F21), an amendment with YAML aliases is refused by the CLI and the API (F12), and a database that
was never migrated gets "run `dualuse db upgrade`", not an SQL traceback; on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from dualuse.adapters.db import tables as t
from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.cli.main import app as cli
from dualuse.entrypoints.http.app import create_app
from dualuse.services.determination import INPUT_COLUMNS
from tests.factories import make_organisation, make_person, token_for

runner = CliRunner()

LAUGHS = """kind: amendment
version:
  id: "2026-06"
  title: "Laughs"
  effective_from: 2026-06-01
  legal_source: "none"
  verified: false
add: []
change: &lol
  - code: "5A002.a"
    summary: &s "lol lol lol lol lol lol lol lol lol lol"
remove: []
extra: [*lol, *lol, *lol, *lol, *lol, *lol, *lol, *lol]
"""


@pytest.fixture
def cli_env(container: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    monkeypatch.setenv("DUALUSE_SECRET_KEY", container.settings.secret_key)
    return container


def amendments(container: Container) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.control_list_amendments)).scalar_one())


# --- F12 ---------------------------------------------------------------------------------------------------
def test_f12_the_api_refuses_an_amendment_with_aliases(container: Container) -> None:
    commission = make_organisation(container, OrganisationKind.COMMISSION, "Commission", None)
    make_person(container, commission, Role.COMMISSION, "desk@commission.example")
    client = TestClient(create_app(container=container))
    client.headers["authorization"] = f"Bearer {token_for(container, 'desk@commission.example')}"
    response = client.post(
        "/api/v1/control-list/amendments", json={"filename": "laughs.yaml", "content": LAUGHS}
    )
    assert response.status_code == 422
    assert "laughs.yaml: line 9:" in response.json()["detail"]
    assert "anchors and aliases are not accepted" in response.json()["detail"]
    assert amendments(container) == 0
    assert client.get("/api/v1/control-list/versions").status_code == 200  # reads are unaffected


def test_f12_the_cli_refuses_an_amendment_with_aliases(cli_env: Container, tmp_path: Path) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(LAUGHS, encoding="utf-8")
    result = runner.invoke(cli, ["list", "import", str(path)])
    assert result.exit_code == 2
    assert "laughs.yaml" in result.output
    assert "line 9" in result.output
    assert amendments(cli_env) == 0


# --- F21 ---------------------------------------------------------------------------------------------------
def _orders(path: Path, lines: int) -> Path:
    line = dict.fromkeys(INPUT_COLUMNS, "")
    line.update(
        order_id="PO-1", date="2026-12-01", activity="export", exporter_member_state="DE", destination="CN",
        end_user_name="Customer", end_user_country="CN", end_user_type="commercial", item_id="1",
        description="machine", control_code="2B001", cyber_surveillance="false", quantity="2", value_eur="1000",
    )  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(INPUT_COLUMNS)
        row = [line[c] for c in INPUT_COLUMNS]
        writer.writerows([row] * lines)
    return path


def test_f21_determine_batch_killed_midway_leaves_the_old_output_untouched(
    cli_env: Container, tmp_path: Path
) -> None:
    """kill -9 while the results are being written: the output path still holds the previous results."""
    orders = _orders(tmp_path / "orders.csv", 400_000)
    out = tmp_path / "out"
    out.mkdir()
    results = out / "results.csv"
    results.write_text("yesterday's results\n", encoding="utf-8")
    env = {
        **os.environ,
        "DUALUSE_DATABASE_URL": cli_env.settings.database_url,
        "DUALUSE_SECRET_KEY": cli_env.settings.secret_key,
    }
    command = [
        sys.executable,
        "-m",
        "dualuse.entrypoints.cli.main",
        "determine-batch",
        str(orders),
        "-o",
        str(results),
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        # writing has begun: into a temporary file beside the output (or, before F21, into the output)
        while (
            not any(p.stat().st_size > 0 for p in out.glob(".results.csv.*")) and results.stat().st_size == 20
        ):
            assert process.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)  # half-way through writing
    finally:
        process.wait(timeout=30)
    assert results.read_text(encoding="utf-8") == "yesterday's results\n"
    # what a killed process cannot remove is a hidden temporary file beside it, never the output itself
    assert all(p.name.startswith(".results.csv.") for p in out.iterdir() if p.name != "results.csv")

    done = runner.invoke(cli, ["determine-batch", str(_orders(tmp_path / "few.csv", 3)), "-o", str(results)])
    assert done.exit_code == 0, done.output
    assert len(results.read_text(encoding="utf-8").splitlines()) == 4


def test_f21_an_output_folder_that_does_not_exist_is_a_clear_error(
    cli_env: Container, tmp_path: Path
) -> None:
    good = _orders(tmp_path / "good.csv", 1)
    result = runner.invoke(cli, ["determine-batch", str(good), "-o", str(tmp_path / "missing" / "r.csv")])
    assert result.exit_code == 2
    assert "cannot write" in result.output
    export = runner.invoke(cli, ["list", "export", "-o", str(tmp_path / "missing" / "list.yaml")])
    assert export.exit_code == 2
    assert "cannot write" in export.output


# --- a database that was never migrated ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "command",
    [
        ["list", "versions"],
        ["audit", "verify"],
        ["lists", "status"],
        ["records", "purgeable"],
        ["demo", "load"],
    ],
)
def test_the_cli_on_a_database_never_migrated_says_run_db_upgrade(
    database_url: str, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", database_url)
    monkeypatch.setenv("DUALUSE_SECRET_KEY", "cli-secret-" + "c" * 32)
    result = runner.invoke(cli, command)
    assert result.exit_code == 2, result.output
    assert "run `dualuse db upgrade`" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback
    assert "sqlalchemy" not in result.output.lower()


def test_db_upgrade_itself_runs_on_a_database_never_migrated(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", database_url)
    monkeypatch.setenv("DUALUSE_SECRET_KEY", "cli-secret-" + "c" * 32)
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    listed = runner.invoke(cli, ["list", "versions"])
    assert listed.exit_code == 0, listed.output
