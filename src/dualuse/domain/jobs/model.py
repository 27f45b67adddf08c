"""A job: one piece of background work (re-screening after a list import, deadline reminders) that a request
or a command asks for and a worker process (``dualuse worker``) does. Its row is its status: who holds it,
how far it got, why it failed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from dualuse.domain.errors import ConflictError


class JobStatus(StrEnum):
    QUEUED = "queued"  # waiting for a worker (again, after a failed attempt with attempts left)
    RUNNING = "running"  # held by a worker
    DONE = "done"
    FAILED = "failed"  # every attempt failed: the last error is kept


# The moves a job may make. A running job whose worker vanished is taken over (running -> running) once its
# lease has run out.
TRANSITIONS: Mapping[JobStatus, frozenset[JobStatus]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING}),
    JobStatus.RUNNING: frozenset({JobStatus.DONE, JobStatus.QUEUED, JobStatus.FAILED, JobStatus.RUNNING}),
    JobStatus.DONE: frozenset(),
    JobStatus.FAILED: frozenset(),
}

BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)


def check_move(before: JobStatus, after: JobStatus) -> None:
    """Refuse a move the table does not allow."""
    if after not in TRANSITIONS[before]:
        raise ConflictError(f"a {before.value} job cannot become {after.value}", field="status")


def retry_delay(attempts: int) -> timedelta:
    """How long to wait before the next attempt after ``attempts`` failed ones: 30 s, doubling, at most 1 h."""
    if attempts < 1:
        return timedelta(0)
    delay: timedelta = BASE_DELAY * (2 ** (attempts - 1))
    return min(delay, MAX_DELAY)


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    payload: Mapping[str, Any]
    status: JobStatus
    attempts: int
    max_attempts: int
    run_after: datetime
    created_at: datetime
    locked_by: str | None = None
    locked_at: datetime | None = None
    progress_done: int = 0
    progress_total: int | None = None
    message: str = ""
    last_error: str | None = None
    finished_at: datetime | None = None
