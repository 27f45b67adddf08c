"""Which key vouches for which document: key rotation, the sender's state, freshness and the addressee."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from dualuse.adapters.exchange_keys import Ed25519Scheme, KeyDirectory
from dualuse.domain.exchange import (
    DocumentKind,
    KeyNotValidError,
    NotAddressedError,
    PublicKey,
    StaleDocumentError,
    UnknownKeyError,
    Window,
    WrongSenderError,
    canonical_bytes,
    check,
    parse,
    unsigned_document,
    with_signature,
)
from dualuse.domain.exchange.delivery import retry_delay

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
ROTATED = MONDAY + timedelta(days=1)  # Tuesday 09:00: the old key retired, the new one valid
PAYLOAD = {"reference": "R-1", "withdrawn_on": "2026-11-30", "reason": "reviewed"}


@pytest.fixture
def keys(tmp_path: Path) -> tuple[KeyDirectory, PublicKey, PublicKey]:
    directory = KeyDirectory(tmp_path)
    old_id, old_public = directory.create(MONDAY - timedelta(days=90), "FR")
    new_id, new_public = directory.create(ROTATED, "FR")
    old = PublicKey(old_id, frozenset({"FR"}), old_public, MONDAY - timedelta(days=90), retired_at=ROTATED)
    new = PublicKey(new_id, frozenset({"FR"}), new_public, ROTATED)
    return directory, old, new


def document(directory: KeyDirectory, key: PublicKey, issued_at: datetime, **changes: Any) -> dict[str, Any]:
    unsigned = unsigned_document(
        kind=DocumentKind.DENIAL_WITHDRAWAL,
        from_state=changes.get("from_state", "FR"),
        to_states=changes.get("to_states", ["DE"]),
        issued_at=issued_at,
        key_id=key.key_id,
        payload=PAYLOAD,
    )
    return with_signature(unsigned, directory.signer(key.key_id).sign(canonical_bytes(unsigned)))


def verdict(doc: dict[str, Any], known: list[PublicKey], now: datetime, served: str = "DE") -> PublicKey:
    return check(parse(doc), known, Ed25519Scheme(), now=now, served_states=frozenset({served}))


def test_a_retired_key_still_verifies_what_it_signed_before_its_retirement(keys: Any) -> None:
    directory, old, new = keys
    signed_monday = document(directory, old, MONDAY)
    # delivered on Wednesday, after Tuesday's rotation
    assert verdict(signed_monday, [old, new], now=ROTATED + timedelta(days=1)) == old


def test_a_retired_key_refuses_documents_issued_after_its_retirement(keys: Any) -> None:
    directory, old, new = keys
    after = document(directory, old, ROTATED + timedelta(hours=1))
    with pytest.raises(KeyNotValidError, match="retired"):
        verdict(after, [old, new], now=ROTATED + timedelta(hours=2))
    exactly_at = document(directory, old, ROTATED)
    with pytest.raises(KeyNotValidError):
        verdict(exactly_at, [old, new], now=ROTATED + timedelta(hours=2))


def test_the_new_key_verifies_from_its_first_instant_and_not_before(keys: Any) -> None:
    directory, old, new = keys
    assert verdict(document(directory, new, ROTATED), [old, new], now=ROTATED) == new
    with pytest.raises(KeyNotValidError, match="valid from"):
        verdict(document(directory, new, ROTATED - timedelta(seconds=1)), [old, new], now=ROTATED)


def test_an_unknown_key_id_is_refused(keys: Any) -> None:
    directory, old, new = keys
    with pytest.raises(UnknownKeyError):
        verdict(document(directory, new, ROTATED), [old], now=ROTATED)


def test_the_key_must_belong_to_the_sending_state(keys: Any) -> None:
    directory, _old, new = keys
    claims_italy = document(directory, new, ROTATED, from_state="IT")
    with pytest.raises(WrongSenderError, match="belongs to FR, not to IT"):
        verdict(claims_italy, [new], now=ROTATED)


def test_a_document_must_be_fresh_and_not_from_the_future(keys: Any) -> None:
    directory, _old, new = keys
    doc = document(directory, new, ROTATED)
    with pytest.raises(StaleDocumentError, match="more than"):
        verdict(doc, [new], now=ROTATED + Window().max_age + timedelta(seconds=1))
    with pytest.raises(StaleDocumentError, match="future"):
        verdict(doc, [new], now=ROTATED - timedelta(hours=1))


def test_a_document_addressed_elsewhere_is_refused(keys: Any) -> None:
    directory, _old, new = keys
    with pytest.raises(NotAddressedError, match="addressed to DE; this deployment serves IT"):
        verdict(document(directory, new, ROTATED), [new], now=ROTATED, served="IT")


@pytest.mark.parametrize(
    ("attempts", "delay"),
    [
        (0, timedelta(0)),
        (1, timedelta(minutes=1)),
        (2, timedelta(minutes=2)),
        (5, timedelta(minutes=16)),
        (20, timedelta(hours=6)),
        (500, timedelta(hours=6)),
    ],
)
def test_the_outbox_backs_off_exponentially_up_to_six_hours(attempts: int, delay: timedelta) -> None:
    assert retry_delay(attempts) == delay
