"""Users, organisations, sign-in and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email

from dualuse.domain.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from dualuse.domain.identity import (
    LONGEST_TOKEN_LIFE,
    PERMISSIONS_BY_ROLE,
    ApiToken,
    Organisation,
    OrganisationKind,
    Permission,
    Principal,
    Role,
    TokenScope,
    User,
    authorize,
    check_member_state,
    check_role_fits,
)
from dualuse.domain.passwords import MAX_PASSWORD_LENGTH, password_problem
from dualuse.services import audit, oversight
from dualuse.services.unit_of_work import PasswordHasher, UnitOfWork

EORI_RE = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,15}$")
TOKEN_PREFIX = "du_"  # noqa: S105 - a public prefix, not a secret
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = LONGEST_TOKEN_LIFE.days
# Markup and quoting: RFC 5322 allows some of these in a local part ("&", "{") and the rest when quoted,
# but none belongs in the address of a person at an exporter or an authority. ("'" stays: O'Brien.)
_MARKUP = set('<>"`&;\\()[]{}')


def normalise_email(email: str) -> str:
    """An e-mail address checked for syntax (``email-validator``, no DNS look-up) and lowercased; markup
    and quoting characters are refused even where RFC 5322 would allow them."""
    text = email.strip()
    problem = "enter an email address like name@example.eu"
    if not text or len(text) > 254 or _MARKUP & set(text):
        raise ValidationError(problem, field="email")
    try:
        checked = validate_email(text, check_deliverability=False, allow_quoted_local=False)
    except EmailNotValidError:
        raise ValidationError(problem, field="email") from None
    return checked.normalized.lower()


def check_password(hasher: PasswordHasher, password: str, email: str) -> None:
    """Refuse a short, common, breached or guessable password (``domain.passwords``)."""
    problem = password_problem(password, email=email, is_common=hasher.is_common)
    if problem:
        raise ValidationError(problem, field="password")


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
    if kind is not OrganisationKind.COMMISSION and state is None:
        raise ValidationError(
            "exporters, authorities and customs administrations belong to a member state",
            field="member_state",
        )
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
    check_password(hasher, password, email)
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
    """Check an e-mail and password; the same message whatever was wrong. An unknown or deactivated
    account verifies the password against a dummy hash, so it takes as long as a wrong password and the
    answer's timing does not tell whether the account exists."""
    failure = AuthenticationError("the email address or password is not right")
    if len(password) > MAX_PASSWORD_LENGTH:  # never hashed: no password is that long
        raise failure
    try:
        email = normalise_email(email)
    except ValidationError:
        hasher.verify(password, hasher.dummy_hash())
        raise failure from None
    user = uow.users.by_email(email)
    verified = hasher.verify(password, user.password_hash if user else hasher.dummy_hash())
    if user is None or not user.is_active or not verified:
        raise failure
    return principal_for(uow, user)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    user_email: str
    expires_at: datetime
    scope: TokenScope


def create_token(
    uow: UnitOfWork,
    *,
    actor: str,
    email: str,
    name: str,
    valid_days: int = DEFAULT_TOKEN_DAYS,
    scope: TokenScope | str = TokenScope.WRITE,
) -> IssuedToken:
    """Issue an API bearer token valid for ``valid_days`` (1 to 365); only its SHA-256 is stored, so it is
    shown once. A ``read`` token is refused on every request that changes something."""
    scope = scope if isinstance(scope, TokenScope) else TokenScope.parse(scope)
    if not 1 <= valid_days <= MAX_TOKEN_DAYS:
        raise ValidationError(f"a token is valid for 1 to {MAX_TOKEN_DAYS} days", field="valid_days")
    name = name.strip()[:100] or "token"
    user = uow.users.by_email(normalise_email(email))
    if user is None:
        raise NotFoundError(f"no user with the email {email}", field="email")
    if not user.is_active:
        raise ConflictError(f"{user.email} is deactivated", field="email")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = uow.clock.now() + timedelta(days=valid_days)
    token_id = uow.tokens.add(user.id, name, _token_digest(token), token[:10], expires_at, scope)
    audit.record(
        uow,
        actor=actor,
        action="token.created",
        entity_type="api_token",
        entity_id=token_id,
        after={"user": user.email, "name": name, "scope": scope.value, "expires_at": expires_at.isoformat()},
    )
    return IssuedToken(token, user.email, expires_at, scope)


