"""The exchange on one deployment (issue 18 item 4), on SQLite and PostgreSQL: a multi-state deployment
delivers to its own states through the inbox's checks; the HTTP inbox accepts a peer's signed denial once and
refuses a tampered, replayed or unknown-key document with a problem document, storing nothing; the outbox
retries a peer that is down with back-off; the authority sees what it received."""

from __future__ import annotations

import base64
import copy
import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from dualuse.adapters.exchange_courier import HttpCourier
from dualuse.adapters.exchange_keys import KeyDirectory
from dualuse.bootstrap import Container, load_demo_world
from dualuse.config import Environment, Settings
from dualuse.domain.errors import ValidationError
from dualuse.domain.exchange import DocumentKind, canonical_bytes, unsigned_document, with_signature
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.domain.jobs import JobStatus
from dualuse.entrypoints.http.app import create_app
from dualuse.services import identity
from dualuse.services.exchange import inbox, keys, outbox
from dualuse.services.jobs import queue
from tests.factories import make_organisation, make_person
from tests.integration.test_general_authorisation_pages import sign_in

DENIAL = {
    "reference": "FR-2026-0042",
    "decision": "refusal",
    "decided_on": "2026-12-01",
    "destination": "IR",
    "end_user": {"name": "Pars Trading Co.", "country": "IR"},
    "item": {"description": "Frequency changers", "control_code": "3A225"},
    "reason": "Risk of diversion to a WMD programme",
}


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """A deployment serving Germany and Austria (one system for two states)."""
    return Settings(
        env=Environment.TEST,
        database_url=database_url,
        secret_key="test-secret-key-" + "x" * 32,
        upload_dir=tmp_path / "uploads",
        exchange_states="DE,AT",
        exchange_key_dir=tmp_path / "exchange-keys",
    )


@pytest.fixture
def with_key(container: Container) -> Container:
    with container.uow() as uow:
        keys.keygen(uow, container.exchange_setup(), "test", datetime.now(UTC))
        uow.commit()
    return container


class France:
    """A peer deployment's key, made outside this one (its private half never reaches this deployment)."""

    def __init__(self, folder: Path) -> None:
        self.directory = KeyDirectory(folder)
        self.valid_from = datetime.now(UTC) - timedelta(days=1)
        self.key_id, self.public = self.directory.create(self.valid_from, "FR")

    def key_set(self) -> dict[str, Any]:
        return {
            "schema": keys.KEY_SET_SCHEMA,
            "states": ["FR"],
            "keys": [
                {
                    "key_id": self.key_id,
                    "algorithm": "Ed25519",
                    "public_key": base64.b64encode(self.public).decode(),
                    "valid_from": self.valid_from.isoformat(),
                    "retired_at": None,
                }
            ],
        }

    def denial(
        self, to_states: list[str] | None = None, key: KeyDirectory | None = None, key_id: str = ""
    ) -> dict[str, Any]:
        unsigned = unsigned_document(
            kind=DocumentKind.DENIAL,
            from_state="FR",
            to_states=to_states or ["DE"],
            issued_at=datetime.now(UTC),
            key_id=key_id or self.key_id,
            payload=DENIAL,
        )
        signer = (key or self.directory).signer(key_id or self.key_id)
        return with_signature(unsigned, signer.sign(canonical_bytes(unsigned)))


@pytest.fixture
def france(with_key: Container, tmp_path: Path) -> France:
    peer = France(tmp_path / "fr-keys")
    with with_key.uow() as uow:
        keys.add_peer(uow, "FR", "http://127.0.0.1:9", peer.key_set(), "test", datetime.now(UTC))
        uow.commit()
    return peer


def inbox_count(container: Container) -> int:
    with container.uow() as uow:
        return uow.exchange.count_received()


def test_a_multi_state_deployment_delivers_to_its_own_states_through_the_inbox(with_key: Container) -> None:
    with with_key.uow() as uow:
        published = outbox.publish(
            uow, "denial", DENIAL, "DE", ["AT"], setup=with_key.exchange_setup(), now=datetime.now(UTC)
        )
        uow.commit()
    assert published.delivered_locally == ("AT",)
    assert published.queued == ()
    with with_key.uow() as uow:
        [got] = inbox.received(uow, kind="denial")
        assert uow.exchange.outbox() == []
    assert (got.document_id, got.from_state, got.to_states, got.local) == (
        published.document["id"],
        "DE",
        ("AT",),
        True,
    )
    assert got.payload["end_user"]["name"] == "Pars Trading Co."


