"""The document store in the database: each document's bytes in one row, read back in chunks (``substr`` on
SQLite's BLOB and PostgreSQL's bytea alike) so a download streams rather than holding the file twice."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.rows import aware, insert_or, now
from dualuse.domain.documents import Document, DocumentKind
from dualuse.services.documents.ports import CHUNK_BYTES

_META = [c for c in t.documents.c if c.name != "content"]


def _document(row: Mapping[Any, Any]) -> Document:
    return Document(
        id=row["id"],
        owner_organisation_id=row["owner_organisation_id"],
        kind=DocumentKind(row["kind"]),
        title=row["title"],
        media_type=row["media_type"],
        sha256=row["sha256"],
        size=row["size"],
        created_by=row["created_by"],
        created_at=aware(row["created_at"]),
    )


class SqlDocuments:
    def __init__(self, connection: Connection, engine: Engine) -> None:
        self._c = connection
        self._engine = engine

    def put(
        self,
        *,
        owner_organisation_id: int,
        kind: DocumentKind,
        title: str,
        media_type: str,
        content: bytes,
        created_by: str,
    ) -> Document:
        digest = hashlib.sha256(content).hexdigest()
        statement = (
            insert_or(self._c, t.documents)
            .values(
                owner_organisation_id=owner_organisation_id,
                kind=kind.value,
                title=title[:300],
                media_type=media_type,
                sha256=digest,
                size=len(content),
                content=content,
                created_by=created_by,
                created_at=now(),
            )
            .on_conflict_do_nothing(index_elements=["owner_organisation_id", "sha256"])
        )
        self._c.execute(statement)
        stored = self.find(owner_organisation_id, digest)
        assert stored is not None  # noqa: S101 - inserted, or held already, in this transaction
        return stored

    def find(self, owner_organisation_id: int, sha256: str) -> Document | None:
        d = t.documents
        row = (
            self._c.execute(
                select(*_META).where(d.c.owner_organisation_id == owner_organisation_id, d.c.sha256 == sha256)
            )
            .mappings()
            .first()
        )
        return _document(row) if row else None

    def chunks(self, document_id: int, size: int = CHUNK_BYTES) -> Iterator[bytes]:
        d = t.documents
        total = self._c.execute(select(d.c.size).where(d.c.id == document_id)).scalar_one_or_none()
        if total is None:
            raise LookupError(document_id)
        return self._read(document_id, int(total), size)

    def _read(self, document_id: int, total: int, size: int) -> Iterator[bytes]:
        # Each chunk in a short connection of its own: a slow client holds no connection between chunks.
        d = t.documents
        offset = 0
        while offset < total:
            with self._engine.connect() as connection:
                part = connection.execute(
                    select(func.substr(d.c.content, offset + 1, size)).where(d.c.id == document_id)
                ).scalar_one()
            data = bytes(part)
            if not data:
                return
            yield data
            offset += len(data)
