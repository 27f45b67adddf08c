"""F15: the Commission gets what the Regulation gives it (Art. 5 requirements, aggregates, enforcement
figures), not exporters' ICPs, case files or licences (issue #18), and each read it makes is audited.
F16: another member state's (or organisation's) case answers exactly as one that does not exist."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from dualuse.adapters.db import tables as t
from dualuse.bootstrap import Container
from dualuse.domain.licensing import CRITERIA
from dualuse.services import audit
from tests.integration import test_licensing_app as licensing
from tests.integration.test_licensing_app import NO_CONCERNS, Cast, client, ok, submitted_case

MISSING = 999_999
cast = licensing.cast  # the fixture: two DE exporters, the DE and FR authorities, the Commission


def _commission_reads(container: Container) -> list[tuple[str, str]]:
    with container.engine.connect() as conn:
        rows = conn.execute(
            select(t.audit_events.c.entity_type, t.audit_events.c.entity_id).where(
                t.audit_events.c.action == "commission.read"
            )
        ).all()
    return [(r.entity_type, r.entity_id) for r in rows]


def _decided(container: Container, cast: Cast, *, deny: bool) -> dict[str, Any]:
    case = submitted_case(client(container, cast.tokens["acme"]))
    officer, url = client(container, cast.tokens["officer"]), f"/api/v1/cases/{case['id']}"
    case = ok(officer.post(f"{url}/actions/start_assessment", json={"expected_version": case["version"]}))
    concern = CRITERIA[0].id if deny else None
    findings = [
        dict(f, concern=True, note="a documented risk") if f["criterion_id"] == concern else f
        for f in NO_CONCERNS
    ]
    case = ok(
        officer.post(f"{url}/assessment", json={"expected_version": case["version"], "findings": findings})
    )
    recommendation = {
        "expected_version": case["version"],
        "kind": "deny" if deny else "grant",
        "reasoning": "x",
    }
    if deny:
        recommendation["criteria_relied_on"] = [CRITERIA[0].id]
    case = ok(officer.post(f"{url}/recommendation", json=recommendation))
    outcome = "denied" if deny else "granted"
    return ok(
        client(container, cast.tokens["senior"]).post(
            f"{url}/decision", json={"expected_version": case["version"], "outcome": outcome}
        )
    )


def test_f15_the_commission_reads_no_icp(container: Container, cast: Cast) -> None:
    acme = client(container, cast.tokens["acme"])
    icp = {f"E{i}": "in_place" for i in range(1, 8)}
    acme.put("/api/v1/icp", json=icp)
    organisation_id = cast.people["acme"].organisation.id
    commission = client(container, cast.tokens["commission"])
    seen = commission.get(f"/api/v1/organisations/{organisation_id}/icp")
    missing = commission.get(f"/api/v1/organisations/{MISSING}/icp")
    assert seen.status_code == missing.status_code == 403
    assert "Art. 26(2)" in seen.json()["detail"]
    # the authority of the exporter's state still sees it
    officer = client(container, cast.tokens["officer"])
    assert officer.get(f"/api/v1/organisations/{organisation_id}/icp").status_code == 200


def test_f15_the_commission_reads_no_case_file(container: Container, cast: Cast) -> None:
    """Issue #18: not even a denied case's file; denials reach the Commission as notifications (Art. 16(1))."""
    commission = client(container, cast.tokens["commission"])
    open_case = submitted_case(client(container, cast.tokens["acme"]))
    granted = _decided(container, cast, deny=False)
    denied = _decided(container, cast, deny=True)
    missing = commission.get(f"/api/v1/applications/{MISSING}")
    assert missing.status_code == 403
    for case in (open_case, granted, denied):
        refused = commission.get(f"/api/v1/applications/{case['id']}")
        assert (refused.status_code, refused.json()["detail"]) == (403, missing.json()["detail"])
    assert not [r for r in _commission_reads(container) if r[0] == "licensing_case"]


def test_f15_every_commission_read_is_audited(container: Container, cast: Cast) -> None:
    granted = _decided(container, cast, deny=False)
    number = granted["licence"]
    commission = client(container, cast.tokens["commission"])
    # licences are the holder's and its authority's; the Commission reads figures (issue #18)
    assert commission.get(f"/api/v1/licences/{number}").status_code == 403
    assert commission.get("/api/v1/licences").status_code == 403
    ok(commission.get("/api/v1/art5-requirements"))
    ok(commission.get("/api/v1/enforcement/cases"))
    ok(commission.get(f"/api/v1/organisations/{cast.people['acme'].organisation.id}"))
    reads = _commission_reads(container)
    assert ("enforcement_case", "*") in reads
    assert ("art5_requirement", "*") in reads
    assert ("organisation", str(cast.people["acme"].organisation.id)) in reads
    assert not [r for r in reads if r[0] == "licence"]
    # nobody else's reads are recorded as the Commission's
    before = len(reads)
    ok(client(container, cast.tokens["officer"]).get(f"/api/v1/licences/{number}"))
    ok(client(container, cast.tokens["officer"]).get("/api/v1/enforcement/cases"))
    assert len(_commission_reads(container)) == before
    # and the chain still verifies with the read events in it
    with container.uow() as uow:
        _count, problems = audit.verify(uow)
    assert problems == []


