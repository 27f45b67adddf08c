"""Queueing and running jobs.

A job is queued in the transaction of the use case that asks for it (so it exists exactly when that use case's
changes do) and run later by a worker process: ``run_next`` takes one due job, runs its handler, and records
the outcome on the job's row. A handler that fails is retried with back-off (``domain.jobs.retry_delay``) until
its attempts are spent; its last error stays on the row. Handlers commit their own work in steps and record
progress in the same transactions, so a job taken over after its worker vanished resumes where the last
committed step left it."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from dualuse.domain.errors import ValidationError
from dualuse.domain.jobs import Job, retry_delay
from dualuse.services.unit_of_work import UnitOfWork

log = logging.getLogger("dualuse.jobs")

DEFAULT_ATTEMPTS = 5
# A running job whose worker has not recorded progress for this long is taken over by another worker.
LEASE = timedelta(minutes=15)


class Clock(Protocol):
    def __call__(self) -> datetime: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class JobContext:
    """What a handler is given besides its job: fresh units of work, the worker's name and the clock."""

    uows: Callable[[], UnitOfWork]
    worker: str
    clock: Clock

    def progress(self, uow: UnitOfWork, job: Job, done: int, total: int | None, message: str) -> None:
        """Record progress within ``uow`` (committed with the work it describes)."""
        if not uow.jobs.progress(job.id, self.worker, done, total, message, self.clock()):
            raise LostJobError(f"job {job.id} is no longer held by {self.worker}")


Handler = Callable[[Job, JobContext], str]


class LostJobError(RuntimeError):
    """Another worker took the job over (this worker's lease ran out): stop without recording anything."""


def enqueue(
    uow: UnitOfWork,
    kind: str,
    payload: Mapping[str, Any],
    *,
    handlers: Mapping[str, Handler],
    delay: timedelta = timedelta(0),
    max_attempts: int = DEFAULT_ATTEMPTS,
    clock: Clock = utc_now,
) -> int:
    """Queue a job of a known kind within ``uow`` (the caller commits); returns its id."""
    if kind not in handlers:
        raise ValidationError(f"no such kind of job: {kind}", field="kind")
    at = clock()
    return uow.jobs.add(kind, dict(payload), run_after=at + delay, max_attempts=max_attempts, at=at)


def run_next(
    uows: Callable[[], UnitOfWork],
    handlers: Mapping[str, Handler],
    *,
    worker: str,
    clock: Clock = utc_now,
) -> Job | None:
    """Take one due job and run it; returns the job as taken (None when nothing was due)."""
    at = clock()
    with uows() as uow:
        job = uow.jobs.claim(worker, at, at - LEASE)
        uow.commit()
    if job is None:
        return None
    log.info("job %s (%s) attempt %s taken by %s", job.id, job.kind, job.attempts, worker)
    context = JobContext(uows, worker, clock)
    try:
        handler = handlers.get(job.kind)
        if handler is None:
            raise ValidationError(f"no handler for jobs of kind {job.kind}", field="kind")
        message = handler(job, context)
    except LostJobError:
        log.warning("job %s was taken over by another worker", job.id)
        return job
    except Exception as error:  # any failure of a handler is the job's, recorded on its row
        detail = "".join(traceback.format_exception_only(error)).strip()
        retry_at = clock() + retry_delay(job.attempts) if job.attempts < job.max_attempts else None
        with uows() as uow:
            uow.jobs.fail(job.id, worker, detail, retry_at, clock())
            uow.commit()
        log.warning("job %s failed (attempt %s of %s): %s", job.id, job.attempts, job.max_attempts, detail)
        return job
    with uows() as uow:
        uow.jobs.finish(job.id, worker, message, clock())
        uow.commit()
    log.info("job %s done: %s", job.id, message)
    return job


def work(
    uows: Callable[[], UnitOfWork],
    handlers: Mapping[str, Handler],
    *,
    worker: str,
    burst: bool,
    wait: Callable[[], bool],
    clock: Clock = utc_now,
) -> int:
    """Run due jobs one after another; when none is due, stop (``burst``) or call ``wait`` (which sleeps and
    says whether to go on). Returns how many jobs were taken."""
    taken = 0
    while True:
        job = run_next(uows, handlers, worker=worker, clock=clock)
        if job is not None:
            taken += 1
            continue
        if burst or not wait():
            return taken


def recent(uow: UnitOfWork, limit: int = 50) -> Sequence[Job]:
    """The newest jobs, for the operator (``dualuse jobs list``)."""
    return uow.jobs.recent(limit)
