"""Ownership and control end to end: an FtM file's Ownership and Directorship relations imported with the list
(CLI), kept in the database with its version, and a screened company owned 50% or more by listed parties,
alone or together, flagged with the chains of holdings in the API and on the web page."""

from __future__ import annotations

import re
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
from tests.factories import PASSWORD, make_organisation, make_person, token_for

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sanctions" / "ftm_ownership.jsonl"
runner = CliRunner()


@pytest.fixture
def world(container: Container, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    path = tmp_path / "graph.jsonl"
    shutil.copy(FIXTURE, path)
    result = runner.invoke(cli, ["lists", "import", "ftm", str(path)])
    assert result.exit_code == 0, result.output
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
    return {"acme": token_for(container, "admin@acme.example")}


def test_relations_are_stored_with_the_version(container: Container, world: dict[str, str]) -> None:
    with container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.sanctions_relations)).scalar_one() == 6
        # the owners and companies around the targets are graph parties, not listings
        assert conn.execute(select(func.count()).select_from(t.listed_entities)).scalar_one() == 2


def test_a_company_owned_together_and_through_a_chain_is_flagged_with_the_paths(
    container: Container, world: dict[str, str]
) -> None:
    client = TestClient(create_app(container=container))
    client.headers["Authorization"] = f"Bearer {world['acme']}"
    body = client.post(
        "/api/v1/screening/screen", json={"name": "Northwind Trading GmbH", "schema": "organization"}
    ).json()
    assert body["matches"] == []  # the company is on no list itself
    finding = body["ownership"][0]
    assert (finding["company_id"], finding["flagged"]) == ("c-trading", True)
    assert finding["listed_share"] == pytest.approx(0.55)  # 60% x 50% through Northwind Holdings, plus 25%
    assert [p["text"] for p in finding["paths"]] == [
        "Viktor Aleksandrovich Testov —60%→ Northwind Holdings Limited —50%→ Northwind Trading GmbH",
        "Olga Listova —25%→ Northwind Trading GmbH",
    ]
    minority = client.post("/api/v1/screening/screen", json={"name": "Southgate Components Ltd"}).json()
    southgate = minority["ownership"][0]
    assert (southgate["flagged"], southgate["listed_share"]) == (False, pytest.approx(0.3))
    assert southgate["listed_directors"] == ["Olga Listova"]
    unrelated = client.post("/api/v1/screening/screen", json={"name": "Hans Unlisted"}).json()
    assert unrelated["ownership"] == []
    # the flag is in the audit trail, against the screening that raised it (and only that one)
    a = t.audit_events
    with container.engine.connect() as conn:
        events = conn.execute(
            select(a.c.entity_id, a.c.after).where(a.c.action == "screening.ownership_flagged")
        ).all()
    assert [e.entity_id for e in events] == [str(body["screening_id"])]
    assert events[0].after["companies"][0]["listed_share"] == pytest.approx(0.55)


def test_the_web_page_shows_the_flag_and_the_path(container: Container, world: dict[str, str]) -> None:
    client = TestClient(create_app(container=container))
    page = client.get("/login")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text)
    assert token
    client.post(
        "/login", data={"email": "admin@acme.example", "password": PASSWORD, "csrftoken": token.group(1)}
    )
    form = client.get("/screening")
    token = re.search(r'name="csrftoken" value="([^"]+)"', form.text)
    assert token
    result = client.post(
        "/screening",
        data={"name": "Northwind Trading GmbH", "kind": "", "role": "consignee", "csrftoken": token.group(1)},
    )
    assert result.status_code == 200, result.text
    assert "Owned or directed by listed parties" in result.text
    assert "owned 55% by listed parties, alone or together" in result.text
    assert (
        "Viktor Aleksandrovich Testov —60%→ Northwind Holdings Limited —50%→ Northwind Trading GmbH"
        in result.text
    )


def test_the_demo_world_shows_a_company_owned_by_listed_parties(container: Container) -> None:
    from dualuse.bootstrap import load_demo_world

    load_demo_world(container)
    client = TestClient(create_app(container=container))
    client.headers["Authorization"] = f"Bearer {token_for(container, 'exporter@demo.dualuse.eu')}"
    body = client.post("/api/v1/screening/screen", json={"name": "Quillfeather Components GmbH"}).json()
    finding = body["ownership"][0]
    assert (finding["company_name"], finding["flagged"]) == ("Quillfeather Components GmbH", True)
    assert finding["listed_share"] == pytest.approx(0.6)
    assert finding["listed_directors"] == ["Ivor Quillfeather"]
