"""F9: where the audit anchor key comes from. Given, it is used; outside production a missing one is generated
once into a file of its own, readable by its owner only; production never generates one, and refuses a short
key or a key file that is missing."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from dualuse.adapters.anchor_key import anchor_key, default_key_file
from dualuse.config import Environment, Settings
from dualuse.domain.errors import ConfigurationError

SECRET = "a-production-secret-key-of-at-least-32-chars"


def test_a_given_key_is_used_and_a_short_one_refused() -> None:
    assert anchor_key(Settings(audit_anchor_key="k" * 32)) == b"k" * 32
    with pytest.raises(ConfigurationError, match="at least 32"):
        Settings(audit_anchor_key="short")


def test_outside_production_a_key_is_generated_once_beside_the_sqlite_file(tmp_path: Path) -> None:
    settings = Settings(env=Environment.TEST, database_url=f"sqlite:///{tmp_path / 'dualuse.db'}")
    first = anchor_key(settings)
    path = tmp_path / "dualuse.db.audit-anchor-key"
    assert default_key_file(settings.database_url) == path
    assert first is not None
    assert len(first) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert anchor_key(settings) == first
    assert list(tmp_path.iterdir()) == [path]  # no draft left behind


def test_postgresql_keys_live_under_var() -> None:
    assert default_key_file("postgresql+psycopg://db.example/dualuse") == Path("var") / "audit-anchor.key"


def test_production_never_generates_a_key(tmp_path: Path) -> None:
    production = Settings(
        env=Environment.PRODUCTION, secret_key=SECRET, database_url=f"sqlite:///{tmp_path / 'd.db'}"
    )
    assert anchor_key(production) is None
    assert list(tmp_path.iterdir()) == []
    missing = production.model_copy(update={"audit_anchor_key_file": tmp_path / "absent.key"})
    with pytest.raises(ConfigurationError, match="does not exist"):
        anchor_key(missing)
    short = tmp_path / "short.key"
    short.write_text("too short\n")
    with pytest.raises(ConfigurationError, match="shorter than 32"):
        anchor_key(production.model_copy(update={"audit_anchor_key_file": short}))
    good = tmp_path / "good.key"
    good.write_text("g" * 40 + "\n")
    assert anchor_key(production.model_copy(update={"audit_anchor_key_file": good})) == b"g" * 40
