"""Documents kept by the system (evidence, end-user statements, generated PDFs): bytes with what they are."""

from dualuse.domain.documents.model import Document, DocumentKind, media_type_for

__all__ = ["Document", "DocumentKind", "media_type_for"]
