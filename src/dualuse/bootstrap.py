"""The composition root: the one place that wires adapters into the use cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from dualuse.adapters.anchor_key import anchor_key
from dualuse.adapters.controllist_catalogue import ShippedControlListCatalogue
from dualuse.adapters.db.engine import make_engine
from dualuse.adapters.db.migrate import schema_revision
from dualuse.adapters.db.uow import SqlUnitOfWork
from dualuse.adapters.exchange_keys import Ed25519Scheme, KeyDirectory, default_key_dir, ephemeral_signer
from dualuse.adapters.handbook_editions import FileEditionStore
from dualuse.adapters.screening_index import StoredListsIndex
from dualuse.adapters.secret_key import resolve_secret_key
from dualuse.adapters.security import Argon2PasswordHasher
from dualuse.adapters.sources.casework_rules import load_casework_rules
from dualuse.adapters.sources.cn_correlation import load_cn_correlation
from dualuse.adapters.sources.controllist_view import ControlListSource
from dualuse.adapters.sources.customs_data import load_hold_limits
from dualuse.adapters.sources.demo_lists import demo_snapshots
from dualuse.adapters.sources.duediligence import load_red_flags, load_risk_seed
from dualuse.adapters.sources.handbook import load_glossary, load_time_limits
from dualuse.adapters.sources.penalties import load_penalties
from dualuse.adapters.sources.rulebook import load_rulebook
from dualuse.adapters.sources.statement_templates import load_statement_templates
from dualuse.config import Environment, Settings
from dualuse.domain.casework import CaseworkRules
from dualuse.domain.casework.statement_templates import StatementTemplates
from dualuse.domain.customs import CnCorrelation, HoldLimits
from dualuse.domain.duediligence import RedFlagSet
from dualuse.domain.enforcement import PenaltyCatalogue
from dualuse.domain.errors import NotFoundError
from dualuse.domain.exchange import Window
from dualuse.domain.rules.engine import ListView
from dualuse.domain.rules.rulebook import Rulebook
from dualuse.domain.throttling import AccessPolicy, Limit
from dualuse.services import controllist, demo, handbook, reference
from dualuse.services.casework import evidence as casework_evidence
from dualuse.services.clock import Clock, SystemClock
from dualuse.services.demo import DemoLogin
from dualuse.services.demo_enforcement import load_demo_enforcement
from dualuse.services.determination import DeterminationInputs, inputs_for
from dualuse.services.exchange.ports import ExchangeSetup
from dualuse.services.handbook.penalties import penalty_files
from dualuse.services.jobs import reminders
from dualuse.services.jobs.kinds import job_handlers
from dualuse.services.jobs.outgoing import OutgoingDelivery
from dualuse.services.jobs.queue import Handler
from dualuse.services.licensing import check_code_secret
from dualuse.services.unit_of_work import PasswordHasher


@dataclass
class Container:
    """Everything an entry point needs, built once per process from the settings."""

    settings: Settings
    engine: Engine
    hasher: PasswordHasher
    # signs anchors of the audit trail's head (None only in production without a configured key)
    anchor_key: bytes | None = None
    catalogue: ShippedControlListCatalogue = field(default_factory=ShippedControlListCatalogue)
    rulebook: Rulebook = field(default_factory=load_rulebook)
    screening_index: StoredListsIndex = field(default_factory=StoredListsIndex)
    red_flags: RedFlagSet = field(default_factory=load_red_flags)
    cn_correlation: CnCorrelation = field(default_factory=load_cn_correlation)
    casework_rules: CaseworkRules = field(default_factory=load_casework_rules)
    hold_limits: HoldLimits = field(default_factory=load_hold_limits)
    penalties: PenaltyCatalogue = field(default_factory=load_penalties)
    statement_templates: StatementTemplates = field(default_factory=load_statement_templates)
    extras: dict[str, object] = field(default_factory=dict)
    access_policy: AccessPolicy = field(default_factory=AccessPolicy)
    # where the use cases read the time; tests put a ``ManualClock`` here and move it on
    clock: Clock = field(default_factory=SystemClock)
    # the channels outgoing documents are delivered through by the ``deliver_outgoing`` job, by name
    deliveries: dict[str, OutgoingDelivery] = field(default_factory=dict)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.anchor_key, self.clock)

    def job_handlers(self) -> dict[str, Handler]:
        """What ``dualuse worker`` runs: every kind of job, with this container's rules and channels."""
        return job_handlers(self.casework_rules, self.deliveries)

    def list_source(self) -> ControlListSource:
        """The control list (shipped and imported versions) as the determination engine sees it."""
        with self.uow() as uow:
            history = controllist.current_history(uow, self.catalogue)
        return self.catalogue.list_source(history)

    def gather_evidence_after_submission(self, case_id: int) -> None:
        """The evidence a submitted case brings (screening of its parties, list checks), gathered once the
        submission is committed; the web and the API submit alike."""
        casework_evidence.gather_after_submission(
            self.uow, self.screening_index, self.list_view_today(), self.casework_rules, case_id
        )

    def list_view_today(self) -> ListView | None:
        """The control list in force today, or None before the first version (nothing to check against)."""
        try:
            return self.list_source().as_of(self.clock.today())
        except NotFoundError:
            return None

    def determination_inputs(
        self, uow: SqlUnitOfWork, organisation_id: int | None = None
    ) -> DeterminationInputs:
        """What every determination path passes to the determination service: list, rules, the Union's
        published Art. 5 requirements and the notices binding ``organisation_id``."""
        return inputs_for(
            uow,
            self.rulebook,
            self.list_source(),
            organisation_id=organisation_id,
            cn_correlation=self.cn_correlation,
        )

    def exchange_setup(self) -> ExchangeSetup:
        """The exchange with other states' deployments as the settings configure it (docs/exchange.md)."""
        settings = self.settings
        return ExchangeSetup(
            served_states=settings.exchange_state_codes,
            scheme=Ed25519Scheme(),
            private_keys=KeyDirectory(settings.exchange_key_dir or default_key_dir(settings.database_url)),
            window=Window(max_age=timedelta(hours=settings.exchange_max_age_hours)),
            deliver_by_worker=settings.exchange_worker,
        )

    @staticmethod
    def schema_revision(uow: SqlUnitOfWork) -> str | None:
        """The Alembic revision the database is at (what ``/healthz`` reports)."""
        return schema_revision(uow.connection)