def test_publishing_to_a_state_without_a_peer_is_refused_and_leaves_nothing(with_key: Container) -> None:
    with (
        with_key.uow() as uow,
        pytest.raises(ValidationError, match="no peer deployment is registered for IT"),
    ):
        outbox.publish(
            uow, "denial", DENIAL, "DE", ["AT", "IT"], setup=with_key.exchange_setup(), now=datetime.now(UTC)
        )
    assert inbox_count(with_key) == 0
    with with_key.uow() as uow, pytest.raises(ValidationError, match="does not speak for FR"):
        outbox.publish(
            uow, "denial", DENIAL, "FR", ["AT"], setup=with_key.exchange_setup(), now=datetime.now(UTC)
        )


def test_the_http_inbox_accepts_a_peers_denial_once_and_refuses_tampered_replayed_and_unknown_key_documents(
    france: France, with_key: Container, tmp_path: Path
) -> None:
    api = TestClient(create_app(container=with_key))
    document = france.denial()

    accepted = api.post("/exchange/inbox", json=document)
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["id"] == document["id"]
    assert inbox_count(with_key) == 1

    def refused(doc: dict[str, Any], status: int, code: str) -> dict[str, Any]:
        answer = api.post("/exchange/inbox", json=doc)
        assert answer.status_code == status, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        body: dict[str, Any] = answer.json()
        assert body["type"] == f"https://dualuse.eu/problems/{code}"
        assert inbox_count(with_key) == 1  # nothing stored
        return body

    replayed = refused(document, 409, "exchange-replayed")
    assert document["id"] in replayed["detail"]

    tampered = copy.deepcopy(france.denial())
    tampered["payload"]["end_user"]["name"] = "Somebody Else Ltd"
    assert "changed after it was signed" in refused(tampered, 403, "exchange-bad-signature")["detail"]

    stranger = KeyDirectory(tmp_path / "stranger")
    stranger_id, _ = stranger.create(datetime.now(UTC), "FR")
    unknown = france.denial(key=stranger, key_id=stranger_id)
    assert stranger_id in refused(unknown, 403, "exchange-unknown-key")["detail"]

    elsewhere = france.denial(to_states=["IT"])
    refused(elsewhere, 422, "exchange-not-addressed")
    malformed = {**france.denial(), "issued_at": "yesterday"}
    assert refused(malformed, 422, "exchange-invalid-document")["field"] == "issued_at"
    bad_payload = france.denial()
    bad_payload["payload"] = {**DENIAL, "decision": "maybe"}
    assert refused(bad_payload, 422, "exchange-invalid-document")["field"] == "payload.decision"


def test_the_schema_and_the_key_set_are_public(with_key: Container) -> None:
    api = TestClient(create_app(container=with_key))
    schema = api.get("/exchange/schema.json")
    assert schema.status_code == 200
    assert schema.json()["properties"]["schema"] == {"const": "dualuse.exchange/1"}
    key_set = api.get("/exchange/keys.json").json()
    assert key_set["states"] == ["AT", "DE"]
    [key] = key_set["keys"]
    assert key["algorithm"] == "Ed25519"
    assert key["retired_at"] is None


def test_rotation_retires_the_old_key_which_still_verifies_what_it_signed_before(with_key: Container) -> None:
    setup = with_key.exchange_setup()
    with with_key.uow() as uow:
        [old] = uow.exchange.own_keys()
        old_signer = keys.signer(uow, setup)
        rotated_at = old.valid_from + timedelta(minutes=1)
        new = keys.rotate(uow, setup, "test", rotated_at)
        uow.commit()
    with with_key.uow() as uow:
        assert keys.current(uow) == new
        assert [k.key_id for k in uow.exchange.own_keys() if k.retired_at] == [old.key_id]

    def signed_by_old(issued_at: datetime) -> dict[str, Any]:
        unsigned = unsigned_document(
            kind=DocumentKind.DENIAL,
            from_state="DE",
            to_states=["AT"],
            issued_at=issued_at,
            key_id=old.key_id,
            payload=DENIAL,
        )
        return with_signature(unsigned, old_signer.sign(canonical_bytes(unsigned)))

    api = TestClient(create_app(container=with_key))
    assert (
        api.post("/exchange/inbox", json=signed_by_old(rotated_at - timedelta(seconds=1))).status_code == 201
    )
    late = api.post("/exchange/inbox", json=signed_by_old(rotated_at))
    assert late.status_code == 403
    assert late.json()["type"].endswith("exchange-key-not-valid")
    assert "retired" in late.json()["detail"]


