"""What the casework web tests share: a world with an exporter in DE, a rival in FR, the DE and FR
authorities, customs of DE and the Commission; a decided application made through the API; a signed-in web
client with its CSRF token."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.domain.licensing import CRITERIA
from dualuse.entrypoints.http.app import create_app
from tests.factories import PASSWORD, Person, make_organisation, make_person, token_for

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


def world(container: Container) -> dict[str, Person]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    rival = make_organisation(container, OrganisationKind.EXPORTER, "Rival SAS", "FR", "FR222")
    de = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    fr = make_organisation(container, OrganisationKind.AUTHORITY, "SBDU", "FR")
    customs = make_organisation(container, OrganisationKind.CUSTOMS, "Zoll", "DE")
    commission = make_organisation(container, OrganisationKind.COMMISSION, "Commission", None)
    return {
        "acme": make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example"),
        "rival": make_person(container, rival, Role.EXPORTER_ADMIN, "admin@rival.example"),
        "officer": make_person(container, de, Role.AUTHORITY_OFFICER, "officer@bafa.example"),
        "senior": make_person(container, de, Role.AUTHORITY_SENIOR, "senior@bafa.example"),
        "officer_fr": make_person(container, fr, Role.AUTHORITY_OFFICER, "officer@sbdu.example"),
        "customs": make_person(container, customs, Role.CUSTOMS_OFFICER, "clerk@zoll.example"),
        "commission": make_person(container, commission, Role.COMMISSION, "desk@commission.example"),
    }


def api(container: Container, person: Person) -> TestClient:
    client = TestClient(create_app(container=container))
    client.headers["Authorization"] = f"Bearer {token_for(container, person.email)}"
    return client


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def submitted(container: Container, people: dict[str, Person]) -> dict[str, Any]:
    exporter = api(container, people["acme"])
    draft = ok(exporter.post("/api/v1/applications", json=BODY), 201)
    return ok(exporter.post(f"/api/v1/applications/{draft['id']}/submit", json={"declaration": True}))  # type: ignore[no-any-return]


def decided(container: Container, people: dict[str, Person], kind: str = "grant") -> dict[str, Any]:
    """An application granted (a licence) or refused on Art. 15(1)(d), by an officer and a senior."""
    case = submitted(container, people)
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
                "reasoning": "risk of diversion" if kind == "deny" else "no concern",
                "criteria_relied_on": sorted(concern),
            },
        )
    )
    outcome = "denied" if kind == "deny" else "granted"
    return ok(  # type: ignore[no-any-return]
        api(container, people["senior"]).post(
            f"{url}/decision", json={"expected_version": case["version"], "outcome": outcome}
        )
    )


def licence_number(case: dict[str, Any]) -> str:
    licence = case["licence"]
    return str(licence["number"] if isinstance(licence, dict) else licence)


def web(container: Container, person: Person | None) -> tuple[TestClient, str]:
    """A browser-like client signed in as ``person`` (anonymous for None) and its CSRF token."""
    client = TestClient(create_app(container=container))
    token = client.get("/login").text.split('name="csrftoken" value="')[1].split('"')[0]
    if person is not None:
        signed = client.post("/login", data={"email": person.email, "password": PASSWORD, "csrftoken": token})
        assert signed.status_code == 200, signed.text
    return client, token
