"""The worker runs the background work of issue #16 in-process on a real database (SQLite and PostgreSQL):
``dualuse worker`` schedules the daily deadline reminders and records them for the authority once, the next
run waits a day on the clock, and an outgoing document is delivered through a registered channel, retried
after a failure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest
from typer.testing import CliRunner

from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.domain.jobs import JobStatus, retry_delay
from dualuse.entrypoints.cli.main import app as cli
from dualuse.services.jobs import queue, reminders
from dualuse.services.jobs.outgoing import queue_delivery
from dualuse.services.jobs.queue import JobContext
from tests.factories import make_organisation, make_person, manual_clock
from tests.integration.test_general_authorisation_pages import sign_in

runner = CliRunner()


def _notification_due_in(container: Container, organisation_id: int, days: int) -> int:
    with container.uow() as uow:
        case_id = uow.duediligence.add_case(
            organisation_id=organisation_id, title="T", transaction={}, red_flag_version="v", by="a"
        )
        notification = uow.duediligence.add_notification(
            case_id=case_id,
            organisation_id=organisation_id,
            member_state="DE",
            transaction={},
            summary={},
            deadline=container.clock.today() + timedelta(days=days),
        )
        uow.commit()
    return notification


def test_the_worker_schedules_the_daily_reminders_and_records_each_once(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    authority = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    _notification_due_in(container, acme.id, 2)
    for _ in range(2):  # a second worker start neither schedules a second chain nor reminds twice
        worked = runner.invoke(cli, ["worker", "--burst"])
        assert worked.exit_code == 0, worked.output
    assert "remind_deadlines" in worked.output
    with container.uow() as uow:
        [kept] = uow.reminders.for_organisation(authority.id)
        [next_run] = uow.jobs.pending(reminders.REMIND_JOB)
        runs = [j for j in uow.jobs.recent() if j.kind == reminders.REMIND_JOB]
    assert kept.reminder.subject_type == "dd_notification"
    assert kept.reminder.message.startswith("Due in 2 days")
    assert kept.reminder.href == "/authority/notifications"
    assert next_run.status is JobStatus.QUEUED
    assert [j.status for j in runs] == [JobStatus.QUEUED, JobStatus.DONE]


def test_the_next_run_waits_for_the_clock_and_reminds_of_the_passed_deadline(container: Container) -> None:
    clock = manual_clock(container)
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    authority = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    _notification_due_in(container, acme.id, 0)
    handlers = container.job_handlers()
    with container.uow() as uow:
        reminders.schedule(uow, handlers, clock=clock.now)
        uow.commit()
    assert queue.run_next(container.uow, handlers, worker="w", clock=clock.now) is not None
    assert queue.run_next(container.uow, handlers, worker="w", clock=clock.now) is None  # a day to wait
    clock.advance(reminders.EVERY)
    assert queue.run_next(container.uow, handlers, worker="w", clock=clock.now) is not None
    with container.uow() as uow:
        stages = [r.reminder.stage.value for r in uow.reminders.for_organisation(authority.id)]
    assert stages == ["overdue", "soon"]


class FlakyChannel:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, payload: Mapping[str, Any], context: JobContext) -> str:  # noqa: ARG002 - needs no database
        self.calls += 1
        if self.calls == 1:
            raise ConnectionError("no answer")
        return f"sent {payload['document_id']}"


def test_an_outgoing_document_is_delivered_by_the_channel_registered_on_the_container(
    container: Container,
) -> None:
    clock = manual_clock(container)
    container.deliveries["exchange"] = FlakyChannel()
    handlers = container.job_handlers()
    with container.uow() as uow:
        job_id = queue_delivery(uow, "exchange", {"document_id": 3}, handlers=handlers, clock=clock.now)
        uow.commit()
    queue.run_next(container.uow, handlers, worker="w", clock=clock.now)
    clock.advance(retry_delay(1))
    queue.run_next(container.uow, handlers, worker="w", clock=clock.now)
    with container.uow() as uow:
        job = uow.jobs.get(job_id)
    assert job is not None
    assert (job.status, job.attempts, job.message, job.last_error) == (
        JobStatus.DONE,
        2,
        "exchange: sent 3",
        "ConnectionError: no answer",
    )


def test_the_authority_sees_its_new_reminders_on_its_home_and_page(container: Container) -> None:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    authority = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    make_person(container, authority, Role.AUTHORITY_OFFICER, "officer@bafa.example")
    _notification_due_in(container, acme.id, 3)
    handlers = container.job_handlers()
    with container.uow() as uow:
        reminders.schedule(uow, handlers, clock=container.clock.now)
        uow.commit()
    assert queue.run_next(container.uow, handlers, worker="w", clock=container.clock.now) is not None
    web, _ = sign_in(container, "officer@bafa.example")
    assert 'data-todo-key="reminders" data-count="1"' in web.get("/").text
    page = web.get("/reminders")
    assert page.status_code == 200
    assert "New" in page.text
    assert "Due in 3 days" in page.text
    assert 'href="/authority/notifications"' in page.text
    assert 'data-todo-key="reminders" data-count="0"' in web.get("/").text  # read once shown
    assert "New" not in web.get("/reminders").text
