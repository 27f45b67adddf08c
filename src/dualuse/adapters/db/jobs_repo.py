"""The job queue in the database, the same code on SQLite and PostgreSQL.

A worker takes a job with one conditional ``UPDATE … WHERE id = (the oldest due job) … RETURNING``. On
PostgreSQL the inner ``SELECT`` is ``FOR UPDATE SKIP LOCKED``, so workers on several machines take different
jobs without waiting for each other; on SQLite the one write lock serialises them, and the repeated condition
in the ``UPDATE`` makes a job taken meanwhile not match."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, or_, select, update

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.rows import aware, new_id
from dualuse.domain.jobs import Job, JobStatus


def _job(row: Mapping[Any, Any]) -> Job:
    return Job(
        id=row["id"],
        kind=row["kind"],
        payload=row["payload"],
        status=JobStatus(row["status"]),
        attempts=row["attempts"],
        max_attempts=row["max_attempts"],
        run_after=aware(row["run_after"]),
        created_at=aware(row["created_at"]),
        locked_by=row["locked_by"],
        locked_at=aware(row["locked_at"]) if row["locked_at"] else None,
        progress_done=row["progress_done"],
        progress_total=row["progress_total"],
        message=row["message"],
        last_error=row["last_error"],
        finished_at=aware(row["finished_at"]) if row["finished_at"] else None,
    )


class SqlJobs:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(
        self, kind: str, payload: Mapping[str, Any], *, run_after: datetime, max_attempts: int, at: datetime
    ) -> int:
        result = self._c.execute(
            t.jobs.insert().values(
                kind=kind,
                payload=dict(payload),
                status=JobStatus.QUEUED.value,
                attempts=0,
                max_attempts=max_attempts,
                run_after=run_after,
                progress_done=0,
                message="",
                created_at=at,
            )
        )
        return new_id(result)

    def claim(self, worker: str, at: datetime, lease_expired_before: datetime) -> Job | None:
        j = t.jobs
        due = or_(
            and_(j.c.status == JobStatus.QUEUED.value, j.c.run_after <= at),
            and_(j.c.status == JobStatus.RUNNING.value, j.c.locked_at < lease_expired_before),
        )
        oldest = (
            select(j.c.id)
            .where(due)
            .order_by(j.c.run_after, j.c.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        row = (
            self._c.execute(
                update(j)
                .where(j.c.id == oldest.scalar_subquery(), due)
                .values(
                    status=JobStatus.RUNNING.value,
                    attempts=j.c.attempts + 1,
                    locked_by=worker,
                    locked_at=at,
                )
                .returning(*j.c)
            )
            .mappings()
            .first()
        )
        return _job(row) if row else None

    def get(self, job_id: int) -> Job | None:
        row = self._c.execute(select(t.jobs).where(t.jobs.c.id == job_id)).mappings().first()
        return _job(row) if row else None

    def recent(self, limit: int = 50) -> Sequence[Job]:
        rows = self._c.execute(select(t.jobs).order_by(t.jobs.c.id.desc()).limit(limit)).mappings()
        return [_job(r) for r in rows]

    def _held(self, job_id: int, worker: str) -> Any:
        j = t.jobs
        return update(j).where(
            j.c.id == job_id, j.c.locked_by == worker, j.c.status == JobStatus.RUNNING.value
        )

    def pending(self, kind: str) -> Sequence[Job]:
        j = t.jobs
        query = (
            select(j)
            .where(j.c.kind == kind, j.c.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]))
            .order_by(j.c.run_after, j.c.id)
        )
        return [_job(r) for r in self._c.execute(query).mappings()]

    def progress(
        self, job_id: int, worker: str, done: int, total: int | None, message: str, at: datetime
    ) -> bool:
        result = self._c.execute(
            self._held(job_id, worker).values(
                progress_done=done, progress_total=total, message=message, locked_at=at
            )
        )
        return bool(result.rowcount == 1)

    def finish(self, job_id: int, worker: str, message: str, at: datetime) -> bool:
        result = self._c.execute(
            self._held(job_id, worker).values(status=JobStatus.DONE.value, message=message, finished_at=at)
        )
        return bool(result.rowcount == 1)

    def fail(self, job_id: int, worker: str, error: str, retry_at: datetime | None, at: datetime) -> bool:
        values: dict[str, Any] = {"last_error": error[:4000]}
        if retry_at is None:
            values |= {"status": JobStatus.FAILED.value, "finished_at": at}
        else:
            values |= {"status": JobStatus.QUEUED.value, "run_after": retry_at}
        result = self._c.execute(self._held(job_id, worker).values(**values))
        return bool(result.rowcount == 1)
