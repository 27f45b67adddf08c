"""Concurrent writers on Union general export authorisations, through the API on real databases: one
registration per organisation and authorisation, and no two reports of use over overlapping periods
(F4), however many arrive at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.general_authorisations_repo import SqlGeneralAuthorisations
from dualuse.bootstrap import Container
from tests.concurrency import Rendezvous, api_clients, at_once, pause_before, statuses
from tests.factories import manual_clock
from tests.integration import test_general_authorisations as ga

people = ga.people
PARALLEL = 10


def _reports(container: Container) -> int:
    with container.uow() as uow:
        return int(uow.execute(select(func.count()).select_from(t.eugea_reports)).scalar_one())


def test_f4_parallel_overlapping_use_reports_accept_one(
    container: Container, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten reports of EU001's use over overlapping periods (each a month, a day apart) at once: every
    one passes the overlap check alone, exactly one may be recorded."""
    apis = api_clients(container, people["acme"], PARALLEL)
    clock = manual_clock(container)
    clock.advance(timedelta(days=-90))  # registered 90 days ago (the API tokens stay valid)
    assert apis[0].post(ga.REGISTRATIONS, json={"eugea_id": "EU001"}).status_code == 201
    clock.advance(timedelta(days=90))
    end = clock.today() - timedelta(days=PARALLEL)
    periods = [(end - timedelta(days=30 - i), end + timedelta(days=i)) for i in range(PARALLEL)]
    calls = [
        lambda api=api, s=s, e=e: api.post(ga.REPORTS, json=ga.report(s.isoformat(), e.isoformat()))
        for api, (s, e) in zip(apis, periods, strict=True)
    ]
    with pause_before(monkeypatch, SqlGeneralAuthorisations, "add_report", Rendezvous(PARALLEL)):
        responses = at_once(calls)
    assert statuses(responses) == [201] + [409] * (PARALLEL - 1), [r.text for r in responses]
    assert all("overlap" in r.json()["detail"] for r in responses if r.status_code == 409)
    assert _reports(container) == 1


def test_parallel_reports_of_separate_periods_are_all_recorded(
    container: Container, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The serialisation refuses overlaps only: ten reports of ten separate weeks are all kept."""
    apis = api_clients(container, people["acme"], PARALLEL)
    clock = manual_clock(container)
    clock.advance(timedelta(days=-200))  # registered 200 days ago (the API tokens stay valid)
    assert apis[0].post(ga.REGISTRATIONS, json={"eugea_id": "EU001"}).status_code == 201
    clock.advance(timedelta(days=200))
    first = clock.today() - timedelta(days=7 * PARALLEL + 1)
    weeks = [(first + timedelta(days=7 * i), first + timedelta(days=7 * i + 6)) for i in range(PARALLEL)]
    calls = [
        lambda api=api, s=s, e=e: api.post(ga.REPORTS, json=ga.report(s.isoformat(), e.isoformat()))
        for api, (s, e) in zip(apis, weeks, strict=True)
    ]
    with pause_before(monkeypatch, SqlGeneralAuthorisations, "add_report", Rendezvous(PARALLEL)):
        responses = at_once(calls)
    assert statuses(responses) == [201] * PARALLEL, [r.text for r in responses]
    assert _reports(container) == PARALLEL


def test_parallel_registrations_for_one_authorisation_make_one(
    container: Container, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    apis = api_clients(container, people["acme"], PARALLEL)
    calls = [lambda api=api: api.post(ga.REGISTRATIONS, json={"eugea_id": "EU003"}) for api in apis]
    with pause_before(monkeypatch, SqlGeneralAuthorisations, "add_registration", Rendezvous(PARALLEL)):
        responses = at_once(calls)
    assert statuses(responses) == [201] + [409] * (PARALLEL - 1), [r.text for r in responses]
    with container.uow() as uow:
        assert len(uow.general_authorisations.registrations()) == 1
