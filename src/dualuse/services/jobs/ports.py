"""The job queue port (``adapters.db.jobs_repo`` on SQLite and PostgreSQL, ``tests.fakes`` in memory)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from dualuse.domain.jobs import Job


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
