"""Server-side sessions and the shared attempt counters, in SQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, case, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.rows import aware, new_id
from dualuse.domain.identity import Role, UserSession
from dualuse.domain.throttling import Count


def _session(row: Mapping[Any, Any]) -> UserSession:
    return UserSession(
        id=row["id"],
        user_id=row["user_id"],
        role=Role(row["role"]),
        created_at=aware(row["created_at"]),
        last_seen_at=aware(row["last_seen_at"]),
        expires_at=aware(row["expires_at"]),
        client=row["client"],
    )


class SqlSessions:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(
        self,
        *,
        user_id: int,
        session_hash: str,
        role: Role,
        now: datetime,
        expires_at: datetime,
        client: str | None,
    ) -> int:
        result = self._c.execute(
            t.user_sessions.insert().values(
                user_id=user_id,
                session_hash=session_hash,
                role=role.value,
                created_at=now,
                last_seen_at=now,
                expires_at=expires_at,
                client=(client or None) and client[:64],
            )
        )
        return new_id(result)

    def find(self, session_hash: str) -> UserSession | None:
        s = t.user_sessions
        row = self._c.execute(select(s).where(s.c.session_hash == session_hash)).mappings().first()
        return _session(row) if row else None

    def touch(self, session_id: int, now: datetime) -> None:
        s = t.user_sessions
        self._c.execute(s.update().where(s.c.id == session_id).values(last_seen_at=now))

    def delete(self, session_id: int) -> None:
        self._c.execute(t.user_sessions.delete().where(t.user_sessions.c.id == session_id))

    def delete_for_user(self, user_id: int, *, keep: int | None = None) -> int:
        s = t.user_sessions
        statement = s.delete().where(s.c.user_id == user_id)
        if keep is not None:
            statement = statement.where(s.c.id != keep)
        return int(self._c.execute(statement).rowcount)

    def purge(self, now: datetime, idle: timedelta) -> None:
        """Delete sessions past their lifetime or unused for ``idle``; on PostgreSQL rows another
        transaction holds are skipped, not waited for."""
        s = t.user_sessions
        over = select(s.c.id).where(or_(s.c.expires_at <= now, s.c.last_seen_at <= now - idle)).limit(1000)
        if self._c.dialect.name == "postgresql":
            over = over.with_for_update(skip_locked=True)
        self._c.execute(s.delete().where(s.c.id.in_(over.scalar_subquery())))

    def for_user(self, user_id: int) -> Sequence[UserSession]:
        s = t.user_sessions
        rows = self._c.execute(
            select(s).where(s.c.user_id == user_id).order_by(s.c.last_seen_at.desc(), s.c.id)
        ).mappings()
        return [_session(r) for r in rows]


class SqlThrottle:
    """One row per counter. An attempt is counted by one ``INSERT … ON CONFLICT DO UPDATE`` (both databases),
    so parallel attempts in several processes each see their own count and never lose one."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def hit(self, key: str, now: datetime, window: timedelta) -> Count:
        c = t.throttle_counters
        insert = postgresql.insert if self._c.dialect.name == "postgresql" else sqlite.insert
        statement = insert(c).values(key=key, attempts=1, resets_at=now + window)
        ended = c.c.resets_at <= now
        statement = statement.on_conflict_do_update(
            index_elements=[c.c.key],
            set_={
                "attempts": case((ended, 1), else_=c.c.attempts + 1),
                "resets_at": case((ended, statement.excluded.resets_at), else_=c.c.resets_at),
            },
        )
        self._c.execute(statement)
        row = self._c.execute(select(c.c.attempts, c.c.resets_at).where(c.c.key == key)).one()
        return Count(attempts=int(row.attempts), resets_at=aware(row.resets_at))

    def release(self, key: str, now: datetime) -> None:
        c = t.throttle_counters
        self._c.execute(
            c.update()
            .where(c.c.key == key, c.c.attempts > 0, c.c.resets_at > now)
            .values(attempts=c.c.attempts - 1)
        )

    def purge(self, now: datetime) -> None:
        """Delete ended counters; on PostgreSQL those another transaction holds are skipped, not waited
        for (two purges, or a purge and an attempt on the same counter, never wait on each other)."""
        c = t.throttle_counters
        ended = select(c.c.key).where(c.c.resets_at <= now).limit(1000)
        if self._c.dialect.name == "postgresql":
            ended = ended.with_for_update(skip_locked=True)
        self._c.execute(c.delete().where(c.c.key.in_(ended.scalar_subquery())))
