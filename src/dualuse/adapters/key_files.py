"""Key files made once: written under a temporary name and linked into place, readable by their owner only.

Two processes starting at once agree on one key (the first link wins, the other process reads it), and a crash
never leaves a half-written key where a key is expected. Used for the application's secret key
(``secret_key.py``) and the audit trail's anchor key (``anchor_key.py``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def write_once(path: Path, content: str) -> bool:
    """Write ``content`` to ``path`` (mode 600) unless the file exists; True when this call created it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(content + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(draft, path)
        except FileExistsError:
            return False  # another process got there first: its key stands
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            draft.unlink()
