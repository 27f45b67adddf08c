"""Licences: the documents that grant an authorisation, their numbers, validity, check codes and lifecycle.

Art. 12(3) of Regulation (EU) 2021/821 limits validity: individual and global authorisations up to two
years, large project authorisations up to four years unless duly justified by the duration of the project.
Art. 16 lets the authority annul, suspend, modify or revoke an authorisation; those moves, and expiry and
exhaustion, are the lifecycle table ``LICENCE_TRANSITIONS``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from dualuse.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from dualuse.domain.licensing.model import Actor, ApplicationType
from dualuse.domain.union import EU_MEMBER_STATES

__all__ = [
    "CHECK_CODE_LENGTH",
    "LICENCE_TRANSITIONS",
    "MAX_START_AHEAD_DAYS",
    "MAX_VALIDITY_YEARS",
    "Licence",
    "LicenceAction",
    "LicenceEvent",
    "LicenceStatus",
    "LicenceTransition",
    "LicensedItem",
    "amend_licence",
    "check_code",
    "check_start",
    "check_validity",
    "issue_licence",
    "latest_valid_until",
    "licence_number",
    "licence_transition",
    "next_sequence",
    "parse_licence_number",
    "verify_check_code",
]

MAX_SEQUENCE = 999_999
_NUMBER = re.compile(r"(?P<state>[A-Z]{2})-(?P<year>\d{4})-(?P<sequence>\d{6})")


def licence_number(state: str, year: int, sequence: int) -> str:
    """The licence number for the ``sequence``-th licence a member state's authority issues in ``year``,
    e.g. ``DE-2026-000123``. Unique per state as long as each (state, year, sequence) is used once
    (``next_sequence``)."""
    if state not in EU_MEMBER_STATES:
        raise ValidationError(f"{state!r} is not the ISO code of a member state", field="state")
    if not 2000 <= year <= 9999:
        raise ValidationError(f"year {year} is out of range", field="year")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ValidationError(f"sequence {sequence} is not between 1 and {MAX_SEQUENCE}", field="sequence")
    return f"{state}-{year:04d}-{sequence:06d}"


def parse_licence_number(number: str) -> tuple[str, int, int]:
    """(state, year, sequence) of a licence number; ``ValidationError`` when it is not one."""
    match = _NUMBER.fullmatch(number)
    if match is None:
        raise ValidationError(f"{number!r} is not a licence number like DE-2026-000123", field="number")
    state, year, sequence = match["state"], int(match["year"]), int(match["sequence"])
    licence_number(state, year, sequence)  # the same checks as when it was made
    return state, year, sequence


def next_sequence(issued: Iterable[str], state: str, year: int) -> int:
    """The next free sequence for ``state`` in ``year``, given the numbers already issued."""
    used = [s for st, y, s in map(parse_licence_number, issued) if (st, y) == (state, year)]
    sequence = max(used, default=0) + 1
    if sequence > MAX_SEQUENCE:
        raise ConflictError(f"{state} has issued all {MAX_SEQUENCE} licence numbers for {year}")
    return sequence


# --- validity (Art. 12(3)) ---

MAX_VALIDITY_YEARS: Mapping[ApplicationType, int] = MappingProxyType(
    {
        ApplicationType.INDIVIDUAL: 2,
        ApplicationType.GLOBAL: 2,
        ApplicationType.LARGE_PROJECT: 4,
        # Art. 12(3) sets no period for Art. 13 authorisations; we apply the individual one until a
        # member state's rule says otherwise.
        ApplicationType.BROKERING: 2,
        ApplicationType.TECHNICAL_ASSISTANCE: 2,
    }
)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none: the period ends with February
        return date(day.year + years, 3, 1)


def latest_valid_until(application_type: ApplicationType, valid_from: date) -> date:
    """The last day a licence of this type starting on ``valid_from`` may be valid (Art. 12(3)): the day
    before the same date ``MAX_VALIDITY_YEARS`` later."""
    return _add_years(valid_from, MAX_VALIDITY_YEARS[ApplicationType(application_type)]) - timedelta(days=1)


# When a licence may start (issue #11, F19). The Regulation sets how long a licence lasts (Art. 12(3)), not
# when it starts; these bounds are ours, on the safe side (unverified policy, not Regulation text): a licence
# takes effect at the earliest on the day it is granted, since backdating would authorise exports made
# before the decision (one day's grace: an authority's local day may still be the day before Brussels's),
# and at the latest about six months later, so that the criteria of Art. 15 assessed now still hold.
START_GRACE_DAYS = 1
MAX_START_AHEAD_DAYS = 183
START_RULE_VERIFIED = False


def check_start(valid_from: date, granted_on: date) -> None:
    """Refuse a licence start before the day of the grant (less ``START_GRACE_DAYS``) or more than
    ``MAX_START_AHEAD_DAYS`` after it."""
    earliest = granted_on - timedelta(days=START_GRACE_DAYS)
    latest = granted_on + timedelta(days=MAX_START_AHEAD_DAYS)
    if valid_from < earliest:
        raise ValidationError(
            f"a licence cannot take effect before it is granted: valid_from {valid_from.isoformat()} is before "
            f"{granted_on.isoformat()}",
            field="valid_from",
        )
    if valid_from > latest:
        raise ValidationError(
            f"a licence takes effect within {MAX_START_AHEAD_DAYS} days of its grant: valid_from "
            f"{valid_from.isoformat()} is after {latest.isoformat()}",
            field="valid_from",
        )


def check_validity(
    application_type: ApplicationType,
    valid_from: date,
    valid_until: date,
    *,
    justification: str = "",
) -> None:
    """Refuse a validity period that is empty or longer than Art. 12(3) allows.

    Both days are included. A large project authorisation may run beyond four years only with a
    justification based on the duration of the project (Art. 12(3)).
    """
    application_type = ApplicationType(application_type)
    if valid_until < valid_from:
        raise ValidationError("a licence cannot expire before it becomes valid", field="valid_until")
    latest = latest_valid_until(application_type, valid_from)
    if valid_until <= latest:
        return
    if application_type is ApplicationType.LARGE_PROJECT and justification.strip():
        return
    years = MAX_VALIDITY_YEARS[application_type]
    extra = " unless duly justified by the duration of the project" if years == 4 else ""
    raise ValidationError(
        f"a {application_type} licence is valid for up to {years} years{extra} (Art. 12(3)): "
        f"from {valid_from.isoformat()} at most until {latest.isoformat()}",
        field="valid_until",
    )


# --- check codes for public verification ---

CHECK_CODE_LENGTH = 12
_MIN_SECRET_BYTES = 16


def check_code(number: str, secret: bytes, *, length: int = CHECK_CODE_LENGTH) -> str:
    """The code printed on a licence so that anyone can verify it: HMAC-SHA256 of the licence number
    under the authority's secret, in base32, truncated to ``length`` characters."""
    if len(secret) < _MIN_SECRET_BYTES:
        raise ValidationError(
            f"the check-code secret needs at least {_MIN_SECRET_BYTES} bytes", field="secret"
        )
    if not 8 <= length <= 52:
        raise ValidationError("a check code has between 8 and 52 characters", field="length")
    digest = hmac.new(secret, number.encode("utf-8"), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:length]


