"""Concurrent writers on the Art. 5 catch-all (F4), through the API on real databases: of parallel
requests that each passed the same check, exactly one is recorded and the others get a 409, never a
500 and never a duplicate or a contradiction."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.duediligence_repo import SqlDueDiligence
from dualuse.bootstrap import Container
from tests.concurrency import Rendezvous, api_clients, at_once, pause_before, statuses
from tests.integration import test_duediligence_app as dd

people = dd.people
PARALLEL = 20


def _count(container: Container, query: Any) -> int:
    with container.uow() as uow:
        return int(uow.execute(query).scalar_one())


def _audited(container: Container, action: str, entity_type: str, entity_id: int) -> int:
    a = t.audit_events
    return _count(
        container,
        select(func.count()).where(
            a.c.action == action, a.c.entity_type == entity_type, a.c.entity_id == str(entity_id)
        ),
    )


def concluded_case(container: Container, people: dict[str, str]) -> int:
    """A due-diligence case concluded 'notify the authority' (a red flag of internal repression)."""
    acme = dd.client(container, people["acme"])
    flags = acme.get("/api/v1/due-diligence/red-flags").json()["flags"]
    repression = {f["id"] for f in flags if f["points_to"] == "internal_repression"}
    case_id: int = acme.post("/api/v1/due-diligence/cases", json=dd.TRANSACTION).json()["case"]["id"]
    dd.answer_all(acme, case_id, flags, yes=repression)
    concluded = acme.post(
        f"/api/v1/due-diligence/cases/{case_id}/conclusion", json={"conclusion": "notify_authority"}
    )
    assert concluded.status_code == 200, concluded.text
    return case_id


def notified_case(container: Container, people: dict[str, str]) -> tuple[int, int]:
    """(case id, notification id) of a case notified to the DE authority."""
    case_id = concluded_case(container, people)
    acme = dd.client(container, people["acme"])
    assert acme.post(f"/api/v1/due-diligence/cases/{case_id}/notification").status_code == 201
    [notification] = dd.client(container, people["DE"]).get("/api/v1/notifications").json()
    return case_id, int(notification["id"])


def imposed_requirement(container: Container, people: dict[str, str]) -> int:
    """A requirement DE imposed; FR and NL are asked for their views."""
    _, notification_id = notified_case(container, people)
    decided = dd.client(container, people["DE"]).post(
        f"/api/v1/notifications/{notification_id}/decision",
        json={"authorisation_required": True, "reason": "security service with a record of repression"},
    )
    assert decided.status_code == 200, decided.text
    return int(decided.json()["requirement_id"])


def test_f4_parallel_decisions_on_one_notification_record_exactly_one(
    container: Container, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """20 officers decide one notification at once, half 'required', half 'not required'."""
    _, notification_id = notified_case(container, people)
    apis = api_clients(container, people["DE"], PARALLEL)
    url = f"/api/v1/notifications/{notification_id}/decision"

    def decide(api: TestClient, required: bool) -> Any:
        return lambda: api.post(url, json={"authorisation_required": required, "reason": f"r {required}"})

    with pause_before(monkeypatch, SqlDueDiligence, "decide_notification", Rendezvous(PARALLEL)):
        responses = at_once([decide(api, i % 2 == 0) for i, api in enumerate(apis)])
    assert statuses(responses) == [200] + [409] * (PARALLEL - 1), [r.text for r in responses]
    [winner] = [r.json() for r in responses if r.status_code == 200]
    refused = next(r for r in responses if r.status_code == 409)
    assert "already been decided" in refused.json()["detail"]
    with container.uow() as uow:
        stored = uow.duediligence.notification(notification_id)
        assert stored is not None
        assert stored.status == winner["notification"]["status"]
    requirements = _count(
        container,
        select(func.count()).where(t.art5_requirements.c.notification_id == notification_id),
    )
    assert requirements == (1 if winner["requirement_id"] else 0)
    assert _audited(container, "notification.decided", "notification", notification_id) == 1


def test_f4_parallel_notifications_of_one_case_make_one(
    container: Container, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = concluded_case(container, people)
    apis = api_clients(container, people["acme"], PARALLEL)
    url = f"/api/v1/due-diligence/cases/{case_id}/notification"
    with pause_before(monkeypatch, SqlDueDiligence, "add_notification", Rendezvous(PARALLEL)):
        responses = at_once([lambda api=api: api.post(url) for api in apis])
    assert statuses(responses) == [201] + [409] * (PARALLEL - 1), [r.text for r in responses]
    assert _count(container, select(func.count()).where(t.notifications.c.case_id == case_id)) == 1


def test_f4_a_member_state_records_its_view_once(
    container: Container, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """FR's officers record FR's view 20 times at once, half agreeing, half disagreeing."""
    requirement_id = imposed_requirement(container, people)
    apis = api_clients(container, people["FR"], PARALLEL)
    url = f"/api/v1/art5-requirements/{requirement_id}/views"

    def record(api: TestClient, view: str) -> Any:
        return lambda: api.post(url, json={"view": view, "reason": view})

    views = ["agree" if i % 2 else "disagree" for i in range(PARALLEL)]
    with pause_before(monkeypatch, SqlDueDiligence, "record_view", Rendezvous(PARALLEL)):
        responses = at_once([record(api, v) for api, v in zip(apis, views, strict=True)])
    assert statuses(responses) == [200] + [409] * (PARALLEL - 1), [r.text for r in responses]
    winner = views[next(i for i, r in enumerate(responses) if r.status_code == 200)]
    with container.uow() as uow:
        [fr] = [v for v in uow.duediligence.views(requirement_id) if v.member_state == "FR"]
        assert (fr.view, fr.reason) == (winner, winner)
    assert _audited(container, "art5_requirement.view", "art5_requirement", requirement_id) == 1


def test_f4_states_agreeing_at_the_same_moment_publish_the_requirement(
    container: Container, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """FR and NL, the only states consulted, agree at once: each must see the other's view, so the
    requirement is published (Art. 5(6) [M]) rather than left pending for ever."""
    requirement_id = imposed_requirement(container, people)
    apis = [api_clients(container, people[state], 1)[0] for state in ("FR", "NL")]
    url = f"/api/v1/art5-requirements/{requirement_id}/views"
    with pause_before(monkeypatch, SqlDueDiligence, "record_view", Rendezvous(2), after=True):
        responses = at_once([lambda api=api: api.post(url, json={"view": "agree"}) for api in apis])
    assert statuses(responses) == [200, 200], [r.text for r in responses]
    assert sorted(r.json()["status"] for r in responses) == ["pending", "published"]
    with container.uow() as uow:
        requirement = uow.duediligence.requirement(requirement_id)
        assert requirement is not None
        assert requirement.status == "published"


def answered_case(container: Container, people: dict[str, str], yes: set[str] | None = None) -> int:
    """A case with every step answered 'no' (or 'yes' for ``yes``), not yet concluded."""
    acme = dd.client(container, people["acme"])
    flags = acme.get("/api/v1/due-diligence/red-flags").json()["flags"]
    case_id: int = acme.post("/api/v1/due-diligence/cases", json=dd.TRANSACTION).json()["case"]["id"]
    dd.answer_all(acme, case_id, flags, yes=yes or set())
    return case_id


def test_parallel_conclusions_of_one_case_record_one(
    container: Container, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = answered_case(container, people)
    apis = api_clients(container, people["acme"], PARALLEL)
    url = f"/api/v1/due-diligence/cases/{case_id}/conclusion"
    conclusions = ["proceed" if i % 2 else "do_not_proceed" for i in range(PARALLEL)]
    calls = [
        lambda api=api, c=c: api.post(url, json={"conclusion": c, "reason": c})
        for api, c in zip(apis, conclusions, strict=True)
    ]
    with pause_before(monkeypatch, SqlDueDiligence, "set_case", Rendezvous(PARALLEL)):
        responses = at_once(calls)
    assert statuses(responses) == [200] + [409] * (PARALLEL - 1), [r.text for r in responses]
    winner = conclusions[next(i for i, r in enumerate(responses) if r.status_code == 200)]
    with container.uow() as uow:
        case = uow.duediligence.case(case_id)
        assert case is not None
        assert case.conclusion == winner
    assert _audited(container, "dd_case.concluded", "dd_case", case_id) == 1


def test_a_step_answered_while_the_case_is_concluded_is_not_lost(
    container: Container, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """'Proceed' is concluded from answers of 'no' while, at the same moment, a red flag of internal
    repression is answered 'yes': either the step comes first and 'proceed' is refused (Art. 5(2)), or
    the conclusion comes first and the late step is refused; never both recorded."""
    case_id = answered_case(container, people)
    acme = dd.client(container, people["acme"])
    flags = acme.get("/api/v1/due-diligence/red-flags").json()["flags"]
    step = next(f["step"] for f in flags if f["points_to"] == "internal_repression")
    answers = {
        f["id"]: {"answer": "yes" if f["points_to"] == "internal_repression" else "no", "note": ""}
        for f in flags
        if f["step"] == step
    }
    conclude_api, step_api = api_clients(container, people["acme"], 2)
    base = f"/api/v1/due-diligence/cases/{case_id}"
    rendezvous = Rendezvous(2)
    with (
        pause_before(monkeypatch, SqlDueDiligence, "set_case", rendezvous),
        pause_before(monkeypatch, SqlDueDiligence, "add_entry", rendezvous),
    ):
        concluded, stepped = at_once(
            [
                lambda: conclude_api.post(f"{base}/conclusion", json={"conclusion": "proceed"}),
                lambda: step_api.post(f"{base}/steps/{step}", json={"answers": answers, "note": "new facts"}),
            ]
        )
    assert sorted([concluded.status_code, stepped.status_code]) in ([200, 409], [200, 422]), (
        concluded.text,
        stepped.text,
    )
    case = acme.get(base).json()
    if concluded.status_code == 200:
        assert case["case"]["conclusion"] == "proceed"
        assert "concluded" in stepped.json()["detail"]
    else:
        assert case["case"]["conclusion"] is None


def test_parallel_moderations_of_one_submission_record_one(
    container: Container, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    created = dd.client(container, None).post(
        "/api/v1/submissions",
        json={
            "organisation_name": "Digital Rights Watch",
            "subject_kind": "end_user",
            "subject": "Surveillance Directorate",
            "what_happened": "Used intercepted messages to arrest journalists",
            "sources": ["https://example.org/report"],
        },
    )
    assert created.status_code == 201, created.text
    url = f"/api/v1/submissions/{created.json()['id']}/moderation"
    apis = api_clients(container, people["DE"], PARALLEL)
    accepts = [i % 2 == 0 for i in range(PARALLEL)]
    calls = [
        lambda api=api, a=a: api.post(url, json={"accept": a, "note": str(a)})
        for api, a in zip(apis, accepts, strict=True)
    ]
    with pause_before(monkeypatch, SqlDueDiligence, "moderate", Rendezvous(PARALLEL)):
        responses = at_once(calls)
    assert statuses(responses) == [200] + [409] * (PARALLEL - 1), [r.text for r in responses]
    accepted = accepts[next(i for i, r in enumerate(responses) if r.status_code == 200)]
    with container.uow() as uow:
        submission = uow.duediligence.submission(created.json()["id"])
        assert submission is not None
        assert submission.status == ("accepted" if accepted else "rejected")
        assert len(uow.duediligence.profiles()) == (1 if accepted else 0)


def test_f4_the_loser_of_a_race_on_the_web_gets_a_page_that_says_why(
    container: Container, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same race through the authority's web form: one decision, the others a 409 page saying the
    notification was decided already (no server error)."""
    _, notification_id = notified_case(container, people)
    sessions = [dd.web_session(container, "officer@de.example") for _ in range(5)]
    for web, _token in sessions:
        assert web.get("/no-such-page").status_code == 404  # the app prepares its routes before the race
    calls = [
        lambda web=web, token=token, i=i: web.post(
            f"/authority/notifications/{notification_id}",
            data={"csrftoken": token, "required": "yes" if i % 2 else "no", "reason": "assessed"},
            headers={"Accept": "text/html"},
            follow_redirects=False,
        )
        for i, (web, token) in enumerate(sessions)
    ]
    with pause_before(monkeypatch, SqlDueDiligence, "decide_notification", Rendezvous(len(calls))):
        responses = at_once(calls)
    assert statuses(responses) == [303] + [409] * 4, [r.text[:300] for r in responses]
    refused = next(r for r in responses if r.status_code == 409)
    assert "text/html" in refused.headers["content-type"]
    assert "already been decided" in refused.text
    assert _audited(container, "notification.decided", "notification", notification_id) == 1
