"""The key that signs anchors of the audit trail's head, kept where the database is not.

Given as ``DUALUSE_AUDIT_ANCHOR_KEY`` or in the file ``DUALUSE_AUDIT_ANCHOR_KEY_FILE``. Outside production a
missing key is generated once (32 random bytes, hex) into a file of its own beside the SQLite database, or
``var/audit-anchor.key`` for PostgreSQL, readable by its owner only. Production never generates one: a key
made on the same disk as the data would vouch for nothing the operator chose to keep apart.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy.engine import make_url

from dualuse.adapters.key_files import write_once
from dualuse.config import Environment, Settings
from dualuse.domain.errors import ConfigurationError

MIN_KEY_LENGTH = 32


def default_key_file(database_url: str) -> Path:
    """Beside the SQLite database file (``dualuse.db`` → ``dualuse.db.audit-anchor-key``), else under var/."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        database = Path(url.database)
        return database.with_name(database.name + ".audit-anchor-key")
    return Path("var") / "audit-anchor.key"


def anchor_key(settings: Settings) -> bytes | None:
    """The anchor key the settings point at, generated outside production when none is given; None in
    production without one (the caller says so loudly and anchoring is off)."""
    if settings.audit_anchor_key is not None:
        return settings.audit_anchor_key.encode("utf-8")
    production = settings.env is Environment.PRODUCTION
    path = settings.audit_anchor_key_file
    if path is None:
        if production:
            return None
        path = default_key_file(settings.database_url)
    if not path.exists():
        if production:
            raise ConfigurationError(f"the audit anchor key file {path} does not exist")
        write_once(path, secrets.token_hex(32))
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < MIN_KEY_LENGTH:
        raise ConfigurationError(
            f"the audit anchor key in {path} is shorter than {MIN_KEY_LENGTH} characters"
        )
    return key.encode("utf-8")
