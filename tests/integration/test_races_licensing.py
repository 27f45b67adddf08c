"""Concurrent writers on licensing, through the API on real databases: licence numbers allocated
without contention (F20), and of parallel moves on one case or licence exactly one recorded."""

from __future__ import annotations

import pytest

from dualuse.adapters.db.licensing_repo import SqlLicensing
from dualuse.bootstrap import Container
from dualuse.services.clock import today_in_brussels
from tests.concurrency import Rendezvous, api_clients, at_once, pause_before, statuses
from tests.integration import test_licensing_app as la

cast = la.cast


def test_f20_parallel_grants_get_distinct_consecutive_numbers(
    container: Container, cast: la.Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five seniors grant five cases at the same moment: every grant succeeds, numbered 1 to 5."""
    cases = [la.recommended_case(container, cast) for _ in range(5)]
    apis = api_clients(container, cast.tokens["senior"], len(cases))
    calls = [
        lambda api=api, case=case: api.post(
            f"/api/v1/cases/{case['id']}/decision",
            json={"expected_version": case["version"], "outcome": "granted"},
        )
        for api, case in zip(apis, cases, strict=True)
    ]
    with pause_before(monkeypatch, SqlLicensing, "add_licence", Rendezvous(len(cases))):
        responses = at_once(calls)
    assert statuses(responses) == [200] * len(cases), [r.text for r in responses]
    year = today_in_brussels().year
    numbers = sorted(r.json()["issued"]["number"] for r in responses)
    assert numbers == [f"DE-{year}-{n:06d}" for n in range(1, 6)]


PARALLEL = 10


def _audited(container: Container, action: str) -> int:
    with container.uow() as uow:
        return sum(1 for e in uow.audit.all() if e.action == action)


def test_parallel_submissions_of_one_application_record_one(
    container: Container, cast: la.Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = la.ok(
        la.client(container, cast.tokens["acme"]).post("/api/v1/applications", json=la.APPLICATION), 201
    )
    apis = api_clients(container, cast.tokens["acme"], PARALLEL)
    calls = [
        lambda api=api: api.post(f"/api/v1/applications/{draft['id']}/submit", json={"declaration": True})
        for api in apis
    ]
    with pause_before(monkeypatch, SqlLicensing, "save_case", Rendezvous(PARALLEL)):
        responses = at_once(calls)
    assert statuses(responses) == [200] + [409] * (PARALLEL - 1), [r.text for r in responses]
    assert _audited(container, "licensing_case.ApplicationSubmitted") == 1


def test_submission_and_withdrawal_at_once_record_one(
    container: Container, cast: la.Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = la.ok(
        la.client(container, cast.tokens["acme"]).post("/api/v1/applications", json=la.APPLICATION), 201
    )
    submit_api, withdraw_api = api_clients(container, cast.tokens["acme"], 2)
    base = f"/api/v1/applications/{draft['id']}"
    with pause_before(monkeypatch, SqlLicensing, "save_case", Rendezvous(2)):
        submitted, withdrawn = at_once(
            [
                lambda: submit_api.post(f"{base}/submit", json={"declaration": True}),
                lambda: withdraw_api.post(f"{base}/withdraw"),
            ]
        )
    assert sorted([submitted.status_code, withdrawn.status_code]) == [200, 409]
    winner = submitted if submitted.status_code == 200 else withdrawn
    with container.uow() as uow:
        stored = uow.licensing.case(draft["id"])
        assert stored is not None
        assert stored.case.status.value == winner.json()["status"]
        assert stored.case.version == draft["version"] + 1


def test_parallel_starts_of_one_assessment_record_one(
    container: Container, cast: la.Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = la.submitted_case(la.client(container, cast.tokens["acme"]))
    apis = api_clients(container, cast.tokens["officer"], PARALLEL)
    url = f"/api/v1/cases/{case['id']}/actions/start_assessment"
    calls = [lambda api=api: api.post(url, json={"expected_version": case["version"]}) for api in apis]
    with pause_before(monkeypatch, SqlLicensing, "save_case", Rendezvous(PARALLEL)):
        responses = at_once(calls)
    assert statuses(responses) == [200] + [409] * (PARALLEL - 1), [r.text for r in responses]
    with container.uow() as uow:
        stored = uow.licensing.case(case["id"])
        assert stored is not None
        assert stored.case.version == case["version"] + 1


def test_parallel_suspensions_of_one_licence_record_one(
    container: Container, cast: la.Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = la.recommended_case(container, cast)
    number = la.ok(
        la.client(container, cast.tokens["senior"]).post(
            f"/api/v1/cases/{case['id']}/decision",
            json={"expected_version": case["version"], "outcome": "granted"},
        )
    )["issued"]["number"]
    apis = api_clients(container, cast.tokens["officer"], PARALLEL)
    url = f"/api/v1/licences/{number}/actions/suspend"
    calls = [lambda api=api, i=i: api.post(url, json={"reason": f"report {i}"}) for i, api in enumerate(apis)]
    with pause_before(monkeypatch, SqlLicensing, "save_licence", Rendezvous(PARALLEL)):
        responses = at_once(calls)
    assert statuses(responses) == [200] + [409] * (PARALLEL - 1), [r.text for r in responses]
    with container.uow() as uow:
        stored = uow.licensing.licence(number)
        assert stored is not None
        assert (stored.licence.status.value, stored.licence.version) == ("suspended", 2)


def test_parallel_answers_to_a_request_for_information_are_all_kept(
    container: Container, cast: la.Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The authority asked the exporter a question; the exporter's people answer at once. Every answer
    is kept and the assessment resumes once (the first answer moves the case, the others are messages)."""
    case = la.submitted_case(la.client(container, cast.tokens["acme"]))
    officer = la.client(container, cast.tokens["officer"])
    url = f"/api/v1/cases/{case['id']}"
    case = la.ok(officer.post(f"{url}/actions/start_assessment", json={"expected_version": case["version"]}))
    case = la.ok(
        officer.post(
            f"{url}/actions/request_information",
            json={"expected_version": case["version"], "note": "Who operates the monitoring centre?"},
        )
    )
    apis = api_clients(container, cast.tokens["acme"], 5)
    calls = [
        lambda api=api, i=i: api.post(
            f"/api/v1/applications/{case['id']}/messages", json={"body": f"answer {i}"}
        )
        for i, api in enumerate(apis)
    ]
    with pause_before(monkeypatch, SqlLicensing, "add_message", Rendezvous(len(apis))):
        responses = at_once(calls)
    assert statuses(responses) == [201] * len(apis), [r.text for r in responses]
    thread = la.ok(officer.get(f"/api/v1/applications/{case['id']}/messages"))
    assert sorted(m["body"] for m in thread if m["author_role"] == "exporter") == [
        f"answer {i}" for i in range(5)
    ]
    with container.uow() as uow:
        stored = uow.licensing.case(case["id"])
        assert stored is not None
        assert (stored.case.status.value, stored.case.version) == ("under_assessment", case["version"] + 1)
    assert _audited(container, "licensing_case.InformationProvided") == 1
