"""After the decision (issue 19, point 5) through the API on SQLite and PostgreSQL: an extension is
recommended by an officer and decided by another person (four eyes), and only then does the licence run
longer; an amendment refused leaves the licence as it was; an appeal of a refusal runs on its own track,
handled by people other than those who refused, with its own decision; an enquiry is answered with a
binding "no licence required" ruling whose letter names its legal basis."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pypdf
import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.domain.licensing import CRITERIA
from dualuse.entrypoints.http.app import create_app
from dualuse.entrypoints.report import ruling_letter_pdf
from dualuse.services.casework import letters
from tests.factories import Person, make_organisation, make_person, token_for

BODY = {
    "application_type": "individual",
    "items": [
        {
            "control_code": "5A002.a",
            "description": "Encryptor",
            "quantity": "3",
            "unit": "pieces",
            "value_eur": "3000.00",
        }
    ],
    "parties": [
        {"name": "Buyer Ltd", "role": "end_user", "country": "IN", "party_type": "commercial"},
        {"name": "Buyer Ltd", "role": "consignee", "country": "IN", "party_type": "commercial"},
    ],
    "destinations": ["IN"],
    "end_use": "Network security of a bank",
}


@pytest.fixture
def people(container: Container) -> dict[str, Person]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    de = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    return {
        "acme": make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example"),
        "officer": make_person(container, de, Role.AUTHORITY_OFFICER, "officer@bafa.example"),
        "officer2": make_person(container, de, Role.AUTHORITY_OFFICER, "officer2@bafa.example"),
        "senior": make_person(container, de, Role.AUTHORITY_SENIOR, "senior@bafa.example"),
        "senior2": make_person(container, de, Role.AUTHORITY_SENIOR, "senior2@bafa.example"),
    }


def api(container: Container, person: Person) -> TestClient:
    c = TestClient(create_app(container=container))
    c.headers["Authorization"] = f"Bearer {token_for(container, person.email)}"
    return c


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def decided(container: Container, people: dict[str, Person], kind: str = "grant") -> dict[str, Any]:
    exporter = api(container, people["acme"])
    draft = ok(exporter.post("/api/v1/applications", json=BODY), 201)
    case = ok(exporter.post(f"/api/v1/applications/{draft['id']}/submit", json={"declaration": True}))
    officer = api(container, people["officer"])
    url = f"/api/v1/cases/{case['id']}"
    case = ok(officer.post(f"{url}/actions/start_assessment", json={"expected_version": case["version"]}))
    concern = {"art15.1.d"} if kind == "deny" else set()
    findings = [
        {"criterion_id": c.id, "concern": c.id in concern, "note": "diversion" if c.id in concern else ""}
        for c in CRITERIA
    ]
    case = ok(
        officer.post(f"{url}/assessment", json={"expected_version": case["version"], "findings": findings})
    )
    case = ok(
        officer.post(
            f"{url}/recommendation",
            json={
                "expected_version": case["version"],
                "kind": kind,
                "reasoning": "r",
                "criteria_relied_on": sorted(concern),
            },
        )
    )
    outcome = "denied" if kind == "deny" else "granted"
    return ok(
        api(container, people["senior"]).post(
            f"{url}/decision", json={"expected_version": case["version"], "outcome": outcome}
        )
    )


def number_of(case: dict[str, Any]) -> str:
    licence = case["licence"]
    return str(licence["number"] if isinstance(licence, dict) else licence)


def test_an_extension_needs_four_eyes_before_the_licence_runs_longer(
    container: Container, people: dict[str, Person]
) -> None:
    number = number_of(decided(container, people))
    exporter = api(container, people["acme"])
    before = ok(exporter.get(f"/api/v1/licences/{number}"))
    old_until = date.fromisoformat(before["valid_until"])
    wanted = (old_until - timedelta(days=30)).isoformat()
    assert (
        exporter.post(
            f"/api/v1/licences/{number}/change-requests",
            json={"kind": "extension", "reason": "x", "valid_until": wanted},
        ).status_code
        == 422
    )
    # within the Art. 12(3) maximum: shorten the validity first would be odd; ask for a day beyond it to see it refused
    too_long = (old_until + timedelta(days=3 * 365)).isoformat()
    assert (
        exporter.post(
            f"/api/v1/licences/{number}/change-requests",
            json={"kind": "extension", "reason": "x", "valid_until": too_long},
        ).status_code
        == 422
    )


def test_amendment_extension_and_refusal_tracks(container: Container, people: dict[str, Person]) -> None:
    number = number_of(decided(container, people))
    exporter = api(container, people["acme"])
    officer, senior = api(container, people["officer"]), api(container, people["senior"])
    conditions = ["Report each shipment within 30 days"]
    track = ok(
        exporter.post(
            f"/api/v1/licences/{number}/change-requests",
            json={"kind": "amendment", "reason": "Our bank customer asks for it", "conditions": conditions},
        ),
        201,
    )
    assert track["status"] == "submitted"
    assert track["recommendation"] is None
    url = f"/api/v1/requests/{track['id']}"
    track = ok(
        officer.post(
            f"{url}/recommendation",
            json={"outcome": "refuse", "reasoning": "Not needed", "expected_version": track["version"]},
        )
    )
    # the officer may not decide; the senior returns it once, then decides
    assert officer.post(f"{url}/decision", json={"outcome": "refuse", "reasoning": "x"}).status_code == 403
    track = ok(
        senior.post(
            f"{url}/return",
            json={"reasoning": "Say why it is not needed", "expected_version": track["version"]},
        )
    )
    assert track["status"] == "submitted"
    track = ok(
        officer.post(
            f"{url}/recommendation",
            json={"outcome": "refuse", "reasoning": "The licence already requires reports"},
        )
    )
    track = ok(senior.post(f"{url}/decision", json={"outcome": "refuse", "reasoning": "Agreed"}))
    assert (track["status"], track["decision"]["outcome"]) == ("decided", "refuse")
    assert ok(exporter.get(f"/api/v1/licences/{number}"))["conditions"] == []
    assert (
        ok(exporter.get(url))["recommendation"] is None
    )  # the exporter sees the decision, not the officer's advice

    # an extension: proposed on the licence at the recommendation, in force only at the senior's decision
    licence = ok(exporter.get(f"/api/v1/licences/{number}"))
    old_until = date.fromisoformat(licence["valid_until"])
    shorter = old_until - timedelta(days=60)
    ok(
        officer.post(
            f"/api/v1/licences/{number}/actions/amend",
            json={
                "reason": "test set-up: shorten",
                "valid_until": shorter.isoformat(),
                "expected_version": licence["version"],
            },
        )
    )
    wanted = (shorter + timedelta(days=30)).isoformat()
    track = ok(
        exporter.post(
            f"/api/v1/licences/{number}/change-requests",
            json={
                "kind": "extension",
                "reason": "Shipping delayed by the port strike",
                "valid_until": wanted,
            },
        ),
        201,
    )
    url = f"/api/v1/requests/{track['id']}"
    ok(
        officer.post(
            f"{url}/recommendation",
            json={"outcome": "grant", "reasoning": "Delay outside the exporter's control"},
        )
    )
    assert ok(exporter.get(f"/api/v1/licences/{number}"))["valid_until"] == shorter.isoformat()  # not yet
    track = ok(senior.post(f"{url}/decision", json={"outcome": "grant", "reasoning": "Agreed"}))
    assert track["status"] == "decided"
    assert ok(exporter.get(f"/api/v1/licences/{number}"))["valid_until"] == wanted


def test_an_officer_senior_may_not_decide_their_own_recommendation(
    container: Container, people: dict[str, Person]
) -> None:
    number = number_of(decided(container, people))
    exporter = api(container, people["acme"])
    track = ok(
        exporter.post(
            f"/api/v1/licences/{number}/change-requests",
            json={"kind": "amendment", "reason": "x", "conditions": []},
        ),
        201,
    )
    url = f"/api/v1/requests/{track['id']}"
    senior2 = api(container, people["senior2"])
    ok(senior2.post(f"{url}/recommendation", json={"outcome": "refuse", "reasoning": "no"}))
    refused = senior2.post(f"{url}/decision", json={"outcome": "refuse", "reasoning": "no"})
    assert refused.status_code == 403
    assert "four eyes" in refused.text


def test_an_appeal_runs_on_its_own_track_handled_by_others(
    container: Container, people: dict[str, Person]
) -> None:
    case = decided(container, people, "deny")
    exporter = api(container, people["acme"])
    appeal = ok(
        exporter.post(
            f"/api/v1/applications/{case['id']}/appeal", json={"grounds": "The end-user is a licensed bank"}
        ),
        201,
    )
    assert (
        exporter.post(f"/api/v1/applications/{case['id']}/appeal", json={"grounds": "again"}).status_code
        == 409
    )
    url = f"/api/v1/requests/{appeal['id']}"
    # the officer who recommended the refusal does not handle the appeal
    assert (
        api(container, people["officer"])
        .post(f"{url}/recommendation", json={"outcome": "allow", "reasoning": "x"})
        .status_code
        == 403
    )
    ok(
        api(container, people["officer2"]).post(
            f"{url}/recommendation", json={"outcome": "allow", "reasoning": "New evidence on the end-user"}
        )
    )
    assert (
        api(container, people["senior"])
        .post(f"{url}/decision", json={"outcome": "allow", "reasoning": "x"})
        .status_code
        == 403
    )
    decided_appeal = ok(
        api(container, people["senior2"]).post(
            f"{url}/decision",
            json={"outcome": "allow", "reasoning": "The refusal rested on a wrong identification"},
        )
    )
    assert decided_appeal["decision"] == {
        "outcome": "allow",
        "reasoning": "The refusal rested on a wrong identification",
    }
    assert (
        ok(exporter.get(f"/api/v1/cases/{case['id']}"))["status"] == "decided"
    )  # the original decision stays on record


def test_an_enquiry_gets_a_binding_no_licence_required_ruling(
    container: Container, people: dict[str, Person]
) -> None:
    exporter = api(container, people["acme"])
    enquiry = ok(
        exporter.post(
            "/api/v1/enquiries",
            json={
                "question": "Is our 40 Gbit/s router listed?",
                "description": "Core router without cryptanalytic functions",
                "control_code": "",
                "destination": "CH",
            },
        ),
        201,
    )
    url = f"/api/v1/requests/{enquiry['id']}"
    officer = api(container, people["officer"])
    assert (
        officer.post(f"{url}/recommendation", json={"outcome": "grant", "reasoning": "x"}).status_code == 409
    )
    ruling = ok(
        officer.post(
            f"{url}/ruling",
            json={
                "outcome": "no_licence_required",
                "binding": True,
                "answer": "The router is not specified in Annex I and no catch-all applies on the facts given.",
                "legal_basis": "Art. 3(1) and Annex I of Regulation (EU) 2021/821",
            },
        )
    )
    assert ruling["status"] == "answered"
    with container.uow() as uow:
        letter = letters.ruling_letter(uow, people["acme"].principal, enquiry["id"])
    pdf = ruling_letter_pdf(letter)
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("No licence required", "Binding ruling", "Art. 3(1) and Annex I", "Core router", "CH"):
        assert expected in text, expected
