"""Typed settings (pydantic-settings), read from ``DUALUSE_*`` environment variables.

Production mode refuses to start with a missing or demo secret key, or with the demo data switched on. Outside
production an unset secret key is generated on first start and kept beside the database
(``adapters/secret_key.py``); the demo key written in this file is accepted only in demo mode bound to a loopback
address.
"""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dualuse.domain.errors import ConfigurationError

DEMO_SECRET_KEY = "demo-secret-key-not-for-production"  # noqa: S105 - a known value, refused outside local demos
MIN_SECRET_KEY_LENGTH = 32


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
    # Signs sessions, CSRF tokens and licence check codes. Empty: generated on first start and kept beside the
    # database (never in production, which needs it set).
    secret_key: str = ""
    demo: bool = False
    host: str = "127.0.0.1"
    port: int = 8000
    session_max_age_seconds: int = 8 * 3600  # a session's absolute lifetime
    session_idle_minutes: int = Field(default=60, ge=1)  # a session unused this long is over
    # Failed sign-ins allowed per account and per client address within the lockout window (F5)
    signin_failures_per_account: int = Field(default=5, ge=1)
    signin_failures_per_client: int = Field(default=20, ge=1)
    signin_lockout_minutes: int = Field(default=15, ge=1)
    # Anonymous civil-society submissions allowed per client address and hour (F14)
    submissions_per_client_per_hour: int = Field(default=5, ge=1)
    # Where versions before migration 0014 kept evidence files; read only by `dualuse documents import-uploads`
    # (evidence is kept in the database now, so that every machine serving it can hand it out).
    upload_dir: Path = Path("var") / "uploads"
    # the authority's deadline, in working days, to decide on an Art. 5(2) notification
    notification_decision_working_days: int = 10
    # Requests one process handles at once; the others wait their turn (in the event loop, holding
    # nothing). Each request uses at most two database connections, so the pool has twice as many and a
    # request never waits for a connection while holding a thread another request needs.
    max_concurrent_requests: int = Field(default=16, ge=1, le=200)
    workers: int = Field(default=1, ge=1, le=64)
    # Serve the yente API's /match, /search, /entities and /catalog without a key, as yente does on a
    # private network; anonymous matches are not logged (there is no organisation to log them for).
    yente_open: bool = False
    # The key that signs anchors of the audit trail's head (HMAC-SHA256). The database never holds it: keep
    # it in the environment or in a file of its own (DUALUSE_AUDIT_ANCHOR_KEY_FILE). Outside production,
    # when neither is given, a random key is generated once into a file beside the database.
    audit_anchor_key: str | None = Field(default=None, repr=False)
    audit_anchor_key_file: Path | None = None
    # Request bodies (bytes): larger ones are refused with 413 before they are read. Evidence uploads and
    # control-list amendments imported through the API have limits of their own.
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=64 * 1024)
    max_upload_bytes: int = Field(default=12 * 1024 * 1024, ge=64 * 1024)  # a 10 MB file and its form
    max_import_bytes: int = Field(default=16 * 1024 * 1024, ge=64 * 1024)
    # Exchange with other member states' deployments (docs/exchange.md): the states this deployment speaks
    # for ("FR", or "FR,DE" for one deployment serving several), where its private signing keys are kept
    # (default: beside the SQLite database, or var/exchange-keys), and how old a received document may be.
    exchange_states: str = ""
    exchange_key_dir: Path | None = None
    exchange_max_age_hours: int = Field(default=7 * 24, ge=1)
    exchange_worker: bool = False  # deliver at once through `dualuse worker` (else `exchange send-pending`)
    # The determination rules (rulebook.yaml, eugeas.yaml, …): default the ones shipped in the package. A copy
    # elsewhere lets an operator (or a test) change a rule's data without changing the installed code.
    rules_dir: Path | None = None
    # Where the handbook's editions are recorded (`dualuse handbook build`), each with its inputs' snapshot
    handbook_dir: Path = Path("var") / "handbook"
    # the annual report's confidentiality rule (issue #15): fewer exporters, or one above this share, withheld
    transparency_min_exporters: int = Field(default=3, ge=1, le=100)
    transparency_dominance_percent: int = Field(default=85, ge=1, le=100)

    @property
    def database_pool_size(self) -> int:
        return 2 * self.max_concurrent_requests

    @model_validator(mode="after")
    def _refuse_a_weak_anchor_key(self) -> Settings:
        if self.audit_anchor_key is not None and len(self.audit_anchor_key) < 32:
            raise ConfigurationError(
                "DUALUSE_AUDIT_ANCHOR_KEY must be a random value of at least 32 characters"
            )
        return self

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.env is Environment.PRODUCTION:
            if self.secret_key == DEMO_SECRET_KEY or len(self.secret_key) < MIN_SECRET_KEY_LENGTH:
                raise ConfigurationError(
                    "production mode needs DUALUSE_SECRET_KEY set to a random value of at least "
                    f"{MIN_SECRET_KEY_LENGTH} characters"
                )
            if self.demo:
                raise ConfigurationError("production mode refuses the demo data (unset DUALUSE_DEMO)")
        elif self.secret_key and len(self.secret_key) < MIN_SECRET_KEY_LENGTH:
            raise ConfigurationError(
                f"DUALUSE_SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters: set a random value, "
                "or unset it to have one generated beside the database"
            )
        self.refuse_demo_secret(self.host)
        return self

    def refuse_demo_secret(self, bind_host: str) -> None:
        """The demo key is public (it is in the source): anyone could forge a session with it. It is accepted
        only for the demo world served on this machine alone."""
        if self.secret_key == DEMO_SECRET_KEY and not (self.demo and is_loopback(bind_host)):
            raise ConfigurationError(
                "DUALUSE_SECRET_KEY is the public demo key: it is accepted only in demo mode (DUALUSE_DEMO=1) "
                "on a loopback address. Unset it to have a random key generated, or set a random value"
            )

    @property
    def exchange_state_codes(self) -> frozenset[str]:
        """The member states of ``exchange_states``; a code that is not one is refused."""
        from dualuse.domain.union import EU_MEMBER_STATES

        codes = frozenset(c.strip().upper() for c in self.exchange_states.split(",") if c.strip())
        unknown = sorted(codes - EU_MEMBER_STATES)
        if unknown:
            raise ConfigurationError(f"DUALUSE_EXCHANGE_STATES: not EU member states: {', '.join(unknown)}")
        return codes

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a bind address) is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
