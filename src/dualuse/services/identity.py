"""Users, organisations, sign-in and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dualuse.domain.errors import AuthenticationError, ConflictError, NotFoundError, ValidationError
from dualuse.domain.identity import (
    Organisation,
    OrganisationKind,
    Permission,
    Principal,
    Role,
    User,
    authorize,
    check_member_state,
    check_role_fits,
)
from dualuse.services import audit, oversight
from dualuse.services.unit_of_work import PasswordHasher, UnitOfWork

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EORI_RE = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,15}$")
MIN_PASSWORD_LENGTH = 12
TOKEN_PREFIX = "du_"  # noqa: S105 - a public prefix, not a secret


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise ValidationError("enter an email address like name@example.eu", field="email")
    return email


def create_organisation(
    uow: UnitOfWork,
    *,
    actor: str,
    kind: OrganisationKind,
    name: str,
    member_state: str | None,
    eori: str | None = None,
) -> Organisation:
    """Register an exporter (name, EORI, member state) or a member state's competent authority (one per state)."""
    name = name.strip()
    if not name:
        raise ValidationError("an organisation needs a name", field="name")
    state = check_member_state(member_state) if member_state else None
    if kind in (OrganisationKind.EXPORTER, OrganisationKind.AUTHORITY) and state is None:
        raise ValidationError("exporters and authorities belong to a member state", field="member_state")
    if eori is not None:
        eori = eori.strip().upper().replace(" ", "")
        if not EORI_RE.match(eori):
            raise ValidationError(
                "an EORI is a country code followed by up to 15 letters or digits", field="eori"
            )
    if kind is OrganisationKind.AUTHORITY and state and uow.organisations.authority_for(state):
        raise ConflictError(f"{state} already has a competent authority", field="member_state")
    if uow.organisations.find(kind, name):
        raise ConflictError(f"an organisation called {name!r} already exists", field="name")
    organisation = uow.organisations.add(kind, name, state, eori)
    audit.record(
        uow,
        actor=actor,
        action="organisation.created",
        entity_type="organisation",
        entity_id=organisation.id,
        after={"kind": kind.value, "name": name, "member_state": state, "eori": eori},
    )
    return organisation


def create_user(
    uow: UnitOfWork,
    hasher: PasswordHasher,
    *,
    actor: str,
    email: str,
    full_name: str,
    password: str,
    role: Role | str,
    organisation_id: int,
) -> User:
    """Create a user with a hashed password; the role must fit the organisation's kind."""
    email = normalise_email(email)
    role = role if isinstance(role, Role) else Role.parse(role)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters", field="password")
    organisation = uow.organisations.get(organisation_id)
    if organisation is None:
        raise NotFoundError(f"no organisation with id {organisation_id}", field="organisation_id")
    check_role_fits(role, organisation.kind)
    if uow.users.by_email(email):
        raise ConflictError(f"a user with the email {email} already exists", field="email")
    user = uow.users.add(email, full_name.strip() or email, hasher.hash(password), role, organisation_id)
    audit.record(
        uow,
        actor=actor,
        action="user.created",
        entity_type="user",
        entity_id=user.id,
        after={"email": email, "role": role.value, "organisation_id": organisation_id},
    )
    return user


def principal_for(uow: UnitOfWork, user: User) -> Principal:
    organisation = uow.organisations.get(user.organisation_id)
    if organisation is None:  # pragma: no cover - a foreign key guarantees it
        raise NotFoundError("the user's organisation is missing")
    return Principal.for_user(user.id, user.email, user.role, organisation)


def authenticate(uow: UnitOfWork, hasher: PasswordHasher, email: str, password: str) -> Principal:
    """Sign in with email and password; the same message whatever was wrong."""
    failure = AuthenticationError("the email address or password is not right")
    try:
        email = normalise_email(email)
    except ValidationError:
        raise failure from None
    user = uow.users.by_email(email)
    if user is None or not user.is_active or not hasher.verify(password, user.password_hash):
        raise failure
    return principal_for(uow, user)


def principal_for_user_id(uow: UnitOfWork, user_id: int) -> Principal:
    user = uow.users.get(user_id)
    if user is None or not user.is_active:
        return Principal.public()
    return principal_for(uow, user)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    user_email: str
    expires_at: datetime | None


def create_token(
    uow: UnitOfWork, *, actor: str, email: str, name: str, valid_days: int | None = 90
) -> IssuedToken:
    """Issue an API bearer token; only its SHA-256 is stored, so it is shown once."""
    user = uow.users.by_email(normalise_email(email))
    if user is None:
        raise NotFoundError(f"no user with the email {email}", field="email")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = datetime.now(UTC) + timedelta(days=valid_days) if valid_days else None
    token_id = uow.tokens.add(user.id, name, _token_digest(token), token[:10], expires_at)
    audit.record(
        uow,
        actor=actor,
        action="token.created",
        entity_type="api_token",
        entity_id=token_id,
        after={
            "user": user.email,
            "name": name,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return IssuedToken(token, user.email, expires_at)


def principal_for_token(uow: UnitOfWork, token: str) -> Principal:
    found = uow.tokens.holder(_token_digest(token), datetime.now(UTC))
    if found is None:
        raise AuthenticationError("the API token is unknown, revoked or expired")
    user, organisation = found
    if not user.is_active:
        raise AuthenticationError("the API token's user is not active")
    return Principal.for_user(user.id, user.email, user.role, organisation)


def get_organisation(uow: UnitOfWork, principal: Principal, organisation_id: int) -> Organisation:
    """An organisation's profile: exporters see only their own, authorities those of their member state."""
    organisation = uow.organisations.get(organisation_id)
    authorize(
        principal,
        Permission.VIEW_ORGANISATION,
        organisation_id=organisation_id,
        member_state=organisation.member_state if organisation else None,
        not_found="no such organisation",
    )
    if organisation is None:
        raise NotFoundError("no such organisation")
    oversight.record_read(
        uow, principal, entity_type="organisation", entity_id=organisation_id, legal_basis="Art. 23(1)"
    )
    return organisation


def list_members(uow: UnitOfWork, principal: Principal, organisation_id: int) -> Sequence[User]:
    authorize(principal, Permission.MANAGE_USERS, organisation_id=organisation_id)
    if (
        principal.organisation_id != organisation_id
        and principal.organisation_kind is not OrganisationKind.COMMISSION
    ):
        raise NotFoundError("no such organisation")
    return uow.users.in_organisation(organisation_id)
