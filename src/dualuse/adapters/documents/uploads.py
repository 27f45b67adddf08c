"""Evidence uploads: size- and type-checked, identified by their SHA-256 so a file is never overwritten or
served under a name its uploader chose.

Checking and keeping are two steps (F11): a file is checked first and kept (in the database's document store,
``services.documents``) only once the case it belongs to has been found to be the uploader's own, in the
transaction that records the step's answers; a refused or failed request leaves nothing behind."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from dualuse.domain.errors import ValidationError

MAX_BYTES = 10 * 1024 * 1024
# what a file must start with, by the extension it claims
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".txt": (),
}


@dataclass(frozen=True)
class CheckedUpload:
    """An evidence file that passed the checks and is not yet kept."""

    title: str
    suffix: str
    content: bytes
    sha256: str

    @property
    def file_name(self) -> str:
        return f"{self.sha256}{self.suffix}"

    @property
    def reference(self) -> dict[str, str]:
        """What the case keeps of the file."""
        return {
            "title": self.title,
            "file": self.file_name,
            "sha256": self.sha256,
            "bytes": str(len(self.content)),
        }


def check_upload(filename: str, content: bytes) -> CheckedUpload:
    """Check one evidence file (type by extension and content, size, encoding) without writing anything."""
    name = Path(filename).name.strip()
    suffix = Path(name).suffix.lower()
    if suffix not in SIGNATURES:
        raise ValidationError(
            f"upload a PDF, PNG, JPEG or text file, not {suffix or 'a file without extension'}",
            field="evidence_file",
        )
    if not content:
        raise ValidationError("the file is empty", field="evidence_file")
    if len(content) > MAX_BYTES:
        raise ValidationError("files may be at most 10 MB", field="evidence_file")
    signatures = SIGNATURES[suffix]
    if signatures and not content.startswith(signatures):
        raise ValidationError(f"the file's content is not a {suffix[1:].upper()} file", field="evidence_file")
    if suffix == ".txt":
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError("a text file must be UTF-8", field="evidence_file") from None
    return CheckedUpload(name, suffix, content, hashlib.sha256(content).hexdigest())
