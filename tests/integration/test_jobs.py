"""Background jobs on the database's queue (issue #16): an import queues its re-screening, a worker runs it in
steps that record progress, a failing job is retried with back-off and then kept as failed with its error, and
two workers never take the same job. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.domain.jobs import Job, JobStatus
from dualuse.entrypoints.cli.main import app as cli
from dualuse.services.jobs import queue
from dualuse.services.jobs.kinds import HANDLERS
from dualuse.services.jobs.queue import JobContext
from dualuse.services.screening import RESCREEN_JOB
from tests.factories import make_organisation, make_person, token_for
from tests.integration.test_screening_app import ACME_FRONT, NEWCOMER, PERSON, api, write_list

runner = CliRunner()


@pytest.fixture
def cli_env(container: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    return container


def test_an_import_in_background_queues_the_rescreening_that_the_worker_does(
    cli_env: Container, tmp_path: Path
) -> None:
    acme = make_organisation(cli_env, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    make_person(cli_env, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
    client = api(cli_env, token_for(cli_env, "admin@acme.example"))
    assert (
        runner.invoke(
            cli, ["lists", "import", "ftm", str(write_list(tmp_path / "v1", [ACME_FRONT]))]
        ).exit_code
        == 0
    )
    for name in ("Blue Lantern Surveillance Systems Ltd", "Someone Unrelated", "Another Unrelated Firm"):
        assert client.post("/api/v1/screening/parties", json={"name": name}).status_code == 201

    queued = runner.invoke(
        cli,
        [
            "lists",
            "import",
            "ftm",
            str(write_list(tmp_path / "v2", [ACME_FRONT, PERSON, NEWCOMER])),
            "--in-background",
        ],
    )
    assert queued.exit_code == 0, queued.output
    assert "queued as job" in queued.output
    # nothing re-screened yet: the import only stored the version and the job
    assert client.get("/api/v1/screening/hits", params={"alerts": True}).json() == []
    with cli_env.uow() as uow:
        [job] = uow.jobs.recent()
    assert (job.kind, job.status, job.attempts) == (RESCREEN_JOB, JobStatus.QUEUED, 0)

    worked = runner.invoke(cli, ["worker", "--burst"])
    assert worked.exit_code == 0, worked.output
    assert "after 2 job(s)" in worked.output  # and the daily deadline reminders, scheduled at start
    with cli_env.uow() as uow:
        done = uow.jobs.get(job.id)
    assert done is not None
    assert done.status is JobStatus.DONE
    assert (done.progress_done, done.progress_total) == (3, 3)
    assert "3 parties re-screened, 1 new alerts" in done.message
    alerts = client.get("/api/v1/screening/hits", params={"alerts": True}).json()
    assert [a["entity_name"] for a in alerts] == ["Blue Lantern Surveillance Systems"]
    listed = runner.invoke(cli, ["jobs", "list"])
    assert "done" in listed.output
    assert "3/3" in listed.output


def test_a_failing_job_is_retried_with_back_off_then_kept_as_failed(container: Container) -> None:
    calls: list[int] = []

    def broken(job: Job, _context: JobContext) -> str:
        calls.append(job.attempts)
        raise RuntimeError("the mail server said no")

    handlers = {"test.broken": broken}
    clock = [datetime(2026, 12, 5, 12, 0, tzinfo=UTC)]
    with container.uow() as uow:
        job_id = queue.enqueue(
            uow, "test.broken", {}, handlers=handlers, max_attempts=2, clock=lambda: clock[0]
        )
        uow.commit()
    assert queue.run_next(container.uow, handlers, worker="w1", clock=lambda: clock[0]) is not None
    with container.uow() as uow:
        first = uow.jobs.get(job_id)
    assert first is not None
    assert first.status is JobStatus.QUEUED
    assert first.run_after == clock[0] + timedelta(seconds=30)
    assert first.last_error == "RuntimeError: the mail server said no"
    # not due before its back-off has passed
    assert queue.run_next(container.uow, handlers, worker="w1", clock=lambda: clock[0]) is None
    clock[0] += timedelta(seconds=31)
    assert queue.run_next(container.uow, handlers, worker="w1", clock=lambda: clock[0]) is not None
    with container.uow() as uow:
        last = uow.jobs.get(job_id)
    assert last is not None
    assert (last.status, last.attempts, calls) == (JobStatus.FAILED, 2, [1, 2])


def test_two_workers_never_take_the_same_job_and_a_vanished_one_is_taken_over(container: Container) -> None:
    with container.uow() as uow:
        first = queue.enqueue(uow, RESCREEN_JOB, {"version_id": 1}, handlers=HANDLERS)
        second = queue.enqueue(uow, RESCREEN_JOB, {"version_id": 2}, handlers=HANDLERS)
        uow.commit()
    at = datetime.now(UTC) + timedelta(seconds=1)
    with container.uow() as a, container.uow() as b:
        taken_a = a.jobs.claim("a", at, at - queue.LEASE)
        a.commit()
        taken_b = b.jobs.claim("b", at, at - queue.LEASE)
        b.commit()
    assert taken_a is not None
    assert taken_b is not None
    assert {taken_a.id, taken_b.id} == {first, second}
    with container.uow() as uow:
        assert uow.jobs.claim("c", at, at - queue.LEASE) is None
        # a's lease runs out: c takes its job over, and a can no longer record anything on it
        later = at + queue.LEASE + timedelta(seconds=1)
        taken_c = uow.jobs.claim("c", later, later - queue.LEASE)
        assert taken_c is not None
        assert (taken_c.id, taken_c.attempts) == (taken_a.id, 2)
        assert not uow.jobs.progress(taken_a.id, "a", 1, 2, "late", later)
        uow.commit()


def test_an_unknown_kind_of_job_is_refused(container: Container) -> None:
    from dualuse.domain.errors import ValidationError

    with container.uow() as uow, pytest.raises(ValidationError, match="no such kind"):
        queue.enqueue(uow, "nothing.known", {}, handlers=HANDLERS)
