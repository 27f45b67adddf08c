"""Which key may vouch for which document: the trust rules of the exchange between deployments.

Each deployment signs with Ed25519 keys of its own and publishes their public halves with their key ids. A
receiving deployment knows its peers' keys (``exchange peer add``), each with a validity: from ``valid_from``,
until ``retired_at`` when the owner rotated it. A retired key still vouches for documents issued before its
retirement (a document signed on Monday and delivered on Wednesday after a Tuesday rotation stays good) and
for none issued later. A document must also be fresh (issued within ``max_age`` of its arrival, and not in the
future beyond ``max_skew``): so a retired key that leaked cannot be used to back-date new documents beyond
the window, and stored document ids (replay protection, checked by the service) need not be kept forever to
be effective within it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from dualuse.domain.errors import DualUseError
from dualuse.domain.exchange.envelope import Envelope

DEFAULT_MAX_AGE = timedelta(days=7)
DEFAULT_MAX_SKEW = timedelta(minutes=10)


class ExchangeRefusedError(DualUseError):
    """A received document is refused; nothing of it is kept."""

    status = 403
    code = "exchange-refused"
    title = "The exchange document is refused"


class UnknownKeyError(ExchangeRefusedError):
    code = "exchange-unknown-key"
    title = "The document is signed with a key this deployment does not know"


class BadSignatureError(ExchangeRefusedError):
    code = "exchange-bad-signature"
    title = "The document's signature does not match its content"


class WrongSenderError(ExchangeRefusedError):
    code = "exchange-wrong-sender"
    title = "The signing key does not belong to the sending state"


class KeyNotValidError(ExchangeRefusedError):
    code = "exchange-key-not-valid"
    title = "The signing key was not valid when the document was issued"


class StaleDocumentError(ExchangeRefusedError):
    status = 422
    code = "exchange-stale"
    title = "The document is outside the freshness window"


class NotAddressedError(ExchangeRefusedError):
    status = 422
    code = "exchange-not-addressed"
    title = "The document is not addressed to a state this deployment serves"


class ReplayedDocumentError(ExchangeRefusedError):
    status = 409
    code = "exchange-replayed"
    title = "The document was received before"


class SignatureScheme(Protocol):
    """Ed25519 in practice (``adapters.exchange_crypto``); the domain only asks whether a signature holds."""

    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool: ...


@dataclass(frozen=True)
class PublicKey:
    """A key that vouches for documents of ``states`` issued in [valid_from, retired_at)."""

    key_id: str
    states: frozenset[str]
    public_key: bytes
    valid_from: datetime
    retired_at: datetime | None = None

    def valid_at(self, moment: datetime) -> bool:
        return self.valid_from <= moment and (self.retired_at is None or moment < self.retired_at)


@dataclass(frozen=True)
class Window:
    """How old, or how far ahead, a document's ``issued_at`` may be when it arrives."""

    max_age: timedelta = DEFAULT_MAX_AGE
    max_skew: timedelta = DEFAULT_MAX_SKEW


def check(
    envelope: Envelope,
    keys: Iterable[PublicKey],
    scheme: SignatureScheme,
    *,
    now: datetime,
    served_states: frozenset[str],
    window: Window = Window(),
) -> PublicKey:
    """The key that vouches for ``envelope``, or the reason it is refused. ``keys`` are the known keys whose
    id is the envelope's ``key_id`` (the same id may be registered for several states of one deployment)."""
    candidates = [k for k in keys if k.key_id == envelope.key_id]
    if not candidates:
        raise UnknownKeyError(f"no known key has the id {envelope.key_id!r}", field="key_id")
    message = envelope.canonical()
    if not any(scheme.verify(k.public_key, message, envelope.signature) for k in candidates):
        raise BadSignatureError(
            "the signature does not verify with the key it names: the document was changed after it was "
            "signed, or signed with another key",
            field="signature",
        )
    owned = [k for k in candidates if envelope.from_state in k.states]
    if not owned:
        owners = ", ".join(sorted(s for k in candidates for s in k.states))
        raise WrongSenderError(
            f"the key {envelope.key_id} belongs to {owners}, not to {envelope.from_state}", field="from_state"
        )
    valid = [k for k in owned if k.valid_at(envelope.issued_at)]
    if not valid:
        key = owned[0]
        when = (
            f"retired at {key.retired_at.isoformat()}"
            if key.retired_at is not None and envelope.issued_at >= key.retired_at
            else f"valid from {key.valid_from.isoformat()}"
        )
        raise KeyNotValidError(
            f"the key {envelope.key_id} was {when}; the document says it was issued at "
            f"{envelope.issued_at.isoformat()}",
            field="issued_at",
        )
    if envelope.issued_at < now - window.max_age:
        raise StaleDocumentError(
            f"issued at {envelope.issued_at.isoformat()}, more than {window.max_age} before its arrival",
            field="issued_at",
        )
    if envelope.issued_at > now + window.max_skew:
        raise StaleDocumentError(
            f"issued at {envelope.issued_at.isoformat()}, in the future (allowed clock skew {window.max_skew})",
            field="issued_at",
        )
    if not served_states & set(envelope.to_states):
        served = ", ".join(sorted(served_states)) or "no state (DUALUSE_EXCHANGE_STATES is unset)"
        raise NotAddressedError(
            f"addressed to {', '.join(envelope.to_states)}; this deployment serves {served}",
            field="to_states",
        )
    return valid[0]
