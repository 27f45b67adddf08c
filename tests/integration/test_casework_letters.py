"""Letters from decided cases (issue 19, point 4), rendered to PDF by WeasyPrint and read back: the licence
in the layout of Annex III Section A carries every box (consignee, end use, CN code, issuing authority…);
the refusal cites the Art. 15(1) considerations relied on, the reasons and the state's appeal route; the
letter is the applicant's and its authority's (the Commission is refused; another state's authority finds
no such case)."""

from __future__ import annotations

import io
from typing import Any

import pypdf
import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container
from dualuse.domain.errors import ConflictError, NotFoundError, PermissionDeniedError
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.domain.licensing import CRITERIA
from dualuse.entrypoints.http.app import create_app
from dualuse.entrypoints.report import grouped, licence_pdf, refusal_letter_pdf
from dualuse.services.casework import letters
from tests.factories import Person, make_organisation, make_person, token_for

BODY = {
    "application_type": "individual",
    "items": [
        {
            "control_code": "5A001.j",
            "cn_code": "85176200",
            "description": "IP network interception platform",
            "quantity": "2",
            "unit": "pieces",
            "value_eur": "250000.00",
        }
    ],
    "parties": [
        {"name": "Operadora Uno SA", "role": "end_user", "country": "BR", "party_type": "commercial"},
        {"name": "Logistica Dos Ltda", "role": "consignee", "country": "BR", "party_type": "commercial"},
        {"name": "Forwarder Tres BV", "role": "intermediary", "country": "NL", "party_type": "commercial"},
    ],
    "destinations": ["BR"],
    "end_use": "Lawful interception on a licensed public network",
}


@pytest.fixture
def people(container: Container) -> dict[str, Person]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    de = make_organisation(container, OrganisationKind.AUTHORITY, "Federal Export Office (demo)", "DE")
    fr = make_organisation(container, OrganisationKind.AUTHORITY, "SBDU", "FR")
    commission = make_organisation(container, OrganisationKind.COMMISSION, "Commission", None)
    return {
        "acme": make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example"),
        "officer": make_person(container, de, Role.AUTHORITY_OFFICER, "officer@bafa.example"),
        "senior": make_person(container, de, Role.AUTHORITY_SENIOR, "senior@bafa.example"),
        "fr": make_person(container, fr, Role.AUTHORITY_OFFICER, "officer@sbdu.example"),
        "commission": make_person(container, commission, Role.COMMISSION, "desk@commission.example"),
    }


def api(container: Container, person: Person) -> TestClient:
    c = TestClient(create_app(container=container))
    c.headers["Authorization"] = f"Bearer {token_for(container, person.email)}"
    return c


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def decided(container: Container, people: dict[str, Person], kind: str) -> dict[str, Any]:
    exporter = api(container, people["acme"])
    draft = ok(exporter.post("/api/v1/applications", json=BODY), 201)
    case = ok(exporter.post(f"/api/v1/applications/{draft['id']}/submit", json={"declaration": True}))
    officer = api(container, people["officer"])
    url = f"/api/v1/cases/{case['id']}"
    case = ok(officer.post(f"{url}/actions/start_assessment", json={"expected_version": case["version"]}))
    concern = {"cp.2", "art15.1.d"} if kind == "deny" else set()
    findings = [
        {"criterion_id": c.id, "concern": c.id in concern, "note": "see file" if c.id in concern else ""}
        for c in CRITERIA
    ]
    case = ok(
        officer.post(f"{url}/assessment", json={"expected_version": case["version"], "findings": findings})
    )
    recommendation = {
        "expected_version": case["version"],
        "kind": "deny" if kind == "deny" else "grant_with_conditions",
        "reasoning": "Clear risk that the system is used to monitor journalists"
        if kind == "deny"
        else "Licensed operator",
        "criteria_relied_on": sorted(concern),
        "conditions": [] if kind == "deny" else ["No re-export without the authority's consent"],
    }
    case = ok(officer.post(f"{url}/recommendation", json=recommendation))
    outcome = "denied" if kind == "deny" else "granted"
    senior = api(container, people["senior"])
    return ok(senior.post(f"{url}/decision", json={"expected_version": case["version"], "outcome": outcome}))


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_licence_shows_every_box_of_annex_iii(container: Container, people: dict[str, Person]) -> None:
    case = decided(container, people, "grant")
    number = case["licence"] if isinstance(case.get("licence"), str) else case["licence"]["number"]
    with container.uow() as uow:
        sheet = letters.licence_sheet(uow, people["acme"].principal, number, container.casework_rules)
    text = text_of(licence_pdf(sheet))
    for expected in (
        "EUROPEAN UNION — EXPORT OF DUAL-USE ITEMS",
        "Regulation (EU) 2021/821",
        "Acme GmbH, EORI DE111",  # 1 exporter
        number,  # 2
        sheet.stored.licence.valid_until.isoformat(),  # 3 expiry
        "demo contact point",  # 4 contact point (letters.yaml, DE)
        "Logistica Dos Ltda, BR",  # 5 consignee
        "Federal Export Office (demo) (DE)",  # 6 issuing authority
        "Forwarder Tres BV, NL",  # 7 agent
        "Operadora Uno SA, BR",  # 9 end user
        "85176200",  # 15 CN code
        "5A001.j",  # 16 control list no.
        "EUR 250000.00",  # 17
        "Lawful interception on a licensed public network",  # 19 end use
        "X060",  # 21
        "No re-export without the authority",  # 22 conditions
        grouped(sheet.stored.check_code),  # in groups of four, as it is read out
    ):
        assert expected in text, expected
    labels = (
        "Exporter (number)",
        "Identification no.",
        "Expiry date",
        "Contact point",
        "Consignee",
        "Issuing authority",
        "Agent / representative",
        "Country of export (code)",
        "End user (if not the consignee)",
        "where the items are or will be located",
        "where the export declaration will be lodged",
        "Country of final destination (code)",
        "Description of item",
        "Country of origin",
        "CN code",
        "Control list no.",
        "Currency and value",
        "Quantity",
        "End use",
        "Contract date",
        "Customs export procedure",
        "Further information required by national legislation",
    )
    for box, label in enumerate(labels, start=1):
        assert label in text, f"box {box}: {label}"


def test_the_refusal_cites_the_considerations_the_reasons_and_the_appeal_route(
    container: Container, people: dict[str, Person]
) -> None:
    case = decided(container, people, "deny")
    case_id = int(case["id"])
    with container.uow() as uow:
        letter = letters.refusal_letter(uow, people["acme"].principal, case_id, container.casework_rules)
    text = text_of(refusal_letter_pdf(letter))
    for expected in (
        f"Refusal of your application {case_id}",
        "Art. 16(1)",
        "Art. 15(1)(d): The intended end use and the risk of diversion",
        "criterion 2",
        "Clear risk that the system is used to monitor journalists",
        "Widerspruch",  # DE appeal route (letters.yaml)
        "VwGO",
        "not yet verified",  # the route is from memory: the letter says so
        "Operadora Uno SA",
        "85176200",
    ):
        assert expected in text, expected
    with container.uow() as uow, pytest.raises(PermissionDeniedError):
        letters.refusal_letter(uow, people["commission"].principal, case_id, container.casework_rules)
    with container.uow() as uow, pytest.raises(NotFoundError):
        letters.refusal_letter(uow, people["fr"].principal, case_id, container.casework_rules)
    granted = decided(container, people, "grant")
    with container.uow() as uow, pytest.raises(ConflictError):
        letters.refusal_letter(uow, people["acme"].principal, int(granted["id"]), container.casework_rules)
