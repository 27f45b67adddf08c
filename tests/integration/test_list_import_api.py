"""Importing the new list formats over the API and the CLI: real excerpts stored with exact counts; a bad file
refused naming file, line and field, with nothing stored; only those who may import lists can."""

from __future__ import annotations

import shutil
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
from tests.factories import make_organisation, make_person, token_for

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sanctions"
runner = CliRunner()


@pytest.fixture
def tokens(container: Container) -> dict[str, str]:
    commission = make_organisation(container, OrganisationKind.COMMISSION, "European Commission", None)
    make_person(container, commission, Role.COMMISSION, "desk@commission.example")
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
    return {
        "com": token_for(container, "desk@commission.example"),
        "acme": token_for(container, "admin@acme.example"),
    }


def client(container: Container, token: str) -> TestClient:
    api = TestClient(create_app(container=container))
    api.headers["Authorization"] = f"Bearer {token}"
    return api


def entity_count(container: Container) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.listed_entities)).scalar_one())


@pytest.mark.parametrize(
    ("format_name", "name", "source", "count"),
    [
        ("us-csl", "us_csl_consolidated.csv", "us-csl", 13),
        ("ofac-advanced-xml", "ofac_sdn_advanced_excerpt.xml", "ofac-sdn", 2),
        ("uk-csv", "uk_sanctions_list.csv", "uk-fcdo", 2),
        ("eu-fsf-csv", "eu_fsf_v1_1.csv", "eu-fsf", 1),
        ("opensanctions-csv", "targets.simple.csv", "opensanctions", 4),
    ],
)
def test_the_api_imports_each_format(
    container: Container, tokens: dict[str, str], format_name: str, name: str, source: str, count: int
) -> None:
    response = client(container, tokens["com"]).post(
        f"/api/v1/screening/lists/{format_name}",
        params={"filename": name},
        content=(FIXTURES / name).read_bytes(),
        headers={"Content-Type": "application/octet-stream"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["source"], body["entities"], body["added"]) == (source, count, count)
    assert entity_count(container) == count


def test_a_bad_file_names_the_line_and_stores_nothing(container: Container, tokens: dict[str, str]) -> None:
    content = (FIXTURES / "us_csl_consolidated.csv").read_bytes()
    cut = content[: content.rindex(b"\n") + 40]  # the last record cut short
    response = client(container, tokens["com"]).post(
        "/api/v1/screening/lists/us-csl", params={"filename": "consolidated.csv"}, content=cut
    )
    assert response.status_code == 422, response.text
    assert "consolidated.csv:line 14" in response.json()["detail"]
    assert entity_count(container) == 0


def test_only_who_may_import_lists_can(container: Container, tokens: dict[str, str]) -> None:
    response = client(container, tokens["acme"]).post(
        "/api/v1/screening/lists/us-csl",
        params={"filename": "consolidated.csv"},
        content=(FIXTURES / "us_csl_consolidated.csv").read_bytes(),
    )
    assert response.status_code == 403
    assert entity_count(container) == 0
    unknown = client(container, tokens["com"]).post(
        "/api/v1/screening/lists/pdf", params={"filename": "x.pdf"}, content=b"x"
    )
    assert unknown.status_code == 422
    assert "us-csl" in unknown.json()["detail"]


def test_the_cli_imports_the_new_formats(
    container: Container, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    path = tmp_path / "consolidated.json"
    shutil.copy(FIXTURES / "us_csl_consolidated.json", path)
    result = runner.invoke(cli, ["lists", "import", "us-csl", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported us-csl" in result.output
    assert "5 entities" in result.output
    path.write_text(path.read_text(encoding="utf-8").replace('"total": 5', '"total": 6'), encoding="utf-8")
    refused = runner.invoke(cli, ["lists", "import", "us-csl", str(path)])
    assert refused.exit_code != 0
    assert "'total' says 6 records, the file has 5" in refused.output