def verify_check_code(number: str, code: str, secret: bytes) -> bool:
    """Whether ``code`` is the check code of ``number`` (case, spaces and hyphens ignored)."""
    given = re.sub(r"[\s-]", "", code).upper()
    if not 8 <= len(given) <= 52:
        return False
    return hmac.compare_digest(given, check_code(number, secret, length=len(given)))


# --- the licence and its lifecycle (Art. 16) ---


class LicenceStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    ANNULLED = "annulled"
    EXPIRED = "expired"
    EXHAUSTED = "exhausted"


class LicenceAction(StrEnum):
    AMEND = "amend"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REVOKE = "revoke"
    ANNUL = "annul"
    EXPIRE = "expire"
    EXHAUST = "exhaust"


@dataclass(frozen=True)
class LicensedItem:
    """An item the licence authorises, up to a quantity and a value."""

    line: int
    control_code: str
    description: str
    unit: str
    quantity: Decimal
    value_eur: Decimal

    def __post_init__(self) -> None:
        if self.line < 1:
            raise ValidationError("item lines are numbered from 1", field="line")
        if not self.control_code.strip():
            raise ValidationError("a licensed item names its control code", field="control_code")
        if not self.quantity.is_finite() or self.quantity <= 0:
            raise ValidationError(
                f"authorised quantity must be positive, not {self.quantity}", field="quantity"
            )
        if not self.value_eur.is_finite() or self.value_eur < 0:
            raise ValidationError(
                f"authorised value must not be negative, not {self.value_eur}", field="value_eur"
            )


