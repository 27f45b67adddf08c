"""A denial notification (Art. 16(1)): what a member state refused (or annulled, suspended, substantially
limited, revoked), to whom and why, as the other member states and the Commission are told of it.

The record holds the transaction's parameters (control codes, destination, end-user and consignee) and the
Art. 15(1) considerations relied on, with a reference to the licensing case; never the exporter's
commercial documents. Its status moves by a table (``DENIAL_TRANSITIONS``): in force on notification,
confirmed at a review (the next review falls due three years on — Art. 16(2), unverified), withdrawn by the
issuing state. A confirmed denial is still in force.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from dualuse.domain.denials.law import REVIEW_PERIOD_YEARS
from dualuse.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from dualuse.domain.union import EU_MEMBER_STATES

__all__ = [
    "DENIAL_TRANSITIONS",
    "IN_FORCE",
    "REASON_MAX",
    "Denial",
    "DenialAction",
    "DenialEvent",
    "DenialItem",
    "DenialKind",
    "DenialParty",
    "DenialStatus",
    "new_denial",
    "review_denial",
    "review_due",
]

REASON_MAX = 4000


class DenialKind(StrEnum):
    """What the issuing state did (Art. 16(1), verified)."""

    DENIAL = "denial"
    ANNULMENT = "annulment"
    SUSPENSION = "suspension"
    SUBSTANTIAL_LIMITATION = "substantial_limitation"
    REVOCATION = "revocation"


class DenialStatus(StrEnum):
    IN_FORCE = "in_force"
    CONFIRMED = "confirmed"  # reviewed and kept: still in force
    WITHDRAWN = "withdrawn"


IN_FORCE: frozenset[DenialStatus] = frozenset({DenialStatus.IN_FORCE, DenialStatus.CONFIRMED})
"""The statuses of a denial that other states take into account (Art. 16(5))."""


class DenialAction(StrEnum):
    CONFIRM = "confirm"
    WITHDRAW = "withdraw"


DENIAL_TRANSITIONS: Mapping[tuple[DenialStatus, DenialAction], tuple[DenialStatus, str]] = MappingProxyType(
    {
        (DenialStatus.IN_FORCE, DenialAction.CONFIRM): (DenialStatus.CONFIRMED, "DenialConfirmed"),
        (DenialStatus.CONFIRMED, DenialAction.CONFIRM): (DenialStatus.CONFIRMED, "DenialConfirmed"),
        (DenialStatus.IN_FORCE, DenialAction.WITHDRAW): (DenialStatus.WITHDRAWN, "DenialWithdrawn"),
        (DenialStatus.CONFIRMED, DenialAction.WITHDRAW): (DenialStatus.WITHDRAWN, "DenialWithdrawn"),
    }
)
"""Every legal (status, action) pair of a denial, with the status reached and the event recorded."""


@dataclass(frozen=True)
class DenialItem:
    control_code: str
    description: str = ""


@dataclass(frozen=True)
class DenialParty:
    """An end-user or consignee named in the denial."""

    name: str
    role: str  # "end_user", "consignee", "ultimate_end_user"
    country: str


def review_due(notified_on: date, years: int = REVIEW_PERIOD_YEARS) -> date:
    """The day a review falls due: ``years`` after ``notified_on`` (Art. 16(2), unverified); 29 February
    falls back to 28 February."""
    try:
        return notified_on.replace(year=notified_on.year + years)
    except ValueError:
        return notified_on.replace(year=notified_on.year + years, day=28)


@dataclass(frozen=True)
class Denial:
    """A denial notification as every member state reads it."""

    id: int
    kind: DenialKind
    issuing_state: str
    items: tuple[DenialItem, ...]
    destination: str
    parties: tuple[DenialParty, ...]
    considerations: tuple[str, ...]  # Art. 15(1) considerations relied on (criterion ids)
    reasons: str
    decided_on: date
    case_reference: str  # the issuing authority's case; never the exporter's documents
    status: DenialStatus = DenialStatus.IN_FORCE
    review_due_on: date | None = None
    reviewed_on: date | None = None
    reviewed_by: str = ""
    version: int = 1

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE

    @property
    def control_codes(self) -> tuple[str, ...]:
        return tuple(i.control_code for i in self.items)

    @property
    def reference(self) -> str:
        return f"{self.issuing_state}-DEN-{self.id}"


@dataclass(frozen=True)
class DenialEvent:
    name: str
    denial_id: int
    actor_id: str
    before: DenialStatus | None
    after: DenialStatus
    note: str = ""


def _state(code: str, field: str) -> str:
    normal = code.strip().upper()
    if normal not in EU_MEMBER_STATES:
        raise ValidationError(f"{code!r} is not an EU member state", field=field)
    return normal


def new_denial(
    denial_id: int,
    *,
    kind: DenialKind | str,
    issuing_state: str,
    items: Sequence[DenialItem],
    destination: str,
    parties: Sequence[DenialParty],
    considerations: Sequence[str],
    reasons: str,
    decided_on: date,
    case_reference: str,
    actor_id: str,
) -> tuple[Denial, DenialEvent]:
    """Record a denial notification (Art. 16(1)), in force, with its first review due (Art. 16(2))."""
    try:
        parsed = DenialKind(kind)
    except ValueError:
        raise ValidationError(f"unknown kind of denial {kind!r}", field="kind") from None
    if not items or any(not i.control_code.strip() for i in items):
        raise ValidationError("a denial names the items' control codes", field="items")
    destination = destination.strip().upper()
    if len(destination) != 2 or not destination.isalpha():
        raise ValidationError("the destination is an ISO 3166-1 alpha-2 code", field="destination")
    if not any(p.name.strip() for p in parties):
        raise ValidationError("a denial names the end-user or the consignee", field="parties")
    if len(reasons) > REASON_MAX:
        raise ValidationError(f"reasons have at most {REASON_MAX} characters", field="reasons")
    if not case_reference.strip():
        raise ValidationError("a denial names the licensing case it comes from", field="case_reference")
    denial = Denial(
        id=denial_id,
        kind=parsed,
        issuing_state=_state(issuing_state, "issuing_state"),
        items=tuple(DenialItem(i.control_code.strip().upper(), i.description.strip()) for i in items),
        destination=destination,
        parties=tuple(
            DenialParty(p.name.strip(), p.role, p.country.strip().upper()) for p in parties if p.name.strip()
        ),
        considerations=tuple(dict.fromkeys(c for c in considerations if c)),
        reasons=reasons.strip(),
        decided_on=decided_on,
        case_reference=case_reference.strip(),
        review_due_on=review_due(decided_on),
    )
    return denial, DenialEvent("DenialNotified", denial_id, actor_id, None, denial.status, parsed.value)


def review_denial(
    denial: Denial,
    action: DenialAction | str,
    *,
    actor_state: str,
    actor_id: str,
    on: date,
    note: str = "",
    expected_version: int | None = None,
) -> tuple[Denial, DenialEvent]:
    """The issuing state's review (Art. 16(2), unverified): confirm (next review three years on) or withdraw.

    Only the issuing state reviews its denials (``PermissionDeniedError``); a withdrawal says why."""
    try:
        parsed = DenialAction(action)
    except ValueError:
        raise ValidationError(f"unknown review action {action!r}", field="action") from None
    if actor_state.strip().upper() != denial.issuing_state:
        raise PermissionDeniedError("only the issuing member state reviews its denial")
    if expected_version is not None and expected_version != denial.version:
        raise ConflictError(f"denial {denial.reference} changed since you loaded it; reload")
    move = DENIAL_TRANSITIONS.get((denial.status, parsed))
    if move is None:
        raise ConflictError(f"a denial that is {denial.status.replace('_', ' ')} cannot be given '{parsed}'")
    if parsed is DenialAction.WITHDRAW and not note.strip():
        raise ValidationError("say why the denial is withdrawn", field="note")
    target, name = move
    after = replace(
        denial,
        status=target,
        reviewed_on=on,
        reviewed_by=actor_id,
        review_due_on=review_due(on) if target is DenialStatus.CONFIRMED else None,
        version=denial.version + 1,
    )
    return after, DenialEvent(name, denial.id, actor_id, denial.status, target, note.strip())
