"""Writing output files all or nothing (issue #11, F21): a command that fails or is killed half-way leaves
no truncated file behind, and an existing file at the path stays as it was."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` to write to; when the block ends without an error it is flushed to
    disk and renamed over ``path`` in one step (``os.replace``), otherwise removed. Keeps the mode of the
    file it replaces, or gives a new file the usual mode (umask applied)."""
    path = Path(path)
    handle, name = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.", suffix=".part")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with temporary.open("rb") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            temporary.unlink()
        raise


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text_atomically(path: Path, text: str) -> None:
    """``path.write_text(text)`` (UTF-8), all or nothing."""
    with atomic_path(path) as partial:
        partial.write_text(text, encoding="utf-8")
