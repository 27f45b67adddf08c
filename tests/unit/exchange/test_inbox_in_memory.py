"""The exchange inbox on the in-memory unit of work (issue #18 item 4, issue #16): a peer's signed denial is
accepted once, stored, entered in the register and audited; the same document again is refused as a replay,
and a tampered one is refused, leaving nothing behind (Reg. (EU) 2021/821 Art. 23(6), a secure channel)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from dualuse.adapters.exchange_keys import Ed25519Scheme
from dualuse.domain.exchange import (
    BadSignatureError,
    DocumentKind,
    PublicKey,
    ReplayedDocumentError,
    canonical_bytes,
    unsigned_document,
    with_signature,
)
from dualuse.services.clock import ManualClock
from dualuse.services.denials.ports import DenialQuery
from dualuse.services.exchange import inbox
from dualuse.services.exchange.ports import ExchangeSetup, Signer
from tests.fakes import FakeUnitOfWork

NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
DENIAL = {
    "reference": "FR-2026-0042",
    "decision": "refusal",
    "decided_on": "2026-12-01",
    "destination": "IR",
    "end_user": {"name": "Pars Trading Co.", "country": "IR"},
    "item": {"description": "Frequency changers", "control_code": "3A225"},
    "reason": "Risk of diversion to a WMD programme",
}


class _NoPrivateKeys:
    """This deployment signs nothing in these tests: only the peer's key, made in memory, signs."""

    def create(self, created_at: datetime, label: str) -> tuple[str, bytes]:
        raise AssertionError(f"no key {label!r} is made here ({created_at})")

    def signer(self, key_id: str) -> Signer:
        raise AssertionError(f"nothing is signed here (with {key_id})")


class France:
    """A peer deployment's Ed25519 key, made in memory."""

    key_id = "FR-20261204-test"

    def __init__(self) -> None:
        self.private = Ed25519PrivateKey.generate()
        self.public = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def signed(self, payload: dict[str, Any], issued_at: datetime = NOW) -> dict[str, Any]:
        document = unsigned_document(
            kind=DocumentKind.DENIAL,
            from_state="FR",
            to_states=["DE"],
            issued_at=issued_at,
            key_id=self.key_id,
            payload=payload,
        )
        return with_signature(document, self.private.sign(canonical_bytes(document)))


@pytest.fixture
def world() -> tuple[FakeUnitOfWork, ExchangeSetup, France]:
    uow = FakeUnitOfWork(ManualClock(NOW))
    france = France()
    uow.exchange.save_peer("FR", "https://fr.example", NOW)
    uow.exchange.save_peer_key(
        "FR", PublicKey(france.key_id, frozenset({"FR"}), france.public, NOW - timedelta(days=1))
    )
    uow.commit()
    setup = ExchangeSetup(
        served_states=frozenset({"DE"}), scheme=Ed25519Scheme(), private_keys=_NoPrivateKeys()
    )
    return uow, setup, france


def test_a_signed_denial_is_accepted_once_and_a_replay_is_refused(
    world: tuple[FakeUnitOfWork, ExchangeSetup, France],
) -> None:
    uow, setup, france = world
    document = france.signed(DENIAL)
    envelope = inbox.accept(uow, document, setup, NOW + timedelta(minutes=1))
    uow.commit()

    assert envelope.id == document["id"]
    assert uow.exchange.seen(envelope.id)
    [kept] = inbox.received(uow, DocumentKind.DENIAL, to_state="DE")
    assert (kept.document_id, kept.from_state, kept.key_id, kept.local) == (
        envelope.id,
        "FR",
        france.key_id,
        False,
    )
    assert dict(kept.document) == document
    [registered] = uow.denials.denials(DenialQuery(issuing_state="FR"))
    assert registered.case_reference == "FR/FR-2026-0042"
    assert [e.entity_id for e in uow.audit.all() if e.action == "exchange.received"] == [envelope.id]

    # the same document again, even within the freshness window and validly signed: a replay
    with pytest.raises(ReplayedDocumentError):
        inbox.accept(uow, copy.deepcopy(document), setup, NOW + timedelta(minutes=2))
    uow.rollback()
    assert uow.exchange.count_received() == 1
    assert len(uow.denials.denials(DenialQuery(issuing_state="FR"))) == 1


def test_a_tampered_document_leaves_nothing_behind(
    world: tuple[FakeUnitOfWork, ExchangeSetup, France],
) -> None:
    uow, setup, france = world
    document = france.signed(DENIAL)
    document["payload"] = {**DENIAL, "destination": "SY"}
    with pytest.raises(BadSignatureError):
        inbox.accept(uow, document, setup, NOW)
    uow.rollback()
    assert uow.exchange.count_received() == 0
    assert not uow.exchange.seen(document["id"])
    assert uow.denials.denials(DenialQuery(issuing_state="FR")) == []
