"""Persistence of list changes (drafts with an optimistic-locking version), their comments and the
notifications sent when a change enters into force."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.rows import aware, new_id, now
from dualuse.domain.errors import ConflictError
from dualuse.domain.listchange import (
    Comment,
    ListChange,
    ListChangeStatus,
    ModerationStatus,
    OrganisationType,
)
from dualuse.services.listchange.ports import ListChangeNotice, StoredListChange

_DATES = ("proposed_effective_from", "comment_period_end", "adopted_on", "effective_from")


def _data(change: ListChange) -> dict[str, Any]:
    data = {
        f.name: getattr(change, f.name)
        for f in dataclasses.fields(change)
        if f.name not in {"id", "proposer", "status", "version", "title", "version_id"}
    }
    for name in _DATES:
        value = data[name]
        data[name] = value.isoformat() if isinstance(value, date) else None
    return data


def _change(row: Mapping[Any, Any]) -> ListChange:
    data = dict(row["data"])
    for name in _DATES:
        data[name] = date.fromisoformat(data[name]) if data.get(name) else None
    return ListChange(
        id=row["id"],
        proposer=row["proposer"],
        status=ListChangeStatus(row["status"]),
        version=row["version"],
        title=row["title"],
        version_id=row["version_id"],
        **data,
    )


def _stored(row: Mapping[Any, Any]) -> StoredListChange:
    return StoredListChange(
        change=_change(row),
        impact=row["impact"],
        notified=list(row["notified"] or []),
        created_at=aware(row["created_at"]),
        updated_at=aware(row["updated_at"]),
    )


def _comment(row: Mapping[Any, Any]) -> Comment:
    return Comment(
        id=row["id"],
        change_id=row["list_change_id"],
        author_name=row["author_name"],
        organisation_name=row["organisation_name"],
        organisation_type=OrganisationType(row["organisation_type"]),
        text=row["text"],
        status=ModerationStatus(row["status"]),
        rejection_reason=row["rejection_reason"],
        moderated_by=row["moderated_by"],
    )


class SqlListChanges:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, change: ListChange) -> ListChange:
        lc = t.list_changes
        at = now()
        result = self._c.execute(
            lc.insert().values(
                proposer=change.proposer,
                status=change.status.value,
                version=change.version,
                title=change.title,
                version_id=change.version_id,
                data=_data(change),
                created_at=at,
                updated_at=at,
            )
        )
        return dataclasses.replace(change, id=new_id(result))

    def get(self, change_id: int) -> StoredListChange | None:
        lc = t.list_changes
        row = self._c.execute(select(lc).where(lc.c.id == change_id)).mappings().first()
        return _stored(row) if row else None

    def list(self, *, statuses: Sequence[ListChangeStatus] | None = None) -> Sequence[StoredListChange]:
        lc = t.list_changes
        query = select(lc).order_by(lc.c.id.desc())
        if statuses is not None:
            query = query.where(lc.c.status.in_([s.value for s in statuses]))
        return [_stored(r) for r in self._c.execute(query).mappings()]

    def save(
        self,
        change: ListChange,
        *,
        expected_version: int,
        impact: Mapping[str, Any] | None = None,
        notified: Sequence[Mapping[str, Any]] | None = None,
    ) -> None:
        lc = t.list_changes
        values: dict[str, Any] = {
            "status": change.status.value,
            "version": change.version,
            "title": change.title,
            "version_id": change.version_id,
            "data": _data(change),
            "updated_at": now(),
        }
        if impact is not None:
            values["impact"] = dict(impact)
        if notified is not None:
            values["notified"] = [dict(n) for n in notified]
        result = self._c.execute(
            lc.update().where(lc.c.id == change.id, lc.c.version == expected_version).values(**values)
        )
        if result.rowcount != 1:
            raise ConflictError("the list change was changed meanwhile: reload it and try again")

    def add_comment(
        self,
        *,
        change_id: int,
        author_name: str,
        organisation_name: str,
        organisation_type: OrganisationType,
        text: str,
    ) -> int:
        result = self._c.execute(
            t.list_change_comments.insert().values(
                list_change_id=change_id,
                author_name=author_name,
                organisation_name=organisation_name,
                organisation_type=organisation_type.value,
                text=text,
                status=ModerationStatus.PENDING.value,
                created_at=now(),
            )
        )
        return new_id(result)

    def comment(self, comment_id: int) -> Comment | None:
        c = t.list_change_comments
        row = self._c.execute(select(c).where(c.c.id == comment_id)).mappings().first()
        return _comment(row) if row else None

    def comments(self, change_id: int, *, status: ModerationStatus | None = None) -> Sequence[Comment]:
        c = t.list_change_comments
        query = select(c).where(c.c.list_change_id == change_id).order_by(c.c.id)
        if status is not None:
            query = query.where(c.c.status == status.value)
        return [_comment(r) for r in self._c.execute(query).mappings()]

    def save_comment(self, comment: Comment) -> None:
        c = t.list_change_comments
        result = self._c.execute(
            c.update()
            .where(c.c.id == comment.id, c.c.status == ModerationStatus.PENDING.value)
            .values(
                status=comment.status.value,
                rejection_reason=comment.rejection_reason,
                moderated_by=comment.moderated_by,
                moderated_at=now(),
            )
        )
        if result.rowcount != 1:
            raise ConflictError("this comment has already been moderated")

    def add_notice(
        self, *, change_id: int, organisation_id: int, audience: str, subject: str, body: str
    ) -> int:
        result = self._c.execute(
            t.list_change_notices.insert().values(
                list_change_id=change_id,
                organisation_id=organisation_id,
                audience=audience,
                subject=subject[:300],
                body=body,
                created_at=now(),
            )
        )
        return new_id(result)

    def notices(self, organisation_id: int) -> Sequence[ListChangeNotice]:
        n = t.list_change_notices
        rows = self._c.execute(
            select(n).where(n.c.organisation_id == organisation_id).order_by(n.c.id.desc())
        ).mappings()
        return [
            ListChangeNotice(
                id=r["id"],
                change_id=r["list_change_id"],
                organisation_id=r["organisation_id"],
                audience=r["audience"],
                subject=r["subject"],
                body=r["body"],
                created_at=aware(r["created_at"]),
                read_at=aware(r["read_at"]) if r["read_at"] is not None else None,
            )
            for r in rows
        ]

    def mark_read(self, organisation_id: int, notice_id: int) -> bool:
        n = t.list_change_notices
        result = self._c.execute(
            n.update()
            .where(n.c.id == notice_id, n.c.organisation_id == organisation_id, n.c.read_at.is_(None))
            .values(read_at=now())
        )
        return bool(result.rowcount == 1)
