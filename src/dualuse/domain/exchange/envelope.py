"""The exchange document: a signed envelope that carries a denial, a consultation, a catch-all notice or Art. 5
information from one member state's deployment to another's (Reg. (EU) 2021/821 Arts. 14, 16(1), 16(5),
4, 5(4)-(6), 6, 8; Art. 23(6) asks for a secure channel between competent authorities).

The envelope is readable JSON::

    {"schema": "dualuse.exchange/1", "id": "<uuid4>", "kind": "denial", "from_state": "FR",
     "to_states": ["DE"], "issued_at": "2026-12-05T10:00:00Z", "key_id": "FR-20261205-ab12cd34ef56",
     "payload": {...}, "signature": "<base64 Ed25519 signature>"}

What is signed is the envelope's *canonical form*: every member but ``signature``, written as JSON with keys
sorted, no whitespace, UTF-8 (not \\u-escaped), integers only (no floating-point numbers anywhere). With ASCII
keys and no floats this is the same byte string as RFC 8785 (JCS) gives: JCS sorts keys by UTF-16 code units,
which for ASCII keys is Python's order, and escapes strings as ``json.dumps(ensure_ascii=False)`` does. The
canonical form is computed from the members as received, so what is verified is exactly what was sent.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from dualuse.domain.errors import ValidationError
from dualuse.domain.union import EU_MEMBER_STATES

SCHEMA = "dualuse.exchange/1"
MEMBERS = ("schema", "id", "kind", "from_state", "to_states", "issued_at", "key_id", "payload", "signature")
_ISSUED_AT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,80}$")
_ASCII_KEY = re.compile(r"^[\x20-\x7e]{1,100}$")
MAX_DEPTH = 8


class DocumentKind(StrEnum):
    """What a document carries, with the article it serves."""

    DENIAL = "denial"  # Art. 16(1): a refusal, annulment, suspension, substantial limitation or revocation
    DENIAL_WITHDRAWAL = "denial_withdrawal"  # Art. 16(2) review (unverified): a denial revoked
    CONSULTATION_REQUEST = "consultation_request"  # Art. 14(1), Art. 16(5) essentially identical
    CONSULTATION_ANSWER = "consultation_answer"
    CATCH_ALL_NOTICE = "catch_all_notice"  # Arts. 4, 5, 6, 8: an exporter was informed
    ART5_INFORMATION = "art5_information"  # Art. 5(4)-(6): information on cyber-surveillance items


class DocumentError(ValidationError):
    """A document that does not follow the format (``field`` names the member)."""

    code = "exchange-invalid-document"
    title = "The exchange document is malformed"


@dataclass(frozen=True)
class Envelope:
    """A parsed exchange document. ``raw`` is the JSON object as received or built, ``signature`` included."""

    id: str
    kind: DocumentKind
    from_state: str
    to_states: tuple[str, ...]
    issued_at: datetime
    key_id: str
    payload: Mapping[str, Any]
    signature: bytes
    raw: Mapping[str, Any]

    def canonical(self) -> bytes:
        """The bytes the signature covers."""
        return canonical_bytes(self.raw)


def format_instant(moment: datetime) -> str:
    """``issued_at`` as written in documents: UTC, whole seconds, ``Z``."""
    if moment.tzinfo is None:
        raise ValueError("a document's time needs a time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical_bytes(document: Mapping[str, Any]) -> bytes:
    """The canonical form of ``document`` without its ``signature`` (see the module's docstring)."""
    unsigned = {k: v for k, v in document.items() if k != "signature"}
    _check_value(unsigned, "document", 0)
    return json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _check_value(value: Any, where: str, depth: int) -> None:
    """Only what has one canonical spelling: objects with printable ASCII keys, lists, strings, integers,
    booleans and null, nested at most ``MAX_DEPTH`` deep."""
    if depth > MAX_DEPTH:
        raise DocumentError(f"{where} is nested more than {MAX_DEPTH} levels deep", field=where)
    if isinstance(value, Mapping):
        for key, inner in value.items():
            if not isinstance(key, str) or not _ASCII_KEY.match(key):
                raise DocumentError(f"{where} has a key that is not printable ASCII: {key!r}", field=where)
            _check_value(inner, f"{where}.{key}", depth + 1)
    elif isinstance(value, list | tuple):
        for index, inner in enumerate(value):
            _check_value(inner, f"{where}[{index}]", depth + 1)
    elif isinstance(value, float):
        raise DocumentError(f"{where} is a floating-point number: write it as text", field=where)
    elif value is not None and not isinstance(value, str | int | bool):
        raise DocumentError(f"{where} is of a type JSON does not have: {type(value).__name__}", field=where)


def unsigned_document(
    *,
    kind: DocumentKind,
    from_state: str,
    to_states: Sequence[str],
    issued_at: datetime,
    key_id: str,
    payload: Mapping[str, Any],
    document_id: str | None = None,
) -> dict[str, Any]:
    """A new document, ready to be signed (its ``signature`` member is added by ``with_signature``)."""
    return {
        "schema": SCHEMA,
        "id": document_id or str(uuid.uuid4()),
        "kind": kind.value,
        "from_state": from_state,
        "to_states": sorted(set(to_states)),
        "issued_at": format_instant(issued_at),
        "key_id": key_id,
        "payload": dict(payload),
    }


def parse(document: Any) -> Envelope:
    """Read a received JSON object as an envelope; ``DocumentError`` names the first member that is wrong.
    The payload's own schema is checked elsewhere (it depends on the kind)."""
    if not isinstance(document, Mapping):
        raise DocumentError("an exchange document is a JSON object", field="document")
    unknown = sorted(set(document) - set(MEMBERS))
    if unknown:
        raise DocumentError(f"unknown member(s): {', '.join(unknown)}", field=unknown[0])
    for member in MEMBERS:
        if member not in document:
            raise DocumentError(f"the member {member} is missing", field=member)
    if document["schema"] != SCHEMA:
        raise DocumentError(f"schema must be {SCHEMA!r}", field="schema")
    document_id = _text(document, "id")
    try:
        if str(uuid.UUID(document_id)) != document_id:
            raise ValueError(document_id)
    except ValueError:
        raise DocumentError("id must be a UUID in lower-case hyphenated form", field="id") from None
    try:
        kind = DocumentKind(_text(document, "kind"))
    except ValueError:
        kinds = ", ".join(k.value for k in DocumentKind)
        raise DocumentError(f"kind must be one of {kinds}", field="kind") from None
    from_state = _state(_text(document, "from_state"), "from_state")
    to_states = document["to_states"]
    if not isinstance(to_states, list) or not to_states:
        raise DocumentError("to_states must be a non-empty list of member states", field="to_states")
    states = tuple(
        _state(s, "to_states") if isinstance(s, str) else _state("", "to_states") for s in to_states
    )
    if len(set(states)) != len(states):
        raise DocumentError("to_states names a member state twice", field="to_states")
    issued = _text(document, "issued_at")
    if not _ISSUED_AT.match(issued):
        raise DocumentError("issued_at must be a UTC time such as 2026-12-05T10:00:00Z", field="issued_at")
    try:
        issued_at = datetime.strptime(issued, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise DocumentError("issued_at is not a real date and time", field="issued_at") from None
    key_id = _text(document, "key_id")
    if not _KEY_ID.match(key_id):
        raise DocumentError(
            "key_id must be 1-80 letters, digits, dots, dashes or underscores", field="key_id"
        )
    payload = document["payload"]
    if not isinstance(payload, Mapping):
        raise DocumentError("payload must be a JSON object", field="payload")
    signature = _signature(_text(document, "signature"))
    canonical_bytes(document)  # refuses what has no canonical form (floats, odd keys, deep nesting)
    return Envelope(
        id=document_id,
        kind=kind,
        from_state=from_state,
        to_states=states,
        issued_at=issued_at,
        key_id=key_id,
        payload=payload,
        signature=signature,
        raw=document,
    )


def _text(document: Mapping[str, Any], member: str) -> str:
    value = document[member]
    if not isinstance(value, str) or not value:
        raise DocumentError(f"{member} must be a non-empty string", field=member)
    return value


def _state(code: str, member: str) -> str:
    if code not in EU_MEMBER_STATES:
        raise DocumentError(
            f"{member}: {code!r} is not an EU member state code (ISO 3166, e.g. FR)", field=member
        )
    return code


def _signature(text: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise DocumentError("signature must be base64", field="signature") from None
    if base64.b64encode(raw).decode("ascii") != text:
        raise DocumentError("signature must be base64 in its one standard spelling", field="signature")
    return raw


def with_signature(document: Mapping[str, Any], signature: bytes) -> dict[str, Any]:
    """``document`` with its signature (standard base64)."""
    return {**document, "signature": base64.b64encode(signature).decode("ascii")}
