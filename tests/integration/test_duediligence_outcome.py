"""Due diligence tells the truth (issue 17): no export outcome until the case is concluded (not even after a
repression flag is answered yes); then the conclusion's outcome, the same as the determination's; while a
notification is pending, "do not export until the authority decides"."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.http.app import create_app
from tests.factories import PASSWORD, make_organisation, make_person, token_for

TRANSACTION = {
    "title": "Monitoring centre",
    "destination": "EG",
    "end_user": {"name": "Interior Ministry Directorate", "type": "government"},
    "item": {"description": "Monitoring centre software", "control_code": None, "cyber_surveillance": True},
}


@pytest.fixture
def world(container: Container) -> dict[str, Any]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    make_person(container, acme, Role.EXPORTER_ADMIN, "a@acme.example")
    de = make_organisation(container, OrganisationKind.AUTHORITY, "Authority DE", "DE")
    make_person(container, de, Role.AUTHORITY_OFFICER, "officer@de.example")
    api = TestClient(create_app(container=container))
    api.headers["Authorization"] = f"Bearer {token_for(container, 'a@acme.example')}"
    officer = TestClient(create_app(container=container))
    officer.headers["Authorization"] = f"Bearer {token_for(container, 'officer@de.example')}"
    web = TestClient(create_app(container=container))
    token = web.get("/login").text.split('name="csrftoken" value="')[1].split('"')[0]
    web.post("/login", data={"email": "a@acme.example", "password": PASSWORD, "csrftoken": token})
    return {"api": api, "officer": officer, "web": web, "flags": container.red_flags}


def answer_steps(world: dict[str, Any], case_id: int, steps: tuple[str, ...], yes: set[str]) -> None:
    for step in steps:
        answers = {
            f.id: {"answer": "yes" if f.id in yes else "no", "note": ""}
            for f in world["flags"].for_step(step)
        }
        sent = world["api"].post(
            f"/api/v1/due-diligence/cases/{case_id}/steps/{step}", json={"answers": answers, "note": step}
        )
        assert sent.status_code == 200, sent.text


def state(world: dict[str, Any], case_id: int) -> tuple[str, Any, str]:
    body = world["api"].get(f"/api/v1/due-diligence/cases/{case_id}").json()
    page = world["web"].get(f"/due-diligence/{case_id}").text
    return body["export_status"], body["determination"], page


def test_f17_a_fresh_case_shows_no_export_outcome_not_even_after_a_repression_flag(
    world: dict[str, Any],
) -> None:
    case_id = world["api"].post("/api/v1/due-diligence/cases", json=TRANSACTION).json()["case"]["id"]
    status, determination, page = state(world, case_id)
    assert status == "not_concluded"
    assert determination is None
    assert "No export outcome yet" in page
    assert "data-outcome" not in page
    assert "no licence required" not in page
    repression = {f.id for f in world["flags"].flags if f.points_to == "internal_repression"}
    answer_steps(world, case_id, ("classification", "misuse"), repression)
    status, determination, page = state(world, case_id)
    assert status == "not_concluded"
    assert determination is None
    assert "no licence required" not in page


def test_f17_the_concluded_case_shows_the_determination_and_waits_for_the_authority(
    world: dict[str, Any],
) -> None:
    case_id = world["api"].post("/api/v1/due-diligence/cases", json=TRANSACTION).json()["case"]["id"]
    repression = {f.id for f in world["flags"].flags if f.points_to == "internal_repression"}
    answer_steps(world, case_id, ("classification", "misuse", "stakeholders", "mitigation"), repression)
    concluded = world["api"].post(
        f"/api/v1/due-diligence/cases/{case_id}/conclusion", json={"conclusion": "notify_authority"}
    )
    assert concluded.status_code == 200, concluded.text
    status, determination, page = state(world, case_id)
    assert status == "determined"
    assert determination["outcome"] == "notify_authority"  # Art. 5(2): the same as the determination's
    assert 'data-outcome="notify_authority"' in page
    assert world["api"].post(f"/api/v1/due-diligence/cases/{case_id}/notification").status_code == 201
    status, determination, page = state(world, case_id)
    assert status == "awaiting_authority"
    assert determination is None
    assert "Do not export until the authority decides" in page
    assert "data-outcome" not in page
    [notification] = world["officer"].get("/api/v1/notifications").json()
    decided = world["officer"].post(
        f"/api/v1/notifications/{notification['id']}/decision",
        json={"authorisation_required": False, "reason": "the end-user was vetted"},
    )
    assert decided.status_code == 200, decided.text
    status, determination, page = state(world, case_id)
    assert status == "determined"
    assert determination["outcome"] == "no_licence_required"  # decided: no authorisation required
    assert 'data-outcome="no_licence_required"' in page


def test_f17_a_case_concluded_do_not_proceed_says_do_not_export(world: dict[str, Any]) -> None:
    case_id = world["api"].post("/api/v1/due-diligence/cases", json=TRANSACTION).json()["case"]["id"]
    answer_steps(world, case_id, ("classification", "misuse", "stakeholders", "mitigation"), set())
    world["api"].post(
        f"/api/v1/due-diligence/cases/{case_id}/conclusion", json={"conclusion": "do_not_proceed"}
    )
    status, determination, page = state(world, case_id)
    assert status == "do_not_proceed"
    assert determination is None
    assert "do not export" in page
    assert "no licence required" not in page
