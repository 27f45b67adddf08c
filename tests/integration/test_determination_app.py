"""Licence determination through the API, the CLI and the web form, on the shipped list and rules."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dualuse.bootstrap import Container
from dualuse.entrypoints.cli.main import app as cli
from dualuse.entrypoints.http.app import create_app


def case(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "activity": "export",
        "date": "2026-12-01",
        "exporter": {"name": "Acme GmbH", "member_state": "DE"},
        "destination": "CN",
        "end_user": {"name": "Bureau", "country": "CN", "type": "government"},
        "items": [{"id": "1", "description": "IMSI catcher", "control_code": "5A001.f", "quantity": 2}],
        "knowledge": {"informed": [], "aware": []},
    }
    base.update(overrides)
    return base


@pytest.fixture
def client(container: Container) -> TestClient:
    return TestClient(create_app(container=container))


def test_a_listed_cyber_surveillance_item_to_china_needs_a_licence(client: TestClient) -> None:
    """Art. 3(1): Annex I items need an authorisation; 5A001.f is a cyber-surveillance item (Art. 2(20))."""
    body = client.post("/api/v1/determinations", json=case()).json()
    assert body["outcome"] == "licence_required"
    item = body["items"][0]
    assert item["cyber_surveillance_item"] is True
    assert item["customs_codes"] == ["X060"]
    assert "Art. 3(1)" in item["legal_basis"][0]
    assert body["list_version"] == "2025-11"


def test_encryption_to_the_us_can_use_eu001(client: TestClient) -> None:
    body = client.post(
        "/api/v1/determinations",
        json=case(destination="US", end_user=None, items=[{"id": "1", "control_code": "5A002.a"}]),
    ).json()
    item = body["items"][0]
    assert item["outcome"] == "general_authorisation_available"
    assert "EU001" in item["general_authorisations"]
    assert "X061" in item["customs_codes"]
    assert item["cyber_surveillance_item"] is False


def test_a_code_not_yet_in_force_names_the_field(client: TestClient) -> None:
    response = client.post(
        "/api/v1/determinations", json=case(date="2025-10-01", items=[{"id": "1", "control_code": "4A506"}])
    )
    assert response.status_code == 422
    assert "control_code" in (response.json().get("field") or response.json()["detail"])


def test_an_unknown_country_is_a_clear_error(client: TestClient) -> None:
    response = client.post("/api/v1/determinations", json=case(destination="XX"))
    assert response.status_code == 422
    assert response.json()["field"] == "destination"


def test_the_web_form_answers_with_the_legal_basis(client: TestClient) -> None:
    page = client.get("/determinations/new")
    token = page.text.split('name="csrftoken" value="')[1].split('"')[0]
    response = client.post(
        "/determinations/new",
        data={
            "csrftoken": token,
            "activity": "export",
            "member_state": "DE",
            "destination": "RU",
            "control_code": "5A002.a",
        },
    )
    assert response.status_code == 200
    assert "Answer: prohibited" in response.text
    assert "833/2014" in response.text


def test_cli_determine_prints_json(
    container: Container, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case()))
    result = CliRunner().invoke(cli, ["determine", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["outcome"] == "licence_required"
    text = CliRunner().invoke(cli, ["determine", str(path), "--format", "text"])
    assert "Outcome: licence_required" in text.output
    path.write_text("{not json")
    assert CliRunner().invoke(cli, ["determine", str(path)]).exit_code == 2


def test_cli_batch_keeps_going_past_bad_lines(
    container: Container, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    orders = tmp_path / "orders.csv"
    with orders.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["order_id", "date", "exporter_member_state", "destination", "item_id", "control_code"]
        )
        writer.writerow(["A", "2026-12-01", "DE", "CN", "1", "5A001.f"])
        writer.writerow(["B", "2026-12-01", "DE", "ZZ", "1", "5A001.f"])
        writer.writerow(["C", "2026-12-01", "DE", "US", "1", ""])
    out = tmp_path / "results.csv"
    result = CliRunner().invoke(cli, ["determine-batch", str(orders), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Versions used:" in result.output
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["outcome"] for r in rows] == ["licence_required", "", "no_licence_required"]
    assert "destination" in rows[1]["error"]


def test_f1_api_venezuela_government_monitoring_system_needs_prior_authorisation(client: TestClient) -> None:
    """Issue #17: a non-listed IP-monitoring system for the government of Venezuela is not "no licence
    required, Y901": Reg. (EU) 2017/2063 Art. 6 requires prior authorisation; without the item's kind the
    API asks for it."""
    asked = client.post(
        "/api/v1/determinations",
        json=case(
            destination="VE",
            end_user={"name": "Ministry", "country": "VE", "type": "government"},
            items=[{"id": "1", "description": "IP monitoring system"}],
        ),
    ).json()
    assert asked["outcome"] == "licence_required"
    assert asked["questions"][0]["field"] == "items[0].item_kinds"
    answered = client.post(
        "/api/v1/determinations",
        json=case(
            destination="VE",
            end_user={"name": "Ministry", "country": "VE", "type": "government"},
            items=[
                {
                    "id": "1",
                    "description": "IP monitoring system",
                    "item_kinds": ["monitoring_interception_equipment"],
                }
            ],
        ),
    ).json()
    item = answered["items"][0]
    assert answered["outcome"] == "licence_required"
    assert item["legal_basis"] == ["Council Regulation (EU) 2017/2063, Art. 6(1)"]
    assert "Y901" not in item["customs_codes"]
    assert answered["questions"] == []
    assert answered["unverified_basis"] == []


def test_f2_api_iran_machine_tool_after_the_snapback_is_prohibited(client: TestClient) -> None:
    before = client.post(
        "/api/v1/determinations",
        json=case(date="2025-09-01", destination="IR", end_user={"name": "Plant", "country": "IR", "type": "commercial"},
                  items=[{"id": "1", "control_code": "2B001"}]),
    ).json()  # fmt: skip
    after = client.post(
        "/api/v1/determinations",
        json=case(date="2026-01-10", destination="IR", end_user={"name": "Plant", "country": "IR", "type": "commercial"},
                  items=[{"id": "1", "control_code": "2B001"}]),
    ).json()  # fmt: skip
    assert before["outcome"] == "licence_required"
    assert after["outcome"] == "prohibited"
    assert "Council Regulation (EU) No 267/2012, Art. 2(1)" in after["items"][0]["legal_basis"]


def test_a_cn_code_on_an_item_gives_its_candidate_annex_i_entries(
    client: TestClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An item declared under CN 8542 31 90 and not classified gets the entries that code correlates with
    (3A001, 3A501) as advice, marked as an unverified lookup aid; the same on the API and the public page."""
    item = {"id": "1", "description": "integrated circuit", "control_code": None, "cn_code": "8542 31 90"}
    body = client.post("/api/v1/determinations", json=case(items=[item])).json()
    advice = " ".join(body["items"][0]["advice"])
    assert "3A001, 3A501" in advice
    assert "not verified" in advice
    found = client.get("/api/v1/control-list/cn/85423190").json()
    assert [c["code"] for c in found["candidates"]] == ["3A001", "3A501"]
    assert all(not r["verified"] and r["source"] for r in found["rows"])
    assert client.get("/api/v1/control-list/cn/85x").status_code == 422
    page = client.get("/control-list/cn", params={"cn": "8542"})
    assert page.status_code == 200
    assert "3A501" in page.text
    bad = client.get("/control-list/cn", params={"cn": "not a code"})
    assert "There is a problem" in bad.text
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    result = CliRunner().invoke(cli, ["list", "cn", "8806"])
    assert result.exit_code == 0, result.output
    assert "9A012" in result.output


def test_the_web_form_takes_a_cn_code_and_a_national_list_entry(client: TestClient) -> None:
    """The form's CN code gives the candidate entries; a Danish national list entry (Art. 9(1)) from a
    Danish exporter needs an authorisation."""
    page = client.get("/determinations/new")
    token = page.text.split('name="csrftoken" value="')[1].split('"')[0]
    response = client.post(
        "/determinations/new",
        data={
            "csrftoken": token,
            "activity": "export",
            "member_state": "DK",
            "destination": "CN",
            "cn_code": "8542 31 90",
            "national_codes": "DK-2B910",
        },
    )
    assert response.status_code == 200, response.text
    assert "3A001, 3A501" in response.text
    assert "Art. 9(1)" in response.text
    bad = client.post(
        "/determinations/new",
        data={"csrftoken": token, "member_state": "DK", "destination": "CN", "cn_code": "85x"},
    )
    assert bad.status_code == 400
    assert 'href="#cn_code"' in bad.text
