"""Reminders of deadlines: an in-app notification to the organisation that has to act before a deadline —
an authority deciding on an Art. 5(2) notification, giving its view in the Art. 5(4)-(6) exchange, or
moving a licensing case on within its member state's time limit.

Each deadline is reminded of at most twice: once when it comes within the notice period, once when it has
passed. A reminder's key names its subject, its deadline and which of the two it is, so working out the
reminders again (every run of the periodic job) adds none twice."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class ReminderStage(StrEnum):
    SOON = "soon"  # the deadline is within the notice period
    OVERDUE = "overdue"  # the deadline has passed


@dataclass(frozen=True)
class Deadline:
    """Something ``organisation_id`` has to do by ``due`` (a calendar day in the Union's time)."""

    subject_type: str  # "dd_notification", "art5_view", "licensing_case"
    subject_id: int
    organisation_id: int
    due: date
    what: str  # what is to be done, in plain words ("decide on notification 7")
    href: str  # the page where it is done


@dataclass(frozen=True)
class Reminder:
    key: str
    organisation_id: int
    subject_type: str
    subject_id: int
    due: date
    stage: ReminderStage
    message: str
    href: str


@dataclass(frozen=True)
class StoredReminder:
    id: int
    reminder: Reminder
    created_at: datetime
    read_at: datetime | None


def reminder_key(deadline: Deadline, stage: ReminderStage) -> str:
    return f"{deadline.subject_type}:{deadline.subject_id}:{deadline.due.isoformat()}:{stage.value}"


def reminders_due(deadlines: Iterable[Deadline], today: date, notice_days: int) -> list[Reminder]:
    """The reminders the deadlines call for ``today``: one for each deadline within ``notice_days`` (today
    included), one for each that has passed; none for a deadline further off."""
    if notice_days < 0:
        raise ValueError("the notice period is a number of days, zero or more")
    found = []
    for deadline in deadlines:
        left = (deadline.due - today).days
        if left < 0:
            stage = ReminderStage.OVERDUE
            message = f"Overdue since {deadline.due.isoformat()}: {deadline.what}"
        elif left <= notice_days:
            stage = ReminderStage.SOON
            when = "today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
            message = f"Due {when} ({deadline.due.isoformat()}): {deadline.what}"
        else:
            continue
        found.append(
            Reminder(
                key=reminder_key(deadline, stage),
                organisation_id=deadline.organisation_id,
                subject_type=deadline.subject_type,
                subject_id=deadline.subject_id,
                due=deadline.due,
                stage=stage,
                message=message,
                href=deadline.href,
            )
        )
    return found
