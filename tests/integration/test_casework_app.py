"""Casework end to end through the API and the use cases, on SQLite and PostgreSQL (issue 19): on
submission the parties are screened and the codes checked; a party on a sanctions list raises a blocking
flag by the flagging rules, the routing rules send the case to the sanctions team; the decision is refused
until the flag is cleared with a reason; the clock of the status restarts at each move; the earlier
decision shows as a precedent; a new list version re-screens the open cases."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dualuse.adapters.sources.demo_lists import demo_snapshots
from dualuse.bootstrap import Container
from dualuse.domain.errors import ConflictError, ValidationError
from dualuse.domain.identity import OrganisationKind, Principal, Role
from dualuse.domain.licensing import CRITERIA
from dualuse.domain.screening.model import EntitySchema, ListedEntity, ListSnapshot
from dualuse.entrypoints.http.app import create_app
from dualuse.services import screening
from dualuse.services.casework import evidence, flags
from tests.factories import Person, make_organisation, make_person, token_for

SANCTIONED = "Meridian Lawful Intercept Solutions"
NO_CONCERNS = [{"criterion_id": c.id, "concern": False, "note": ""} for c in CRITERIA]


def application(end_user: str, destination: str = "AE", code: str = "5A001.j") -> dict[str, Any]:
    return {
        "application_type": "individual",
        "items": [
            {
                "control_code": code,
                "description": "IP interception",
                "quantity": "2",
                "unit": "pieces",
                "value_eur": "1000",
            }
        ],
        "parties": [
            {"name": end_user, "role": "end_user", "country": destination, "party_type": "commercial"},
            {"name": end_user, "role": "consignee", "country": destination, "party_type": "commercial"},
        ],
        "destinations": [destination],
        "end_use": "Lawful interception on a public network",
    }


@pytest.fixture
def people(container: Container) -> dict[str, Person]:
    with container.uow() as uow:
        screening.import_snapshot(
            uow, Principal.system("test"), demo_snapshots()[-1], format_name="ftm", filename="demo.jsonl"
        )
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    de = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    fr = make_organisation(container, OrganisationKind.AUTHORITY, "SBDU", "FR")
    return {
        "acme": make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example"),
        "officer": make_person(container, de, Role.AUTHORITY_OFFICER, "officer@bafa.example"),
        "senior": make_person(container, de, Role.AUTHORITY_SENIOR, "senior@bafa.example"),
        "fr": make_person(container, fr, Role.AUTHORITY_OFFICER, "officer@sbdu.example"),
    }


def api(container: Container, person: Person) -> TestClient:
    c = TestClient(create_app(container=container))
    c.headers["Authorization"] = f"Bearer {token_for(container, person.email)}"
    return c


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def submit(container: Container, people: dict[str, Person], body: dict[str, Any]) -> int:
    exporter = api(container, people["acme"])
    draft = ok(exporter.post("/api/v1/applications", json=body), 201)
    ok(exporter.post(f"/api/v1/applications/{draft['id']}/submit", json={"declaration": True}))
    return int(draft["id"])


def recommend(container: Container, people: dict[str, Person], case_id: int, kind: str = "grant") -> int:
    officer = api(container, people["officer"])
    url = f"/api/v1/cases/{case_id}"
    case = ok(officer.get(url))
    case = ok(officer.post(f"{url}/actions/start_assessment", json={"expected_version": case["version"]}))
    case = ok(
        officer.post(f"{url}/assessment", json={"expected_version": case["version"], "findings": NO_CONCERNS})
    )
    case = ok(
        officer.post(
            f"{url}/recommendation",
            json={"expected_version": case["version"], "kind": kind, "reasoning": "court-ordered use"},
        )
    )
    return int(case["version"])


def test_a_sanctioned_end_user_flags_routes_and_holds_the_decision_until_cleared(
    container: Container, people: dict[str, Person]
) -> None:
    case_id = submit(container, people, application(SANCTIONED))
    officer = api(container, people["officer"])
    found = ok(officer.get(f"/api/v1/cases/{case_id}/evidence"))
    assert found["gathered"] is True
    assert found["team"] == "sanctions"  # route-sanctions: a flag of the sanctions-hit rule is active
    hits = [s for s in found["screenings"] if s["matches"]]
    assert hits
    assert hits[0]["matches"][0]["name"] == SANCTIONED
    assert all(s["list_versions"] for s in found["screenings"])
    sanctions = [f for f in found["flags"] if f["rule"] == "sanctions-hit"]
    assert sanctions == [
        {
            "id": sanctions[0]["id"],
            "level": "party",
            "subject": SANCTIONED,
            "label": "Party with a sanctions hit",
            "blocking": True,
            "status": "active",
            "rule": "sanctions-hit",
        }
    ]
    assert found["code_checks"][0]["control_code"] == "5A001.j"
    # another state's authority is answered as for a missing case (F16)
    assert api(container, people["fr"]).get(f"/api/v1/cases/{case_id}/evidence").status_code == 404
    assert api(container, people["acme"]).get(f"/api/v1/cases/{case_id}/evidence").status_code in (403, 404)

    version = recommend(container, people, case_id)
    senior = api(container, people["senior"])
    refused = senior.post(
        f"/api/v1/cases/{case_id}/decision", json={"expected_version": version, "outcome": "granted"}
    )
    assert refused.status_code == 409, refused.text
    assert "blocking flag" in refused.text
    assert ok(senior.get(f"/api/v1/cases/{case_id}"))["status"] == "recommended"  # nothing changed

    with container.uow() as uow, pytest.raises(ValidationError):
        flags.clear_flag(
            uow, people["officer"].principal, case_id, sanctions[0]["id"], reason=" ", expected_version=None
        )
    with container.uow() as uow:
        file = flags.clear_flag(
            uow,
            people["officer"].principal,
            case_id,
            sanctions[0]["id"],
            reason="Same name, different company: registry number differs",
            expected_version=None,
        )
    assert not file.blocking_flags
    decided = ok(
        senior.post(
            f"/api/v1/cases/{case_id}/decision", json={"expected_version": version, "outcome": "granted"}
        )
    )
    assert decided["status"] == "decided"

    # the decision is a precedent for the next case to the same end-user, with its reasons
    second = submit(container, people, application(SANCTIONED))
    precedents = ok(officer.get(f"/api/v1/cases/{second}/evidence"))["precedents"]
    assert precedents[0]["case"] == case_id
    assert precedents[0]["outcome"] == "granted"
    assert precedents[0]["reasoning"] == "court-ordered use"
    assert f"end-user {SANCTIONED}" in precedents[0]["shared"]


def test_the_status_clock_restarts_and_assignment_is_to_an_officer_of_the_authority(
    container: Container, people: dict[str, Person]
) -> None:
    case_id = submit(container, people, application("Telecom Operador SA", "BR"))
    with container.uow() as uow:
        before = uow.casework.file(case_id)
    assert before is not None
    assert before.status == "submitted"
    assert before.team == "cyber"  # 5A001.j is a cyber-surveillance item (route-cyber)
    officer = api(container, people["officer"])
    ok(officer.post(f"/api/v1/cases/{case_id}/actions/start_assessment", json={"expected_version": 2}))
    with container.uow() as uow:
        after = uow.casework.file(case_id)
    assert after is not None
    assert after.status == "under_assessment"
    assert after.status_since > before.status_since
    deadline = ok(officer.get(f"/api/v1/cases/{case_id}/evidence"))["deadline"]
    assert deadline is not None  # DE: 20 days under assessment (data/casework/time_limits.yaml)

    with container.uow() as uow, pytest.raises(ValidationError):
        flags.assign(
            uow,
            people["officer"].principal,
            case_id,
            assignee="admin@acme.example",
            team=None,
            rules=container.casework_rules,
            expected_version=None,
        )
    with container.uow() as uow:
        assigned = flags.assign(
            uow,
            people["officer"].principal,
            case_id,
            assignee="officer@bafa.example",
            team="licensing",
            rules=container.casework_rules,
            expected_version=after.version,
        )
    assert (assigned.assignee, assigned.team) == ("officer@bafa.example", "licensing")
    with container.uow() as uow, pytest.raises(ConflictError):  # stale version of the case file
        flags.assign(
            uow,
            people["officer"].principal,
            case_id,
            assignee="",
            team=None,
            rules=container.casework_rules,
            expected_version=after.version,
        )
    with container.uow() as uow:
        columns = flags.queue_columns(
            uow, people["officer"].principal, [(case_id, None)], container.casework_rules
        )
    assert columns[case_id].assignee == "officer@bafa.example"
    assert columns[case_id].team == "Licensing"


def test_a_new_list_version_rescreens_open_cases_and_flags_a_new_match(
    container: Container, people: dict[str, Person]
) -> None:
    newcomer = "Quartz Harbour Analytics"
    case_id = submit(container, people, application(newcomer, "BR"))
    with container.uow() as uow:
        file = uow.casework.file(case_id)
    assert file is not None
    assert not file.flags or all(f.rule_id != "sanctions-hit" for f in file.flags)
    latest = demo_snapshots()[-1]
    listed = ListedEntity(
        source=latest.source,
        entity_id="demo-900",
        schema=EntitySchema.ORGANIZATION,
        names=(newcomer,),
        programs=("DEMO-CYBER",),
    )
    newer = ListSnapshot(
        source=latest.source,
        version="2027-01",
        entities=(*latest.entities, listed),
        published=None,
    )
    with container.uow() as uow:
        screening.import_snapshot(
            uow, Principal.system("test"), newer, format_name="ftm", filename="d.jsonl", force_reason="test"
        )
    with container.uow() as uow:
        cases, raised = evidence.rescreen_open_cases(uow, container.screening_index, container.casework_rules)
    assert cases >= 1
    assert raised >= 1
    with container.uow() as uow:
        file = uow.casework.file(case_id)
    assert file is not None
    assert any(f.rule_id == "sanctions-hit" and f.subject == newcomer and f.blocking for f in file.flags)
    assert any(s.trigger == "list_update" and s.matches for s in file.screenings)
    assert replace(file, flags=()).blocking_flags == ()
