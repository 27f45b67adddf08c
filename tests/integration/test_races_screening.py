"""Concurrent writers on screening, through the API on real databases: a hit decided once, a party's
hit raised once however many screenings of it run at once, an organisation's threshold set without a
server error."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.screening_repo import SqlScreening
from dualuse.bootstrap import Container
from tests.concurrency import Rendezvous, api_clients, at_once, pause_before, statuses
from tests.integration import test_screening_app as sc

world = sc.world
cli_env = sc.cli_env
PARALLEL = 10
QUERY = {"name": "Crimson Harbor Trading", "schema": "organization"}


def _count(container: Container, query: object) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())  # type: ignore[call-overload]


def test_parallel_decisions_on_one_hit_record_one(
    cli_env: Container, world: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sc.import_file("ftm", sc.write_list(tmp_path / "v1", [sc.ACME_FRONT])).exit_code == 0
    apis = api_clients(cli_env, world["acme"], PARALLEL)
    assert apis[0].post("/api/v1/screening/screen", json=QUERY).status_code == 200
    [hit] = apis[0].get("/api/v1/screening/hits", params={"status": "open"}).json()
    decisions = ["true_match" if i % 2 else "false_positive" for i in range(PARALLEL)]
    calls = [
        lambda api=api, d=d: api.post(
            f"/api/v1/screening/hits/{hit['id']}/decision", json={"decision": d, "reason": d}
        )
        for api, d in zip(apis, decisions, strict=True)
    ]
    with pause_before(monkeypatch, SqlScreening, "decide", Rendezvous(PARALLEL)):
        responses = at_once(calls)
    assert statuses(responses) == [200] + [409] * (PARALLEL - 1), [r.text for r in responses]
    winner = decisions[next(i for i, r in enumerate(responses) if r.status_code == 200)]
    d = t.hit_decisions
    assert _count(cli_env, select(func.count()).where(d.c.hit_id == hit["id"])) == 1
    assert _count(cli_env, select(func.count()).where(d.c.decision == winner)) == 1


def test_parallel_screenings_of_one_party_raise_one_hit(
    cli_env: Container, world: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sc.import_file("ftm", sc.write_list(tmp_path / "v1", [sc.ACME_FRONT])).exit_code == 0
    apis = api_clients(cli_env, world["acme"], PARALLEL)
    calls = [lambda api=api: api.post("/api/v1/screening/screen", json=QUERY) for api in apis]
    with pause_before(monkeypatch, SqlScreening, "add_hit", Rendezvous(PARALLEL)):
        responses = at_once(calls)
    assert statuses(responses) == [200] * PARALLEL, [r.text for r in responses]
    assert all(len(r.json()["matches"]) == 1 for r in responses)
    h = t.hits
    assert _count(cli_env, select(func.count()).where(h.c.status == "open")) == 1


def test_parallel_first_threshold_settings_all_succeed(
    cli_env: Container, world: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An organisation's admins set its threshold at once, the first time: the last write stands, none
    of them fails."""
    apis = api_clients(cli_env, world["acme"], PARALLEL)
    thresholds = [0.8 + i / 100 for i in range(PARALLEL)]
    calls = [
        lambda api=api, v=v: api.put("/api/v1/screening/settings", json={"threshold": v})
        for api, v in zip(apis, thresholds, strict=True)
    ]
    with pause_before(monkeypatch, SqlScreening, "set_threshold", Rendezvous(PARALLEL)):
        responses = at_once(calls)
    assert statuses(responses) == [200] * PARALLEL, [r.text for r in responses]
    assert _count(cli_env, select(func.count()).select_from(t.screening_settings)) == 1
    stored = _count(cli_env, select(func.count()).where(t.screening_settings.c.threshold.in_(thresholds)))
    assert stored == 1
