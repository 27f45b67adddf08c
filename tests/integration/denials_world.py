"""A small world of two member states for the denial tests: FR and DE exporters, officers and seniors, a
Commission user; cases driven through the API as the exporter and the authority would."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.domain.licensing import CRITERIA
from dualuse.entrypoints.http.app import create_app
from tests.factories import Person, make_organisation, make_person, token_for

DENIED_END_USER = "Nordwind Surveillance GmbH"
SPELLED_OTHERWISE = "NORD-WIND SURVEILANCE"
DESTINATION = "AE"
NO_CONCERNS = [{"criterion_id": c.id, "concern": False, "note": ""} for c in CRITERIA]


def application(end_user: str, code: str = "5A001.j", destination: str = DESTINATION) -> dict[str, Any]:
    return {
        "application_type": "individual",
        "items": [
            {
                "control_code": code,
                "description": "IP network interception system",
                "quantity": "1",
                "unit": "pieces",
                "value_eur": "250000",
            }
        ],
        "parties": [
            {"name": end_user, "role": "end_user", "country": destination, "party_type": "commercial"},
        ],
        "destinations": [destination],
        "end_use": "Monitoring of a telecommunications network",
    }


def people(container: Container) -> dict[str, Person]:
    fr_exp = make_organisation(container, OrganisationKind.EXPORTER, "Lyon Systèmes", "FR", "FR111")
    de_exp = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    fr = make_organisation(container, OrganisationKind.AUTHORITY, "SBDU", "FR")
    de = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    eu = make_organisation(container, OrganisationKind.COMMISSION, "European Commission", None)
    return {
        "fr_exporter": make_person(container, fr_exp, Role.EXPORTER_ADMIN, "admin@lyon.example"),
        "de_exporter": make_person(container, de_exp, Role.EXPORTER_ADMIN, "admin@acme.example"),
        "fr_officer": make_person(container, fr, Role.AUTHORITY_OFFICER, "officer@sbdu.example"),
        "fr_senior": make_person(container, fr, Role.AUTHORITY_SENIOR, "senior@sbdu.example"),
        "de_officer": make_person(container, de, Role.AUTHORITY_OFFICER, "officer@bafa.example"),
        "de_senior": make_person(container, de, Role.AUTHORITY_SENIOR, "senior@bafa.example"),
        "commission": make_person(container, eu, Role.COMMISSION, "reader@ec.example"),
    }


def api(container: Container, person: Person) -> TestClient:
    c = TestClient(create_app(container=container))
    c.headers["Authorization"] = f"Bearer {token_for(container, person.email)}"
    return c


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def submit(container: Container, exporter: Person, body: dict[str, Any]) -> int:
    client = api(container, exporter)
    draft = ok(client.post("/api/v1/applications", json=body), 201)
    ok(client.post(f"/api/v1/applications/{draft['id']}/submit", json={"declaration": True}))
    return int(draft["id"])


def deny(finding: dict[str, Any]) -> bool:
    return str(finding["criterion_id"]).endswith(".d")


def recommend(container: Container, officer: Person, case_id: int, kind: str = "grant") -> int:
    client = api(container, officer)
    url = f"/api/v1/cases/{case_id}"
    case = ok(client.get(url))
    case = ok(client.post(f"{url}/actions/start_assessment", json={"expected_version": case["version"]}))
    findings = (
        [dict(f, concern=True, note="diversion to security services") if deny(f) else f for f in NO_CONCERNS]
        if kind == "deny"
        else NO_CONCERNS
    )
    case = ok(
        client.post(f"{url}/assessment", json={"expected_version": case["version"], "findings": findings})
    )
    body: dict[str, Any] = {
        "expected_version": case["version"],
        "kind": kind,
        "reasoning": "risk of diversion",
    }
    if kind == "deny":
        body["criteria_relied_on"] = [f["criterion_id"] for f in findings if f["concern"]]
    case = ok(client.post(f"{url}/recommendation", json=body))
    return int(case["version"])
