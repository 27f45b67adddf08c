"""Typed settings (pydantic-settings), read from ``DUALUSE_*`` environment variables.

Production mode refuses to start with a missing or demo secret key, or with the demo data switched on.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dualuse.domain.errors import ConfigurationError

DEMO_SECRET_KEY = "demo-secret-key-not-for-production"  # noqa: S105 - a known value production refuses


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


def default_database_url() -> str:
    return f"sqlite:///{Path('var') / 'dualuse.db'}"


class Settings(BaseSettings):
    """Everything that varies between a laptop, CI and production."""

    model_config = SettingsConfigDict(env_prefix="DUALUSE_", extra="ignore")

    env: Environment = Environment.DEVELOPMENT
    database_url: str = default_database_url()
    secret_key: str = DEMO_SECRET_KEY
    demo: bool = False
    host: str = "127.0.0.1"
    port: int = 8000
    session_max_age_seconds: int = 8 * 3600
    upload_dir: Path = Path("var") / "uploads"
    # the authority's deadline, in working days, to decide on an Art. 5(2) notification
    notification_decision_working_days: int = 10
    # Requests one process handles at once; the others wait their turn (in the event loop, holding
    # nothing). Each request uses at most two database connections, so the pool has twice as many and a
    # request never waits for a connection while holding a thread another request needs.
    max_concurrent_requests: int = Field(default=16, ge=1, le=200)
    workers: int = Field(default=1, ge=1, le=64)
    # Request bodies (bytes): larger ones are refused with 413 before they are read. Evidence uploads and
    # control-list amendments imported through the API have limits of their own.
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=64 * 1024)
    max_upload_bytes: int = Field(default=12 * 1024 * 1024, ge=64 * 1024)  # a 10 MB file and its form
    max_import_bytes: int = Field(default=16 * 1024 * 1024, ge=64 * 1024)

    @property
    def database_pool_size(self) -> int:
        return 2 * self.max_concurrent_requests

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.env is Environment.PRODUCTION:
            if self.secret_key == DEMO_SECRET_KEY or len(self.secret_key) < 32:
                raise ConfigurationError(
                    "production mode needs DUALUSE_SECRET_KEY set to a random value of at least 32 characters"
                )
            if self.demo:
                raise ConfigurationError("production mode refuses the demo data (unset DUALUSE_DEMO)")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
