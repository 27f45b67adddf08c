"""Signing in, sessions and attempt limits through the in-memory unit of work, with the time taken from a
clock that the tests move on: a lockout ends with its window, a session ends when idle or at its lifetime,
signing out ends it everywhere the cookie was copied (F5, F6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dualuse.domain.errors import AuthenticationError, TooManyAttemptsError
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.domain.throttling import AccessPolicy
from dualuse.services.clock import ManualClock
from dualuse.services.identity import sessions
from tests.fakes import FakeHasher, FakeUnitOfWork

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADMIN, CLERK, PASSWORD = "admin@acme.example", "clerk@acme.example", "a long enough passphrase"
POLICY = AccessPolicy()
HASHER = FakeHasher()


def _world() -> tuple[FakeUnitOfWork, ManualClock]:
    clock = ManualClock(START)
    uow = FakeUnitOfWork(clock)
    with uow:
        acme = uow.organisations.add(OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
        uow.users.add(ADMIN, "Admin", HASHER.hash(PASSWORD), Role.EXPORTER_ADMIN, acme.id)
        uow.users.add(CLERK, "Clerk", HASHER.hash(PASSWORD), Role.EXPORTER_USER, acme.id)
        uow.commit()
    return uow, clock


def _sign_in(
    uow: FakeUnitOfWork, email: str = ADMIN, password: str = PASSWORD, client: str = "192.0.2.1"
) -> str:
    return sessions.sign_in(uow, HASHER, POLICY, email=email, password=password, client=client).session_secret


def _who(uow: FakeUnitOfWork, secret: str) -> str | None:
    with uow:
        check = sessions.check_session(uow, POLICY, secret)
    sessions.record_use(uow, check)
    return check.principal.email


def test_f5_failed_sign_ins_lock_the_account_until_the_window_ends() -> None:
    uow, clock = _world()
    for _ in range(POLICY.signin_per_account.attempts):
        with pytest.raises(AuthenticationError):
            _sign_in(uow, password="a wrong password")
    with pytest.raises(TooManyAttemptsError) as locked:
        _sign_in(uow)  # even the right password, while locked
    assert locked.value.retry_after == int(POLICY.signin_per_account.window.total_seconds()) + 1
    with uow:
        actions = [e.action for e in uow.audit.all()]
    assert actions.count("user.sign_in_failed") == POLICY.signin_per_account.attempts
    assert actions.count("user.sign_in_throttled") == 1  # the first refusal only
    clock.advance(POLICY.signin_per_account.window)
    assert _who(uow, _sign_in(uow)) == ADMIN


def test_f5_a_successful_sign_in_gives_its_attempt_back() -> None:
    uow, _ = _world()
    for _ in range(POLICY.signin_per_account.attempts - 1):
        with pytest.raises(AuthenticationError):
            _sign_in(uow, password="a wrong password")
    for _ in range(3):  # successes do not count against the limit
        _sign_in(uow)
    with pytest.raises(AuthenticationError):
        _sign_in(uow, password="a wrong password")
    with pytest.raises(TooManyAttemptsError):
        _sign_in(uow, password="a wrong password")


def test_f5_the_limit_per_client_counts_every_account_from_one_network() -> None:
    uow, _ = _world()
    limit = POLICY.signin_per_client.attempts
    for n in range(limit):
        with pytest.raises(AuthenticationError):
            _sign_in(uow, email=f"nobody{n}@acme.example", password="x", client="2001:db8::1")
    with pytest.raises(TooManyAttemptsError):  # another address of the same /64
        _sign_in(uow, email=CLERK, client="2001:db8::2")
    assert _who(uow, _sign_in(uow, email=CLERK, client="2001:db8:1::1")) == CLERK


def test_f6_a_session_ends_when_idle_and_at_its_lifetime() -> None:
    uow, clock = _world()
    secret = _sign_in(uow)
    step = POLICY.session_idle - timedelta(minutes=1)
    while clock.now() + step < START + POLICY.session_lifetime:
        clock.advance(step)  # used just within the idle time: still signed in
        assert _who(uow, secret) == ADMIN
    clock.set(START + POLICY.session_lifetime)
    assert _who(uow, secret) is None
    with uow:
        assert uow.sessions.for_user(1) == []  # ended, and forgotten

    idle = _sign_in(uow)
    clock.advance(POLICY.session_idle)
    assert _who(uow, idle) is None


def test_f6_a_role_change_or_deactivation_ends_the_session() -> None:
    uow, _ = _world()
    secret = _sign_in(uow, email=CLERK)
    with uow:
        clerk = uow.users.by_email(CLERK)
        assert clerk is not None
        uow.users.set_role(clerk.id, Role.EXPORTER_ADMIN)
        uow.commit()
    assert _who(uow, secret) is None
    again = _sign_in(uow, email=CLERK)
    with uow:
        uow.users.set_active(clerk.id, False)
        uow.commit()
    assert _who(uow, again) is None


def test_f6_signing_out_here_and_elsewhere() -> None:
    uow, clock = _world()
    laptop, phone, tablet = _sign_in(uow), _sign_in(uow), _sign_in(uow)
    clock.advance(timedelta(minutes=2))
    assert _who(uow, phone) == ADMIN  # touched: the most recently used
    with uow:
        principal = sessions.check_session(uow, POLICY, laptop).principal
        assert sessions.current_session_id(uow, phone) == sessions.sessions_of(uow, principal)[0].id
        assert sessions.sign_out_elsewhere(uow, principal, laptop) == 2
        uow.commit()
    assert (_who(uow, laptop), _who(uow, phone), _who(uow, tablet)) == (ADMIN, None, None)
    sessions.sign_out(uow, laptop)
    assert _who(uow, laptop) is None
    with uow:
        assert [e.action for e in uow.audit.all()][-2:] == ["user.sessions_ended", "user.signed_out"]


def test_f6_bad_tokens_are_audited_until_the_limit_then_refused() -> None:
    uow, clock = _world()
    limit = POLICY.bad_tokens_per_client.attempts
    for _ in range(limit):
        sessions.refuse_token(uow, POLICY, client="198.51.100.7", reason="unknown")
    with pytest.raises(TooManyAttemptsError):
        sessions.refuse_token(uow, POLICY, client="198.51.100.7", reason="unknown")
    with uow:
        assert [e.action for e in uow.audit.all()].count("token.refused") == limit
    clock.advance(POLICY.bad_tokens_per_client.window)
    sessions.refuse_token(uow, POLICY, client="198.51.100.7", reason="unknown")
