"""Shared test wiring: databases (SQLite always, PostgreSQL when TEST_DATABASE_URL is set), the app, and the
CI guard that fails the run when a PostgreSQL, browser or real-data test was skipped with CI=true."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from dualuse.adapters.db import migrate
from dualuse.adapters.db.engine import make_engine
from dualuse.bootstrap import Container, bootstrap
from dualuse.config import Environment, Settings
from tests import fastapi_memo

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("DUALUSE_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
GUARDED_MARKERS = ("postgres", "browser", "realdata")


# Property tests check what is computed, not how fast: no per-example deadline, which a busy CI machine
# (or the first look-up of a year's public holidays) would otherwise turn into a flaky failure.
hypothesis_settings.register_profile("dualuse", deadline=None)
hypothesis_settings.load_profile("dualuse")

# FastAPI's analysis of each route, once per test process instead of once per app (see the module).
FASTAPI_MEMO = fastapi_memo.install()


# --- the CI guard ---------------------------------------------------------------------------------------
_guarded_skips: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and any(m in report.keywords for m in GUARDED_MARKERS):
        _guarded_skips.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI") == "true" and _guarded_skips:
        print(f"\nCI=true but {len(_guarded_skips)} PostgreSQL/browser/real-data test(s) were skipped:")
        for nodeid in _guarded_skips:
            print(f"  {nodeid}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# --- databases ------------------------------------------------------------------------------------------
def _postgres_admin_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A database of our own on the PostgreSQL server of TEST_DATABASE_URL, dropped at the end."""
    base = _postgres_admin_url()
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set: no PostgreSQL server to test against")
    url = make_url(base)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    name = f"dualuse_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend (a fresh SQLite file; a wiped PostgreSQL schema)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    url: str = request.getfixturevalue("postgres_server_url")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        env=Environment.TEST,
        database_url=database_url,
        secret_key="test-secret-key-" + "x" * 32,
        upload_dir=tmp_path / "uploads",
    )


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database brought to the head revision by the migrations, once per test process."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's own backup (a write-ahead log included), not a file copy."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


@pytest.fixture
def container(settings: Settings, request: pytest.FixtureRequest) -> Iterator[Container]:
    """The app's container on a migrated database: on SQLite a copy of the migrated template (the migrations
    run once per process, not once per test; a copy is what they would have made); on PostgreSQL the
    migrations run on the wiped schema. ``upgrade`` runs either way, a no-op on the copy."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        _copy_sqlite(request.getfixturevalue("migrated_sqlite_template"), Path(url.database))
    c = bootstrap(settings)
    migrate.upgrade(c.engine)
    yield c
    c.engine.dispose()


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(
            f"real data folder {SHARED_DATA} is absent (it sits beside the project on developer machines and CI)"
        )
    return SHARED_DATA