@dataclass(frozen=True)
class Licence:
    """A granted authorisation (Arts. 12 and 13). ``version`` counts amendments and other moves."""

    number: str
    case_id: str
    holder_id: str
    licence_type: ApplicationType
    valid_from: date
    valid_until: date
    items: tuple[LicensedItem, ...]
    conditions: tuple[str, ...] = ()
    status: LicenceStatus = LicenceStatus.ACTIVE
    version: int = 1
    justification: str = ""

    def item(self, line: int) -> LicensedItem:
        for item in self.items:
            if item.line == line:
                return item
        raise ValidationError(f"licence {self.number} has no item line {line}", field="item_line")


def _check_items(items: tuple[LicensedItem, ...]) -> None:
    if not items:
        raise ValidationError("a licence authorises at least one item", field="items")
    lines = [i.line for i in items]
    if len(set(lines)) != len(lines):
        raise ValidationError("item lines of a licence are unique", field="items")


def issue_licence(
    *,
    number: str,
    case_id: str,
    holder_id: str,
    licence_type: ApplicationType,
    valid_from: date,
    valid_until: date,
    items: tuple[LicensedItem, ...],
    conditions: tuple[str, ...] = (),
    justification: str = "",
) -> Licence:
    """A new, active licence, after checking its number, items and validity (Art. 12(3))."""
    parse_licence_number(number)
    _check_items(items)
    check_validity(licence_type, valid_from, valid_until, justification=justification)
    return Licence(
        number=number,
        case_id=case_id,
        holder_id=holder_id,
        licence_type=ApplicationType(licence_type),
        valid_from=valid_from,
        valid_until=valid_until,
        items=items,
        conditions=tuple(c for c in conditions if c.strip()),
        justification=justification,
    )


@dataclass(frozen=True)
class LicenceTransition:
    """One legal move of a licence; ``notify`` marks those Art. 16 makes the authority report to the other
    member states and the Commission; ``needs_reason`` those that must say why."""

    source: LicenceStatus
    action: LicenceAction
    target: LicenceStatus
    actors: frozenset[Actor]
    event: str
    notify: bool = False
    needs_reason: bool = False


L = LicenceStatus
LA = LicenceAction
_AUTHORITY = frozenset({Actor.OFFICER, Actor.SENIOR})
_SENIOR = frozenset({Actor.SENIOR})
_SYSTEM = frozenset({Actor.SYSTEM})

_ROWS: tuple[LicenceTransition, ...] = (
    LicenceTransition(L.ACTIVE, LA.AMEND, L.ACTIVE, _AUTHORITY, "LicenceAmended", needs_reason=True),
    LicenceTransition(L.ACTIVE, LA.SUSPEND, L.SUSPENDED, _AUTHORITY, "LicenceSuspended", True, True),
    LicenceTransition(L.SUSPENDED, LA.REINSTATE, L.ACTIVE, _SENIOR, "LicenceReinstated", True, True),
    LicenceTransition(L.ACTIVE, LA.REVOKE, L.REVOKED, _SENIOR, "LicenceRevoked", True, True),
    LicenceTransition(L.SUSPENDED, LA.REVOKE, L.REVOKED, _SENIOR, "LicenceRevoked", True, True),
    LicenceTransition(L.ACTIVE, LA.ANNUL, L.ANNULLED, _SENIOR, "LicenceAnnulled", True, True),
    LicenceTransition(L.SUSPENDED, LA.ANNUL, L.ANNULLED, _SENIOR, "LicenceAnnulled", True, True),
    LicenceTransition(L.ACTIVE, LA.EXPIRE, L.EXPIRED, _SYSTEM, "LicenceExpired"),
    LicenceTransition(L.SUSPENDED, LA.EXPIRE, L.EXPIRED, _SYSTEM, "LicenceExpired"),
    LicenceTransition(L.ACTIVE, LA.EXHAUST, L.EXHAUSTED, _SYSTEM, "LicenceExhausted"),
)

