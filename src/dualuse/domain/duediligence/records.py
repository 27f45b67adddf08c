"""The due-diligence records as typed values, their statuses and the legal moves between them.

As in licensing (``domain/licensing/workflow.py``), the moves are data (``MOVES``): each names the status it
leaves, the action, the status it reaches and the event it records; ``move`` interprets the table and refuses
a pair that is not in it with a message that says what to do instead. The repositories return these records,
never raw rows, so a status is always one of its enumeration's members.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from dualuse.domain.duediligence._steps import Step
from dualuse.domain.duediligence.art5 import ConsultationOutcome, View
from dualuse.domain.duediligence.case import Conclusion
from dualuse.domain.errors import ConflictError


class CaseStatus(StrEnum):
    """Where an exporter's due-diligence case stands."""

    OPEN = "open"
    CONCLUDED = "concluded"


class NotificationStatus(StrEnum):
    """Where an Art. 5(2) notification stands: awaiting the authority, or decided either way."""

    SUBMITTED = "submitted"
    AUTHORISATION_REQUIRED = "authorisation_required"
    NOT_REQUIRED = "not_required"


class SubmissionStatus(StrEnum):
    """Where a civil-society report stands: awaiting moderation, accepted (used) or rejected."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class DdAction(StrEnum):
    """What someone does to a due-diligence record."""

    RECORD_STEP = "record_step"
    CONCLUDE = "conclude"
    REOPEN = "reopen"
    NOTIFY = "notify"
    REQUIRE_AUTHORISATION = "require_authorisation"
    RELEASE = "release"
    ACCEPT = "accept"
    REJECT = "reject"


Status = CaseStatus | NotificationStatus | SubmissionStatus


@dataclass(frozen=True)
class Move:
    """One legal move: from ``source`` by ``action`` to ``target``, recorded as the audit event ``event``."""

    source: Status
    action: DdAction
    target: Status
    event: str


MOVES: tuple[Move, ...] = (
    Move(CaseStatus.OPEN, DdAction.RECORD_STEP, CaseStatus.OPEN, "dd_case.step_recorded"),
    Move(CaseStatus.OPEN, DdAction.CONCLUDE, CaseStatus.CONCLUDED, "dd_case.concluded"),
    Move(CaseStatus.CONCLUDED, DdAction.REOPEN, CaseStatus.OPEN, "dd_case.reopened"),
    Move(CaseStatus.CONCLUDED, DdAction.NOTIFY, CaseStatus.CONCLUDED, "notification.submitted"),
    Move(
        NotificationStatus.SUBMITTED,
        DdAction.REQUIRE_AUTHORISATION,
        NotificationStatus.AUTHORISATION_REQUIRED,
        "notification.decided",
    ),
    Move(
        NotificationStatus.SUBMITTED,
        DdAction.RELEASE,
        NotificationStatus.NOT_REQUIRED,
        "notification.decided",
    ),
    Move(SubmissionStatus.PENDING, DdAction.ACCEPT, SubmissionStatus.ACCEPTED, "submission.moderated"),
    Move(SubmissionStatus.PENDING, DdAction.REJECT, SubmissionStatus.REJECTED, "submission.moderated"),
)

_TABLE: Mapping[tuple[Status, DdAction], Move] = MappingProxyType({(m.source, m.action): m for m in MOVES})

_REFUSALS: Mapping[tuple[Status, DdAction], str] = MappingProxyType(
    {
        (
            CaseStatus.CONCLUDED,
            DdAction.RECORD_STEP,
        ): "the case is concluded: reopen it to change its answers",
        (CaseStatus.CONCLUDED, DdAction.CONCLUDE): (
            "the case is concluded already: reopen it to change its conclusion"
        ),
        (CaseStatus.OPEN, DdAction.REOPEN): "the case is open already",
        (CaseStatus.OPEN, DdAction.NOTIFY): "conclude the case with 'notify the authority' first",
    }
)


def move(status: Status, action: DdAction) -> Move:
    """The move ``action`` makes from ``status``; ``ConflictError`` when the table has none."""
    found = _TABLE.get((status, action))
    if found is None:
        default = f"this {type(status).__name__.removesuffix('Status').lower()} has already been decided"
        raise ConflictError(_REFUSALS.get((status, action), default))
    return found


@dataclass(frozen=True)
class DdEvent:
    """A move made on a record, by whom: what the audit trail records."""

    name: str
    entity_type: str
    entity_id: int
    before: Status
    after: Status
    actor: str


def event(moved: Move, entity_type: str, entity_id: int, actor: str) -> DdEvent:
    return DdEvent(moved.event, entity_type, entity_id, moved.source, moved.target, actor)


# --- the records --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DdCase:
    """An exporter's due-diligence case about one transaction (``transaction``: destination, end-user and
    item, as checked when the case was opened)."""

    id: int
    organisation_id: int
    title: str
    transaction: Mapping[str, Any]
    status: CaseStatus
    conclusion: Conclusion | None
    red_flag_version: str
    created_by: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class CaseEntry:
    """One step's record: the answer and note per red flag, a note, evidence, who and when."""

    id: int
    case_id: int
    step: Step
    answers: Mapping[str, Mapping[str, str]]
    note: str
    evidence: Sequence[Mapping[str, Any]]
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class Notification:
    """The exporter's Art. 5(2) notification to its authority, and the authority's decision on it."""

    id: int
    case_id: int
    organisation_id: int
    member_state: str
    transaction: Mapping[str, Any]
    summary: Mapping[str, Any]
    status: NotificationStatus
    deadline: date
    reason: str | None
    decided_by: str | None
    decided_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class Requirement:
    """An authorisation requirement one state imposed under Art. 5, notified to the others (Art. 5(4))."""

    id: int
    notification_id: int
    imposing_state: str
    destination: str
    end_user: str
    item: str
    status: ConsultationOutcome
    notified_on: date
    published_on: date | None
    created_at: datetime


@dataclass(frozen=True)
class StateView:
    """A consulted member state's view on a requirement, with its deadline."""

    id: int
    requirement_id: int
    member_state: str
    view: View
    deadline: date
    reason: str | None
    recorded_by: str | None
    recorded_at: datetime | None


@dataclass(frozen=True)
class StoredProfile:
    """A risk profile of a destination (``country``) or an end-user, as stored (``origin``: seed, authority
    or an accepted civil-society report)."""

    id: int
    subject_kind: str
    subject: str
    level: str
    summary: str
    sources: Sequence[Mapping[str, Any]]
    origin: str
    verified: bool
    entered_by: str
    entered_at: datetime


@dataclass(frozen=True)
class Submission:
    """A report from civil society about a destination or end-user, moderated before it is used."""

    id: int
    organisation_name: str
    contact_email: str | None
    subject_kind: str
    subject: str
    what_happened: str
    sources: Sequence[Mapping[str, Any]]
    name_publicly: bool
    status: SubmissionStatus
    moderation_note: str | None
    moderated_by: str | None
    moderated_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class IcpRecord:
    """An exporter's ICP self-assessment: the level reached per element."""

    id: int
    organisation_id: int
    answers: Mapping[str, str]
    assessed_by: str
    assessed_at: datetime
