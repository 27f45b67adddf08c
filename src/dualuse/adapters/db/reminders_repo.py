"""In-app reminders of deadlines in SQL: a reminder is added by one ``INSERT … ON CONFLICT DO NOTHING`` on its
key (both databases), so two runs of the reminder job at once still add it once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.rows import aware
from dualuse.domain.jobs.reminders import Reminder, ReminderStage, StoredReminder


def _stored(row: Mapping[Any, Any]) -> StoredReminder:
    return StoredReminder(
        id=row["id"],
        reminder=Reminder(
            key=row["key"],
            organisation_id=row["organisation_id"],
            subject_type=row["subject_type"],
            subject_id=row["subject_id"],
            due=row["due"],
            stage=ReminderStage(row["stage"]),
            message=row["message"],
            href=row["href"],
        ),
        created_at=aware(row["created_at"]),
        read_at=aware(row["read_at"]) if row["read_at"] is not None else None,
    )


class SqlReminders:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, reminder: Reminder, at: datetime) -> bool:
        r = t.reminders
        insert = postgresql.insert if self._c.dialect.name == "postgresql" else sqlite.insert
        statement = (
            insert(r)
            .values(
                key=reminder.key,
                organisation_id=reminder.organisation_id,
                subject_type=reminder.subject_type,
                subject_id=reminder.subject_id,
                due=reminder.due,
                stage=reminder.stage.value,
                message=reminder.message[:2000],
                href=reminder.href[:300],
                created_at=at,
            )
            .on_conflict_do_nothing(index_elements=[r.c.key])
            .returning(r.c.id)  # a row back only when inserted (psycopg's rowcount says -1 here)
        )
        return self._c.execute(statement).first() is not None

    def for_organisation(
        self, organisation_id: int, *, unread_only: bool = False
    ) -> Sequence[StoredReminder]:
        r = t.reminders
        query = select(r).where(r.c.organisation_id == organisation_id).order_by(r.c.id.desc())
        if unread_only:
            query = query.where(r.c.read_at.is_(None))
        return [_stored(row) for row in self._c.execute(query).mappings()]

    def mark_read(self, reminder_id: int, organisation_id: int, at: datetime) -> bool:
        r = t.reminders
        result = self._c.execute(
            r.update()
            .where(r.c.id == reminder_id, r.c.organisation_id == organisation_id, r.c.read_at.is_(None))
            .values(read_at=at)
        )
        return bool(result.rowcount == 1)
