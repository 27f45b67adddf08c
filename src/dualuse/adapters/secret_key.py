"""The application's secret key when none is configured: generated once, kept beside the database.

Sessions, CSRF tokens and licence check codes are signed with it, so it must be secret and stable. A key in the
source code would let anyone forge a session for any user; a key made anew at every start would sign everybody
out and invalidate every licence check code. So the first start writes a random key to a file readable by its
owner only, next to the SQLite database (``var/secret_key`` for a database elsewhere), and later starts read it.
Production needs ``DUALUSE_SECRET_KEY`` (the settings refuse to start without one): several machines serving one
database must share the key, which a file on one of them cannot give. For PostgreSQL (a database other machines
may serve too) every start that reads the key from ``var/secret_key`` says so: another machine would have made a
key of its own there, and a browser sent from one machine to the other would be signed out.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from sqlalchemy.engine import make_url

from dualuse.adapters.key_files import write_once
from dualuse.config import DEMO_SECRET_KEY, MIN_SECRET_KEY_LENGTH, Settings
from dualuse.domain.errors import ConfigurationError

log = logging.getLogger("dualuse.secret_key")
KEY_FILE_NAME = "secret_key"


def key_file_for(database_url: str) -> Path | None:
    """Where the generated key of this database lives; ``None`` for an in-memory database (its key lives as
    long as the process, like the database)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:" or url.database.startswith("file::memory:"):
            return None
        return Path(url.database).resolve().parent / KEY_FILE_NAME
    return Path("var").resolve() / KEY_FILE_NAME


def resolve_secret_key(settings: Settings) -> str:
    """The configured key, or the generated one of this database (made on first start)."""
    if settings.secret_key:
        if settings.secret_key == DEMO_SECRET_KEY:
            log.warning("Using the PUBLIC demo secret key: sessions can be forged. Demo on loopback only.")
        return settings.secret_key
    path = key_file_for(settings.database_url)
    if path is None:
        return secrets.token_urlsafe(48)
    key = _read_or_create(path)
    if not settings.is_sqlite:
        log.warning(
            "The secret key comes from %s, a file on this machine only: other machines serving this database "
            "have keys of their own and sign each other's users out. Set DUALUSE_SECRET_KEY on every machine.",
            path,
        )
    return key


def _read_or_create(path: Path) -> str:
    if not path.exists() and write_once(path, secrets.token_urlsafe(48)):
        log.warning(
            "Generated a new secret key in %s (no DUALUSE_SECRET_KEY set). Keep this file private; "
            "machines that serve one database together must share DUALUSE_SECRET_KEY instead.",
            path,
        )
    return _read(path)


def _read(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_SECRET_KEY_LENGTH or key == DEMO_SECRET_KEY:
        raise ConfigurationError(
            f"the secret key file {path} is unusable (shorter than {MIN_SECRET_KEY_LENGTH} characters, or the "
            "demo key): delete it to have a new one generated, or set DUALUSE_SECRET_KEY"
        )
    if path.stat().st_mode & 0o077:
        log.warning("The secret key file %s is readable by others: chmod 600 it.", path)
    return key
