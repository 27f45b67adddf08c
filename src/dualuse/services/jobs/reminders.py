"""The periodic reminder job: find what an authority has to do before a deadline and record an in-app
reminder for it, once when the deadline comes near and once when it has passed.

Deadlines reminded of: the authority's decision on an Art. 5(2) notification (``Notification.deadline``), a
member state's view in the Art. 5(4)-(6) exchange (``StateView.deadline``), the consulted authority's answer
on a shipment customs hold (Art. 21(4), ``Hold.deadline``), and a licensing case's time limit in its current
status (the member state's limits in the casework rules). Running the job again adds no
reminder twice (each has a key); after each run it queues its next run, a day later, unless one is queued
already."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta

from dualuse.domain import casework as cw
from dualuse.domain.customs import HoldStatus
from dualuse.domain.duediligence import View
from dualuse.domain.duediligence.records import NotificationStatus
from dualuse.domain.errors import PermissionDeniedError
from dualuse.domain.identity import OrganisationKind, Principal
from dualuse.domain.jobs import Job
from dualuse.domain.jobs.reminders import Deadline, StoredReminder, reminders_due
from dualuse.domain.licensing import ApplicationStatus
from dualuse.services.clock import brussels_day
from dualuse.services.jobs.queue import Handler, JobContext, enqueue
from dualuse.services.unit_of_work import UnitOfWork

REMIND_JOB = "remind_deadlines"
# A deadline is reminded of this many days ahead (the home page calls a deadline "close" within 10).
NOTICE_DAYS = 10
EVERY = timedelta(days=1)
NOTIFICATIONS_PAGE = "/authority/notifications"
HOLDS_API = "/api/v1/customs/holds"  # no page yet: the API lists the holds an authority is consulted on
CLOSED_CASE_STATUSES = frozenset({ApplicationStatus.DECIDED.value, ApplicationStatus.WITHDRAWN.value})


def _authorities(uow: UnitOfWork) -> dict[str, int]:
    return {
        o.member_state: o.id
        for o in uow.organisations.list()
        if o.kind is OrganisationKind.AUTHORITY and o.member_state is not None
    }


def deadlines(uow: UnitOfWork, rules: cw.CaseworkRules) -> list[Deadline]:
    """Every open deadline an authority has, with the authority that has to act."""
    authority = _authorities(uow)
    found: list[Deadline] = []
    for n in uow.duediligence.notifications():
        if n.status is NotificationStatus.SUBMITTED and n.member_state in authority:
            found.append(
                Deadline(
                    "dd_notification",
                    n.id,
                    authority[n.member_state],
                    n.deadline,
                    f"decide on the Art. 5(2) notification {n.id}",
                    NOTIFICATIONS_PAGE,
                )
            )
    for requirement in uow.duediligence.requirements():
        for view in uow.duediligence.views(requirement.id):
            if view.view is View.PENDING and view.member_state in authority:
                found.append(
                    Deadline(
                        "art5_view",
                        view.id,
                        authority[view.member_state],
                        view.deadline,
                        f"give your view on {requirement.imposing_state}'s Art. 5 requirement {requirement.id}",
                        NOTIFICATIONS_PAGE,
                    )
                )
    for hold in uow.customs.holds():
        if hold.status is HoldStatus.HELD and hold.authority_state in authority:
            found.append(
                Deadline(
                    "customs_hold",
                    hold.id,
                    authority[hold.authority_state],
                    hold.deadline,
                    f"answer {hold.customs_state} customs on the shipment held under declaration "
                    f"{hold.declaration} (Art. 21(4))",
                    HOLDS_API,
                )
            )
    case_ids = uow.casework.open_case_ids(closed=CLOSED_CASE_STATUSES)
    for case_id, file in sorted(uow.casework.files(case_ids).items()):
        limits = cw.TimeLimits(file.member_state, rules.limits_for(file.member_state), "data", False)
        due = cw.deadline(file, limits)
        if due is not None and file.member_state in authority:
            found.append(
                Deadline(
                    "licensing_case",
                    case_id,
                    authority[file.member_state],
                    brussels_day(due),
                    f"move case {case_id} on from {file.status.replace('_', ' ')}",
                    f"/applications/{case_id}",
                )
            )
    return found


def remind(uow: UnitOfWork, rules: cw.CaseworkRules, now: datetime) -> tuple[int, int]:
    """Record the reminders due at ``now`` (the caller commits); how many were due and how many were new."""
    due = reminders_due(deadlines(uow, rules), brussels_day(now), NOTICE_DAYS)
    added = sum(1 for reminder in due if uow.reminders.add(reminder, now))
    return len(due), added


def schedule(
    uow: UnitOfWork,
    handlers: Mapping[str, Handler],
    *,
    clock: Callable[[], datetime],
    delay: timedelta = timedelta(0),
    running: int | None = None,
) -> int | None:
    """Queue a run of the reminder job unless one is queued or running already (other than ``running``, the
    run that schedules its successor); the new job's id, or None."""
    if any(job.id != running for job in uow.jobs.pending(REMIND_JOB)):
        return None
    return enqueue(uow, REMIND_JOB, {}, handlers=handlers, delay=delay, clock=clock)


def deadline_reminders(rules: cw.CaseworkRules, handlers: Callable[[], Mapping[str, Handler]]) -> Handler:
    """The reminder job's handler, for ``rules``' time limits; it queues its next run from ``handlers()``
    (the worker's whole table, which holds this handler)."""

    def handler(job: Job, context: JobContext) -> str:
        with context.uows() as uow:
            now = context.clock()
            due, added = remind(uow, rules, now)
            message = f"{due} deadline reminder(s) due, {added} new"
            context.progress(uow, job, due, due, message)
            if job.payload.get("periodic", True):
                schedule(uow, handlers(), clock=context.clock, delay=EVERY, running=job.id)
            uow.commit()
        return message

    return handler


def for_principal(
    uow: UnitOfWork, principal: Principal, *, unread_only: bool = False
) -> Sequence[StoredReminder]:
    """The reminders of the principal's organisation, newest first (an authority's own only)."""
    if principal.organisation_id is None:
        raise PermissionDeniedError("sign in to see your reminders")
    return uow.reminders.for_organisation(principal.organisation_id, unread_only=unread_only)


def mark_read(uow: UnitOfWork, principal: Principal, reminder_id: int) -> bool:
    """Mark one of the organisation's reminders read (the caller commits)."""
    if principal.organisation_id is None:
        raise PermissionDeniedError("sign in to see your reminders")
    return uow.reminders.mark_read(reminder_id, principal.organisation_id, uow.clock.now())
