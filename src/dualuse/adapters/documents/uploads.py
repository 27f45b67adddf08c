"""Evidence uploads: size- and type-checked, stored under their SHA-256 so a file is never overwritten or
served under a name its uploader chose."""

from __future__ import annotations

import hashlib
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


def store_upload(folder: Path, filename: str, content: bytes) -> dict[str, str]:
    """Check and store one evidence file; returns the reference kept with the case."""
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
    digest = hashlib.sha256(content).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest}{suffix}"
    if not target.exists():
        target.write_bytes(content)
    return {"title": name, "file": target.name, "sha256": digest, "bytes": str(len(content))}
