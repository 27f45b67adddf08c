"""The generated secret key is one machine's (issue #16): with PostgreSQL, which several machines may serve, a
key read from var/secret_key is announced at every start; a configured key, or SQLite's, is not."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from dualuse.adapters.secret_key import resolve_secret_key
from dualuse.config import Environment, Settings

POSTGRES = "postgresql+psycopg://db.example/dualuse"


def test_a_generated_key_with_postgresql_is_announced_as_this_machines_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    with caplog.at_level(logging.WARNING, logger="dualuse.secret_key"):
        first = resolve_secret_key(Settings(env=Environment.TEST, database_url=POSTGRES))
        caplog.clear()
        again = resolve_secret_key(Settings(env=Environment.TEST, database_url=POSTGRES))
    assert first == again
    assert (tmp_path / "var" / "secret_key").exists()
    assert "a file on this machine only" in caplog.text
    assert "DUALUSE_SECRET_KEY on every machine" in caplog.text


@pytest.mark.parametrize(
    ("database_url", "secret_key"),
    [(POSTGRES, "k" * 40), ("sqlite:///{tmp}/dualuse.db", "")],
)
def test_a_configured_key_or_a_sqlite_one_is_not(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    database_url: str,
    secret_key: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings(
        env=Environment.TEST, database_url=database_url.format(tmp=tmp_path), secret_key=secret_key
    )
    resolve_secret_key(settings)
    with caplog.at_level(logging.WARNING, logger="dualuse.secret_key"):
        resolve_secret_key(settings)
    assert "on this machine only" not in caplog.text
