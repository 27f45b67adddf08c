"""Background work run in-process by the queue on the in-memory unit of work: the periodic deadline
reminders (an authority reminded once when a deadline comes near and once when it has passed, never twice,
the next run queued a day later) and the delivery of outgoing documents through a registered channel,
retried with back-off when it fails. The clock moves on; nothing is back-dated."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from dualuse.adapters.sources.casework_rules import load_casework_rules
from dualuse.domain.casework import CaseFile, CaseworkRules
from dualuse.domain.customs import Ground, Hold
from dualuse.domain.duediligence.records import NotificationStatus
from dualuse.domain.identity import OrganisationKind, Principal, Role
from dualuse.domain.jobs import JobStatus, retry_delay
from dualuse.domain.jobs.reminders import Deadline, ReminderStage, reminders_due
from dualuse.services.clock import ManualClock
from dualuse.services.jobs import queue, reminders
from dualuse.services.jobs.kinds import job_handlers
from dualuse.services.jobs.outgoing import DELIVER_OUTGOING, queue_delivery
from dualuse.services.jobs.queue import Handler, JobContext
from tests.fakes import FakeUnitOfWork

RULES: CaseworkRules = load_casework_rules()
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # 2 March in Brussels too


def _deadline(due: date) -> Deadline:
    return Deadline("dd_notification", 7, 1, due, "decide", "/authority/notifications")


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [
        (11, None),
        (10, ReminderStage.SOON),
        (1, ReminderStage.SOON),
        (0, ReminderStage.SOON),
        (-1, ReminderStage.OVERDUE),
    ],
)
def test_a_deadline_is_reminded_of_within_the_notice_period_and_once_overdue(
    days_left: int, stage: ReminderStage | None
) -> None:
    today = date(2026, 3, 2)
    found = reminders_due([_deadline(today + timedelta(days=days_left))], today, notice_days=10)
    assert [r.stage for r in found] == ([] if stage is None else [stage])
    if found:
        assert found[0].key == f"dd_notification:7:{(today + timedelta(days=days_left)).isoformat()}:{stage}"


def _world() -> tuple[FakeUnitOfWork, ManualClock, dict[str, int], dict[str, Handler]]:
    clock = ManualClock(NOON)
    uow = FakeUnitOfWork(clock)
    with uow:
        acme = uow.organisations.add(OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
        de = uow.organisations.add(OrganisationKind.AUTHORITY, "BAFA", "DE", None)
        fr = uow.organisations.add(OrganisationKind.AUTHORITY, "SBDU", "FR", None)
        uow.commit()
    return uow, clock, {"acme": acme.id, "DE": de.id, "FR": fr.id}, job_handlers(RULES)


def _notify(uow: FakeUnitOfWork, organisation_id: int, deadline: date) -> int:
    with uow:
        case_id = uow.duediligence.add_case(
            organisation_id=organisation_id, title="T", transaction={}, red_flag_version="v", by="a"
        )
        notification = uow.duediligence.add_notification(
            case_id=case_id,
            organisation_id=organisation_id,
            member_state="DE",
            transaction={},
            summary={},
            deadline=deadline,
        )
        uow.commit()
    return notification


def _run_due(uow: FakeUnitOfWork, handlers: Mapping[str, Handler], clock: ManualClock) -> int:
    return queue.work(lambda: uow, handlers, worker="w", burst=True, wait=lambda: False, clock=clock.now)


def _reminders(uow: FakeUnitOfWork, organisation_id: int) -> list[tuple[str, str]]:
    with uow:
        return [
            (r.reminder.subject_type, r.reminder.stage.value)
            for r in uow.reminders.for_organisation(organisation_id)
        ]


def test_art_5_2_the_authority_is_reminded_of_a_notification_to_decide_once_per_stage() -> None:
    uow, clock, orgs, handlers = _world()
    _notify(uow, orgs["acme"], NOON.date() + timedelta(days=20))
    decided = _notify(uow, orgs["acme"], NOON.date() + timedelta(days=3))
    with uow:
        uow.duediligence.decide_notification(
            decided, status=NotificationStatus.NOT_REQUIRED, reason="fine", by="officer"
        )
        assert reminders.schedule(uow, handlers, clock=clock.now) is not None
        assert reminders.schedule(uow, handlers, clock=clock.now) is None  # queued already
        uow.commit()
    assert _run_due(uow, handlers, clock) == 1
    assert _reminders(uow, orgs["DE"]) == []  # 20 days off; the decided one is not reminded of
    clock.advance(timedelta(days=10))
    assert _run_due(uow, handlers, clock) == 1  # the next run, queued a day after the first
    assert _reminders(uow, orgs["DE"]) == [("dd_notification", "soon")]
    clock.advance(timedelta(days=1))
    assert _run_due(uow, handlers, clock) == 1
    assert _reminders(uow, orgs["DE"]) == [("dd_notification", "soon")]  # not twice
    clock.advance(timedelta(days=10))
    assert _run_due(uow, handlers, clock) == 1
    assert _reminders(uow, orgs["DE"]) == [("dd_notification", "overdue"), ("dd_notification", "soon")]
    assert _reminders(uow, orgs["FR"]) == []
    with uow:
        pending = uow.jobs.pending(reminders.REMIND_JOB)
        assert [(j.status, j.run_after) for j in pending] == [
            (JobStatus.QUEUED, clock.now() + reminders.EVERY)
        ]
        done = [j.message for j in reversed(uow.jobs.recent()) if j.status is JobStatus.DONE]
    assert done == [
        "0 deadline reminder(s) due, 0 new",
        "1 deadline reminder(s) due, 1 new",
        "1 deadline reminder(s) due, 0 new",  # run again: nothing added twice
        "1 deadline reminder(s) due, 1 new",
    ]


def test_a_case_a_view_and_a_customs_hold_are_reminded_of_by_their_deadlines() -> None:
    uow, clock, orgs, _ = _world()
    with uow:
        uow.casework.add_file(CaseFile(41, "DE", "team", "", "", "submitted", NOON), [])
        uow.casework.add_file(CaseFile(42, "DE", "team", "", "", "decided", NOON - timedelta(days=99)), [])
        notification = uow.duediligence.add_notification(
            case_id=1,
            organisation_id=orgs["acme"],
            member_state="DE",
            transaction={},
            summary={},
            deadline=NOON.date() + timedelta(days=60),
        )
        requirement = uow.duediligence.add_requirement(
            notification_id=notification,
            imposing_state="DE",
            destination="BR",
            end_user="E",
            item="I",
            notified_on=NOON.date(),
        )
        uow.duediligence.add_view(requirement_id=requirement, member_state="FR", deadline=NOON.date())
        uow.customs.add_hold(
            lambda hold_id: Hold(
                hold_id,
                "NL",
                "FR",
                "FR-2026-1",
                "24NL0001",
                Ground.CIRCUMSTANCES_CHANGED,
                "",
                "customs",
                NOON.date() - timedelta(days=31),
                NOON.date() - timedelta(days=1),
            )
        )
        uow.commit()
    with uow:
        assert reminders.remind(uow, RULES, clock.now()) == (3, 3)
        uow.commit()
    assert _reminders(uow, orgs["DE"]) == [("licensing_case", "soon")]  # DE: 3 days for a submitted case
    assert _reminders(uow, orgs["FR"]) == [("customs_hold", "overdue"), ("art5_view", "soon")]
    with uow:
        [case_reminder] = uow.reminders.for_organisation(orgs["DE"])
        assert case_reminder.reminder.href == "/applications/41"
        assert case_reminder.reminder.due == NOON.date() + timedelta(days=3)
        authority = uow.organisations.get(orgs["DE"])
        assert authority is not None
        officer = Principal.for_user(9, "officer@de.example", Role.AUTHORITY_OFFICER, authority)
        assert reminders.mark_read(uow, officer, case_reminder.id)
        assert not reminders.mark_read(uow, officer, case_reminder.id)
        uow.commit()
    with uow:
        assert reminders.for_principal(uow, officer, unread_only=True) == []


class FlakyChannel:
    """A channel that fails its first ``failures`` deliveries."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.sent: list[Mapping[str, Any]] = []

    def __call__(self, payload: Mapping[str, Any], context: JobContext) -> str:  # noqa: ARG002 - sends nothing else
        if self.failures:
            self.failures -= 1
            raise ConnectionError("the receiving state's gateway did not answer")
        self.sent.append(dict(payload))
        return f"document {payload['document_id']} delivered"