def test_the_outbox_backs_off_while_the_peer_is_down_and_delivers_when_it_is_up(
    france: France, with_key: Container
) -> None:
    with with_key.uow() as uow:
        published = outbox.publish(
            uow, "denial", DENIAL, "DE", ["FR"], setup=with_key.exchange_setup(), now=datetime.now(UTC)
        )
        uow.commit()
    assert published.queued == (("FR",),)
    up = False
    received: list[dict[str, Any]] = []

    def peer(request: httpx.Request) -> httpx.Response:
        if not up:
            raise httpx.ConnectError("connection refused", request=request)
        received.append(json.loads(request.content))
        return httpx.Response(201, json={"id": "x"})

    courier = HttpCourier(transport=httpx.MockTransport(peer))
    clock = [datetime.now(UTC)]
    waits = []
    for _ in range(3):
        report = outbox.send_pending(with_key.uow, courier, lambda: clock[0])
        assert (report.delivered, report.failed) == (0, 1)
        with with_key.uow() as uow:
            [item] = uow.exchange.outbox()
        waits.append(item.next_attempt_at - clock[0])
        assert "ConnectError" in (item.last_error or "")
        # not due before its next attempt
        assert outbox.send_pending(with_key.uow, courier, lambda: clock[0]).failed == 0
        clock[0] = item.next_attempt_at
    assert item.attempts == 3
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]

    up = True
    assert outbox.send_pending(with_key.uow, courier, lambda: clock[0]).delivered == 1
    with with_key.uow() as uow:
        [item] = uow.exchange.outbox()
    assert item.delivered_at == clock[0]
    assert [r["id"] for r in received] == [published.document["id"]]
    assert outbox.send_pending(with_key.uow, courier, lambda: clock[0] + timedelta(days=1)).delivered == 0


def test_the_authority_sees_what_other_states_sent_it(france: France, with_key: Container) -> None:
    api = TestClient(create_app(container=with_key))
    assert api.post("/exchange/inbox", json=france.denial()).status_code == 201
    authority = make_organisation(with_key, OrganisationKind.AUTHORITY, "BAFA", "DE")
    make_person(with_key, authority, Role.AUTHORITY_OFFICER, "officer@bafa.example")
    web, _ = sign_in(with_key, "officer@bafa.example")
    page = web.get("/authority/received")
    assert page.status_code == 200
    assert "Pars Trading Co." in page.text
    assert "FR-2026-0042" in page.text
    austria = make_organisation(with_key, OrganisationKind.AUTHORITY, "BMAW", "AT")
    make_person(with_key, austria, Role.AUTHORITY_OFFICER, "officer@bmaw.example")
    other, _ = sign_in(with_key, "officer@bmaw.example")
    assert "Pars Trading Co." not in other.get("/authority/received").text  # addressed to DE only


def test_the_demo_world_shows_germanys_authority_what_france_sent(container: Container) -> None:
    load_demo_world(container)
    load_demo_world(container)  # loading again adds nothing
    with container.uow() as uow:
        officer = uow.users.by_email("officer-de@demo.dualuse.eu")
        assert officer is not None
        documents = inbox.for_authority(uow, identity.principal_for(uow, officer))
        assert uow.exchange.own_keys() == []  # the demo keeps no exchange secret
    assert sorted(d.kind for d in documents) == ["consultation_request", "denial"]
    assert {d.from_state for d in documents} == {"FR"}


def test_a_worker_job_delivers_at_once_and_is_retried_by_the_queue_while_the_peer_is_down(
    france: France, with_key: Container
) -> None:
    setup = dataclasses.replace(with_key.exchange_setup(), deliver_by_worker=True)
    with with_key.uow() as uow:
        published = outbox.publish(uow, "denial", DENIAL, "DE", ["FR"], setup=setup, now=datetime.now(UTC))
        uow.commit()
    up = False

    def peer(request: httpx.Request) -> httpx.Response:
        if not up:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(201, json={"id": json.loads(request.content)["id"]})

    handlers = {outbox.SEND_JOB: outbox.send_job(HttpCourier(transport=httpx.MockTransport(peer)))}
    clock = [datetime.now(UTC)]
    job = queue.run_next(with_key.uow, handlers, worker="w1", clock=lambda: clock[0])
    assert job is not None
    with with_key.uow() as uow:
        failed = uow.jobs.get(job.id)
        [item] = uow.exchange.outbox()
    assert failed is not None
    assert failed.status is JobStatus.QUEUED
    assert "ConnectError" in (failed.last_error or "")
    assert item.attempts == 1
    up = True
    clock[0] = failed.run_after
    assert queue.run_next(with_key.uow, handlers, worker="w1", clock=lambda: clock[0]) is not None
    with with_key.uow() as uow:
        done = uow.jobs.get(job.id)
        [item] = uow.exchange.outbox()
    assert done is not None
    assert done.status is JobStatus.DONE
    assert item.delivered_at is not None
    assert item.document_id == published.document["id"]


