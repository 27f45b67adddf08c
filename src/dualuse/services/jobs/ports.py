"""The job queue and reminder ports (``adapters.db.jobs_repo`` and ``adapters.db.reminders_repo`` on SQLite
and PostgreSQL, ``tests.fakes`` in memory)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from dualuse.domain.jobs import Job
from dualuse.domain.jobs.reminders import Reminder, StoredReminder


class JobRepository(Protocol):
    def add(
        self, kind: str, payload: Mapping[str, Any], *, run_after: datetime, max_attempts: int, at: datetime
    ) -> int:
        """Queue a job; it becomes visible to workers when the caller's transaction commits."""
        ...

    def claim(self, worker: str, at: datetime, lease_expired_before: datetime) -> Job | None:
        """Take the oldest job due at ``at`` (or a running one whose worker's lease ran out before
        ``lease_expired_before``) for ``worker``; two workers never take the same job. None when idle."""
        ...

    def get(self, job_id: int) -> Job | None: ...
    def recent(self, limit: int = 50) -> Sequence[Job]: ...
    def pending(self, kind: str) -> Sequence[Job]:
        """The jobs of ``kind`` queued or running, oldest first (is a periodic job scheduled already?)."""
        ...

    def progress(
        self, job_id: int, worker: str, done: int, total: int | None, message: str, at: datetime
    ) -> bool:
        """Record how far the job got (and renew the worker's lease); False when the worker no longer holds
        it."""
        ...

    def finish(self, job_id: int, worker: str, message: str, at: datetime) -> bool: ...

    def fail(self, job_id: int, worker: str, error: str, retry_at: datetime | None, at: datetime) -> bool:
        """An attempt failed: queue the job again for ``retry_at``, or (None) mark it failed for good."""
        ...


class ReminderRepository(Protocol):
    """In-app reminders of deadlines (``adapters.db.reminders_repo``, ``tests.fakes`` in memory)."""

    def add(self, reminder: Reminder, at: datetime) -> bool:
        """Keep the reminder; False (and nothing kept) when one with its key was kept before."""
        ...

    def for_organisation(
        self, organisation_id: int, *, unread_only: bool = False
    ) -> Sequence[StoredReminder]:
        """The organisation's reminders, newest first."""
        ...

    def mark_read(self, reminder_id: int, organisation_id: int, at: datetime) -> bool:
        """Mark the organisation's reminder read; False when it has no such unread reminder."""
        ...
