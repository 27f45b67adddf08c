"""Consultations between member states' authorities, with a deadline in the consulted state's working days.

- Art. 16(5) (verified): before granting, the authority consults the state that denied an essentially
  identical transaction. No time limit for the reply was found in the regulation (the absence is
  unverified): the deadline is the system's default (``law.ART_16_5_REPLY_DAYS`` working days),
  configurable, and marked as not law. The consulted state's answer informs; it does not bind.
- Art. 14(1) (verified): items located in another member state; that state's objections come within 10
  working days and bind the consulting state.

Moves are a table (``CONSULTATION_TRANSITIONS``): open → answered (agrees, or objects with reasons), or
open → lapsed (recorded by the consulting state once the deadline has passed without an answer: it may
then decide).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from dualuse.domain.denials.law import (
    ART_14_1,
    ART_14_WORKING_DAYS,
    ART_16_5,
    ART_16_5_REPLY_DAYS,
    LegalFact,
)
from dualuse.domain.duediligence.deadlines import add_working_days
from dualuse.domain.errors import ConflictError, PermissionDeniedError, ValidationError

__all__ = [
    "CONSULTATION_TRANSITIONS",
    "Answer",
    "Consultation",
    "ConsultationAction",
    "ConsultationEvent",
    "ConsultationKind",
    "ConsultationStatus",
    "Deadline",
    "answer",
    "deadline_for",
    "lapse",
    "may_decide",
    "open_consultation",
]

REASONS_MAX = 4000


class ConsultationKind(StrEnum):
    ESSENTIALLY_IDENTICAL = "essentially_identical"  # Art. 16(5)
    ITEMS_IN_OTHER_STATE = "items_in_other_state"  # Art. 14(1)


class ConsultationStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    LAPSED = "lapsed"


class ConsultationAction(StrEnum):
    ANSWER = "answer"
    LAPSE = "lapse"


class Answer(StrEnum):
    AGREES = "agrees"
    OBJECTS = "objects"


CONSULTATION_TRANSITIONS: Mapping[
    tuple[ConsultationStatus, ConsultationAction], tuple[ConsultationStatus, str]
] = MappingProxyType(
    {
        (ConsultationStatus.OPEN, ConsultationAction.ANSWER): (
            ConsultationStatus.ANSWERED,
            "ConsultationAnswered",
        ),
        (ConsultationStatus.OPEN, ConsultationAction.LAPSE): (
            ConsultationStatus.LAPSED,
            "ConsultationLapsed",
        ),
    }
)


@dataclass(frozen=True)
class Deadline:
    """A consultation's deadline and whether the regulation sets it (``law``) or the system does."""

    due_on: date
    working_days: int
    law: bool
    basis: LegalFact


def deadline_for(
    kind: ConsultationKind | str,
    opened_on: date,
    consulted_state: str,
    *,
    default_days: int = ART_16_5_REPLY_DAYS,
) -> Deadline:
    """The deadline of a consultation in the consulted state's working days: 10 for Art. 14(1) (law,
    verified); ``default_days`` for Art. 16(5), the system's default (no time limit in the law found)."""
    parsed = ConsultationKind(kind)
    if parsed is ConsultationKind.ITEMS_IN_OTHER_STATE:
        days = ART_14_WORKING_DAYS
        return Deadline(add_working_days(opened_on, days, consulted_state), days, True, ART_14_1)
    if not 1 <= default_days <= 120:
        raise ValidationError("a reply time is 1 to 120 working days", field="default_days")
    return Deadline(add_working_days(opened_on, default_days, consulted_state), default_days, False, ART_16_5)


@dataclass(frozen=True)
class Consultation:
    id: int
    kind: ConsultationKind
    consulting_state: str
    consulted_state: str
    case_id: int | None  # the consulting state's licensing case
    denial_id: int | None  # the consulted state's denial (Art. 16(5))
    subject: str  # what is asked, in words (items, end-user, destination)
    opened_on: date
    due_on: date
    deadline_is_law: bool
    status: ConsultationStatus = ConsultationStatus.OPEN
    answer: Answer | None = None
    reasons: str = ""
    answered_by: str = ""
    answered_on: date | None = None
    version: int = 1

    @property
    def binding(self) -> bool:
        """An objection binds only under Art. 14(1) (verified); under Art. 16(5) it informs."""
        return self.kind is ConsultationKind.ITEMS_IN_OTHER_STATE

    def overdue(self, today: date) -> bool:
        return self.status is ConsultationStatus.OPEN and today > self.due_on


