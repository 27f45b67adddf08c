"""Signing in and out of the web app: throttled sign-in, sessions kept server-side, signing out elsewhere.

The browser's signed cookie carries only a random session secret; the database keeps its SHA-256 with the
user, the role at sign-in and the times. Signing out deletes the row, so a copied cookie is worthless
afterwards; a session idle too long, past its lifetime, of a deactivated user or of a user whose role
changed is refused.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from dualuse.domain.errors import AuthenticationError, ValidationError
from dualuse.domain.identity import Principal, UserSession
from dualuse.domain.throttling import AccessPolicy, client_key
from dualuse.services import audit, identity
from dualuse.services.identity import throttling
from dualuse.services.unit_of_work import PasswordHasher, UnitOfWork

# A session's last use is written at most this often (not on every request).
TOUCH_EVERY = timedelta(minutes=1)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    principal: Principal
    session_secret: str  # for the cookie; the database keeps only its hash


def _account_key(email: str) -> str:
    """The account an attempt counts against: the address as ``authenticate`` looks it up, so that every
    spelling that signs in to one account (``ａcme``, ``acme。example``) shares its lockout."""
    try:
        return identity.normalise_email(email)
    except ValidationError:
        return email.strip().lower()[:254]


def sign_in(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    policy: AccessPolicy,
    *,
    email: str,
    password: str,
    client: str | None,
    now: datetime | None = None,
) -> SignedIn:
    """Sign in with e-mail and password, and open a session.

    Failed attempts are limited per account and per client address (``policy``); the attempt is counted
    before the password is checked and given back when it succeeds, so only failures count and parallel
    guesses cannot overrun the limit. Unknown and known e-mails do the same work. Each outcome is audited
    in a transaction of its own (a failure too, although the request fails)."""
    now = now or uow.clock.now()
    attempted = _account_key(email)
    attempts = [(policy.signin_per_account, attempted), (policy.signin_per_client, client_key(client))]
    throttling.take(
        uow,
        attempts,
        refusal=throttling.wait_message(
            "too many failed sign-in attempts for this account or from your network"
        ),
        audit_action="user.sign_in_throttled",
        audit_after={"email": attempted, "client": client},
        now=now,
    )
    try:
        with uow:
            principal = identity.authenticate(uow, hasher, email, password)
    except AuthenticationError:
        with uow:
            audit.record(
                uow,
                actor="public",
                action="user.sign_in_failed",
                entity_type="sign_in",
                entity_id=attempted[:100],
                after={"email": attempted, "client": client},
            )
            uow.commit()
        raise
    assert principal.user_id is not None  # noqa: S101 - a signed-in user
    assert principal.role is not None  # noqa: S101 - a signed-in user
    secret = secrets.token_urlsafe(32)
    with uow:
        for limit, subject in attempts:
            uow.throttle.release(limit.key(subject), now)
        uow.sessions.purge(now, policy.session_idle)
        uow.sessions.add(
            user_id=principal.user_id,
            session_hash=_digest(secret),
            role=principal.role,
            now=now,
            expires_at=now + policy.session_lifetime,
            client=client,
        )
        audit.record(
            uow,
            actor=principal.label,
            action="user.signed_in",
            entity_type="user",
            entity_id=principal.user_id,
            after={"client": client},
        )
        uow.commit()
    return SignedIn(principal, secret)


@dataclass(frozen=True)
class SessionCheck:
    """Who a session cookie signs in, and what to write back: ``touch`` its last use, or ``end`` it."""

    principal: Principal
    session_id: int | None
    touch: bool = False
    end: bool = False


def check_session(
    uow: UnitOfWork, policy: AccessPolicy, secret: str, now: datetime | None = None
) -> SessionCheck:
    """The principal of a session cookie's secret; the public when the session is unknown, idle too long,
    past its lifetime, of a deactivated user, or of a user whose role changed since signing in."""
    now = now or uow.clock.now()
    session = uow.sessions.find(_digest(secret))
    if session is None:
        return SessionCheck(Principal.public(), None, end=True)
    user = uow.users.get(session.user_id)
    if (
        user is None
        or not user.is_active
        or user.role is not session.role
        or not session.is_live(now, policy.session_idle)
    ):
        return SessionCheck(Principal.public(), session.id, end=True)
    return SessionCheck(
        identity.principal_for(uow, user), session.id, touch=now - session.last_seen_at >= TOUCH_EVERY
    )


def record_use(uow: UnitOfWork, check: SessionCheck, now: datetime | None = None) -> None:
    """Write back what ``check_session`` found: the session's last use, or its end."""
    if check.session_id is None or not (check.touch or check.end):
        return
    with uow:
        if check.end:
            uow.sessions.delete(check.session_id)
        else:
            uow.sessions.touch(check.session_id, now or uow.clock.now())
        uow.commit()


def sign_out(uow: UnitOfWork, secret: str) -> None:
    """End the session of this cookie secret (whoever holds a copy of the cookie is signed out too)."""
    with uow:
        session = uow.sessions.find(_digest(secret))
        if session is None:
            return
        user = uow.users.get(session.user_id)
        uow.sessions.delete(session.id)
        audit.record(
            uow,
            actor=user.email if user else "public",
            action="user.signed_out",
            entity_type="user",
            entity_id=session.user_id,
        )
        uow.commit()


def sessions_of(uow: UnitOfWork, principal: Principal) -> Sequence[UserSession]:
    """The signed-in user's own sessions, most recently used first."""
    if principal.user_id is None:
        raise AuthenticationError("sign in to see your sessions")
    return uow.sessions.for_user(principal.user_id)


def current_session_id(uow: UnitOfWork, secret: str) -> int | None:
    session = uow.sessions.find(_digest(secret))
    return session.id if session else None


def sign_out_elsewhere(uow: UnitOfWork, principal: Principal, secret: str) -> int:
    """End every session of the signed-in user except this one; how many were ended."""
    if principal.user_id is None:
        raise AuthenticationError("sign in to end your other sessions")
    ended = uow.sessions.delete_for_user(principal.user_id, keep=current_session_id(uow, secret))
    audit.record(
        uow,
        actor=principal.label,
        action="user.sessions_ended",
        entity_type="user",
        entity_id=principal.user_id,
        after={"ended": ended},
    )
    return ended


def refuse_token(
    uow: UnitOfWork, policy: AccessPolicy, *, client: str | None, reason: str, now: datetime | None = None
) -> None:
    """Count and audit a refused bearer token (unknown, revoked, expired, of a deactivated user). Beyond
    the limit per client address the request is refused with ``TooManyAttemptsError`` and no longer
    audited, so a flood of bad tokens cannot fill the trail."""
    throttling.take(
        uow,
        [(policy.bad_tokens_per_client, client_key(client))],
        refusal=throttling.wait_message("too many requests with a bad API token from your network"),
        audit_action="token.throttled",
        audit_after={"client": client},
        now=now,
    )
    with uow:
        audit.record(
            uow,
            actor="public",
            action="token.refused",
            entity_type="api_token",
            entity_id="-",
            after={"client": client, "reason": reason},
        )
        uow.commit()