def bootstrap(settings: Settings | None = None, *, engine: Engine | None = None) -> Container:
    settings = settings or Settings()
    # From here on ``settings.secret_key`` is the key in use: the configured one, or the one generated beside
    # the database on first start.
    settings = settings.model_copy(update={"secret_key": resolve_secret_key(settings)})
    return Container(
        settings=settings,
        engine=engine or make_engine(settings.database_url, pool_size=settings.database_pool_size),
        hasher=Argon2PasswordHasher(light=settings.env is Environment.TEST),
        anchor_key=anchor_key(settings),
        access_policy=access_policy(settings),
        rulebook=load_rulebook(settings.rules_dir),
    )


def access_policy(settings: Settings) -> AccessPolicy:
    """The sign-in, submission and session limits the settings ask for."""
    lockout = timedelta(minutes=settings.signin_lockout_minutes)
    return AccessPolicy(
        signin_per_account=Limit("sign-in-failure", "account", settings.signin_failures_per_account, lockout),
        signin_per_client=Limit("sign-in-failure", "client", settings.signin_failures_per_client, lockout),
        submissions_per_client=Limit(
            "submission", "client", settings.submissions_per_client_per_hour, timedelta(hours=1)
        ),
        bad_tokens_per_client=AccessPolicy().bad_tokens_per_client,
        session_idle=timedelta(minutes=settings.session_idle_minutes),
        session_lifetime=timedelta(seconds=settings.session_max_age_seconds),
    )


UowFactory = Callable[[], SqlUnitOfWork]


def load_demo_world(container: Container) -> list[DemoLogin]:
    """The demo world with every capability wired in; returns the logins with their fresh passwords."""
    with container.uow() as uow:
        logins = demo.load_demo(
            uow,
            container.hasher,
            container.catalogue,
            (container.screening_index, demo_snapshots()),
            container.red_flags,
            check_code_secret(container.settings.secret_key),
            (container.casework_rules, container.list_view_today()),
        )
        load_demo_enforcement(uow, container.penalties)
    with container.uow() as uow:  # the annual report's demo (issue #15)
        demo.load_demo_transparency(
            uow,
            container.rulebook,
            container.list_view_today(),
            check_code_secret(container.settings.secret_key),
        )
    with container.uow() as uow:
        load_demo_exchange(container, uow)
    with container.uow() as uow:  # the reminders the daily job would record on the demo's deadlines
        reminders.remind(uow, container.casework_rules, container.clock.now())
        uow.commit()
    return logins


def load_demo_exchange(container: Container, uow: SqlUnitOfWork) -> None:
    """Germany's authority has documents from France's (fictitious) deployment, signed with a key that
    lives in memory only: the demo keeps no exchange secret."""
    now = datetime.now(UTC)
    signer, public = ephemeral_signer(now, "FR")
    setup = replace(container.exchange_setup(), served_states=frozenset({"DE"}))
    demo.load_demo_exchange(uow, setup, signer, public, now)


def load_reference_data(container: Container) -> dict[str, str]:
    """Check that the shipped reference data loads and record its versions."""
    with container.uow() as uow:
        return reference.load(
            uow, container.catalogue, container.rulebook, container.red_flags, load_risk_seed()
        )


def handbook_sources(container: Container) -> handbook.HandbookSources:
    """What the handbook is built from: the container's rules, list, red flags and time limits, with the
    glossary and the penalties shipped as data."""
    with container.uow() as uow:
        history = controllist.current_history(uow, container.catalogue)
    return handbook.HandbookSources(
        rulebook=container.rulebook,
        history=history,
        red_flags=container.red_flags,
        time_limits=load_time_limits(container.casework_rules),
        glossary=load_glossary(),
        penalties=penalty_files(container.penalties),
    )


def edition_store(container: Container) -> FileEditionStore:
    """Where the handbook's editions are recorded (``DUALUSE_HANDBOOK_DIR``)."""
    return FileEditionStore(container.settings.handbook_dir)
