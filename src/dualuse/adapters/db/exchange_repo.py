"""The exchange's tables on SQLite and PostgreSQL (``services.exchange.ports.ExchangeRepository``)."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import IntegrityError

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.rows import aware, new_id
from dualuse.domain.exchange import PublicKey, ReplayedDocumentError
from dualuse.services.exchange.ports import OutboxItem, OwnKey, Peer, ReceivedDocument


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _peer_key(row: Mapping[Any, Any]) -> PublicKey:
    return PublicKey(
        key_id=row["key_id"],
        states=frozenset({row["state"]}),
        public_key=base64.b64decode(row["public_key"]),
        valid_from=aware(row["valid_from"]),
        retired_at=aware(row["retired_at"]) if row["retired_at"] is not None else None,
    )


def _outbox(row: Mapping[Any, Any]) -> OutboxItem:
    return OutboxItem(
        id=row["id"],
        document_id=row["document_id"],
        kind=row["kind"],
        recipients=tuple(row["recipients"].split(",")),
        document=row["document"],
        attempts=row["attempts"],
        next_attempt_at=aware(row["next_attempt_at"]),
        last_error=row["last_error"],
        delivered_at=aware(row["delivered_at"]) if row["delivered_at"] is not None else None,
        created_at=aware(row["created_at"]),
    )


def _received(row: Mapping[Any, Any]) -> ReceivedDocument:
    return ReceivedDocument(
        document_id=row["document_id"],
        kind=row["kind"],
        from_state=row["from_state"],
        to_states=tuple(row["to_states"].split(",")),
        issued_at=aware(row["issued_at"]),
        key_id=row["key_id"],
        payload=row["payload"],
        document=row["document"],
        received_at=aware(row["received_at"]),
        local=bool(row["local"]),
    )


class SqlExchange:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    # --- keys and peers ------------------------------------------------------------------------------
    def own_keys(self) -> Sequence[OwnKey]:
        rows = self._c.execute(
            select(t.exchange_own_keys).order_by(t.exchange_own_keys.c.valid_from)
        ).mappings()
        return [
            OwnKey(
                key_id=r["key_id"],
                public_key=base64.b64decode(r["public_key"]),
                valid_from=aware(r["valid_from"]),
                retired_at=aware(r["retired_at"]) if r["retired_at"] is not None else None,
            )
            for r in rows
        ]

    def add_own_key(self, key: OwnKey) -> None:
        self._c.execute(
            t.exchange_own_keys.insert().values(
                key_id=key.key_id,
                public_key=_b64(key.public_key),
                valid_from=key.valid_from,
                retired_at=key.retired_at,
            )
        )

    def retire_own_key(self, key_id: str, at: datetime) -> None:
        k = t.exchange_own_keys
        self._c.execute(
            k.update().where(k.c.key_id == key_id, k.c.retired_at.is_(None)).values(retired_at=at)
        )

    def peers(self) -> Sequence[Peer]:
        keys: dict[str, list[PublicKey]] = {}
        for row in self._c.execute(
            select(t.exchange_peer_keys).order_by(t.exchange_peer_keys.c.valid_from)
        ).mappings():
            keys.setdefault(row["state"], []).append(_peer_key(row))
        rows = self._c.execute(select(t.exchange_peers).order_by(t.exchange_peers.c.state)).mappings()
        return [Peer(r["state"], r["base_url"], tuple(keys.get(r["state"], ()))) for r in rows]

    def peer(self, state: str) -> Peer | None:
        return next((p for p in self.peers() if p.state == state), None)

    def save_peer(self, state: str, base_url: str, at: datetime) -> None:
        p = t.exchange_peers
        changed = self._c.execute(
            p.update().where(p.c.state == state).values(base_url=base_url, updated_at=at)
        )
        if changed.rowcount == 0:
            self._c.execute(p.insert().values(state=state, base_url=base_url, updated_at=at))

    def save_peer_key(self, state: str, key: PublicKey) -> None:
        k = t.exchange_peer_keys
        values = {
            "public_key": _b64(key.public_key),
            "valid_from": key.valid_from,
            "retired_at": key.retired_at,
        }
        changed = self._c.execute(
            k.update().where(k.c.state == state, k.c.key_id == key.key_id).values(**values)
        )
        if changed.rowcount == 0:
            self._c.execute(k.insert().values(state=state, key_id=key.key_id, **values))

    def keys_with_id(self, key_id: str) -> Sequence[PublicKey]:
        rows = self._c.execute(select(t.exchange_peer_keys).where(t.exchange_peer_keys.c.key_id == key_id))
        return [_peer_key(r) for r in rows.mappings()]

    # --- outbox ----------------------------------------------------------------------------------------
    def add_outbox(
        self,
        document_id: str,
        kind: str,
        recipients: Sequence[str],
        document: Mapping[str, Any],
        at: datetime,
    ) -> int:
        result = self._c.execute(
            t.exchange_outbox.insert().values(
                document_id=document_id,
                kind=kind,
                recipients=",".join(recipients),
                document=dict(document),
                attempts=0,
                next_attempt_at=at,
                last_error=None,
                delivered_at=None,
                created_at=at,
            )
        )
        return new_id(result)

    def due_outbox(self, at: datetime, limit: int) -> Sequence[OutboxItem]:
        o = t.exchange_outbox
        rows = self._c.execute(
            select(o)
            .where(o.c.delivered_at.is_(None), o.c.next_attempt_at <= at)
            .order_by(o.c.next_attempt_at, o.c.id)
            .limit(limit)
        ).mappings()
        return [_outbox(r) for r in rows]

    def take_due(self, item_id: int, at: datetime) -> OutboxItem | None:
        o = t.exchange_outbox
        row = (
            self._c.execute(
                select(o)
                .where(o.c.id == item_id, o.c.delivered_at.is_(None), o.c.next_attempt_at <= at)
                .with_for_update(skip_locked=True)
            )
            .mappings()
            .first()
        )
        return _outbox(row) if row else None

    def outbox(self, limit: int = 100) -> Sequence[OutboxItem]:
        o = t.exchange_outbox
        rows = self._c.execute(select(o).order_by(o.c.id.desc()).limit(limit)).mappings()
        return [_outbox(r) for r in rows]

    def sent_references(self, kind: str) -> set[str]:
        o = t.exchange_outbox
        rows = self._c.execute(select(o.c.document).where(o.c.kind == kind)).scalars()
        return {str(document.get("payload", {}).get("reference", "")) for document in rows}

    def delivered(self, item_id: int, at: datetime, note: str | None = None) -> None:
        o = t.exchange_outbox
        self._c.execute(o.update().where(o.c.id == item_id).values(delivered_at=at, last_error=note))

    def failed(self, item_id: int, error: str, next_attempt_at: datetime) -> None:
        o = t.exchange_outbox
        self._c.execute(
            o.update()
            .where(o.c.id == item_id)
            .values(attempts=o.c.attempts + 1, last_error=error, next_attempt_at=next_attempt_at)
        )

    # --- inbox -----------------------------------------------------------------------------------------
    def seen(self, document_id: str) -> bool:
        i = t.exchange_inbox
        return (
            self._c.execute(select(i.c.document_id).where(i.c.document_id == document_id)).first() is not None
        )

    def add_received(self, document: ReceivedDocument) -> None:
        try:
            self._c.execute(
                t.exchange_inbox.insert().values(
                    document_id=document.document_id,
                    kind=document.kind,
                    from_state=document.from_state,
                    to_states=",".join(document.to_states),
                    issued_at=document.issued_at,
                    key_id=document.key_id,
                    payload=dict(document.payload),
                    document=dict(document.document),
                    received_at=document.received_at,
                    local=document.local,
                )
            )
        except IntegrityError:  # arrived twice at once: the other one was stored (the caller rolls back)
            raise ReplayedDocumentError(
                f"the document {document.document_id} was received before", field="id"
            ) from None

    def received(self, kind: str | None = None, limit: int = 200) -> Sequence[ReceivedDocument]:
        i = t.exchange_inbox
        statement = select(i).order_by(i.c.received_at.desc(), i.c.document_id).limit(limit)
        if kind is not None:
            statement = statement.where(i.c.kind == kind)
        return [_received(r) for r in self._c.execute(statement).mappings()]

    def count_received(self) -> int:
        return int(self._c.execute(select(func.count()).select_from(t.exchange_inbox)).scalar_one())
