"""Input safety on every path (issue 17): a control code must be listed in the version in force on the
transaction's date, or the answer is an error with "did you mean"; countries are ISO 3166 codes in the API
and CLI with a clear error; the web form takes country names and never cuts them short; the answer states
the facts as understood (country name, item title) above the verdict."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

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

INVENTED = [("5A001.zz", "5A001"), ("5A001.j.9", "5A001.j")]


def case(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "exporter": {"name": "Acme GmbH", "member_state": "DE"},
        "destination": "CN",
        "items": [{"id": "1", "control_code": "5A001.f"}],
    }
    return body | overrides


@pytest.fixture
def client(container: Container) -> TestClient:
    return TestClient(create_app(container=container))


def web_form(client: TestClient, **fields: str) -> Any:
    token = client.get("/determinations/new").text.split('name="csrftoken" value="')[1].split('"')[0]
    data = {"csrftoken": token, "activity": "export", "member_state": "DE", "destination": "CN"} | fields
    return client.post("/determinations/new", data=data)


@pytest.mark.parametrize(("code", "near"), INVENTED)
def test_f17_an_invented_code_is_refused_on_the_api_with_did_you_mean(
    client: TestClient, code: str, near: str
) -> None:
    response = client.post("/api/v1/determinations", json=case(items=[{"id": "1", "control_code": code}]))
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["field"] == "items[0].control_code"
    assert "did you mean" in problem["detail"]
    assert near in problem["detail"]


@pytest.mark.parametrize(("code", "near"), INVENTED)
def test_f17_an_invented_code_is_refused_on_the_web_form(client: TestClient, code: str, near: str) -> None:
    response = web_form(client, control_code=code)
    assert response.status_code == 400
    assert "did you mean" in response.text
    assert near in response.text
    assert "data-outcome" not in response.text


@pytest.mark.parametrize(("code", "near"), INVENTED)
def test_f17_an_invented_code_is_refused_by_the_cli(
    container: Container, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, code: str, near: str
) -> None:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case(items=[{"id": "1", "control_code": code}])))
    for extra in ([], ["--format", "text"]):
        result = CliRunner().invoke(cli, ["determine", str(path), *extra])
        assert result.exit_code == 2
        assert "did you mean" in result.output
        assert near in result.output
    orders, results = tmp_path / "orders.csv", tmp_path / "results.csv"
    with orders.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["order_id", "exporter_member_state", "destination", "item_id", "control_code"])
        writer.writerow(["A", "DE", "CN", "1", code])
        writer.writerow(["B", "DE", "CN", "1", "5A001.f"])
    assert CliRunner().invoke(cli, ["determine-batch", str(orders), "-o", str(results)]).exit_code == 0
    with results.open(newline="") as handle:
        bad, good = list(csv.DictReader(handle))
    assert bad["outcome"] == ""
    assert bad["error"].startswith("control_code: ")
    assert "did you mean" in bad["error"]
    assert good["outcome"] == "licence_required"


@pytest.mark.parametrize(("value", "hint"), [("China", "ISO 3166"), ("UK", "GB"), ("XX", "ISO 3166")])
def test_f17_the_api_and_cli_take_iso_codes_with_a_clear_error(
    client: TestClient,
    container: Container,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    value: str,
    hint: str,
) -> None:
    response = client.post("/api/v1/determinations", json=case(destination=value))
    assert response.status_code == 422
    assert response.json()["field"] == "destination"
    assert hint in response.json()["detail"]
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case(destination=value)))
    result = CliRunner().invoke(cli, ["determine", str(path)])
    assert result.exit_code == 2
    assert hint in result.output


@pytest.mark.parametrize("typed", ["China", "china", "CN", "China (CN)", "Chine", "Chiny", "Κίνα", "Kina"])
def test_f17_the_web_form_reads_country_names_and_never_cuts_them_short(
    client: TestClient, typed: str
) -> None:
    response = web_form(client, destination=typed, control_code="5A001.f")
    assert response.status_code == 200, response.text
    assert 'data-testid="understood-destination">China (CN)' in response.text
    assert 'name="destination" type="text" value="China (CN)"' in response.text  # kept whole in the form


def test_f17_an_unknown_country_name_is_a_clear_error_on_the_web_form(client: TestClient) -> None:
    response = web_form(client, destination="Chna")
    assert response.status_code == 400
    assert "did you mean China (CN)" in response.text


def test_f17_the_answer_states_the_facts_as_understood_above_the_verdict(client: TestClient) -> None:
    body = client.post("/api/v1/determinations", json=case()).json()
    assert body["understood"]["destination"] == {"code": "CN", "name": "China"}
    assert body["understood"]["items"][0]["title"]
    assert body["understood"]["items"][0]["title"] != "5A001.f"
    page = web_form(client, destination="China", control_code="5a001f", end_user_name="Bureau").text
    understood = page.index("What we understood")
    assert understood < page.index("Answer: licence required")
    assert page.index("China (CN)", understood) < page.index("Answer:")
    assert page.index("5A001.f: ", understood) < page.index("Answer:")  # the entry's title follows the code


@pytest.mark.parametrize(("code", "near"), INVENTED)
def test_f17_an_invented_code_is_refused_when_a_due_diligence_case_is_opened(
    container: Container, code: str, near: str
) -> None:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    make_person(container, acme, Role.EXPORTER_ADMIN, "a@acme.example")
    api = TestClient(create_app(container=container))
    api.headers["Authorization"] = f"Bearer {token_for(container, 'a@acme.example')}"
    transaction = {
        "title": "Gateway",
        "destination": "AE",
        "end_user": {"name": "Regulator", "type": "government"},
        "item": {"description": "gateway", "control_code": code},
    }
    response = api.post("/api/v1/due-diligence/cases", json=transaction)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "item.control_code"
    assert "did you mean" in response.json()["detail"]
    assert near in response.json()["detail"]
    with container.engine.connect() as connection:  # nothing was stored
        assert connection.execute(select(func.count()).select_from(t.dd_cases)).scalar_one() == 0
    transaction["item"]["control_code"] = "5a001f"
    opened = api.post("/api/v1/due-diligence/cases", json=transaction)
    assert opened.status_code == 201
    assert opened.json()["case"]["transaction"]["item"]["control_code"] == "5A001.f"


# --- what the item is, in plain words: the web form asks, as the API and the batch file do -----------------
def _monitoring_for_venezuela(client: TestClient, **fields: Any) -> Any:
    return client.post(
        "/determinations/new",
        data={
            "csrftoken": client.get("/determinations/new")
            .text.split('name="csrftoken" value="')[1]
            .split('"')[0],
            "activity": "export",
            "member_state": "DE",
            "destination": "Venezuela",
            "end_user_name": "Ministry of the Interior",
            "end_user_type": "government",
            "description": "IP network monitoring system",
            **fields,
        },
    )


def test_f17_the_web_form_asks_what_the_item_is_for_venezuela(client: TestClient) -> None:
    asked = _monitoring_for_venezuela(client)
    assert asked.status_code == 200, asked.text
    assert 'data-question="items[0].item_kinds"' in asked.text
    assert 'data-outcome="no_licence_required"' not in asked.text


def test_f17_monitoring_equipment_for_the_government_of_venezuela_needs_an_authorisation_on_the_web(
    client: TestClient,
) -> None:
    answer = _monitoring_for_venezuela(client, item_kinds="monitoring_interception_equipment")
    assert answer.status_code == 200, answer.text
    assert 'data-outcome="licence_required"' in answer.text
    assert "Council Regulation (EU) 2017/2063, Art. 6(1)" in answer.text
    stated_none = _monitoring_for_venezuela(client, item_kinds="none")
    assert 'data-question="items[0].item_kinds"' not in stated_none.text
