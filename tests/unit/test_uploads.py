"""Evidence uploads are size- and type-checked and stored under their digest."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualuse.adapters.documents.uploads import MAX_BYTES, store_upload
from dualuse.domain.errors import ValidationError


def test_a_pdf_is_stored_under_its_digest(tmp_path: Path) -> None:
    ref = store_upload(tmp_path, "../../etc/report.pdf", b"%PDF-1.7 body")
    assert ref["title"] == "report.pdf"
    assert (tmp_path / ref["file"]).read_bytes() == b"%PDF-1.7 body"
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
def test_bad_uploads_are_refused(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        store_upload(tmp_path, name, content)
    assert not list(tmp_path.iterdir())
