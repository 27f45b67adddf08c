"""Production mode refuses unsafe settings."""

from __future__ import annotations

import pytest

from dualuse.config import DEMO_SECRET_KEY, Environment, Settings
from dualuse.domain.errors import ConfigurationError

GOOD_SECRET = "k" * 48


def test_production_refuses_the_demo_secret() -> None:
    with pytest.raises(ConfigurationError, match="DUALUSE_SECRET_KEY"):
        Settings(env=Environment.PRODUCTION, secret_key=DEMO_SECRET_KEY)


def test_production_refuses_a_short_secret() -> None:
    with pytest.raises(ConfigurationError):
        Settings(env=Environment.PRODUCTION, secret_key="short")


def test_production_refuses_demo_data() -> None:
    with pytest.raises(ConfigurationError, match="demo"):
        Settings(env=Environment.PRODUCTION, secret_key=GOOD_SECRET, demo=True)


def test_production_with_a_real_secret_starts() -> None:
    assert Settings(env=Environment.PRODUCTION, secret_key=GOOD_SECRET).env is Environment.PRODUCTION


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", "postgresql://db.example/dualuse")
    monkeypatch.setenv("DUALUSE_ENV", "production")
    monkeypatch.setenv("DUALUSE_SECRET_KEY", GOOD_SECRET)
    settings = Settings()
    assert settings.database_url == "postgresql://db.example/dualuse"
    assert not settings.is_sqlite


def test_default_database_is_a_sqlite_file_under_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DUALUSE_DATABASE_URL", raising=False)
    assert Settings().database_url == "sqlite:///var/dualuse.db"
