"""The job queue's use cases on in-memory fakes: a job runs once, records progress, is retried with back-off
and kept as failed with its error; a worker that lost its job records nothing (issue #16)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dualuse.domain.errors import ConflictError, ValidationError
from dualuse.domain.jobs import Job, JobStatus, retry_delay
from dualuse.domain.jobs.model import check_move
from dualuse.services.jobs import queue
from dualuse.services.jobs.queue import JobContext
from tests.fakes import FakeUnitOfWork

START = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.mark.parametrize(
    ("attempts", "delay"),
    [(0, 0), (1, 30), (2, 60), (3, 120), (7, 1920), (8, 3600), (30, 3600)],
)
def test_the_back_off_doubles_from_30_seconds_up_to_an_hour(attempts: int, delay: int) -> None:
    assert retry_delay(attempts) == timedelta(seconds=delay)


def test_a_finished_job_does_not_move_again() -> None:
    check_move(JobStatus.QUEUED, JobStatus.RUNNING)
    with pytest.raises(ConflictError):
        check_move(JobStatus.DONE, JobStatus.RUNNING)
    with pytest.raises(ConflictError):
        check_move(JobStatus.FAILED, JobStatus.QUEUED)


def test_a_job_runs_once_and_its_progress_is_kept() -> None:
    uow, clock = FakeUnitOfWork(), Clock()
    seen: list[dict[str, object]] = []

    def count_to_three(job: Job, context: JobContext) -> str:
        seen.append(dict(job.payload))
        for done in (1, 2, 3):
            with context.uows() as work:
                context.progress(work, job, done, 3, f"{done} of 3")
                work.commit()
        return "counted"

    handlers = {"test.count": count_to_three}
    with uow:
        job_id = queue.enqueue(uow, "test.count", {"to": 3}, handlers=handlers, clock=clock)
        uow.commit()
    assert queue.work(lambda: uow, handlers, worker="w", burst=True, wait=lambda: False, clock=clock) == 1
    with uow:
        job = uow.jobs.get(job_id)
    assert job is not None
    assert (job.status, job.attempts, job.progress_done, job.progress_total) == (JobStatus.DONE, 1, 3, 3)
    assert job.message == "counted"
    assert seen == [{"to": 3}]
    assert queue.run_next(lambda: uow, handlers, worker="w", clock=clock) is None


def test_a_failing_job_is_retried_then_failed_with_its_error() -> None:
    uow, clock = FakeUnitOfWork(), Clock()

    def broken(_job: Job, _context: JobContext) -> str:
        raise OSError("the receiving system did not answer")

    handlers = {"test.broken": broken}
    with uow:
        job_id = queue.enqueue(uow, "test.broken", {}, handlers=handlers, max_attempts=3, clock=clock)
        uow.commit()
    for attempt in (1, 2, 3):
        assert queue.run_next(lambda: uow, handlers, worker="w", clock=clock) is not None
        with uow:
            job = uow.jobs.get(job_id)
        assert job is not None
        assert job.attempts == attempt
        assert job.last_error == "OSError: the receiving system did not answer"
        if attempt < 3:
            assert job.status is JobStatus.QUEUED
            assert job.run_after == clock.now + retry_delay(attempt)
            assert queue.run_next(lambda: uow, handlers, worker="w", clock=clock) is None  # not due yet
            clock.now = job.run_after
    assert job.status is JobStatus.FAILED
    assert queue.run_next(lambda: uow, handlers, worker="w", clock=clock) is None


def test_a_worker_whose_job_was_taken_over_records_nothing() -> None:
    uow, clock = FakeUnitOfWork(), Clock()

    def slow(job: Job, context: JobContext) -> str:
        # meanwhile the lease ran out and another worker took the job over
        later = clock.now + queue.LEASE + timedelta(seconds=1)
        with context.uows() as other:
            assert other.jobs.claim("other", later, later - queue.LEASE) is not None
            other.commit()
        with context.uows() as work:
            context.progress(work, job, 1, 1, "too late")
            work.commit()
        return "never"

    handlers = {"test.slow": slow}
    with uow:
        job_id = queue.enqueue(uow, "test.slow", {}, handlers=handlers, clock=clock)
        uow.commit()
    queue.run_next(lambda: uow, handlers, worker="first", clock=clock)
    with uow:
        job = uow.jobs.get(job_id)
    assert job is not None
    assert (job.status, job.locked_by, job.progress_done, job.message) == (JobStatus.RUNNING, "other", 0, "")


def test_only_known_kinds_are_queued() -> None:
    uow = FakeUnitOfWork()
    with uow, pytest.raises(ValidationError, match="no such kind"):
        queue.enqueue(uow, "test.unknown", {}, handlers={})
