"""The handbook as PDF (WeasyPrint), for the web's /handbook.pdf and ``dualuse handbook pdf``."""

from __future__ import annotations

from dualuse.adapters.documents.render import render_pdf
from dualuse.domain.handbook import Handbook


def handbook_pdf(book: Handbook) -> bytes:
    """Every section of ``book`` in one document, with its contents and the edition on every page."""
    return render_pdf("handbook.html", {"book": book})
