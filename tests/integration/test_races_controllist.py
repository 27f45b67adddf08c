"""Concurrent imports of control-list amendments, through the API on real databases: each is validated
against the list as the import before it left it, so two amendments that cannot both apply are never
both stored, and the same file sent twice at once is stored once (a clean 422, never a 500)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from dualuse.adapters.db.uow import SqlAmendments, SqlClassifications
from dualuse.bootstrap import Container
from dualuse.domain.classification import ClassificationStatus
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


def test_a_record_flagged_again_while_being_confirmed_stays_flagged(
    container: Container, world: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exporter confirms a record flagged by the 2026-06 amendment; while it does, the 2026-07
    amendment changes the same entry again and flags the record anew. The confirmation was of the old
    change: it must not clear the new flag (Art. 3(1): classify against the list in force)."""
    exporter = cl.api(container, world["acme"])
    commission = cl.api(container, world["commission"])
    record = exporter.post(
        "/api/v1/classifications",
        json={"product_name": "CipherCore", "control_code": "5A002.a", "rationale": "AES-256"},
    ).json()
    assert commission.post(URL, json={"filename": "1.yaml", "content": cl.AMENDMENT}).status_code == 201
    later = (
        cl.AMENDMENT.replace('id: "2026-06"', 'id: "2026-07"')
        .replace("2026-06-01", "2026-07-01")
        .replace('"5A001.k"', '"5A001.m"')
        .replace("A changed summary for the test.", "Changed again.")
    )
    confirmer = api_clients(container, world["acme"], 1)[0]
    imported = threading.Event()
    original = SqlClassifications.set_status

    def confirm_after_the_import(self: SqlClassifications, *args: Any, **kwargs: Any) -> None:
        if args[1] is ClassificationStatus.CURRENT:  # the confirmation, not the import's flagging
            assert imported.wait(30)  # it read the record before the import
        original(self, *args, **kwargs)

    outcome: list[Any] = []
    with monkeypatch.context() as patch:
        patch.setattr(SqlClassifications, "set_status", confirm_after_the_import)
        thread = threading.Thread(
            target=lambda: outcome.append(
                confirmer.post(f"/api/v1/classifications/{record['id']}/confirm", json={"note": "checked"})
            )
        )
        thread.start()
        time.sleep(0.5)  # the confirmation has read the record and waits to write
        assert commission.post(URL, json={"filename": "2.yaml", "content": later}).status_code == 201
        imported.set()
        thread.join(30)
    [confirmed] = outcome
    assert confirmed.status_code == 409, confirmed.text
    [flagged] = exporter.get("/api/v1/classifications", params={"review": True}).json()
    assert flagged["status"] == "review_needed"
    assert "2026-07" in flagged["review_reason"]