@dataclass(frozen=True)
class ConsultationEvent:
    name: str
    consultation_id: int
    actor_id: str
    before: ConsultationStatus | None
    after: ConsultationStatus
    note: str = ""


def open_consultation(
    consultation_id: int,
    *,
    kind: ConsultationKind | str,
    consulting_state: str,
    consulted_state: str,
    subject: str,
    opened_on: date,
    actor_id: str,
    case_id: int | None = None,
    denial_id: int | None = None,
    default_days: int = ART_16_5_REPLY_DAYS,
) -> tuple[Consultation, ConsultationEvent]:
    """Open a consultation of ``consulted_state`` by ``consulting_state`` with its deadline."""
    parsed = ConsultationKind(kind)
    consulting, consulted = consulting_state.strip().upper(), consulted_state.strip().upper()
    if consulting == consulted:
        raise ValidationError("a state does not consult itself", field="consulted_state")
    if parsed is ConsultationKind.ESSENTIALLY_IDENTICAL and denial_id is None:
        raise ValidationError("an Art. 16(5) consultation is about a denial", field="denial_id")
    if not subject.strip():
        raise ValidationError("say what the consultation is about", field="subject")
    due = deadline_for(parsed, opened_on, consulted, default_days=default_days)
    consultation = Consultation(
        id=consultation_id,
        kind=parsed,
        consulting_state=consulting,
        consulted_state=consulted,
        case_id=case_id,
        denial_id=denial_id,
        subject=subject.strip(),
        opened_on=opened_on,
        due_on=due.due_on,
        deadline_is_law=due.law,
    )
    event = ConsultationEvent("ConsultationOpened", consultation_id, actor_id, None, consultation.status)
    return consultation, event


def _move(consultation: Consultation, action: ConsultationAction) -> tuple[ConsultationStatus, str]:
    move = CONSULTATION_TRANSITIONS.get((consultation.status, action))
    if move is None:
        raise ConflictError(f"a consultation that is {consultation.status} cannot be given '{action}'")
    return move


def answer(
    consultation: Consultation,
    given: Answer | str,
    *,
    reasons: str,
    actor_state: str,
    actor_id: str,
    on: date,
    expected_version: int | None = None,
) -> tuple[Consultation, ConsultationEvent]:
    """The consulted state answers: it agrees, or objects with reasons. Late answers are still taken."""
    try:
        parsed = Answer(given)
    except ValueError:
        raise ValidationError(f"unknown answer {given!r}", field="answer") from None
    if actor_state.strip().upper() != consultation.consulted_state:
        raise PermissionDeniedError("only the consulted state answers a consultation")
    if expected_version is not None and expected_version != consultation.version:
        raise ConflictError("the consultation changed since you loaded it; reload")
    if parsed is Answer.OBJECTS and not reasons.strip():
        raise ValidationError("an objection gives its reasons", field="reasons")
    if len(reasons) > REASONS_MAX:
        raise ValidationError(f"reasons have at most {REASONS_MAX} characters", field="reasons")
    target, name = _move(consultation, ConsultationAction.ANSWER)
    after = replace(
        consultation,
        status=target,
        answer=parsed,
        reasons=reasons.strip(),
        answered_by=actor_id,
        answered_on=on,
        version=consultation.version + 1,
    )
    return after, ConsultationEvent(
        name, consultation.id, actor_id, consultation.status, target, parsed.value
    )


def lapse(
    consultation: Consultation, *, actor_state: str, actor_id: str, on: date
) -> tuple[Consultation, ConsultationEvent]:
    """The consulting state records that the deadline passed without an answer (then it may decide)."""
    if actor_state.strip().upper() != consultation.consulting_state:
        raise PermissionDeniedError("only the consulting state records that its consultation lapsed")
    if not consultation.overdue(on):
        raise ConflictError(f"the consultation is open until {consultation.due_on.isoformat()}")
    target, name = _move(consultation, ConsultationAction.LAPSE)
    after = replace(consultation, status=target, version=consultation.version + 1)
    return after, ConsultationEvent(name, consultation.id, actor_id, consultation.status, target)


def may_decide(consultations: Iterable[Consultation], today: date) -> bool:
    """Whether the consulting state may decide: every consultation answered, lapsed or past its deadline."""
    return all(c.status is not ConsultationStatus.OPEN or c.overdue(today) for c in consultations)