def test_an_outgoing_document_is_delivered_through_its_channel_and_retried_until_through() -> None:
    clock = ManualClock(NOON)
    uow = FakeUnitOfWork(clock)
    channel = FlakyChannel(failures=1)
    handlers = job_handlers(RULES, {"art5-exchange": channel})
    with uow:
        job_id = queue_delivery(uow, "art5-exchange", {"document_id": 7}, handlers=handlers, clock=clock.now)
        uow.commit()
    assert _run_due(uow, handlers, clock) == 1
    with uow:
        failed = uow.jobs.get(job_id)
    assert failed is not None
    assert (failed.status, failed.attempts, failed.run_after) == (JobStatus.QUEUED, 1, NOON + retry_delay(1))
    assert "did not answer" in (failed.last_error or "")
    assert _run_due(uow, handlers, clock) == 0  # not before its back-off
    clock.advance(retry_delay(1))
    assert _run_due(uow, handlers, clock) == 1
    with uow:
        done = uow.jobs.get(job_id)
    assert done is not None
    assert (done.status, done.message) == (JobStatus.DONE, "art5-exchange: document 7 delivered")
    assert channel.sent == [{"document_id": 7, "channel": "art5-exchange"}]


def test_a_delivery_for_a_channel_nobody_registered_fails_with_why() -> None:
    clock = ManualClock(NOON)
    uow = FakeUnitOfWork(clock)
    handlers = job_handlers(RULES)
    with uow:
        job_id = queue_delivery(uow, "nowhere", {"document_id": 1}, handlers=handlers, clock=clock.now)
        uow.commit()
    assert _run_due(uow, handlers, clock) == 1
    with uow:
        job = uow.jobs.get(job_id)
    assert job is not None
    assert job.kind == DELIVER_OUTGOING
    assert "no delivery registered for channel 'nowhere' (known: none)" in (job.last_error or "")
