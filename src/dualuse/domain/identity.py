"""People, organisations and roles, and the one permission check every use case calls.

Exporters see only their own organisation's data; a competent authority acts only on cases of its own
member state (Art. 12(2): the authority of the state where the exporter is established decides);
the Commission sees Union-wide aggregates; the public sees published data only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from dualuse.domain.errors import HiddenResourceError, PermissionDeniedError, ValidationError
from dualuse.domain.union import EU_MEMBER_STATES


class OrganisationKind(StrEnum):
    EXPORTER = "exporter"
    AUTHORITY = "authority"
    COMMISSION = "commission"
    CUSTOMS = "customs"  # a member state's customs administration (Art. 21), one per state


class Role(StrEnum):
    EXPORTER_ADMIN = "exporter_admin"
    EXPORTER_USER = "exporter_user"
    AUTHORITY_OFFICER = "authority_officer"
    AUTHORITY_SENIOR = "authority_senior"
    COMMISSION = "commission"
    CUSTOMS_OFFICER = "customs_officer"

    @classmethod
    def parse(cls, text: str) -> Role:
        try:
            return cls(text.strip().lower())
        except ValueError:
            allowed = ", ".join(r.value for r in cls)
            raise ValidationError(f"unknown role {text!r}; expected one of {allowed}", field="role") from None


ROLES_BY_KIND: dict[OrganisationKind, frozenset[Role]] = {
    OrganisationKind.EXPORTER: frozenset({Role.EXPORTER_ADMIN, Role.EXPORTER_USER}),
    OrganisationKind.AUTHORITY: frozenset({Role.AUTHORITY_OFFICER, Role.AUTHORITY_SENIOR}),
    OrganisationKind.COMMISSION: frozenset({Role.COMMISSION}),
    OrganisationKind.CUSTOMS: frozenset({Role.CUSTOMS_OFFICER}),
}


class Permission(StrEnum):
    """What a use case asks to do; the table below says who may."""

    VIEW_ORGANISATION = "view_organisation"
    MANAGE_USERS = "manage_users"
    ACT_FOR_EXPORTER = "act_for_exporter"  # classify, determine, screen, apply
    ISSUE_NOTICE = "issue_notice"  # an authority tells a party an authorisation is required (Arts. 4-8)
    ASSESS_CASE = "assess_case"
    COUNTERSIGN = "countersign"
    VIEW_UNION_AGGREGATES = "view_union_aggregates"
    VIEW_PUBLIC = "view_public"
    SCREEN = "screen"  # screen parties and review hits, for one's own organisation
    IMPORT_SANCTIONS_LISTS = "import_sanctions_lists"
    AMEND_CONTROL_LIST = "amend_control_list"  # delegated acts (Art. 17) entered by the Commission
    CHECK_DECLARATION = "check_declaration"  # customs: look up an authorisation, write off, hold (Art. 21)


PERMISSIONS_BY_ROLE: dict[Role | None, frozenset[Permission]] = {
    None: frozenset({Permission.VIEW_PUBLIC}),
    Role.EXPORTER_USER: frozenset(
        {Permission.VIEW_PUBLIC, Permission.VIEW_ORGANISATION, Permission.ACT_FOR_EXPORTER, Permission.SCREEN}
    ),
    Role.EXPORTER_ADMIN: frozenset(
        {
            Permission.VIEW_PUBLIC,
            Permission.VIEW_ORGANISATION,
            Permission.ACT_FOR_EXPORTER,
            Permission.SCREEN,
            Permission.MANAGE_USERS,
        }
    ),
    Role.AUTHORITY_OFFICER: frozenset(
        {
            Permission.VIEW_PUBLIC,
            Permission.VIEW_ORGANISATION,
            Permission.ASSESS_CASE,
            Permission.SCREEN,
            Permission.ISSUE_NOTICE,
        }
    ),
    Role.AUTHORITY_SENIOR: frozenset(
        {
            Permission.VIEW_PUBLIC,
            Permission.VIEW_ORGANISATION,
            Permission.ASSESS_CASE,
            Permission.SCREEN,
            Permission.ISSUE_NOTICE,
            Permission.COUNTERSIGN,
            Permission.MANAGE_USERS,
        }
    ),
    Role.COMMISSION: frozenset(
        {
            Permission.VIEW_PUBLIC,
            Permission.VIEW_ORGANISATION,
            Permission.VIEW_UNION_AGGREGATES,
            Permission.AMEND_CONTROL_LIST,
            Permission.IMPORT_SANCTIONS_LISTS,
        }
    ),
    Role.CUSTOMS_OFFICER: frozenset({Permission.VIEW_PUBLIC, Permission.CHECK_DECLARATION}),
}


@dataclass(frozen=True)
class Organisation:
    id: int
    kind: OrganisationKind
    name: str
    member_state: str | None
    eori: str | None = None


@dataclass(frozen=True)
class Principal:
    """Who is acting: a signed-in user, or the anonymous public (``user_id`` None)."""

    user_id: int | None
    email: str | None
    role: Role | None
    organisation_id: int | None
    organisation_kind: OrganisationKind | None
    member_state: str | None
    permissions: frozenset[Permission] = field(default=frozenset())

    @classmethod
    def public(cls) -> Principal:
        return cls(None, None, None, None, None, None, PERMISSIONS_BY_ROLE[None])

    @classmethod
    def for_user(cls, user_id: int, email: str, role: Role, organisation: Organisation) -> Principal:
        return cls(
            user_id,
            email,
            role,
            organisation.id,
            organisation.kind,
            organisation.member_state,
            PERMISSIONS_BY_ROLE[role],
        )

    @classmethod
    def system(cls, label: str) -> Principal:
        """An operator at the command line: they hold the database anyway, so every permission."""
        return cls(0, label, Role.COMMISSION, None, OrganisationKind.COMMISSION, None, frozenset(Permission))

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def label(self) -> str:
        return self.email or "public"


def authorize(
    principal: Principal,
    permission: Permission,
    *,
    organisation_id: int | None = None,
    member_state: str | None = None,
    not_found: str = "no such resource",
) -> None:
    """The one permission check. Raises unless ``principal`` may do ``permission`` on the resource.

    ``organisation_id`` is the organisation owning the resource (tenant isolation: a resource of another
    exporter is reported as not found, so its existence does not leak); ``member_state`` is the state whose
    authority handles it (an authority never acts on another state's cases, which it is told do not exist).
    ``not_found`` is the message for a missing resource of that kind, so that another tenant's resource is
    answered word for word as a missing one (F16).
    """
    if permission not in principal.permissions:
        if not principal.is_authenticated:
            raise PermissionDeniedError("sign in to do this")
        raise PermissionDeniedError(
            f"your role ({principal.role}) may not {permission.value.replace('_', ' ')}"
        )
    if principal.organisation_kind is OrganisationKind.COMMISSION:
        return
    if organisation_id is not None and principal.organisation_kind is OrganisationKind.EXPORTER:
        if organisation_id != principal.organisation_id:
            raise HiddenResourceError(not_found)
        return
    if member_state is not None and principal.organisation_kind is OrganisationKind.AUTHORITY:
        if member_state != principal.member_state:
            # F16: answered as for a resource that does not exist, so that whether another state's case
            # exists is not told
            raise HiddenResourceError(not_found)
        return
    if organisation_id is not None and organisation_id != principal.organisation_id:
        raise HiddenResourceError(not_found)


def check_role_fits(role: Role, kind: OrganisationKind) -> None:
    """A role belongs to one kind of organisation (an exporter cannot employ an authority officer)."""
    if role not in ROLES_BY_KIND[kind]:
        raise ValidationError(
            f"role {role.value} does not fit an organisation of kind {kind.value}", field="role"
        )


def check_member_state(code: str, field_name: str = "member_state") -> str:
    code = code.strip().upper()
    if code not in EU_MEMBER_STATES:
        raise ValidationError(
            f"{code!r} is not an EU member state (ISO 3166-1 alpha-2, Greece is GR)", field=field_name
        )
    return code


@dataclass(frozen=True)
class User:
    id: int
    email: str
    full_name: str
    role: Role
    organisation_id: int
    is_active: bool
    password_hash: str


LONGEST_TOKEN_LIFE = timedelta(days=365)
"""The longest an API token is valid (``dualuse tokens create --days``), and the life of a token issued before
tokens had an expiry."""


class TokenScope(StrEnum):
    """What an API token may do: ``read`` only reads (GET, HEAD, OPTIONS); ``write`` also changes things."""

    READ = "read"
    WRITE = "write"

    @classmethod
    def parse(cls, text: str) -> TokenScope:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ValidationError("a token's scope is read or write", field="scope") from None

    def allows(self, method: str) -> bool:
        return self is TokenScope.WRITE or method.upper() in {"GET", "HEAD", "OPTIONS"}


@dataclass(frozen=True)
class ApiToken:
    """An API bearer token as stored (only the hash of its secret; ``prefix`` shows which one it is)."""

    id: int
    user_id: int
    name: str
    prefix: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    @property
    def expires(self) -> datetime:
        """When the token stops working. A token issued before tokens had an expiry (``expires_at`` None)
        lives no longer than the longest a token is issued for (F6)."""
        return self.expires_at if self.expires_at is not None else self.created_at + LONGEST_TOKEN_LIFE

    def is_valid(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires > now


@dataclass(frozen=True)
class UserSession:
    """A signed-in browser: kept server-side, so signing out, deactivating the user or changing their role
    ends it at once. The cookie holds a random secret whose hash is ``session_hash``."""

    id: int
    user_id: int
    role: Role  # the role when signing in: a session of a user whose role changed is refused
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    client: str | None

    def is_live(self, now: datetime, idle: timedelta) -> bool:
        """Not past its absolute expiry, and used within the idle time."""
        return now < self.expires_at and now < self.last_seen_at + idle
