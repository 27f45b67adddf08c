"""The document store port: where document bytes are kept (``adapters.db.documents_repo`` keeps them in the
database, ``tests.fakes`` in memory). Services never see a path on disk."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from dualuse.domain.documents import Document, DocumentKind

CHUNK_BYTES = 256 * 1024


class DocumentRepository(Protocol):
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
        """Keep ``content`` for its owner; the same bytes already kept by the same owner are not stored twice
        (the document already held is returned)."""
        ...

    def find(self, owner_organisation_id: int, sha256: str) -> Document | None: ...

    def chunks(self, document_id: int, size: int = CHUNK_BYTES) -> Iterator[bytes]:
        """The document's bytes, ``size`` at a time (a large file is never read whole into one string)."""
        ...
