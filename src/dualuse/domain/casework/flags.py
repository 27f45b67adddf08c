"""Flags on a licensing case: a marker an officer must see before deciding, on the case itself or on one of
its subjects (the exporter's organisation, a product's control code, a destination, a party). A flag is
raised by a person or by a flagging rule (``rules``); a blocking flag holds the decision until someone
clears it with a reason. The moves are a table (``FLAG_TRANSITIONS``), each recorded as an event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType

from dualuse.domain.errors import ConflictError, ValidationError

__all__ = [
    "FLAG_TRANSITIONS",
    "Flag",
    "FlagAction",
    "FlagEvent",
    "FlagLevel",
    "FlagStatus",
    "clear_flag",
    "new_flag",
]

LABEL_MAX = 200
REASON_MAX = 2000


class FlagLevel(StrEnum):
    """What a flag is about."""

    CASE = "case"
    ORGANISATION = "organisation"
    PRODUCT = "product"
    DESTINATION = "destination"
    PARTY = "party"


class FlagStatus(StrEnum):
    ACTIVE = "active"
    CLEARED = "cleared"


class FlagAction(StrEnum):
    CLEAR = "clear"


FLAG_TRANSITIONS: Mapping[tuple[FlagStatus, FlagAction], tuple[FlagStatus, str]] = MappingProxyType(
    {(FlagStatus.ACTIVE, FlagAction.CLEAR): (FlagStatus.CLEARED, "FlagCleared")}
)
"""Every legal (status, action) pair of a flag, with the status it reaches and the event it records."""


@dataclass(frozen=True)
class Flag:
    """A flag on a case or one of its subjects; ``rule_id`` names the flagging rule that raised it (empty
    when a person did)."""

    id: int
    level: FlagLevel
    subject: str
    label: str
    blocking: bool
    raised_by: str
    reason: str
    rule_id: str = ""
    status: FlagStatus = FlagStatus.ACTIVE
    cleared_by: str = ""
    clear_reason: str = ""

    @property
    def holds_decision(self) -> bool:
        return self.blocking and self.status is FlagStatus.ACTIVE


@dataclass(frozen=True)
class FlagEvent:
    name: str
    flag_id: int
    actor_id: str
    before: FlagStatus | None
    after: FlagStatus
    note: str


def new_flag(
    flag_id: int,
    *,
    level: FlagLevel | str,
    subject: str,
    label: str,
    blocking: bool,
    raised_by: str,
    reason: str,
    rule_id: str = "",
) -> tuple[Flag, FlagEvent]:
    """Raise a flag; a person's flag says why (a rule's reason is the rule itself)."""
    try:
        parsed = FlagLevel(level)
    except ValueError:
        raise ValidationError(f"unknown flag level {level!r}", field="level") from None
    label = label.strip()
    if not label or len(label) > LABEL_MAX:
        raise ValidationError(f"a flag has a label of 1 to {LABEL_MAX} characters", field="label")
    if not subject.strip():
        raise ValidationError("say what the flag is about", field="subject")
    if not rule_id and not reason.strip():
        raise ValidationError("say why you raise the flag", field="reason")
    if len(reason) > REASON_MAX:
        raise ValidationError(f"a reason has at most {REASON_MAX} characters", field="reason")
    flag = Flag(
        id=flag_id,
        level=parsed,
        subject=subject.strip(),
        label=label,
        blocking=blocking,
        raised_by=raised_by,
        reason=reason.strip(),
        rule_id=rule_id,
    )
    return flag, FlagEvent("FlagRaised", flag_id, raised_by, None, FlagStatus.ACTIVE, label)


def clear_flag(flag: Flag, *, actor_id: str, reason: str) -> tuple[Flag, FlagEvent]:
    """Clear a flag, saying why (a blocking flag then no longer holds the decision)."""
    move = FLAG_TRANSITIONS.get((flag.status, FlagAction.CLEAR))
    if move is None:
        raise ConflictError(f"a flag that is {flag.status} cannot be cleared")
    if not reason.strip():
        raise ValidationError("say why the flag is cleared", field="reason")
    if len(reason) > REASON_MAX:
        raise ValidationError(f"a reason has at most {REASON_MAX} characters", field="reason")
    target, name = move
    after = replace(flag, status=target, cleared_by=actor_id, clear_reason=reason.strip())
    return after, FlagEvent(name, flag.id, actor_id, flag.status, target, reason.strip())