def test_a_received_denial_joins_the_register_where_the_essentially_identical_check_finds_it(
    france: France, with_key: Container
) -> None:
    """FR's deployment refuses; the signed denial reaches this one, and a transaction to the same end-user
    spelled otherwise, with an overlapping code and the same destination, is matched against it (Art. 16(5)).
    A signed withdrawal takes it out of force; sending the same denial again does not enter it twice."""
    from dualuse.domain import denials as dn
    from dualuse.services.denials.ports import DenialQuery

    api = TestClient(create_app(container=with_key))
    assert api.post("/exchange/inbox", json=france.denial()).status_code == 201
    assert api.post("/exchange/inbox", json=france.denial()).status_code == 201  # a new document id
    with with_key.uow() as uow:
        [denial] = uow.denials.denials(DenialQuery(issuing_state="FR"))
    assert denial.in_force
    assert denial.case_reference == "FR/FR-2026-0042"
    assert denial.control_codes == ("3A225",)
    similar = dn.Transaction(
        control_codes=("3A225",),
        destinations=("IR",),
        parties=(dn.TransactionParty("PARS TRADING COMPANY", "end_user", "IR"),),
    )
    [found] = dn.find_matches([denial], similar, exclude_state="DE")
    assert found.denial.id == denial.id
    unrelated = dataclasses.replace(
        similar, parties=(dn.TransactionParty("Tehran Textiles", "end_user", "IR"),)
    )
    assert dn.find_matches([denial], unrelated, exclude_state="DE") == []

    unsigned = unsigned_document(
        kind=DocumentKind.DENIAL_WITHDRAWAL,
        from_state="FR",
        to_states=["DE"],
        issued_at=datetime.now(UTC),
        key_id=france.key_id,
        payload={
            "reference": "FR-2026-0042",
            "withdrawn_on": "2026-12-04",
            "reason": "End-user changed owner",
        },
    )
    withdrawal = with_signature(
        unsigned, france.directory.signer(france.key_id).sign(canonical_bytes(unsigned))
    )
    assert api.post("/exchange/inbox", json=withdrawal).status_code == 201, "withdrawal refused"
    with with_key.uow() as uow:
        [after] = uow.denials.denials(DenialQuery(issuing_state="FR"))
    assert not after.in_force
    assert dn.find_matches([after], similar, exclude_state="DE") == []


def test_this_deployments_denials_go_to_the_peers_once_and_their_withdrawal_after_them(
    france: France, with_key: Container
) -> None:
    """A denial decided on a case here goes to every peer's deployment once (``exchange send-pending`` runs
    this first); one received from a peer is not sent back; a withdrawal follows a denial that went out."""
    from dualuse.domain import denials as dn
    from dualuse.services.denials import outgoing

    def build(denial_id: int) -> dn.Denial:
        return dn.new_denial(
            denial_id,
            kind=dn.DenialKind.DENIAL,
            issuing_state="DE",
            items=[
                dn.DenialItem("5A001.j", "IP monitoring system"),
                dn.DenialItem("5D001.a", "Its software"),
            ],
            destination="KZ",
            parties=[dn.DenialParty("Nordwind Surveillance GmbH", "end_user", "KZ")],
            considerations=["art15.1.c"],
            reasons="Risk of use for internal repression",
            decided_on=datetime.now(UTC).date(),
            case_reference="DE/case/77",
            actor_id="test",
        )[0]

    api = TestClient(create_app(container=with_key))
    assert api.post("/exchange/inbox", json=france.denial()).status_code == 201  # FR's own denial, received
    setup = with_key.exchange_setup()
    with with_key.uow() as uow:
        denial = uow.denials.add_denial(build, case_id=None)
        first = outgoing.publish_new(uow, setup, datetime.now(UTC))
        uow.commit()
    assert first == outgoing.Published(denials=2, withdrawals=0)  # one document per item; FR's not sent back
    with with_key.uow() as uow:
        items = uow.exchange.outbox()
        assert {i.document["payload"]["reference"] for i in items} == {
            denial.reference,
            f"{denial.reference}.2",
        }
        assert all(i.recipients == ("FR",) and i.kind == "denial" for i in items)
        assert outgoing.publish_new(uow, setup, datetime.now(UTC)) == outgoing.Published(0, 0)
        withdrawn = dataclasses.replace(denial, status=dn.DenialStatus.WITHDRAWN, version=denial.version + 1)
        uow.denials.save_denial(withdrawn, expected_version=denial.version)
        assert outgoing.publish_new(uow, setup, datetime.now(UTC)) == outgoing.Published(0, 2)
        uow.commit()
    with with_key.uow() as uow:
        assert outgoing.publish_new(uow, setup, datetime.now(UTC)) == outgoing.Published(0, 0)
        kinds = sorted(i.kind for i in uow.exchange.outbox())
    assert kinds == ["denial", "denial", "denial_withdrawal", "denial_withdrawal"]
