"""Receiving documents from other states' deployments (or from this one, for the states it serves).

One path for every document, whether it came over HTTP or from this deployment's own outbox: the envelope
is read, its payload checked against the kind's schema, its key, signature, sender, freshness and addressee
checked (``domain.exchange.check``) and its id looked up among the ids already received (replay). Only then is
it stored, in the caller's transaction: a refused document leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from dualuse.domain.exchange import (
    DocumentKind,
    Envelope,
    PublicKey,
    ReplayedDocumentError,
    check,
    parse,
)
from dualuse.domain.identity import OrganisationKind, Permission, Principal, authorize
from dualuse.services import audit
from dualuse.services.denials import received as denials_received
from dualuse.services.exchange.payloads import check_payload
from dualuse.services.exchange.ports import ExchangeSetup, ReceivedDocument
from dualuse.services.unit_of_work import UnitOfWork

INBOX_ACTOR = "exchange"


def known_keys(uow: UnitOfWork, setup: ExchangeSetup, key_id: str) -> list[PublicKey]:
    """The keys with ``key_id``: the peers' and this deployment's own (which speak for the states it serves)."""
    keys = list(uow.exchange.keys_with_id(key_id))
    keys += [
        PublicKey(k.key_id, setup.served_states, k.public_key, k.valid_from, k.retired_at)
        for k in uow.exchange.own_keys()
        if k.key_id == key_id
    ]
    return keys


def accept(
    uow: UnitOfWork, document: Any, setup: ExchangeSetup, now: datetime, *, local: bool = False
) -> Envelope:
    """Verify ``document`` and store it in the inbox (the caller commits). Raises ``DocumentError`` (422) for
    a malformed document and an ``ExchangeRefusedError`` for one that is not to be trusted."""
    envelope = parse(document)
    check_payload(envelope.kind, envelope.payload)
    check(
        envelope,
        known_keys(uow, setup, envelope.key_id),
        setup.scheme,
        now=now,
        served_states=setup.served_states,
        window=setup.window,
    )
    if uow.exchange.seen(envelope.id):
        raise ReplayedDocumentError(f"the document {envelope.id} was received before", field="id")
    uow.exchange.add_received(
        ReceivedDocument(
            document_id=envelope.id,
            kind=envelope.kind.value,
            from_state=envelope.from_state,
            to_states=envelope.to_states,
            issued_at=envelope.issued_at,
            key_id=envelope.key_id,
            payload=dict(envelope.payload),
            document=dict(envelope.raw),
            received_at=now,
            local=local,
        )
    )
    # a denial from another deployment joins this one's register, where the Art. 16(5) check finds it
    denials_received.apply(uow, envelope, local=local)
    audit.record(
        uow,
        actor=INBOX_ACTOR,
        action="exchange.received",
        entity_type="exchange_document",
        entity_id=envelope.id,
        after={"kind": envelope.kind.value, "from_state": envelope.from_state, "key_id": envelope.key_id},
    )
    return envelope


def received(
    uow: UnitOfWork, kind: DocumentKind | str | None = None, *, to_state: str | None = None
) -> Sequence[ReceivedDocument]:
    """Accepted documents, newest first; of one kind, or addressed to one state, when asked."""
    documents = uow.exchange.received(str(kind) if kind is not None else None)
    if to_state is not None:
        documents = [d for d in documents if to_state in d.to_states]
    return documents


def summary(document: ReceivedDocument) -> Mapping[str, str]:
    """A received document in a few words, for the authority's list."""
    payload = document.payload
    party = payload.get("end_user") if isinstance(payload.get("end_user"), Mapping) else None
    item = payload.get("item") if isinstance(payload.get("item"), Mapping) else None
    return {
        "reference": str(payload.get("reference", "")),
        "basis": str(payload.get("legal_basis") or payload.get("decision") or payload.get("position") or ""),
        "destination": str(payload.get("destination", "")),
        "end_user": str(party.get("name", "")) if party else "",
        "item": str(item.get("description", "")) if item else "",
        "text": str(
            payload.get("reason")
            or payload.get("summary")
            or payload.get("question")
            or payload.get("answer")
            or ""
        ),
    }


def for_authority(uow: UnitOfWork, principal: Principal) -> Sequence[ReceivedDocument]:
    """What other states sent to the principal's authority (denials, consultations, notices), newest first."""
    authorize(principal, Permission.ASSESS_CASE)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY or principal.member_state is None:
        return []
    return [
        d for d in received(uow, to_state=principal.member_state) if d.from_state != principal.member_state
    ]
