"""The penalties page and API render the comparison from the data files, with their sources and marks; the
authority records enforcement decisions and compliance visits; the public sees decisions without parties and the
exporter sees its findings beside its ICP (issue #18, item 6)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dualuse.adapters.sources.penalties import load_penalties, shipped_enforcement_dir
from dualuse.bootstrap import Container, load_demo_world
from dualuse.entrypoints.http.app import create_app
from tests.factories import token_for
from tests.integration.test_homes import sign_in

DE_EXPORTER = "Rheinland Sensorik GmbH"


@pytest.fixture
def demo(container: Container) -> tuple[TestClient, dict[str, str]]:
    logins = {login.email: login.password for login in load_demo_world(container)}
    return TestClient(create_app(container=container)), logins


def _csrf(html: str) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_the_page_shows_every_states_figures_with_sources_and_marks(container: Container) -> None:
    page = TestClient(create_app(container=container)).get("/penalties")
    assert page.status_code == 200
    html = page.text
    for penalty in container.penalties.ranges:
        assert f'data-state="{penalty.member_state}"' in html
        for source in penalty.sources:
            assert f'href="{source.url}"' in html
    assert html.count('data-verified="false"') == len(container.penalties.ranges)
    export = html.split('data-violation="export_without_authorisation"')[1].split("</section>")[0]
    assert "<svg" in export  # the chart, drawn on the server
    assert "EUR 500,000" in export  # DE's highest fine
    assert "not verified" in export


def test_an_edited_copy_of_the_data_changes_the_page_and_the_api(
    container: Container, tmp_path: Path
) -> None:
    data = tmp_path / "enforcement"
    shutil.copytree(shipped_enforcement_dir(), data)
    german = data / "penalties" / "DE.yaml"
    german.write_text(
        german.read_text(encoding="utf-8").replace("fine_max_eur: 500000", "fine_max_eur: 777777", 1)
    )
    (data / "penalties" / "SE.yaml").write_text(
        "member_state: SE\nversion: t\npenalties:\n  - violation: transit_in_breach_of_prohibition\n"
        "    criminal:\n      max_imprisonment_years: 4\n    sources:\n      - law: Test law\n"
        "        article: '§ 9'\n        url: https://example.org/se-law\n    verified: true\n",
        encoding="utf-8",
    )
    before = TestClient(create_app(container=container)).get("/penalties").text
    assert "EUR 777,777" not in before
    assert "https://example.org/se-law" not in before
    container.penalties = load_penalties(data)
    web = TestClient(create_app(container=container))
    after = web.get("/penalties").text
    assert "EUR 777,777" in after
    transit = after.split('data-violation="transit_in_breach_of_prohibition"')[1].split("</section>")[0]
    assert 'href="https://example.org/se-law"' in transit
    assert 'data-verified="true"' in transit
    api = web.get("/api/v1/penalties", params={"violation": "transit_in_breach_of_prohibition"}).json()
    assert [s["member_state"] for s in api[0]["states"]] == ["SE"]
    assert api[0]["states"][0]["max_imprisonment_years"] == "4"


def test_the_api_refuses_an_unknown_violation_or_state(container: Container) -> None:
    web = TestClient(create_app(container=container))
    assert web.get("/api/v1/penalties", params={"violation": "nope"}).status_code == 422
    assert web.get("/api/v1/penalties", params={"state": "XX"}).status_code == 422
    only = web.get("/api/v1/penalties", params={"state": "DE"}).json()
    assert {s["member_state"] for row in only for s in row["states"]} == {"DE"}


def test_a_decision_recorded_by_the_authority_is_public_without_its_party(
    demo: tuple[TestClient, dict[str, str]], container: Container
) -> None:
    web, logins = demo
    sign_in(web, "officer-de@demo.dualuse.eu", logins["officer-de@demo.dualuse.eu"])
    page = web.get("/authority/enforcement")
    assert page.status_code == 200
    exporter_id = re.search(r'<option value="(\d+)">' + DE_EXPORTER, page.text)
    assert exporter_id
    form = {
        "csrftoken": _csrf(page.text),
        "violation": "brokering_without_authorisation",
        "decision": "fine",
        "decision_date": "2026-02-03",
        "amount_eur": "4321987",
        "organisation_id": exporter_id.group(1),
        "summary": "Brokered listed items for a front company",
    }
    bad = web.post("/authority/enforcement/cases", data={**form, "amount_eur": ""})
    assert bad.status_code == 400
    assert 'href="#amount_eur"' in bad.text  # the error summary points at the field
    done = web.post("/authority/enforcement/cases", data=form, follow_redirects=False)
    assert done.status_code == 303
    own = web.get("/authority/enforcement").text
    assert "Brokered listed items for a front company" in own
    public = TestClient(web.app)
    shown = public.get("/penalties").text
    assert "EUR 4,321,987" in shown
    assert DE_EXPORTER not in shown
    assert "front company" not in shown
    listed = public.get("/api/v1/enforcement/cases").json()
    assert any(c["amount_eur"] == "4321987" for c in listed)
    assert all(
        set(c)
        == {
            "id",
            "member_state",
            "violation",
            "decision_date",
            "decision",
            "amount_eur",
            "imprisonment_months",
        }
        for c in listed
    )


def test_a_visit_is_recorded_for_the_officers_state_only_and_shown_beside_the_icp(
    demo: tuple[TestClient, dict[str, str]], container: Container
) -> None:
    web, logins = demo
    with container.uow() as uow:
        exporter = uow.users.by_email("exporter@demo.dualuse.eu")
        assert exporter is not None
        organisation_id = exporter.organisation_id
    fr = TestClient(
        web.app, headers={"authorization": f"Bearer {token_for(container, 'officer-fr@demo.dualuse.eu')}"}
    )
    body = {
        "visit_date": "2026-11-30",
        "findings": [{"icp_element": "training", "severity": "breach", "text": "No training"}],
    }
    assert fr.post(f"/api/v1/organisations/{organisation_id}/compliance-visits", json=body).status_code == 404
    de = TestClient(
        web.app, headers={"authorization": f"Bearer {token_for(container, 'officer-de@demo.dualuse.eu')}"}
    )
    wrong = {"visit_date": "2026-11-30", "findings": [{"icp_element": "catering", "text": "x"}]}
    assert (
        de.post(f"/api/v1/organisations/{organisation_id}/compliance-visits", json=wrong).status_code == 422
    )
    made = de.post(f"/api/v1/organisations/{organisation_id}/compliance-visits", json=body)
    assert made.status_code == 201, made.text
    assert made.json()["findings"][0]["icp_element_title"] == "Training and awareness-raising"
    sign_in(web, "exporter@demo.dualuse.eu", logins["exporter@demo.dualuse.eu"])
    icp = web.get("/icp").text
    training = icp.split('data-findings="training"')[1].split("</div>")[0]
    assert "No training" in training
    assert 'data-findings="screening"' in icp  # the demo visit's finding
    other = TestClient(
        web.app, headers={"authorization": f"Bearer {token_for(container, 'exporter-fr@demo.dualuse.eu')}"}
    )
    assert other.get(f"/api/v1/organisations/{organisation_id}/compliance-visits").status_code == 404