LICENCE_TRANSITIONS: Mapping[tuple[LicenceStatus, LicenceAction], LicenceTransition] = MappingProxyType(
    {(row.source, row.action): row for row in _ROWS}
)
"""Every legal (status, action) pair of a licence (Art. 16 for suspend, reinstate, revoke, annul).
Reinstating notifies too: Art. 16 has the authority report its final assessment after a suspension."""


@dataclass(frozen=True)
class LicenceEvent:
    name: str
    licence_number: str
    action: LicenceAction
    actor_role: Actor
    actor_id: str
    before: LicenceStatus
    after: LicenceStatus
    version: int
    notify_other_states: bool
    reason: str = ""


def licence_transition(
    licence: Licence,
    action: LicenceAction | str,
    actor_role: Actor,
    actor_id: str,
    *,
    reason: str = "",
    expected_version: int | None = None,
) -> tuple[Licence, LicenceEvent]:
    """Move a licence as ``LICENCE_TRANSITIONS`` allows; anything else is refused (``ConflictError``),
    as is a role the row does not name (``PermissionDeniedError``) or a missing reason."""
    try:
        action = LicenceAction(action)
    except ValueError:
        raise ValidationError(f"unknown licence action {action!r}", field="action") from None
    actor_role = Actor(actor_role)
    if expected_version is not None and expected_version != licence.version:
        raise ConflictError(
            f"licence {licence.number} is at version {licence.version}, not {expected_version}; reload it"
        )
    row = LICENCE_TRANSITIONS.get((licence.status, action))
    if row is None:
        raise ConflictError(f"a licence that is {licence.status} cannot be given '{action}'")
    if actor_role not in row.actors:
        allowed = " or ".join(sorted(row.actors))
        raise PermissionDeniedError(f"only the {allowed} may {action} a licence, not the {actor_role}")
    if row.needs_reason and not reason.strip():
        raise ValidationError(f"to {action} a licence, say why (Art. 16)", field="reason")
    after = replace(licence, status=row.target, version=licence.version + 1)
    event = LicenceEvent(
        name=row.event,
        licence_number=licence.number,
        action=action,
        actor_role=actor_role,
        actor_id=actor_id,
        before=licence.status,
        after=row.target,
        version=after.version,
        notify_other_states=row.notify,
        reason=reason,
    )
    return after, event


def amend_licence(
    licence: Licence,
    *,
    actor_role: Actor,
    actor_id: str,
    reason: str,
    valid_until: date | None = None,
    conditions: tuple[str, ...] | None = None,
    items: tuple[LicensedItem, ...] | None = None,
    expected_version: int | None = None,
) -> tuple[Licence, LicenceEvent]:
    """A new version of an active licence with changed validity, conditions or items (Art. 16: the
    authority may modify). The new validity is checked against Art. 12(3) from the original start."""
    changed = replace(
        licence,
        valid_until=licence.valid_until if valid_until is None else valid_until,
        conditions=licence.conditions if conditions is None else tuple(c for c in conditions if c.strip()),
        items=licence.items if items is None else items,
    )
    _check_items(changed.items)
    check_validity(
        changed.licence_type, changed.valid_from, changed.valid_until, justification=changed.justification
    )
    return licence_transition(
        changed, LicenceAction.AMEND, actor_role, actor_id, reason=reason, expected_version=expected_version
    )
