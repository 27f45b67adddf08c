"""Evidence uploads are size- and type-checked and named by their digest, never by their uploader."""

from __future__ import annotations

import pytest

from dualuse.adapters.documents.uploads import MAX_BYTES, check_upload
from dualuse.domain.errors import ValidationError


def test_a_pdf_is_named_by_its_digest() -> None:
    checked = check_upload("../../etc/report.pdf", b"%PDF-1.7 body")
    ref = checked.reference
    assert ref["title"] == "report.pdf"
    assert checked.content == b"%PDF-1.7 body"
    assert ref["file"] == ref["sha256"] + ".pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.exe", b"MZ", "PDF, PNG, JPEG or text"),
        ("x.pdf", b"<html>", "not a PDF"),
        ("x.png", b"%PDF-", "not a PNG"),
        ("x.txt", b"\xff\xfe\x00", "UTF-8"),
        ("x.pdf", b"", "empty"),
        ("x.pdf", b"%PDF-" + b"0" * MAX_BYTES, "10 MB"),
    ],
)
def test_bad_uploads_are_refused(name: str, content: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        check_upload(name, content)
