"""Customs (issue 19, point 6) through the API on SQLite and PostgreSQL: a customs officer looks up a
licence and sees only what a declaration needs; the licence feed comes out in the documented format; the
usage feed depletes the licence, a resent feed changes nothing and an over-draw is refused with nothing
written off; an Art. 21 hold runs to the consulted authority, which extends it once and releases it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container
from dualuse.domain.customs import add_working_days
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.domain.licensing import CRITERIA
from dualuse.entrypoints.http.app import create_app
from dualuse.services import generalauth as general_authorisations
from dualuse.services.clock import today_in_brussels
from dualuse.services.customs.feed import registration_number
from tests.factories import Person, make_organisation, make_person, manual_clock, token_for

BODY = {
    "application_type": "individual",
    "items": [
        {
            "control_code": "5A002.a",
            "cn_code": "85437090",
            "description": "Network encryptor",
            "quantity": "3",
            "unit": "pieces",
            "value_eur": "3000.00",
        }
    ],
    "parties": [
        {"name": "Secret End User Ltd", "role": "end_user", "country": "IN", "party_type": "commercial"},
        {"name": "Secret End User Ltd", "role": "consignee", "country": "IN", "party_type": "commercial"},
    ],
    "destinations": ["IN"],
    "end_use": "Confidential end use of the network operator",
}


@pytest.fixture
def people(container: Container) -> dict[str, Person]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    de = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    fr = make_organisation(container, OrganisationKind.AUTHORITY, "SBDU", "FR")
    zoll = make_organisation(container, OrganisationKind.CUSTOMS, "Zoll (demo)", "DE")
    douane = make_organisation(container, OrganisationKind.CUSTOMS, "Douane (demo)", "FR")
    return {
        "acme": make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example"),
        "officer": make_person(container, de, Role.AUTHORITY_OFFICER, "officer@bafa.example"),
        "senior": make_person(container, de, Role.AUTHORITY_SENIOR, "senior@bafa.example"),
        "fr": make_person(container, fr, Role.AUTHORITY_OFFICER, "officer@sbdu.example"),
        "zoll": make_person(container, zoll, Role.CUSTOMS_OFFICER, "desk@zoll.example"),
        "douane": make_person(container, douane, Role.CUSTOMS_OFFICER, "desk@douane.example"),
    }


def api(container: Container, person: Person) -> TestClient:
    c = TestClient(create_app(container=container))
    c.headers["Authorization"] = f"Bearer {token_for(container, person.email)}"
    return c


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def licence_number(container: Container, people: dict[str, Person]) -> str:
    exporter = api(container, people["acme"])
    draft = ok(exporter.post("/api/v1/applications", json=BODY), 201)
    case = ok(exporter.post(f"/api/v1/applications/{draft['id']}/submit", json={"declaration": True}))
    officer = api(container, people["officer"])
    url = f"/api/v1/cases/{case['id']}"
    case = ok(officer.post(f"{url}/actions/start_assessment", json={"expected_version": case["version"]}))
    findings = [{"criterion_id": c.id, "concern": False, "note": ""} for c in CRITERIA]
    case = ok(
        officer.post(f"{url}/assessment", json={"expected_version": case["version"], "findings": findings})
    )
    case = ok(
        officer.post(
            f"{url}/recommendation",
            json={"expected_version": case["version"], "kind": "grant", "reasoning": "fine"},
        )
    )
    decided = ok(
        api(container, people["senior"]).post(
            f"{url}/decision", json={"expected_version": case["version"], "outcome": "granted"}
        )
    )
    licence = decided["licence"]
    return str(licence["number"] if isinstance(licence, dict) else licence)


def usage(number: str, declaration: str, quantity: str, value: str = "1000.00") -> dict[str, Any]:
    return {
        "format": "dualuse-usage",
        "version": 1,
        "records": [
            {
                "licence": number,
                "line": 1,
                "quantity": quantity,
                "value_eur": value,
                "declaration": declaration,
                "accepted_on": today_in_brussels().isoformat(),
            }
        ],
    }


def test_lookup_feed_and_usage_both_ways(container: Container, people: dict[str, Person]) -> None:
    number = licence_number(container, people)
    zoll, douane = api(container, people["zoll"]), api(container, people["douane"])
    seen = ok(douane.get(f"/api/v1/customs/licences/{number}"))  # valid throughout the Union
    assert seen["holder"] == {"name": "Acme GmbH", "eori": "DE111"}
    assert seen["customs_code"] == "X060"
    assert seen["in_force"] is True
    assert seen["destinations"] == ["IN"]
    assert seen["lines"][0]["cn_code"] == "85437090"
    assert seen["lines"][0]["quantity_left"] == "3"
    text = str(seen)
    assert "Secret End User" not in text
    assert "Confidential end use" not in text  # only what a declaration needs
    for who in ("acme", "officer"):
        assert api(container, people[who]).get(f"/api/v1/customs/licences/{number}").status_code == 403
    assert zoll.get("/api/v1/customs/licences/DE-2026-999999").status_code == 404

    out = ok(zoll.get("/api/v1/customs/licence-feed"))
    assert (out["format"], out["version"], out["member_state"]) == ("dualuse-licence-feed", 1, "DE")
    assert [x["number"] for x in out["licences"]] == [number]
    assert ok(douane.get("/api/v1/customs/licence-feed"))["licences"] == []  # the FR feed: FR licences

    report = ok(zoll.post("/api/v1/customs/usage", json=usage(number, "26DE000000000001", "2", "2000.00")))
    assert report == {"written_off": 1, "skipped": 0, "exhausted": []}
    again = ok(zoll.post("/api/v1/customs/usage", json=usage(number, "26DE000000000001", "2", "2000.00")))
    assert again == {"written_off": 0, "skipped": 1, "exhausted": []}
    over = zoll.post("/api/v1/customs/usage", json=usage(number, "26DE000000000002", "2", "1000.00"))
    assert over.status_code == 422, over.text
    assert "exceeds" in over.text
    assert ok(zoll.get(f"/api/v1/customs/licences/{number}"))["lines"][0]["quantity_left"] == "1"
    last = ok(zoll.post("/api/v1/customs/usage", json=usage(number, "26DE000000000003", "1", "1000.00")))
    assert last == {"written_off": 1, "skipped": 0, "exhausted": [number]}
    after = ok(zoll.get(f"/api/v1/customs/licences/{number}"))
    assert after["status"] == "exhausted"
    assert after["in_force"] is False
    # the holder sees the written-off declarations on its licence
    left = ok(api(container, people["acme"]).get(f"/api/v1/licences/{number}/remaining"))
    assert "3" not in str(left)  # nothing of the 3 pieces is left
    bad = zoll.post("/api/v1/customs/usage", json={"format": "dualuse-usage", "version": 2, "records": []})
    assert bad.status_code == 422


def test_registration_lookup(container: Container, people: dict[str, Person]) -> None:
    with container.uow() as uow:
        general_authorisations.register(uow, people["acme"].principal, container.rulebook, "EU001")
        row = uow.general_authorisations.registrations(member_state="DE")[0]
    number = registration_number("DE", "EU001", int(row["id"]))
    seen = ok(api(container, people["douane"]).get(f"/api/v1/customs/registrations/{number}"))
    assert seen["customs_code"] == "X061"
    assert seen["holder"]["eori"] == "DE111"
    assert (
        api(container, people["douane"]).get("/api/v1/customs/registrations/DE-EU002-000001").status_code
        == 404
    )


def test_an_art_21_hold_goes_to_the_granting_authority(
    container: Container, people: dict[str, Person]
) -> None:
    number = licence_number(container, people)
    douane = api(container, people["douane"])
    body = {
        "declaration": "26FR000000000009",
        "ground": "a_ii",
        "note": "End-user now listed in the press",
        "licence": number,
    }
    hold = ok(douane.post("/api/v1/customs/holds", json=body), 201)
    assert hold["authority_state"] == "DE"  # the state that granted the licence is consulted (Art. 21(4))
    assert hold["deadline"] == add_working_days(date.fromisoformat(hold["held_on"]), 10).isoformat()
    assert douane.post("/api/v1/customs/holds", json={**body, "ground": "z"}).status_code == 422
    officer = api(container, people["officer"])
    assert [h["id"] for h in ok(officer.get("/api/v1/customs/holds"))["holds"]] == [hold["id"]]
    assert ok(api(container, people["fr"]).get("/api/v1/customs/holds"))["holds"] == []
    decision = f"/api/v1/customs/holds/{hold['id']}/decision"
    assert (
        api(container, people["fr"]).post(decision, json={"action": "release", "note": "x"}).status_code
        == 404
    )
    assert douane.post(decision, json={"action": "release", "note": "x"}).status_code == 403
    extended = ok(officer.post(decision, json={"action": "extend", "note": "Waiting for the embassy"}))
    assert extended["deadline"] == add_working_days(date.fromisoformat(hold["held_on"]), 30).isoformat()
    assert officer.post(decision, json={"action": "extend", "note": "again"}).status_code == 409
    released = ok(officer.post(decision, json={"action": "release", "note": "Authorisation maintained"}))
    assert released["status"] == "released"
    assert officer.post(decision, json={"action": "refuse", "note": "late"}).status_code == 409


def test_a_hold_made_after_midnight_in_brussels_counts_its_deadline_from_that_day(
    container: Container, people: dict[str, Person]
) -> None:
    """At 23:30 UTC in winter it is 00:30 on Monday 7 December in Brussels: the hold dates from the Monday
    and its 10 working days (Art. 21(4)) run from there, not from the Sunday that it still is in UTC."""
    number = licence_number(container, people)
    manual_clock(container).set(datetime(2026, 12, 6, 23, 30, tzinfo=UTC))
    body = {"declaration": "26FR000000000010", "ground": "a_ii", "note": "End-user listed", "licence": number}
    hold = ok(api(container, people["douane"]).post("/api/v1/customs/holds", json=body), 201)
    assert hold["held_on"] == "2026-12-07"
    assert hold["deadline"] == add_working_days(date(2026, 12, 7), 10).isoformat() == "2026-12-21"