def test_f16_another_states_case_answers_as_a_missing_one(container: Container, cast: Cast) -> None:
    granted = _decided(container, cast, deny=False)
    case_id, number = granted["id"], granted["licence"]
    organisation_id = cast.people["acme"].organisation.id
    fr = client(container, cast.tokens["fr"])
    pairs = [
        (f"/api/v1/cases/{case_id}", f"/api/v1/cases/{MISSING}"),
        (f"/api/v1/applications/{case_id}", f"/api/v1/applications/{MISSING}"),
        (f"/api/v1/applications/{case_id}/messages", f"/api/v1/applications/{MISSING}/messages"),
        (f"/api/v1/licences/{number}", "/api/v1/licences/DE-2026-999999"),
        (f"/api/v1/licences/{number}/remaining", "/api/v1/licences/DE-2026-999999/remaining"),
        (f"/api/v1/organisations/{organisation_id}", f"/api/v1/organisations/{MISSING}"),
        (f"/api/v1/organisations/{organisation_id}/records", f"/api/v1/organisations/{MISSING}/records"),
    ]
    for foreign, missing in pairs:
        a, b = fr.get(foreign), fr.get(missing)
        assert a.status_code == b.status_code == 404, foreign
        assert a.json()["detail"] == b.json()["detail"], foreign
    posted = fr.post(f"/api/v1/cases/{case_id}/actions/start_assessment", json={"expected_version": 1})
    absent = fr.post(f"/api/v1/cases/{MISSING}/actions/start_assessment", json={"expected_version": 1})
    assert (posted.status_code, posted.json()["detail"]) == (absent.status_code, absent.json()["detail"])
    # an exporter asking for the authority's view of its case is refused the same way for any case id
    other = client(container, cast.tokens["other"])
    refused = other.post(
        f"/api/v1/cases/{case_id}/decision", json={"expected_version": 1, "outcome": "granted"}
    )
    nothing = other.post(
        f"/api/v1/cases/{MISSING}/decision", json={"expected_version": 1, "outcome": "granted"}
    )
    assert (refused.status_code, refused.json()["detail"]) == (nothing.status_code, nothing.json()["detail"])


def test_f16_the_web_answers_another_states_case_as_a_missing_one(container: Container, cast: Cast) -> None:
    granted = _decided(container, cast, deny=False)
    web = TestClient(client(container).app)
    token = web.get("/login").text.split('name="csrftoken" value="')[1].split('"')[0]
    web.post(
        "/login",
        data={"email": cast.people["fr"].email, "password": cast.people["fr"].password, "csrftoken": token},
    )
    foreign = web.get(f"/applications/{granted['id']}", headers={"accept": "text/html"})
    missing = web.get(f"/applications/{MISSING}", headers={"accept": "text/html"})
    assert foreign.status_code == missing.status_code == 404
    assert foreign.text.replace(f"/applications/{granted['id']}", "") == missing.text.replace(
        f"/applications/{MISSING}", ""
    )


def _refusals(container: Container) -> list[tuple[str, str, object]]:
    with container.uow() as uow:
        return [
            (e.actor, e.entity_id.rsplit("/", 1)[0], e.after and e.after.get("detail"))
            for e in uow.audit.all()
            if e.action == "access.refused"
        ]


def test_f16_a_foreign_case_and_a_missing_one_cost_the_same_work(container: Container, cast: Cast) -> None:
    """Answering alike is not enough when one answer takes longer: a foreign case's refusal was written to
    the audit trail and a missing case's was not, so the foreign one took a database write longer (about
    twice the time on SQLite and PostgreSQL) and timing told an authority that another state's case exists.
    Both are refused accesses of a signed-in user, recorded alike (the path tells an auditor which id)."""
    granted = _decided(container, cast, deny=False)
    fr = client(container, cast.tokens["fr"])
    before = _refusals(container)
    assert fr.get(f"/api/v1/applications/{granted['id']}").status_code == 404
    foreign = _refusals(container)[len(before) :]
    assert fr.get(f"/api/v1/applications/{MISSING}").status_code == 404
    missing = _refusals(container)[len(before) + len(foreign) :]
    assert foreign == missing == [("officer@sbdu.example", "GET /api/v1/applications", "no such application")]
