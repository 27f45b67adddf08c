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
    "PendingChange",
    "amend_licence",
    "amended",
    "check_code",
    "check_start",
    "check_validity",
    "countersign_change",
    "issue_licence",
    "latest_valid_until",
    "licence_number",
    "licence_transition",
    "next_sequence",
    "parse_licence_number",
    "propose_change",
    "reject_change",
    "relaxations",
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


# Characters read or typed for one another: base32 has O, I, L and B but no 0, 1 or 8. A code is compared
# with each set folded to one character, so "0"/"O", "1"/"I"/"L" and "8"/"B" are all accepted (the folding
# costs under 2 of the code's 60 bits).
_LOOK_ALIKES = str.maketrans({"0": "O", "1": "I", "L": "I", "8": "B"})


def fold_check_code(code: str) -> str:
    """``code`` as compared: capitals, no spaces or hyphens, look-alike characters folded together."""
    return re.sub(r"[\s-]", "", code).upper().translate(_LOOK_ALIKES)


def verify_check_code(number: str, code: str, secret: bytes) -> bool:
    """Whether ``code`` is the check code of ``number`` (case, spaces, hyphens and the look-alikes 0/O,
    1/I/L and 8/B ignored)."""
    given = fold_check_code(code)
    # the whole printed code: a shorter prefix would be a weaker code (8 characters: 40 bits, not 60)
    if not CHECK_CODE_LENGTH <= len(given) <= 52:
        return False
    expected = fold_check_code(check_code(number, secret, length=len(given)))
    return hmac.compare_digest(given, expected)


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
    COUNTERSIGN = "countersign"
    """A senior other than the proposer countersigns the change that awaits it (four eyes)."""
    REJECT = "reject"
    """A senior (or the proposer) turns down the change that awaits countersignature."""


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
    pending: PendingChange | None = None
    """A change that relaxes the licence, proposed and waiting for a countersignature (not yet in force)."""

    def item(self, line: int) -> LicensedItem:
        for item in self.items:
            if item.line == line:
                return item
        raise ValidationError(f"licence {self.number} has no item line {line}", field="item_line")


@dataclass(frozen=True)
class PendingChange:
    """A change that relaxes a licence — an amendment that gives the holder more, or reinstating a suspended
    licence — proposed by one official and in force only once a senior official other than the proposer
    countersigns it (the four-eyes principle of the case decision, applied to the licence's later life)."""

    action: LicenceAction
    proposed_by: str
    proposer_role: Actor
    reason: str
    relaxations: tuple[str, ...]
    valid_until: date
    conditions: tuple[str, ...]
    items: tuple[LicensedItem, ...]
    at_version: int
    """The licence version the proposal made; any other move of the licence discards the proposal."""


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
    countersigned: bool = False
    """The move relaxes the licence: one official proposes it, a senior other than the proposer countersigns
    it (``propose_change``, ``countersign_change``); ``actors`` are those who may countersign."""


L = LicenceStatus
LA = LicenceAction
_AUTHORITY = frozenset({Actor.OFFICER, Actor.SENIOR})
_SENIOR = frozenset({Actor.SENIOR})
_SYSTEM = frozenset({Actor.SYSTEM})

