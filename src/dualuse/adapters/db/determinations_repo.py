"""Saved determinations in SQL (``services.determination.ports.SavedDeterminationRepository``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, insert, select

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.rows import aware, new_id, now
from dualuse.domain.rules.saved import SavedDetermination

_s = t.saved_determinations


def _record(row: Mapping[Any, Any]) -> SavedDetermination:
    return SavedDetermination(
        id=row["id"],
        organisation_id=row["organisation_id"],
        saved_by=row["saved_by"],
        saved_at=aware(row["saved_at"]),
        case=row["case_data"],
        answer=row["answer"],
    )


class SqlSavedDeterminations:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(
        self, *, organisation_id: int, saved_by: str, case: Mapping[str, Any], answer: Mapping[str, Any]
    ) -> SavedDetermination:
        saved_at = now()
        saved_id = new_id(
            self._c.execute(
                insert(_s).values(
                    organisation_id=organisation_id,
                    saved_by=saved_by,
                    saved_at=saved_at,
                    outcome=str(answer.get("outcome", "")),
                    case_data=dict(case),
                    answer=dict(answer),
                )
            )
        )
        return SavedDetermination(saved_id, organisation_id, saved_by, saved_at, dict(case), dict(answer))

    def get(self, saved_id: int) -> SavedDetermination | None:
        row = self._c.execute(select(_s).where(_s.c.id == saved_id)).mappings().first()
        return None if row is None else _record(row)

    def of_organisation(self, organisation_id: int, *, limit: int = 200) -> Sequence[SavedDetermination]:
        rows = self._c.execute(
            select(_s)
            .where(_s.c.organisation_id == organisation_id)
            .order_by(_s.c.saved_at.desc(), _s.c.id.desc())
            .limit(limit)
        ).mappings()
        return [_record(row) for row in rows]
