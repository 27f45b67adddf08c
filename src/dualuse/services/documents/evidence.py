"""Evidence files of due-diligence cases: kept in the document store in the transaction that records the step
they support, and served only to the organisation whose case refers to them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from dualuse.domain.documents import Document, DocumentKind
from dualuse.domain.duediligence.records import CaseEntry
from dualuse.domain.errors import NotFoundError
from dualuse.services.documents.ports import DocumentRepository


def keep_evidence(
    documents: DocumentRepository,
    *,
    organisation_id: int,
    title: str,
    media_type: str,
    content: bytes,
    actor: str,
) -> Document:
    """Keep a checked evidence file for ``organisation_id`` (within the caller's unit of work)."""
    return documents.put(
        owner_organisation_id=organisation_id,
        kind=DocumentKind.EVIDENCE,
        title=title,
        media_type=media_type,
        content=content,
        created_by=actor,
    )


def evidence_of_case(
    documents: DocumentRepository,
    organisation_id: int,
    entries: Iterable[CaseEntry],
    sha256: str,
) -> Document:
    """The evidence file ``sha256`` if one of the case's recorded steps refers to it; otherwise it answers as
    missing (a digest guessed or taken from another case tells nothing)."""
    referred = any(
        isinstance(item, Mapping) and item.get("sha256") == sha256
        for entry in entries
        for item in _evidence(entry)
    )
    document = documents.find(organisation_id, sha256) if referred else None
    if document is None:
        raise NotFoundError("no such evidence file on this case")
    return document


def _evidence(entry: CaseEntry) -> list[object]:
    return list(entry.evidence)


def content_of(documents: DocumentRepository, document: Document) -> Iterator[bytes]:
    """The bytes of ``document`` (found by ``evidence_of_case``), in chunks to stream."""
    return documents.chunks(document.id)
