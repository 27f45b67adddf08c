"""The exchange document (issue 18 item 4): canonical form, Ed25519 signing round trip, and that any change
to any member after signing is caught (Reg. (EU) 2021/821 Art. 23(6): a secure channel between authorities)."""

from __future__ import annotations

import base64
import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.adapters.exchange_keys import Ed25519Scheme, KeyDirectory
from dualuse.domain.errors import DualUseError
from dualuse.domain.exchange import (
    BadSignatureError,
    DocumentError,
    DocumentKind,
    PublicKey,
    canonical_bytes,
    check,
    parse,
    unsigned_document,
    with_signature,
)
from dualuse.services.exchange.payloads import check_payload, json_schema, shipped_schema

NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
DENIAL = {
    "reference": "FR-2026-0042",
    "decision": "refusal",
    "decided_on": "2026-12-01",
    "destination": "IR",
    "end_user": {"name": "Pars Trading Co.", "country": "IR"},
    "item": {"description": "Frequency changers", "control_code": "3A225"},
    "reason": "Risk of diversion to a WMD programme (Art. 15(1)(d)) — évaluation",
}


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> tuple[PublicKey, Any]:
    directory = KeyDirectory(tmp_path_factory.mktemp("keys"))
    key_id, public = directory.create(NOW - timedelta(days=30), "FR")
    return PublicKey(key_id, frozenset({"FR"}), public, NOW - timedelta(days=30)), directory.signer(key_id)


def signed(key: tuple[PublicKey, Any], payload: dict[str, Any] | None = None) -> dict[str, Any]:
    public, signer = key
    body = check_payload(DocumentKind.DENIAL, payload or DENIAL)
    unsigned = unsigned_document(
        kind=DocumentKind.DENIAL,
        from_state="FR",
        to_states=["DE"],
        issued_at=NOW,
        key_id=public.key_id,
        payload=body,
    )
    return with_signature(unsigned, signer.sign(canonical_bytes(unsigned)))


def verify(document: Any, key: tuple[PublicKey, Any]) -> PublicKey:
    return check(parse(document), [key[0]], Ed25519Scheme(), now=NOW, served_states=frozenset({"DE"}))


def test_a_signed_document_verifies_after_a_trip_through_json(key: tuple[PublicKey, Any]) -> None:
    document = signed(key)
    travelled = json.loads(json.dumps(document, indent=3, ensure_ascii=True))
    assert verify(travelled, key) == key[0]


def test_the_canonical_form_is_sorted_compact_utf8_json_without_the_signature(
    key: tuple[PublicKey, Any],
) -> None:
    document = signed(key)
    text = canonical_bytes(document).decode("utf-8")
    assert '"signature"' not in text
    assert text.startswith('{"from_state":"FR","id":"')
    assert '", "' not in text  # compact
    assert '": ' not in text
    assert "évaluation" in text  # UTF-8 as such, not \u-escaped (as RFC 8785)
    assert canonical_bytes({"b": 1, "a": [True, None, "x"]}) == b'{"a":[true,null,"x"],"b":1}'


def test_floats_and_non_ascii_keys_have_no_canonical_form_and_are_refused() -> None:
    with pytest.raises(DocumentError, match="floating-point"):
        canonical_bytes({"payload": {"value": 1.5}})
    with pytest.raises(DocumentError, match="not printable ASCII"):
        canonical_bytes({"payload": {"clé": "x"}})


def test_a_malformed_envelope_names_the_member_at_fault(key: tuple[PublicKey, Any]) -> None:
    document = signed(key)
    cases = {
        "schema": "dualuse.exchange/2",
        "id": "not-a-uuid",
        "kind": "gossip",
        "from_state": "US",
        "to_states": [],
        "issued_at": "2026-12-05 10:00",
        "key_id": "a key with spaces",
        "signature": "***",
    }
    for member, value in cases.items():
        with pytest.raises(DocumentError) as caught:
            parse({**document, member: value})
        assert caught.value.field == member
    with pytest.raises(DocumentError, match="missing"):
        parse({k: v for k, v in document.items() if k != "payload"})
    with pytest.raises(DocumentError, match="unknown member"):
        parse({**document, "extra": 1})


def test_a_payload_that_breaks_its_kinds_schema_names_the_field() -> None:
    with pytest.raises(DocumentError) as caught:
        check_payload(DocumentKind.DENIAL, {**DENIAL, "decision": "maybe"})
    assert caught.value.field == "payload.decision"
    with pytest.raises(DocumentError) as caught:
        check_payload(DocumentKind.DENIAL, {**DENIAL, "end_user": {"name": "x"}})
    assert caught.value.field == "payload.end_user.country"


def test_the_shipped_json_schema_is_the_one_the_payload_models_make() -> None:
    assert shipped_schema() == json.loads(json.dumps(json_schema()))
    assert Path(__file__).exists()


# --- any change to any member after signing breaks verification ---------------------------------------
def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*prefix, i))
    return found


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text("abcxyz", min_size=1, max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_change_to_any_field_breaks_verification(key: tuple[PublicKey, Any], data: st.DataObject) -> None:
    document = signed(key)
    paths = [p for p in _paths(document) if p[0] != "signature"] + [("signature",)]
    path = data.draw(st.sampled_from(paths))
    changed = copy.deepcopy(document)
    holder = changed
    for step in path[:-1]:
        holder = holder[step]
    old = holder[path[-1]]
    new = data.draw(json_values.filter(lambda v: v != old or type(v) is not type(old)))
    if path == ("signature",):
        new = data.draw(st.binary(min_size=64, max_size=64).map(lambda b: base64.b64encode(b).decode()))
        if new == old:
            return
    holder[path[-1]] = new
    with pytest.raises(DualUseError):
        verify(changed, key)


def test_a_document_signed_with_another_key_that_claims_a_known_key_id_is_refused(
    key: tuple[PublicKey, Any], tmp_path: Path
) -> None:
    other = KeyDirectory(tmp_path)
    other_id, _ = other.create(NOW, "FR")
    unsigned = {k: v for k, v in signed(key).items() if k != "signature"}
    forged = with_signature(unsigned, other.signer(other_id).sign(canonical_bytes(unsigned)))
    with pytest.raises(BadSignatureError):
        verify(forged, key)
