"""Due diligence end to end through the API: a case concluded 'notify', the authority's decision, the
Art. 5(4) exchange and the Union-wide publication reaching another exporter's determination."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dualuse.adapters.db import tables as t
from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.http.app import create_app
from tests.factories import PASSWORD, make_organisation, make_person, token_for

TRANSACTION = {
    "title": "Monitoring centre for the Ministry",
    "destination": "EG",
    "end_user": {"name": "Ministry of Interior Surveillance Directorate", "type": "government"},
    "item": {"description": "Monitoring centre software", "control_code": None, "cyber_surveillance": True},
}


@pytest.fixture
def people(container: Container) -> dict[str, str]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    other = make_organisation(container, OrganisationKind.EXPORTER, "Other BV", "NL", "NL222")
    emails = {"acme": "admin@acme.example", "other": "admin@other.example"}
    make_person(container, acme, Role.EXPORTER_ADMIN, emails["acme"])
    make_person(container, other, Role.EXPORTER_ADMIN, emails["other"])
    for state in ("DE", "FR", "NL"):
        org = make_organisation(container, OrganisationKind.AUTHORITY, f"Authority {state}", state)
        emails[state] = f"officer@{state.lower()}.example"
        make_person(container, org, Role.AUTHORITY_OFFICER, emails[state])
    return {key: token_for(container, email) for key, email in emails.items()}


def client(container: Container, token: str | None) -> TestClient:
    c = TestClient(create_app(container=container))
    if token:
        c.headers["Authorization"] = f"Bearer {token}"
    return c


def answer_all(
    api: TestClient, case_id: int, flags: list[dict[str, Any]], yes: set[str], unknown: set[str] = frozenset()
) -> None:  # type: ignore[assignment]
    for step in ("classification", "misuse", "stakeholders", "mitigation"):
        answers = {
            f["id"]: {
                "answer": "yes" if f["id"] in yes else "unknown" if f["id"] in unknown else "no",
                "note": "",
            }
            for f in flags
            if f["step"] == step
        }
        response = api.post(
            f"/api/v1/due-diligence/cases/{case_id}/steps/{step}",
            json={
                "answers": answers,
                "note": f"{step} done",
                "evidence": [{"title": "report", "url": "https://example.org/r"}],
            },
        )
        assert response.status_code == 200, response.text


def determination_for(api: TestClient, member_state: str) -> dict[str, Any]:
    body = {
        "activity": "export",
        "exporter": {"name": "x", "member_state": member_state},
        "destination": "EG",
        "end_user": {
            "name": "MINISTRY OF INTERIOR  Surveillance Directorate.",
            "country": "EG",
            "type": "government",
        },
        "items": [
            {
                "id": "1",
                "description": "monitoring centre software",
                "control_code": None,
                "cyber_surveillance": False,
            }
        ],
    }
    response = api.post("/api/v1/determinations", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_notify_impose_agree_publish_and_apply(container: Container, people: dict[str, str]) -> None:
    acme = client(container, people["acme"])
    flags = acme.get("/api/v1/due-diligence/red-flags").json()["flags"]
    repression = {f["id"] for f in flags if f["points_to"] == "internal_repression"}
    case = acme.post("/api/v1/due-diligence/cases", json=TRANSACTION).json()
    case_id = case["case"]["id"]
    answer_all(acme, case_id, flags, yes=repression)
    proceed = acme.post(f"/api/v1/due-diligence/cases/{case_id}/conclusion", json={"conclusion": "proceed"})
    assert proceed.status_code == 422
    concluded = acme.post(
        f"/api/v1/due-diligence/cases/{case_id}/conclusion", json={"conclusion": "notify_authority"}
    )
    assert concluded.json()["knowledge"]["aware"] == ["internal_repression"]
    assert concluded.json()["determination"]["outcome"] == "notify_authority"
    assert any("Art. 5(2)" in b for b in concluded.json()["determination"]["items"][0]["legal_basis"])
    # before anything is published, another exporter's transaction needs nothing
    other = client(container, people["other"])
    assert determination_for(other, "NL")["outcome"] == "no_licence_required"
    assert acme.post(f"/api/v1/due-diligence/cases/{case_id}/notification").status_code == 201
    # only DE sees it
    assert client(container, people["FR"]).get("/api/v1/notifications").json() == []
    de = client(container, people["DE"])
    [notification] = de.get("/api/v1/notifications").json()
    decided = de.post(
        f"/api/v1/notifications/{notification['id']}/decision",
        json={"authorisation_required": True, "reason": "security service with a record of repression"},
    )
    requirement_id = decided.json()["requirement_id"]
    bound = acme.get(f"/api/v1/due-diligence/cases/{case_id}").json()
    assert bound["knowledge"]["informed"] == ["internal_repression"]
    assert bound["determination"]["outcome"] == "licence_required"
    for state in ("FR", "NL"):
        status = (
            client(container, people[state])
            .post(
                f"/api/v1/art5-requirements/{requirement_id}/views",
                json={"view": "agree", "reason": "same assessment"},
            )
            .json()["status"]
        )
    assert status == "published"
    assert len(client(container, None).get("/api/v1/art5-requirements/published").json()) == 1
    result = determination_for(other, "NL")
    item = result["items"][0]
    assert result["outcome"] == "licence_required"
    assert any("Art. 5(1)" in basis for basis in item["legal_basis"])
    assert "Regulation (EU) 2021/821, Art. 5(6)" in item["legal_basis"]


def test_proceed_is_blocked_while_a_key_flag_is_unknown(container: Container, people: dict[str, str]) -> None:
    acme = client(container, people["acme"])
    flags = acme.get("/api/v1/due-diligence/red-flags").json()["flags"]
    key = next(f["id"] for f in flags if f["key"] and f["points_to"] is None)
    case_id = acme.post("/api/v1/due-diligence/cases", json=TRANSACTION).json()["case"]["id"]
    answer_all(acme, case_id, flags, yes=set(), unknown={key})
    blocked = acme.post(f"/api/v1/due-diligence/cases/{case_id}/conclusion", json={"conclusion": "proceed"})
    assert blocked.status_code == 422
    assert key in blocked.json()["detail"]
    ok = acme.post(f"/api/v1/due-diligence/cases/{case_id}/conclusion", json={"conclusion": "do_not_proceed"})
    assert ok.status_code == 200


def test_cases_are_isolated(container: Container, people: dict[str, str]) -> None:
    acme = client(container, people["acme"])
    case_id = acme.post("/api/v1/due-diligence/cases", json=TRANSACTION).json()["case"]["id"]
    other = client(container, people["other"])
    assert other.get(f"/api/v1/due-diligence/cases/{case_id}").status_code == 404
    assert other.get(f"/api/v1/due-diligence/cases/{case_id}/report.pdf").status_code == 404


def test_the_pdf_record(container: Container, people: dict[str, str]) -> None:
    acme = client(container, people["acme"])
    case_id = acme.post("/api/v1/due-diligence/cases", json=TRANSACTION).json()["case"]["id"]
    response = acme.get(f"/api/v1/due-diligence/cases/{case_id}/report.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_submissions_are_moderated_before_use(container: Container, people: dict[str, str]) -> None:
    public = client(container, None)
    bad = public.post(
        "/api/v1/submissions",
        json={
            "organisation_name": "NGO",
            "subject_kind": "end_user",
            "subject": "X",
            "what_happened": " ",
            "sources": ["https://e.org"],
        },
    )
    assert bad.status_code == 422
    created = public.post(
        "/api/v1/submissions",
        json={
            "organisation_name": "Digital Rights Watch",
            "subject_kind": "end_user",
            "subject": "Surveillance Directorate",
            "what_happened": "Used intercepted messages to arrest journalists",
            "sources": ["https://example.org/report"],
        },
    )
    assert created.status_code == 201
    de = client(container, people["DE"])
    assert de.get("/api/v1/risk-profiles").json() == []
    assert (
        client(container, people["acme"])
        .post(f"/api/v1/submissions/{created.json()['id']}/moderation", json={"accept": True})
        .status_code
        == 403
    )
    assert (
        de.post(f"/api/v1/submissions/{created.json()['id']}/moderation", json={"accept": True}).status_code
        == 200
    )
    [profile] = de.get("/api/v1/risk-profiles").json()
    assert profile["origin"] == "submission"
    assert profile["level"] == "unknown"


def test_a_step_page_takes_an_evidence_document(container: Container, people: dict[str, str]) -> None:
    acme = client(container, people["acme"])
    case_id = acme.post("/api/v1/due-diligence/cases", json=TRANSACTION).json()["case"]["id"]
    flags = acme.get("/api/v1/due-diligence/red-flags").json()["flags"]
    web = client(container, None)
    login = web.get("/login").text
    token = login.split('name="csrftoken" value="')[1].split('"')[0]
    web.post("/login", data={"email": "admin@acme.example", "password": PASSWORD, "csrftoken": token})
    data = {"csrftoken": token, "note": "classified"}
    data |= {f"answer-{f['id']}": "no" for f in flags if f["step"] == "classification"}
    sent = web.post(
        f"/due-diligence/{case_id}/steps/classification",
        data=data,
        files={"evidence_file": ("datasheet.pdf", b"%PDF-1.4 datasheet", "application/pdf")},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    entries = acme.get(f"/api/v1/due-diligence/cases/{case_id}").json()
    assert entries["steps_done"] == ["classification"]
    # kept in the database's document store, not on this machine's disk, and served back from it
    assert not container.settings.upload_dir.exists()
    with container.uow() as uow:
        [item] = [e for entry in uow.duediligence.entries(case_id) for e in entry.evidence if "sha256" in e]
    download = web.get(f"/due-diligence/{case_id}/evidence/{item['sha256']}")
    assert download.status_code == 200
    assert download.content == b"%PDF-1.4 datasheet"
    assert download.headers["content-type"] == "application/pdf"
    refused = web.post(
        f"/due-diligence/{case_id}/steps/misuse",
        data={"csrftoken": token},
        files={"evidence_file": ("payload.exe", b"MZ", "application/octet-stream")},
    )
    assert refused.status_code == 400
    assert "PDF, PNG, JPEG or text" in refused.text


def test_a_multipart_form_without_the_token_is_refused(container: Container, people: dict[str, str]) -> None:
    acme = client(container, people["acme"])
    case_id = acme.post("/api/v1/due-diligence/cases", json=TRANSACTION).json()["case"]["id"]
    web = client(container, None)
    token = web.get("/login").text.split('name="csrftoken" value="')[1].split('"')[0]
    web.post("/login", data={"email": "admin@acme.example", "password": PASSWORD, "csrftoken": token})
    forged = web.post(
        f"/due-diligence/{case_id}/steps/classification",
        data={"csrftoken": "forged", "note": "x"},
        files={"evidence_file": ("a.txt", b"hello", "text/plain")},
    )
    assert forged.status_code == 403
    assert acme.get(f"/api/v1/due-diligence/cases/{case_id}").json()["steps_done"] == []


def web_session(container: Container, email: str) -> tuple[TestClient, str]:
    web = client(container, None)
    token = web.get("/login").text.split('name="csrftoken" value="')[1].split('"')[0]
    web.post("/login", data={"email": email, "password": PASSWORD, "csrftoken": token})
    return web, token


def test_the_stakeholder_step_shows_screening_and_risk_profiles(
    container: Container, people: dict[str, str]
) -> None:
    case_id = (
        client(container, people["acme"])
        .post("/api/v1/due-diligence/cases", json=TRANSACTION)
        .json()["case"]["id"]
    )
    officer, token = web_session(container, "officer@de.example")
    recorded = officer.post(
        "/authority/risk-profiles",
        data={
            "csrftoken": token,
            "subject_kind": "end_user",
            "subject": "Ministry of Interior Surveillance Directorate",
            "level": "high",
            "summary": "Documented surveillance of journalists",
            "source_title": "UN Special Rapporteur report",
            "source_published": "2025-03-01",
        },
        follow_redirects=False,
    )
    assert recorded.status_code == 303
    exporter, _ = web_session(container, "admin@acme.example")
    page = exporter.get(f"/due-diligence/{case_id}/steps/stakeholders")
    assert page.status_code == 200
    assert "Documented surveillance of journalists" in page.text
    assert "The end-user screened against the sanctions lists" in page.text
    with container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.screenings)).scalar_one() == 1