def principal_for_token(
    uow: UnitOfWork, token: str, now: datetime | None = None
) -> tuple[Principal, ApiToken]:
    """Who a bearer token acts for, and the token; refused (with why) when it is unknown, revoked, expired
    or its user deactivated."""
    now = now or uow.clock.now()
    found = uow.tokens.holder(_token_digest(token)) if token.startswith(TOKEN_PREFIX) else None
    if found is None:
        raise AuthenticationError("the API token is unknown")
    user, organisation, stored = found
    if stored.revoked_at is not None:
        raise AuthenticationError(f"the API token {stored.prefix}… was revoked")
    if stored.expires <= now:
        raise AuthenticationError(f"the API token {stored.prefix}… expired on {stored.expires:%Y-%m-%d}")
    if not user.is_active:
        raise AuthenticationError("the API token's user is deactivated")
    return Principal.for_user(user.id, user.email, user.role, organisation), stored


def tokens_of(uow: UnitOfWork, principal: Principal) -> Sequence[ApiToken]:
    """The signed-in user's own API tokens, newest first."""
    if principal.user_id is None:
        raise AuthenticationError("sign in to see your API tokens")
    return uow.tokens.listing(principal.user_id)


def token_listing(uow: UnitOfWork, email: str | None = None) -> tuple[Sequence[ApiToken], dict[int, str]]:
    """Every API token (or ``email``'s), never a secret, with its user's e-mail: for the operator at the
    command line, who holds the database anyway."""
    user_id = user_by_email(uow, email).id if email else None
    tokens = uow.tokens.listing(user_id)
    emails = {u.id: u.email for u in (uow.users.get(t.user_id) for t in tokens) if u}
    return tokens, emails


def revoke_token(uow: UnitOfWork, principal: Principal, token_id: int) -> ApiToken:
    """Revoke an API token: one's own, or (for an administrator) a member's of one's own organisation."""
    stored = uow.tokens.get(token_id)
    owner = uow.users.get(stored.user_id) if stored else None
    if stored is None or owner is None:
        raise NotFoundError("no such API token")
    if owner.id != principal.user_id:
        if Permission.MANAGE_USERS not in principal.permissions:
            raise NotFoundError("no such API token")  # another user's token: its existence is not told
        authorize(principal, Permission.MANAGE_USERS, organisation_id=owner.organisation_id)
    if stored.revoked_at is None:
        uow.tokens.revoke(stored.id, uow.clock.now())
        audit.record(
            uow,
            actor=principal.label,
            action="token.revoked",
            entity_type="api_token",
            entity_id=stored.id,
            before={"user": owner.email, "name": stored.name, "prefix": stored.prefix},
        )
    return stored


# --- administering users ------------------------------------------------------------------------------
def user_by_email(uow: UnitOfWork, email: str) -> User:
    user = uow.users.by_email(normalise_email(email))
    if user is None:
        raise NotFoundError(f"no user with the email {email}", field="email")
    return user


def _managed(uow: UnitOfWork, principal: Principal, user_id: int) -> User:
    """The user an administrator acts on: within their own organisation only (a user of another one is
    reported as not found)."""
    user = uow.users.get(user_id)
    if user is None:
        authorize(principal, Permission.MANAGE_USERS)
        raise NotFoundError("no such user")
    authorize(principal, Permission.MANAGE_USERS, organisation_id=user.organisation_id)
    if user.id == principal.user_id:
        raise PermissionDeniedError("you cannot change your own account: ask another administrator")
    return user


