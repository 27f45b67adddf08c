"""Licensing end to end through the API (Arts. 12, 15, 16): an application for a cyber-surveillance item,
the DE authority's assessment and four-eyes decision, the licence and its use until exhausted, public
verification; tenant and member-state isolation; optimistic locking, also under real concurrency."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dualuse.adapters.db.licensing_repo import SqlLicensing
from dualuse.bootstrap import Container
from dualuse.domain.errors import ConflictError, ValidationError
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.domain.licensing import CRITERIA
from dualuse.entrypoints.http.app import create_app
from dualuse.services import licensing as svc
from dualuse.services.clock import today_in_brussels
from tests.factories import Person, make_organisation, make_person, token_for

APPLICATION = {
    "application_type": "individual",
    "items": [
        {
            "control_code": "5A001.j",
            "description": "IP network communications surveillance system",
            "quantity": "10",
            "unit": "pieces",
            "value_eur": "250000.00",
        }
    ],
    "parties": [
        {"name": "Telecom Operator SA", "role": "end_user", "country": "BR", "party_type": "commercial"},
        {"name": "Telecom Operator SA", "role": "consignee", "country": "BR", "party_type": "commercial"},
    ],
    "destinations": ["BR"],
    "end_use": "Lawful interception compliance of a public telecom network",
}
NO_CONCERNS = [{"criterion_id": c.id, "concern": False, "note": ""} for c in CRITERIA]


@dataclass(frozen=True)
class Cast:
    people: dict[str, Person]
    tokens: dict[str, str]


@pytest.fixture
def cast(container: Container) -> Cast:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    other = make_organisation(container, OrganisationKind.EXPORTER, "Other GmbH", "DE", "DE222")
    de = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    fr = make_organisation(container, OrganisationKind.AUTHORITY, "SBDU", "FR")
    commission = make_organisation(container, OrganisationKind.COMMISSION, "Commission", None)
    people = {
        "acme": make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example"),
        "other": make_person(container, other, Role.EXPORTER_ADMIN, "admin@other.example"),
        "officer": make_person(container, de, Role.AUTHORITY_OFFICER, "officer@bafa.example"),
        "senior": make_person(container, de, Role.AUTHORITY_SENIOR, "senior@bafa.example"),
        "senior2": make_person(container, de, Role.AUTHORITY_SENIOR, "senior2@bafa.example"),
        "fr": make_person(container, fr, Role.AUTHORITY_OFFICER, "officer@sbdu.example"),
        "commission": make_person(container, commission, Role.COMMISSION, "desk@commission.example"),
    }
    return Cast(people, {k: token_for(container, p.email) for k, p in people.items()})


def client(container: Container, token: str | None = None) -> TestClient:
    c = TestClient(create_app(container=container))
    if token:
        c.headers["Authorization"] = f"Bearer {token}"
    return c


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def submitted_case(api: TestClient) -> dict[str, Any]:
    draft = ok(api.post("/api/v1/applications", json=APPLICATION), 201)
    return ok(api.post(f"/api/v1/applications/{draft['id']}/submit", json={"declaration": True}))


def recommended_case(container: Container, cast: Cast, officer: str = "officer") -> dict[str, Any]:
    """A submitted case assessed and recommended for a grant by ``officer``."""
    case = submitted_case(client(container, cast.tokens["acme"]))
    api = client(container, cast.tokens[officer])
    url = f"/api/v1/cases/{case['id']}"
    case = ok(api.post(f"{url}/actions/start_assessment", json={"expected_version": case["version"]}))
    case = ok(
        api.post(f"{url}/assessment", json={"expected_version": case["version"], "findings": NO_CONCERNS})
    )
    return ok(
        api.post(
            f"{url}/recommendation",
            json={"expected_version": case["version"], "kind": "grant", "reasoning": "no concerns"},
        )
    )


def test_apply_assess_decide_ship_until_exhausted_and_verify(container: Container, cast: Cast) -> None:
    acme = client(container, cast.tokens["acme"])
    officer = client(container, cast.tokens["officer"])
    senior = client(container, cast.tokens["senior"])
    draft = ok(acme.post("/api/v1/applications", json=APPLICATION), 201)
    assert (draft["status"], draft["member_state"]) == ("draft", "DE")
    # a draft is the exporter's alone
    assert officer.get("/api/v1/cases").json() == []
    case = ok(acme.post(f"/api/v1/applications/{draft['id']}/submit", json={"declaration": True}))
    assert case["status"] == "submitted"
    url = f"/api/v1/cases/{case['id']}"
    listed = officer.get("/api/v1/cases", params={"destination": "BR", "status": "submitted"})
    [queued] = ok(listed)
    assert listed.headers["X-Total-Count"] == "1"
    assert (queued["id"], queued["status"], queued["licence"]) == (case["id"], "submitted", None)
    assert (queued["destinations"], queued["control_codes"]) == (["BR"], ["5A001.j"])
    assert ok(officer.get("/api/v1/cases", params={"destination": "CN"})) == []

    case = ok(officer.post(f"{url}/actions/start_assessment", json={"expected_version": case["version"]}))
    case = ok(
        officer.post(
            f"{url}/actions/request_information",
            json={"expected_version": case["version"], "note": "Who operates the monitoring centre?"},
        )
    )
    assert case["status"] == "awaiting_exporter"
    answer = ok(
        acme.post(
            f"/api/v1/applications/{case['id']}/messages",
            json={"body": "The operator's own compliance team."},
        ),
        201,
    )
    assert answer["case"]["status"] == "under_assessment"
    thread = ok(officer.get(f"/api/v1/applications/{case['id']}/messages"))
    assert [m["author_role"] for m in thread] == ["authority", "exporter"]

    case = ok(officer.get(url))
    case = ok(
        officer.post(f"{url}/assessment", json={"expected_version": case["version"], "findings": NO_CONCERNS})
    )
    case = ok(
        officer.post(
            f"{url}/recommendation",
            json={
                "expected_version": case["version"],
                "kind": "grant",
                "reasoning": "no concerns under Art. 15",
            },
        )
    )
    assert case["status"] == "recommended"
    # the officer may not countersign at all; a senior of the same state does
    denied = officer.post(f"{url}/decision", json={"expected_version": case["version"], "outcome": "granted"})
    assert denied.status_code == 403
    decided = ok(
        senior.post(f"{url}/decision", json={"expected_version": case["version"], "outcome": "granted"})
    )
    assert decided["status"] == "decided"
    licence = decided["issued"]
    number = licence["number"]
    assert number.startswith("DE-")
    assert number.endswith("-000001")
    assert licence["status"] == "active"
    # the exporter sees the decision, not the internal assessment
    seen = ok(acme.get(f"/api/v1/applications/{case['id']}"))
    assert seen["decision"]["outcome"] == "granted"
    assert seen["licence"] == number
    assert "assessment" not in seen
    assert [lic["number"] for lic in ok(acme.get("/api/v1/licences"))] == [number]

    shipment = {"item_line": 1, "quantity": "4", "value_eur": "100000.00", "customs_reference": "24DE0001"}
    after = ok(acme.post(f"/api/v1/licences/{number}/shipments", json=shipment), 201)
    assert after["remaining"] == [{"line": 1, "quantity": "6", "value_eur": "150000.00"}]
    rest = {"item_line": 1, "quantity": "6", "value_eur": "150000.00", "customs_reference": "24DE0002"}
    exhausted = ok(acme.post(f"/api/v1/licences/{number}/shipments", json=rest), 201)
    assert exhausted["licence"]["status"] == "exhausted"
    refused = acme.post(
        f"/api/v1/licences/{number}/shipments",
        json={"item_line": 1, "quantity": "1", "value_eur": "1.00", "customs_reference": "24DE0003"},
    )
    assert refused.status_code == 409
    assert "exhausted" in refused.json()["detail"]
    assert ok(acme.get(f"/api/v1/licences/{number}/remaining"))["status"] == "exhausted"

    public = client(container)
    genuine = ok(public.get(f"/api/v1/verify/{number}", params={"code": licence["check_code"]}))
    assert genuine["genuine"] is True
    assert genuine["status"] == "exhausted"
    assert "items" not in genuine
    assert "holder_id" not in genuine
    forged = ok(public.get(f"/api/v1/verify/{number}", params={"code": "AAAAAAAAAAAA"}))
    assert forged == {**forged, "genuine": False, "status": None}
    assert (
        ok(public.get("/api/v1/verify/DE-2026-999999", params={"code": licence["check_code"]}))["genuine"]
        is False
    )


def test_four_eyes_the_recommending_senior_may_not_countersign(container: Container, cast: Cast) -> None:
    case = recommended_case(container, cast, officer="senior")
    url = f"/api/v1/cases/{case['id']}/decision"
    same = client(container, cast.tokens["senior"]).post(
        url, json={"expected_version": case["version"], "outcome": "granted"}
    )
    assert same.status_code == 403
    assert "four eyes" in same.json()["detail"]
    other = client(container, cast.tokens["senior2"]).post(
        url, json={"expected_version": case["version"], "outcome": "granted"}
    )
    assert other.status_code == 200, other.text


def test_other_state_and_other_exporter_get_404_commission_sees_no_open_case(
    container: Container, cast: Cast
) -> None:
    case = submitted_case(client(container, cast.tokens["acme"]))
    fr = client(container, cast.tokens["fr"])
    assert fr.get(f"/api/v1/cases/{case['id']}").status_code == 404  # F16: as if it did not exist
    assert (
        fr.post(
            f"/api/v1/cases/{case['id']}/actions/start_assessment", json={"expected_version": 2}
        ).status_code
        == 404
    )
    assert ok(fr.get("/api/v1/cases")) == []
    other = client(container, cast.tokens["other"])
    assert other.get(f"/api/v1/applications/{case['id']}").status_code == 404
    assert other.post(f"/api/v1/applications/{case['id']}/withdraw").status_code == 404
    assert other.get(f"/api/v1/applications/{case['id']}/messages").status_code == 404
    commission = client(container, cast.tokens["commission"])
    # F15, issue #18: the Commission receives denials (Art. 16(6)) and figures, not case files
    assert commission.get(f"/api/v1/applications/{case['id']}").status_code == 403
    acted = commission.post(
        f"/api/v1/cases/{case['id']}/actions/start_assessment", json={"expected_version": 2}
    )
    assert acted.status_code == 403


def test_stale_version_is_a_conflict(container: Container, cast: Cast) -> None:
    case = submitted_case(client(container, cast.tokens["acme"]))
    officer = client(container, cast.tokens["officer"])
    url = f"/api/v1/cases/{case['id']}/actions/start_assessment"
    assert ok(officer.post(url, json={"expected_version": case["version"]}))["status"] == "under_assessment"
    stale = officer.post(
        f"/api/v1/cases/{case['id']}/actions/request_information",
        json={"expected_version": case["version"], "note": "more please"},
    )
    assert stale.status_code == 409


def test_illegal_moves_are_refused(container: Container, cast: Cast) -> None:
    acme = client(container, cast.tokens["acme"])
    officer = client(container, cast.tokens["officer"])
    incomplete = ok(acme.post("/api/v1/applications", json={**APPLICATION, "parties": []}), 201)
    assert (
        acme.post(f"/api/v1/applications/{incomplete['id']}/submit", json={"declaration": True}).status_code
        == 422
    )
    case = submitted_case(acme)
    base = f"/api/v1/cases/{case['id']}"
    version = {"expected_version": case["version"]}
    assert (
        acme.post(f"/api/v1/applications/{case['id']}/submit", json={"declaration": True}).status_code == 409
    )
    assert (
        officer.post(f"{base}/actions/request_information", json={**version, "note": "x"}).status_code == 409
    )
    assert officer.post(f"{base}/actions/decide", json=version).status_code == 409
    assert officer.post(f"{base}/actions/explode", json=version).status_code == 422
    assert officer.post(f"{base}/assessment", json={**version, "findings": NO_CONCERNS}).status_code == 409
    decided = client(container, cast.tokens["senior"]).post(
        f"{base}/decision", json={**version, "outcome": "granted"}
    )
    assert decided.status_code == 409

    recommended = recommended_case(container, cast)
    assert acme.post(f"/api/v1/applications/{recommended['id']}/withdraw").status_code == 409
    amended = acme.put(f"/api/v1/applications/{recommended['id']}", json={**APPLICATION, "reason": "more"})
    assert amended.status_code == 409, amended.text


def test_licence_lifecycle_refuses_shipments_while_suspended(container: Container, cast: Cast) -> None:
    case = recommended_case(container, cast)
    senior = client(container, cast.tokens["senior"])
    number = ok(
        senior.post(
            f"/api/v1/cases/{case['id']}/decision",
            json={"expected_version": case["version"], "outcome": "granted"},
        )
    )["issued"]["number"]
    officer = client(container, cast.tokens["officer"])
    assert officer.post(f"/api/v1/licences/{number}/actions/suspend", json={"reason": ""}).status_code == 422
    suspended = ok(
        officer.post(f"/api/v1/licences/{number}/actions/suspend", json={"reason": "diversion report"})
    )
    assert suspended["status"] == "suspended"
    refused = client(container, cast.tokens["acme"]).post(
        f"/api/v1/licences/{number}/shipments",
        json={"item_line": 1, "quantity": "1", "value_eur": "1.00", "customs_reference": "X1"},
    )
    assert refused.status_code == 409
    assert "suspended" in refused.json()["detail"]
    # reinstating relaxes the licence: one official proposes, a senior other than the proposer countersigns
    proposed = ok(officer.post(f"/api/v1/licences/{number}/actions/reinstate", json={"reason": "cleared"}))
    assert (proposed["status"], proposed["pending"]["action"]) == ("suspended", "reinstate")
    assert officer.post(f"/api/v1/licences/{number}/actions/countersign", json={}).status_code == 403
    assert ok(senior.post(f"/api/v1/licences/{number}/actions/countersign", json={}))["status"] == "active"
    assert client(container, cast.tokens["fr"]).get(f"/api/v1/licences/{number}").status_code == 404  # F16
    assert client(container, cast.tokens["other"]).get(f"/api/v1/licences/{number}").status_code == 404


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.postgres
def test_concurrent_countersignatures_record_exactly_one_decision(container: Container, cast: Cast) -> None:
    case = recommended_case(container, cast)
    secret = svc.check_code_secret(container.settings.secret_key)
    both_loaded = threading.Barrier(2, timeout=30)
    outcomes: dict[str, object] = {}

    def countersign(who: str) -> None:
        with container.uow() as uow:
            repo = uow.licensing
            assert isinstance(repo, SqlLicensing)
            save_case = repo.save_case

            def save_after_both_loaded(*args: Any, **kwargs: Any) -> None:
                both_loaded.wait()  # both have read the same version and countersigned it
                save_case(*args, **kwargs)

            repo.save_case = save_after_both_loaded  # type: ignore[method-assign]
            try:
                svc.decide(
                    uow,
                    cast.people[who].principal,
                    case["id"],
                    outcome="granted",
                    expected_version=case["version"],
                    secret=secret,
                )
                outcomes[who] = "decided"
            except ConflictError as error:
                outcomes[who] = error

    threads = [threading.Thread(target=countersign, args=(who,)) for who in ("senior", "senior2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(map(str, outcomes.values())) == ["decided", "the case changed meanwhile: reload"]
    with container.uow() as uow:
        stored = uow.licensing.case(case["id"])
        assert stored is not None
        assert stored.case.status.value == "decided"
        assert stored.case.version == case["version"] + 1
        assert len(uow.licensing.licences(member_state="DE")) == 1


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.postgres
def test_concurrent_shipments_cannot_together_exceed_the_licence(container: Container, cast: Cast) -> None:
    """10 pieces licensed; two shipments of 6 at the same moment: each fits alone, not both."""
    case = recommended_case(container, cast)
    senior = client(container, cast.tokens["senior"])
    number = ok(
        senior.post(
            f"/api/v1/cases/{case['id']}/decision",
            json={"expected_version": case["version"], "outcome": "granted"},
        )
    )["issued"]["number"]
    both_ready = threading.Barrier(2, timeout=30)
    outcomes: dict[str, object] = {}

    def ship(reference: str) -> None:
        with container.uow() as uow:
            repo = uow.licensing
            assert isinstance(repo, SqlLicensing)
            hold = repo.hold_licence

            def hold_when_both_ready(licence_id: int) -> None:
                both_ready.wait()  # both have read the licence and what was shipped so far
                hold(licence_id)

            repo.hold_licence = hold_when_both_ready  # type: ignore[method-assign]
            try:
                svc.record_shipment(
                    uow,
                    cast.people["acme"].principal,
                    number,
                    item_line=1,
                    quantity=Decimal(6),
                    value_eur=Decimal("1000.00"),
                    shipped_on=today_in_brussels(),
                    customs_reference=reference,
                )
                outcomes[reference] = "shipped"
            except ValidationError as error:
                outcomes[reference] = str(error)

    threads = [threading.Thread(target=ship, args=(ref,)) for ref in ("MRN-A", "MRN-B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(o == "shipped" for o in outcomes.values()) == [False, True], outcomes
    refused = next(o for o in outcomes.values() if o != "shipped")
    assert "4 pieces left" in str(refused)
    with container.uow() as uow:
        stored = uow.licensing.licence(number)
        assert stored is not None
        assert sum(s.quantity for s in uow.licensing.shipments(stored.id)) == 6


def _granted_licence(container: Container, cast: Cast) -> str:
    case = recommended_case(container, cast)
    senior = client(container, cast.tokens["senior"])
    decided = senior.post(
        f"/api/v1/cases/{case['id']}/decision",
        json={"expected_version": case["version"], "outcome": "granted"},
    )
    return str(ok(decided)["issued"]["number"])


def test_f2_one_officer_cannot_remove_the_conditions_of_a_countersigned_licence(
    container: Container, cast: Cast
) -> None:
    number = _granted_licence(container, cast)
    officer = client(container, cast.tokens["officer"])
    senior, senior2 = client(container, cast.tokens["senior"]), client(container, cast.tokens["senior2"])
    url = f"/api/v1/licences/{number}/actions"
    # adding a condition restricts the licence: one official does it alone
    added = ok(officer.post(f"{url}/amend", json={"reason": "end-use check", "conditions": ["no re-export"]}))
    assert added["conditions"] == ["no re-export"]
    # removing it relaxes the licence: recorded as a proposal, nothing changes yet
    proposed = ok(officer.post(f"{url}/amend", json={"reason": "customer vetted", "conditions": []}))
    assert proposed["conditions"] == ["no re-export"]
    assert proposed["pending"]["conditions"] == []
    assert proposed["pending"]["proposed_by"] == "officer@bafa.example"
    acme = client(container, cast.tokens["acme"])
    assert ok(acme.get(f"/api/v1/licences/{number}"))["conditions"] == ["no re-export"]
    # the proposer cannot countersign; neither can an officer; a senior can
    assert officer.post(f"{url}/countersign", json={}).status_code == 403
    signed = ok(senior.post(f"{url}/countersign", json={}))
    assert (signed["conditions"], signed["pending"]) == ([], None)
    # a senior who proposes cannot countersign their own proposal either
    ok(senior.post(f"{url}/amend", json={"reason": "tighter", "conditions": ["end-user visit"]}))
    ok(senior.post(f"{url}/amend", json={"reason": "visit done", "conditions": []}))
    assert senior.post(f"{url}/countersign", json={}).status_code == 403
    rejected = ok(senior2.post(f"{url}/reject", json={"reason": "keep the visit"}))
    assert (rejected["conditions"], rejected["pending"]) == (["end-user visit"], None)
    events = [e["action"] for e in _audit_actions(container, number)]
    assert "licence.LicenceChangeProposed" in events
    assert "licence.LicenceChangeRejected" in events


def _audit_actions(container: Container, number: str) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from dualuse.adapters.db import tables as t

    with container.engine.connect() as conn:
        rows = conn.execute(select(t.audit_events.c.action).where(t.audit_events.c.entity_id == number))
        return [{"action": r.action} for r in rows]


def test_f13_a_proposed_licence_change_does_not_name_its_officer_to_the_exporter(
    container: Container, cast: Cast
) -> None:
    """The exporter sees that a change to its licence awaits countersignature, proposed by its licensing
    authority, not which officer proposed it (API, list and records export); the authority sees who."""
    number = _granted_licence(container, cast)
    officer = client(container, cast.tokens["officer"])
    url = f"/api/v1/licences/{number}/actions"
    ok(officer.post(f"{url}/amend", json={"reason": "end-use check", "conditions": ["no re-export"]}))
    ok(officer.post(f"{url}/amend", json={"reason": "customer vetted", "conditions": []}))
    acme = client(container, cast.tokens["acme"])
    one = ok(acme.get(f"/api/v1/licences/{number}"))
    assert one["pending"]["conditions"] == []
    assert one["pending"]["proposed_by"] == "the licensing authority (DE)"
    listed = ok(acme.get("/api/v1/licences"))
    organisation_id = ok(acme.get("/api/v1/me"))["organisation_id"]
    records = acme.get(f"/api/v1/organisations/{organisation_id}/records")
    assert records.status_code == 200, records.text
    for seen in (str(one), str(listed), records.text):
        assert "officer@bafa.example" not in seen
    by_authority = ok(client(container, cast.tokens["senior"]).get(f"/api/v1/licences/{number}"))
    assert by_authority["pending"]["proposed_by"] == "officer@bafa.example"


def test_the_api_submits_only_with_the_declaration_the_web_asks_for(container: Container, cast: Cast) -> None:
    acme = client(container, cast.tokens["acme"])
    draft = ok(acme.post("/api/v1/applications", json=APPLICATION), 201)
    url = f"/api/v1/applications/{draft['id']}/submit"
    for body in (None, {}, {"declaration": False}, {"expected_version": draft["version"]}):
        refused = acme.post(url, json=body)
        assert refused.status_code == 422, refused.text
        assert refused.json()["field"] == "declaration"
    assert ok(acme.get(f"/api/v1/applications/{draft['id']}"))["status"] == "draft"  # nothing changed
    ok(acme.post(url, json={"declaration": True}))
    with container.uow() as uow:
        events = [e for e in uow.audit.all() if e.action == "licensing_case.ApplicationSubmitted"]
    assert [(e.entity_id, e.after["declaration"]) for e in events] == [
        (str(draft["id"]), svc.APPLICANT_DECLARATION)
    ]
