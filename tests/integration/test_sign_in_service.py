"""Sign-in, sessions and the command line for users and tokens, at the service level on SQLite and
PostgreSQL: equal work for unknown e-mails, parallel guesses, expiry (issue #11: F5, F6)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from dualuse.bootstrap import Container
from dualuse.domain.errors import (
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    TooManyAttemptsError,
)
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.cli.main import app
from dualuse.services import identity
from dualuse.services.identity import sessions
from dualuse.services.unit_of_work import PasswordHasher
from tests.factories import PASSWORD, make_organisation, make_person, token_for

ADMIN = "admin@acme.example"
CLERK = "clerk@acme.example"


class CountingHasher:
    """The real hasher, recording which hashes it verified against."""

    def __init__(self, inner: PasswordHasher) -> None:
        self.inner = inner
        self.verified: list[str] = []

    def hash(self, password: str) -> str:
        return self.inner.hash(password)

    def verify(self, password: str, password_hash: str) -> bool:
        self.verified.append(password_hash)
        return self.inner.verify(password, password_hash)

    def dummy_hash(self) -> str:
        return self.inner.dummy_hash()

    def is_common(self, password: str) -> bool:
        return self.inner.is_common(password)


@pytest.fixture
def acme(container: Container) -> Container:
    org = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    make_person(container, org, Role.EXPORTER_ADMIN, ADMIN)
    make_person(container, org, Role.EXPORTER_USER, CLERK)
    return container


def _parameters(argon2_hash: str) -> str:
    """``$argon2id$v=19$m=…,t=…,p=…``: the algorithm and cost of a hash, without salt and digest."""
    return "$".join(argon2_hash.split("$")[:4])


def test_f5_an_unknown_email_verifies_a_dummy_hash_as_a_known_one_verifies_its_own(acme: Container) -> None:
    hasher = CountingHasher(acme.hasher)
    with acme.uow() as uow:
        stored = uow.users.by_email(ADMIN)
        assert stored is not None
        with pytest.raises(AuthenticationError) as unknown:
            identity.authenticate(uow, hasher, "nobody@acme.example", "a wrong password")
        with pytest.raises(AuthenticationError) as known:
            identity.authenticate(uow, hasher, ADMIN, "a wrong password")
    assert unknown.value.detail == known.value.detail
    assert len(hasher.verified) == 2, "the password is verified for the unknown e-mail too"
    dummy, own = hasher.verified
    assert own == stored.password_hash
    assert dummy != own
    assert _parameters(dummy) == _parameters(own), "the dummy hash costs what a real one costs"


def test_f5_a_deactivated_account_does_the_same_work(acme: Container) -> None:
    hasher = CountingHasher(acme.hasher)
    with acme.uow() as uow:
        clerk = uow.users.by_email(CLERK)
        assert clerk is not None
        uow.users.set_active(clerk.id, False)
        with pytest.raises(AuthenticationError):
            identity.authenticate(uow, hasher, CLERK, PASSWORD)
    assert hasher.verified == [clerk.password_hash]


def _attempt(container: Container, password: str) -> str:
    try:
        sessions.sign_in(
            container.uow(),
            container.hasher,
            container.access_policy,
            email=ADMIN,
            password=password,
            client="198.51.100.7",
        )
    except TooManyAttemptsError:
        return "throttled"
    except AuthenticationError:
        return "wrong"
    return "signed in"


def test_f5_parallel_guesses_cannot_overrun_the_limit(acme: Container) -> None:
    """Each attempt is counted (and committed) before its password is checked: 12 guesses in parallel
    get exactly the 5 checks the limit allows."""
    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(lambda _: _attempt(acme, "a wrong password"), range(12)))
    assert outcomes.count("wrong") == 5
    assert outcomes.count("throttled") == 7
    assert _attempt(acme, PASSWORD) == "throttled"


def test_f5_the_lockout_ends_with_its_window(acme: Container) -> None:
    start = datetime.now(UTC)
    policy = acme.access_policy
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            sessions.sign_in(
                acme.uow(),
                acme.hasher,
                policy,
                email=ADMIN,
                password="a wrong password",
                client="x",
                now=start,
            )
    with pytest.raises(TooManyAttemptsError) as locked:
        sessions.sign_in(
            acme.uow(), acme.hasher, policy, email=ADMIN, password=PASSWORD, client="x", now=start
        )
    assert 899 <= locked.value.retry_after <= 901
    later = start + policy.signin_per_account.window + timedelta(seconds=1)
    signed_in = sessions.sign_in(
        acme.uow(), acme.hasher, policy, email=ADMIN, password=PASSWORD, client="x", now=later
    )
    assert signed_in.principal.email == ADMIN


def test_f6_sessions_end_when_idle_and_at_their_lifetime(acme: Container) -> None:
    policy = acme.access_policy
    start = datetime.now(UTC)
    secret = sessions.sign_in(
        acme.uow(), acme.hasher, policy, email=ADMIN, password=PASSWORD, client="x", now=start
    ).session_secret

    def principal_at(moment: datetime) -> str | None:
        with acme.uow() as uow:
            check = sessions.check_session(uow, policy, secret, moment)
        sessions.record_use(acme.uow(), check, moment)
        return check.principal.email

    assert principal_at(start + timedelta(minutes=59)) == ADMIN
    # used every 50 minutes, it lives until its absolute lifetime (8 hours), not longer
    moment = start + timedelta(minutes=59)
    while moment + timedelta(minutes=50) < start + policy.session_lifetime:
        moment += timedelta(minutes=50)
        assert principal_at(moment) == ADMIN
    assert principal_at(start + policy.session_lifetime) is None

    idle = sessions.sign_in(
        acme.uow(), acme.hasher, policy, email=ADMIN, password=PASSWORD, client="x", now=start
    )
    with acme.uow() as uow:
        assert sessions.check_session(
            uow, policy, idle.session_secret, start + timedelta(minutes=59)
        ).principal.email
        gone = sessions.check_session(uow, policy, idle.session_secret, start + policy.session_idle)
    assert gone.principal.email is None
    assert gone.end


runner = CliRunner()


def test_f6_users_and_tokens_from_the_command_line(acme: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", acme.settings.database_url)
    monkeypatch.setenv("DUALUSE_SECRET_KEY", acme.settings.secret_key)
    token = token_for(acme, CLERK)

    listed = runner.invoke(app, ["tokens", "list", "--email", CLERK])
    assert listed.exit_code == 0, listed.output
    assert token[:10] in listed.output
    assert token not in listed.output
    revoked = runner.invoke(app, ["tokens", "revoke", "1"])
    assert revoked.exit_code == 0, revoked.output
    with acme.uow() as uow, pytest.raises(AuthenticationError, match="revoked"):
        identity.principal_for_token(uow, token)

    role = runner.invoke(app, ["users", "set-role", "--email", CLERK, "--role", "exporter_admin"])
    assert role.exit_code == 0, role.output
    wrong = runner.invoke(app, ["users", "set-role", "--email", CLERK, "--role", "authority_officer"])
    assert wrong.exit_code == 2
    assert "does not fit an organisation of kind exporter" in wrong.output
    assert runner.invoke(app, ["users", "deactivate", "--email", CLERK]).exit_code == 0
    with acme.uow() as uow:
        clerk = uow.users.by_email(CLERK)
        assert clerk is not None
        assert (clerk.role, clerk.is_active) == (Role.EXPORTER_ADMIN, False)
    last = runner.invoke(app, ["users", "deactivate", "--email", ADMIN])
    assert last.exit_code == 2
    assert "last active administrator" in last.output
    assert runner.invoke(app, ["users", "activate", "--email", CLERK]).exit_code == 0
    with acme.uow() as uow:
        actions = [e.action for e in uow.audit.all()]
    assert actions[-4:] == ["token.revoked", "user.role_changed", "user.deactivated", "user.activated"]


def test_f6_ended_sessions_are_forgotten(acme: Container) -> None:
    policy = acme.access_policy
    start = datetime.now(UTC)
    for moment in (start, start + timedelta(minutes=5)):
        sessions.sign_in(
            acme.uow(), acme.hasher, policy, email=ADMIN, password=PASSWORD, client="x", now=moment
        )
    later = start + policy.session_lifetime + timedelta(minutes=1)
    sessions.sign_in(acme.uow(), acme.hasher, policy, email=CLERK, password=PASSWORD, client="x", now=later)
    with acme.uow() as uow:
        admin = uow.users.by_email(ADMIN)
        assert admin is not None
        assert uow.sessions.for_user(admin.id) == []


def test_f6_who_may_manage_whom(acme: Container) -> None:
    """Administrators act within their own organisation only; the Commission and officers do not manage users."""
    authority = make_organisation(acme, OrganisationKind.AUTHORITY, "Authority DE", "DE")
    commission = make_organisation(acme, OrganisationKind.COMMISSION, "Commission", None)
    senior = make_person(acme, authority, Role.AUTHORITY_SENIOR, "senior@de.example")
    officer = make_person(acme, authority, Role.AUTHORITY_OFFICER, "officer@de.example")
    desk = make_person(acme, commission, Role.COMMISSION, "desk@commission.example")
    with acme.uow() as uow:
        clerk = identity.user_by_email(uow, CLERK)
        colleague = identity.user_by_email(uow, officer.email)
        # the senior officer manages their authority's officers, not the exporters of their state
        assert identity.set_role(uow, senior.principal, colleague.id, Role.AUTHORITY_SENIOR).role is (
            Role.AUTHORITY_SENIOR
        )
        with pytest.raises(NotFoundError):
            identity.set_active(uow, senior.principal, clerk.id, active=False)
        with pytest.raises(PermissionDeniedError):
            identity.set_active(uow, desk.principal, clerk.id, active=False)
        with pytest.raises(PermissionDeniedError):
            identity.set_active(uow, officer.principal, clerk.id, active=False)
        with pytest.raises(NotFoundError):
            identity.set_active(uow, senior.principal, 999_999, active=False)


def test_f5_equivalent_spellings_of_an_email_share_its_lockout(acme: Container) -> None:
    """The lockout counts the account, not the text typed: ``admin@ａｃｍｅ.example`` (full-width letters)
    and ``admin@acme。example`` (an ideographic full stop) sign in to ``admin@acme.example``, so each must
    count against its limit, or every spelling would give an attacker five more guesses (from as many
    addresses as they have)."""
    spellings = [
        ADMIN,
        "admin@ａcme.example",
        "admin@aｃme.example",
        "admin@acme。example",
        "Admin@ACME.example",
    ]
    for number, spelling in enumerate(spellings):
        with pytest.raises(AuthenticationError):
            sessions.sign_in(
                acme.uow(),
                acme.hasher,
                acme.access_policy,
                email=spelling,
                password="a wrong password",
                client=f"198.51.100.{number}",
            )
    with pytest.raises(TooManyAttemptsError):
        sessions.sign_in(
            acme.uow(),
            acme.hasher,
            acme.access_policy,
            email="admin@acme.ｅxample",
            password=PASSWORD,
            client="203.0.113.9",
        )