def _is_admin(role: Role) -> bool:
    return Permission.MANAGE_USERS in PERMISSIONS_BY_ROLE[role]


def _keeps_an_admin(uow: UnitOfWork, user: User) -> None:
    """An organisation keeps at least one active administrator (else no one could manage it)."""
    others = [
        u
        for u in uow.users.in_organisation(user.organisation_id)
        if u.id != user.id and u.is_active and _is_admin(u.role)
    ]
    if _is_admin(user.role) and user.is_active and not others:
        raise ConflictError(f"{user.email} is the organisation's last active administrator")


def set_active(uow: UnitOfWork, principal: Principal, user_id: int, *, active: bool) -> User:
    """Deactivate a user (their sessions end at once, their tokens are refused, they cannot sign in) or
    activate them again."""
    user = _managed(uow, principal, user_id)
    if user.is_active == active:
        return user
    if not active:
        _keeps_an_admin(uow, user)
        uow.sessions.delete_for_user(user.id)
    uow.users.set_active(user.id, active)
    audit.record(
        uow,
        actor=principal.label,
        action="user.activated" if active else "user.deactivated",
        entity_type="user",
        entity_id=user.id,
        before={"email": user.email, "is_active": user.is_active},
        after={"email": user.email, "is_active": active},
    )
    return User(
        user.id, user.email, user.full_name, user.role, user.organisation_id, active, user.password_hash
    )


def set_role(uow: UnitOfWork, principal: Principal, user_id: int, role: Role | str) -> User:
    """Change a user's role within their organisation's kind (an exporter's administrator cannot make
    anyone an authority officer); the user's sessions end, so the new role applies at once."""
    user = _managed(uow, principal, user_id)  # who may, before what they ask is checked
    role = role if isinstance(role, Role) else Role.parse(role)
    organisation = uow.organisations.get(user.organisation_id)
    if organisation is None:  # pragma: no cover - a foreign key guarantees it
        raise NotFoundError("the user's organisation is missing")
    check_role_fits(role, organisation.kind)
    if role is user.role:
        return user
    if not _is_admin(role):
        _keeps_an_admin(uow, user)
    uow.users.set_role(user.id, role)
    uow.sessions.delete_for_user(user.id)
    audit.record(
        uow,
        actor=principal.label,
        action="user.role_changed",
        entity_type="user",
        entity_id=user.id,
        before={"email": user.email, "role": user.role.value},
        after={"email": user.email, "role": role.value},
    )
    return User(
        user.id, user.email, user.full_name, role, user.organisation_id, user.is_active, user.password_hash
    )


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


def organisation_names(uow: UnitOfWork, principal: Principal, ids: Collection[int]) -> dict[int, str]:
    """The names of the organisations ``ids`` that an authority or the Commission deals with (the exporters of
    its queue and registers); exporters see only their own."""
    names: dict[int, str] = {}
    for organisation_id in ids:
        organisation = uow.organisations.get(organisation_id)
        visible = organisation is not None and (
            principal.organisation_kind is OrganisationKind.COMMISSION
            or principal.organisation_id == organisation_id
            or (
                principal.organisation_kind is OrganisationKind.AUTHORITY
                and organisation.member_state == principal.member_state
            )
        )
        names[organisation_id] = (
            organisation.name if organisation and visible else f"organisation {organisation_id}"
        )
    return names


def list_members(uow: UnitOfWork, principal: Principal, organisation_id: int) -> Sequence[User]:
    authorize(principal, Permission.MANAGE_USERS, organisation_id=organisation_id)
    if (
        principal.organisation_id != organisation_id
        and principal.organisation_kind is not OrganisationKind.COMMISSION
    ):
        raise NotFoundError("no such organisation")
    return uow.users.in_organisation(organisation_id)