_ROWS: tuple[LicenceTransition, ...] = (
    LicenceTransition(L.ACTIVE, LA.AMEND, L.ACTIVE, _AUTHORITY, "LicenceAmended", needs_reason=True),
    LicenceTransition(L.ACTIVE, LA.SUSPEND, L.SUSPENDED, _AUTHORITY, "LicenceSuspended", True, True),
    LicenceTransition(
        L.SUSPENDED, LA.REINSTATE, L.ACTIVE, _SENIOR, "LicenceReinstated", True, True, countersigned=True
    ),
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
Reinstating notifies too: Art. 16 has the authority report its final assessment after a suspension.

Who acts alone, and who needs a second pair of eyes. Everything that takes from the holder takes effect at once,
because protection can be urgent: an officer or a senior suspends, or amends a licence to give less (a shorter
validity, conditions added, smaller quantities or values, items taken off); only a senior revokes or annuls.
Everything that gives the holder more — reinstating a suspended licence, extending its validity, removing or
rewording a condition, raising a quantity or value, adding or changing an item — is proposed by one official
and takes effect only when a senior other than the proposer countersigns it, like the decision on the case."""


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
    _check_version(licence, expected_version)
    row = LICENCE_TRANSITIONS.get((licence.status, action))
    if row is None:
        raise ConflictError(f"a licence that is {licence.status} cannot be given '{action}'")
    if actor_role not in row.actors:
        allowed = " or ".join(sorted(row.actors))
        raise PermissionDeniedError(f"only the {allowed} may {action} a licence, not the {actor_role}")
    if row.countersigned:
        raise PermissionDeniedError(
            f"to {action} a licence relaxes it: propose it, and a senior other than you countersigns it"
        )
    if row.needs_reason and not reason.strip():
        raise ValidationError(f"to {action} a licence, say why (Art. 16)", field="reason")
    return _move(licence, row, actor_role, actor_id, reason=reason)


def _check_version(licence: Licence, expected_version: int | None) -> None:
    """Optimistic locking: the licence must still be at the version the caller read."""
    if expected_version is not None and expected_version != licence.version:
        raise ConflictError(
            f"licence {licence.number} is at version {licence.version}, not {expected_version}; reload it"
        )


def _move(
    licence: Licence, row: LicenceTransition, actor_role: Actor, actor_id: str, *, reason: str
) -> tuple[Licence, LicenceEvent]:
    """The move of ``row``, checked by the caller. A proposal waiting for countersignature lapses: it was
    made on the licence as it stood before."""
    action = row.action
    after = replace(licence, status=row.target, version=licence.version + 1, pending=None)
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


def amended(
    licence: Licence,
    *,
    valid_until: date | None = None,
    conditions: tuple[str, ...] | None = None,
    items: tuple[LicensedItem, ...] | None = None,
) -> Licence:
    """The licence with changed validity, conditions or items, checked (items, Art. 12(3) validity from the
    original start); not yet in force."""
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
    return changed


def relaxations(before: Licence, after: Licence) -> tuple[str, ...]:
    """How ``after`` gives the holder more than ``before`` (empty when it gives the same or less)."""
    found: list[str] = []
    if after.valid_until > before.valid_until:
        found.append(f"validity extended from {before.valid_until} to {after.valid_until}")
    found.extend(
        f"condition removed or reworded: {c!r}" for c in before.conditions if c not in after.conditions
    )
    old = {item.line: item for item in before.items}
    for item in after.items:
        was = old.get(item.line)
        if was is None:
            found.append(f"item line {item.line} added ({item.control_code})")
            continue
        if (item.control_code, item.unit) != (was.control_code, was.unit):
            found.append(f"item line {item.line} changed from {was.control_code} to {item.control_code}")
        if item.quantity > was.quantity:
            found.append(f"item line {item.line}: quantity raised from {was.quantity} to {item.quantity}")
        if item.value_eur > was.value_eur:
            found.append(f"item line {item.line}: value raised from {was.value_eur} to {item.value_eur} EUR")
    return tuple(found)


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
    """A new version of an active licence that gives the holder the same or less (Art. 16: the authority
    may modify), in force at once. A change that relaxes it is refused here: ``propose_change`` it."""
    changed = amended(licence, valid_until=valid_until, conditions=conditions, items=items)
    relaxed = relaxations(licence, changed)
    if relaxed:
        raise PermissionDeniedError(
            "this amendment relaxes the licence (" + "; ".join(relaxed) + "): propose it, and a senior "
            "other than you countersigns it"
        )
    return licence_transition(
        changed, LicenceAction.AMEND, actor_role, actor_id, reason=reason, expected_version=expected_version
    )


def propose_change(
    licence: Licence,
    action: LicenceAction,
    actor_role: Actor,
    actor_id: str,
    *,
    reason: str,
    target: Licence | None = None,
    expected_version: int | None = None,
) -> tuple[Licence, LicenceEvent]:
    """Propose a change that relaxes the licence: reinstating it, or an amendment to ``target`` (from
    ``amended``). It waits for a senior other than the proposer; until then the licence is as it was."""
    action = LicenceAction(action)
    actor_role = Actor(actor_role)
    _check_version(licence, expected_version)
    row = LICENCE_TRANSITIONS.get((licence.status, action))
    if row is None or action not in (LicenceAction.AMEND, LicenceAction.REINSTATE):
        raise ConflictError(f"a licence that is {licence.status} cannot be given '{action}'")
    if actor_role not in _AUTHORITY:
        raise PermissionDeniedError("only the competent authority's officials propose changes to a licence")
    if not reason.strip():
        raise ValidationError(f"to {action} a licence, say why (Art. 16)", field="reason")
    if licence.pending is not None:
        raise ConflictError(
            f"a change to licence {licence.number} already awaits countersignature: countersign or reject it first"
        )
    target = target or licence
    relaxed = (
        relaxations(licence, target)
        if action is LicenceAction.AMEND
        else (f"reinstated: the {licence.status} licence in force again",)
    )
    if not relaxed:
        raise ValidationError(
            "this amendment gives the holder nothing more: amend it directly", field="action"
        )
    version = licence.version + 1
    pending = PendingChange(
        action=action,
        proposed_by=actor_id,
        proposer_role=actor_role,
        reason=reason,
        relaxations=relaxed,
        valid_until=target.valid_until,
        conditions=target.conditions,
        items=target.items,
        at_version=version,
    )
    after = replace(licence, pending=pending, version=version)
    return after, _pending_event(
        licence, after, action, "LicenceChangeProposed", actor_role, actor_id, reason
    )


def countersign_change(
    licence: Licence, actor_role: Actor, actor_id: str, *, expected_version: int | None = None
) -> tuple[Licence, LicenceEvent]:
    """A senior other than the proposer puts the proposed change in force (four eyes)."""
    pending = licence.pending
    if pending is None:
        raise ConflictError(f"no change to licence {licence.number} awaits countersignature")
    _check_version(licence, expected_version)
    row = LICENCE_TRANSITIONS.get((licence.status, pending.action))
    if row is None or pending.at_version != licence.version:
        raise ConflictError(f"the proposed change no longer fits licence {licence.number}: propose it again")
    if Actor(actor_role) not in (row.actors if row.countersigned else _SENIOR):
        raise PermissionDeniedError("only a senior official countersigns a change that relaxes a licence")
    if actor_id == pending.proposed_by:
        raise PermissionDeniedError("four eyes: a change is countersigned by someone other than its proposer")
    changed = replace(
        licence, valid_until=pending.valid_until, conditions=pending.conditions, items=pending.items
    )
    if pending.action is LicenceAction.AMEND:
        changed = amended(changed)  # checked again (Art. 12(3)), as it will stand
    return _move(changed, row, Actor(actor_role), actor_id, reason=pending.reason)


def reject_change(
    licence: Licence, actor_role: Actor, actor_id: str, *, reason: str
) -> tuple[Licence, LicenceEvent]:
    """A senior, or the proposer withdrawing it, turns down the change awaiting countersignature."""
    pending = licence.pending
    if pending is None:
        raise ConflictError(f"no change to licence {licence.number} awaits countersignature")
    if Actor(actor_role) is not Actor.SENIOR and actor_id != pending.proposed_by:
        raise PermissionDeniedError("only a senior official or the proposer turns down a proposed change")
    if not reason.strip():
        raise ValidationError("to reject a proposed change, say why", field="reason")
    after = replace(licence, pending=None, version=licence.version + 1)
    event = _pending_event(
        licence, after, LicenceAction.REJECT, "LicenceChangeRejected", Actor(actor_role), actor_id, reason
    )
    return after, event


def _pending_event(
    before: Licence,
    after: Licence,
    action: LicenceAction,
    name: str,
    actor_role: Actor,
    actor_id: str,
    reason: str,
) -> LicenceEvent:
    return LicenceEvent(
        name=name,
        licence_number=before.number,
        action=action,
        actor_role=actor_role,
        actor_id=actor_id,
        before=before.status,
        after=after.status,
        version=after.version,
        notify_other_states=False,
        reason=reason,
    )
