"""A document as the system keeps it: its bytes live in the database (not on one machine's disk), so every
app process serving the same database can hand it out. Identified within its owner by its SHA-256, so the same
file uploaded twice by one organisation is kept once and a file is never served under a name its uploader
chose."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class DocumentKind(StrEnum):
    EVIDENCE = "evidence"  # a due-diligence step's supporting file (Art. 5(2) awareness, Art. 12(1)(c) ICP)
    END_USER_STATEMENT = "end_user_statement"  # Art. 12(2): an end-use statement may be required
    GENERATED_PDF = "generated_pdf"


# The media type a file is served with, by the extension that passed the upload checks.
_MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain; charset=utf-8",
}


def media_type_for(suffix: str) -> str:
    """The media type of a checked upload's extension; anything else is served as opaque bytes."""
    return _MEDIA_TYPES.get(suffix.lower(), "application/octet-stream")


@dataclass(frozen=True)
class Document:
    id: int
    owner_organisation_id: int
    kind: DocumentKind
    title: str
    media_type: str
    sha256: str
    size: int
    created_by: str
    created_at: datetime
