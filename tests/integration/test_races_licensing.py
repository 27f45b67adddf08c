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
