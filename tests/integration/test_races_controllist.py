"""Concurrent imports of control-list amendments, through the API on real databases: each is validated
against the list as the import before it left it, so two amendments that cannot both apply are never
both stored, and the same file sent twice at once is stored once (a clean 422, never a 500)."""

from __future__ import annotations

import pytest

from dualuse.adapters.db.uow import SqlAmendments
from dualuse.bootstrap import Container
from tests.concurrency import Rendezvous, api_clients, at_once, pause_before, statuses
from tests.integration import test_controllist_app as cl

world = cl.world
URL = "/api/v1/control-list/amendments"


def test_the_same_amendment_imported_at_once_is_stored_once(
    container: Container, world: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    apis = api_clients(container, world["commission"], 5)
    calls = [
        lambda api=api: api.post(URL, json={"filename": "a.yaml", "content": cl.AMENDMENT}) for api in apis
    ]
    with pause_before(monkeypatch, SqlAmendments, "add", Rendezvous(len(apis))):
        responses = at_once(calls)
    assert statuses(responses) == [201] + [422] * 4, [r.text for r in responses]
    refused = [r.json()["detail"] for r in responses if r.status_code == 422]
    assert all("not after 2026-06" in detail for detail in refused), refused
    assert cl.amendment_count(container) == 1


def test_two_amendments_of_one_date_imported_at_once_store_one(
    container: Container, world: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each takes effect on 2026-06-01; a list version must take effect after the one before it, so
    whichever is second is refused, as it would be one after the other."""
    other = cl.AMENDMENT.replace('id: "2026-06"', 'id: "2026-06-bis"').replace('"5A001.k"', '"5A001.m"')
    apis = api_clients(container, world["commission"], 2)
    calls = [
        lambda api=api, content=content: api.post(URL, json={"filename": "x.yaml", "content": content})
        for api, content in zip(apis, (cl.AMENDMENT, other), strict=True)
    ]
    with pause_before(monkeypatch, SqlAmendments, "add", Rendezvous(2)):
        responses = at_once(calls)
    assert statuses(responses) == [201, 422], [r.text for r in responses]
    assert cl.amendment_count(container) == 1
    versions = [v["id"] for v in cl.api(container).get("/api/v1/control-list/versions").json()]
    assert len([v for v in versions if v.startswith("2026-06")]) == 1
