"""The exchange's ports: its repository (``adapters.db.exchange_repo``), the private keys (``adapters.
exchange_keys``) and the courier that carries documents to peers (``adapters.exchange_courier``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from dualuse.domain.exchange import PublicKey, SignatureScheme, Window


@dataclass(frozen=True)
class OwnKey:
    """One of this deployment's signing keys (its private half is in the key directory)."""

    key_id: str
    public_key: bytes
    valid_from: datetime
    retired_at: datetime | None


@dataclass(frozen=True)
class Peer:
    """Another deployment trusted to speak for ``state``, reached at ``base_url``."""

    state: str
    base_url: str
    keys: tuple[PublicKey, ...] = ()


@dataclass(frozen=True)
class OutboxItem:
    id: int
    document_id: str
    kind: str
    recipients: tuple[str, ...]
    document: Mapping[str, Any]
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class ReceivedDocument:
    """An accepted document in the inbox."""

    document_id: str
    kind: str
    from_state: str
    to_states: tuple[str, ...]
    issued_at: datetime
    key_id: str
    payload: Mapping[str, Any]
    document: Mapping[str, Any]
    received_at: datetime
    local: bool  # published by this same deployment (a multi-state deployment's internal delivery)


class ExchangeRepository(Protocol):
    def own_keys(self) -> Sequence[OwnKey]: ...
    def add_own_key(self, key: OwnKey) -> None: ...
    def retire_own_key(self, key_id: str, at: datetime) -> None: ...

    def peers(self) -> Sequence[Peer]: ...
    def peer(self, state: str) -> Peer | None: ...
    def save_peer(self, state: str, base_url: str, at: datetime) -> None: ...
    def save_peer_key(self, state: str, key: PublicKey) -> None:
        """Add the key, or update its validity when it is known already."""
        ...

    def keys_with_id(self, key_id: str) -> Sequence[PublicKey]:
        """Every peer key with this id (each for its state; this deployment's own keys are ``own_keys``)."""
        ...

    def add_outbox(
        self,
        document_id: str,
        kind: str,
        recipients: Sequence[str],
        document: Mapping[str, Any],
        at: datetime,
    ) -> int: ...
    def due_outbox(self, at: datetime, limit: int) -> Sequence[OutboxItem]:
        """Undelivered items whose next attempt is due, oldest first; on PostgreSQL rows another sender holds
        are skipped."""
        ...

    def take_due(self, item_id: int, at: datetime) -> OutboxItem | None:
        """The item, locked for this transaction, if it is still undelivered and due."""
        ...

    def outbox(self, limit: int = 100) -> Sequence[OutboxItem]: ...
    def sent_references(self, kind: str) -> set[str]:
        """The payload references of every document of ``kind`` ever put in the outbox."""
        ...

    def delivered(self, item_id: int, at: datetime, note: str | None = None) -> None: ...
    def failed(self, item_id: int, error: str, next_attempt_at: datetime) -> None: ...

    def seen(self, document_id: str) -> bool: ...
    def add_received(self, document: ReceivedDocument) -> None:
        """Store an accepted document; ``ReplayedDocumentError`` when its id was stored meanwhile."""
        ...

    def received(self, kind: str | None = None, limit: int = 200) -> Sequence[ReceivedDocument]: ...
    def count_received(self) -> int: ...


class Signer(Protocol):
    key_id: str

    def sign(self, message: bytes) -> bytes: ...


class PrivateKeys(Protocol):
    """Where this deployment's private keys are kept."""

    def create(self, created_at: datetime, label: str) -> tuple[str, bytes]: ...
    def signer(self, key_id: str) -> Signer: ...


@dataclass(frozen=True)
class Delivery:
    """What a peer answered to a POST of a document."""

    delivered: bool
    status: int | None
    detail: str
    already_received: bool = False


class Courier(Protocol):
    def deliver(self, base_url: str, document: Mapping[str, Any]) -> Delivery: ...


@dataclass(frozen=True)
class ExchangeSetup:
    """What the exchange needs from the settings and adapters (built by ``bootstrap``)."""

    served_states: frozenset[str]
    scheme: SignatureScheme
    private_keys: PrivateKeys
    window: Window = field(default_factory=Window)
    deliver_by_worker: bool = False  # queue an ``exchange.send`` job for `dualuse worker` at each publish
