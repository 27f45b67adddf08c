"""The denial pages, on SQLite and PostgreSQL (issue 18): the register with its filters and the notices
received, a denial's page and its review by the issuing state, the consultations page and its answer form,
the section on the case page with the match, its reasons and the held decision, the Commission's
read-only list; and the API's reads and answer."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container
from dualuse.entrypoints.http.app import create_app
from dualuse.services import licensing
from tests.factories import PASSWORD, Person
from tests.integration.denials_world import (
    DENIED_END_USER,
    SPELLED_OTHERWISE,
    api,
    application,
    ok,
    people,
    recommend,
    submit,
)

SECRET = b"k" * 32


def signed_in(container: Container, person: Person) -> tuple[TestClient, str]:
    web = TestClient(create_app(container=container))
    token = re.search(r'name="csrftoken" value="([^"]+)"', web.get("/login").text)
    assert token is not None
    web.post("/login", data={"email": person.email, "password": PASSWORD, "csrftoken": token[1]})
    page = web.get("/")
    found = re.search(r'name="csrftoken" value="([^"]+)"', page.text)
    assert found is not None
    return web, found[1]


@pytest.fixture
def world(container: Container) -> dict[str, Person]:
    found = people(container)
    case_id = submit(container, found["fr_exporter"], application(DENIED_END_USER))
    version = recommend(container, found["fr_officer"], case_id, kind="deny")
    with container.uow() as uow:
        licensing.decide(
            uow,
            found["fr_senior"].principal,
            case_id,
            outcome="denied",
            expected_version=version,
            secret=SECRET,
        )
    return found


def test_the_register_the_denial_and_its_review(container: Container, world: dict[str, Person]) -> None:
    de, _ = signed_in(container, world["de_officer"])
    page = de.get("/authority/denials")
    assert page.status_code == 200
    assert 'data-denial="FR-DEN-1"' in page.text
    assert DENIED_END_USER in page.text
    assert "from FR" in page.text  # the notice DE received
    assert 'data-denial="FR-DEN-1"' not in de.get("/authority/denials?state=IT").text
    assert 'data-denial="FR-DEN-1"' not in de.get("/authority/denials?destination=SA").text
    denial = de.get("/authority/denials/1")
    assert "art15.1.d" in denial.text
    assert "Confirm: keep in force" not in denial.text  # DE does not review FR's denial

    fr, csrf = signed_in(container, world["fr_officer"])
    assert "Confirm: keep in force" in fr.get("/authority/denials/1").text
    refused = fr.post(
        "/authority/denials/1/review", data={"csrftoken": csrf, "action": "withdraw", "note": ""}
    )
    assert refused.status_code == 400
    assert "say why the denial is withdrawn" in refused.text.lower()
    done = fr.post(
        "/authority/denials/1/review",
        data={"csrftoken": csrf, "action": "withdraw", "note": "End-user dissolved", "version": "1"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "withdrawn" in fr.get("/authority/denials/1").text
    assert 'data-denial="FR-DEN-1"' not in de.get("/authority/denials").text  # in force only
    assert 'data-denial="FR-DEN-1"' in de.get("/authority/denials?show=all").text


def test_the_commission_reads_the_denials_and_nothing_else(
    container: Container, world: dict[str, Person]
) -> None:
    eu, _ = signed_in(container, world["commission"])
    page = eu.get("/commission/denials")
    assert page.status_code == 200
    assert "FR-DEN-1" in page.text
    assert 'href="/authority/denials/1"' not in page.text  # read-only: no review, no case
    assert eu.get("/authority/denials").status_code == 403
    assert eu.get("/authority/consultations").status_code == 403
    de, _ = signed_in(container, world["de_officer"])
    assert de.get("/commission/denials").status_code == 403
    exporter, _ = signed_in(container, world["de_exporter"])
    assert exporter.get("/authority/denials").status_code == 403
    assert [d["reference"] for d in ok(api(container, world["commission"]).get("/api/v1/denials"))] == [
        "FR-DEN-1"
    ]
    assert api(container, world["de_exporter"]).get("/api/v1/denials").status_code == 403


def test_the_case_page_shows_the_match_and_holds_the_decision_until_fr_answers(
    container: Container, world: dict[str, Person]
) -> None:
    case_id = submit(container, world["de_exporter"], application(SPELLED_OTHERWISE))
    recommend(container, world["de_officer"], case_id)
    senior, senior_csrf = signed_in(container, world["de_senior"])
    page = senior.get(f"/applications/{case_id}")
    section = page.text.split('id="denials"')[1]
    assert "FR-DEN-1" in section
    assert "control code 5A001.J overlaps 5A001.j" in section
    assert "name score" in section
    assert "The case cannot be decided until the denying state has been consulted" in section
    assert 'id="decision-held"' in page.text
    assert f'action="/applications/{case_id}/decision"' not in page.text

    officer, csrf = signed_in(container, world["de_officer"])
    opened = officer.post(
        f"/applications/{case_id}/denials/1/consult",
        data={"csrftoken": csrf, "question": "Is the denial still relevant?"},
        follow_redirects=False,
    )
    assert opened.status_code == 303
    assert "Consultation of FR: open" in officer.get(f"/applications/{case_id}").text

    fr, fr_csrf = signed_in(container, world["fr_officer"])
    received = fr.get("/authority/consultations")
    assert "Is the denial still relevant?" in received.text
    assert "system default, not law" in received.text
    missing = fr.post("/authority/consultations/1/answer", data={"csrftoken": fr_csrf, "answer": "objects"})
    assert missing.status_code == 400
    assert "an objection gives its reasons" in missing.text.lower()
    # DE, the consulting state, cannot answer: as for a missing consultation
    assert (
        officer.post(
            "/authority/consultations/1/answer", data={"csrftoken": csrf, "answer": "agrees"}
        ).status_code
        == 404
    )
    answered = ok(
        api(container, world["fr_officer"]).post(
            "/api/v1/denial-consultations/1/answer",
            json={"answer": "objects", "reasons": "Diversion risk stands"},
        )
    )
    assert answered["status"] == "answered"
    assert (
        ok(api(container, world["de_officer"]).get("/api/v1/denial-consultations"))["sent"][0]["answer"]
        == "objects"
    )

    page = senior.get(f"/applications/{case_id}")
    assert "FR objects: Diversion risk stands" in page.text
    assert 'id="decision-held"' not in page.text
    version = re.search(r'name="version" value="(\d+)"', page.text.split("/decision")[1])
    assert version is not None
    without = senior.post(
        f"/applications/{case_id}/decision",
        data={"csrftoken": senior_csrf, "version": version[1], "outcome": "granted"},
    )
    assert without.status_code == 400
    assert "say why you grant anyway" in without.text.lower()
    granted = senior.post(
        f"/applications/{case_id}/decision",
        data={
            "csrftoken": senior_csrf,
            "version": version[1],
            "outcome": "granted",
            "despite_denial_reasons": "End-use monitoring agreed with the operator",
        },
        follow_redirects=False,
    )
    assert granted.status_code == 303
    assert "despite denial FR-DEN-1" in fr.get("/authority/denials").text
    eu, _ = signed_in(container, world["commission"])
    assert "End-use monitoring agreed with the operator" in eu.get("/commission/denials").text
