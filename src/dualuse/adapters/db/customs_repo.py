"""Persistence of customs holds (Art. 21) as JSON with an optimistic-locking version."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.rows import new_id, now
from dualuse.domain.customs import Ground, Hold, HoldStatus
from dualuse.domain.errors import ConflictError


def _data(hold: Hold) -> dict[str, Any]:
    return {
        "licence_number": hold.licence_number,
        "declaration": hold.declaration,
        "ground": hold.ground.value,
        "note": hold.note,
        "held_by": hold.held_by,
        "held_on": hold.held_on.isoformat(),
        "deadline": hold.deadline.isoformat(),
        "extended": hold.extended,
        "decided_by": hold.decided_by,
        "decision_note": hold.decision_note,
    }


def _hold(row: Mapping[Any, Any]) -> Hold:
    d = row["data"]
    return Hold(
        id=row["id"],
        customs_state=row["customs_state"],
        authority_state=row["authority_state"],
        licence_number=d["licence_number"],
        declaration=d["declaration"],
        ground=Ground(d["ground"]),
        note=d["note"],
        held_by=d["held_by"],
        held_on=date.fromisoformat(d["held_on"]),
        deadline=date.fromisoformat(d["deadline"]),
        status=HoldStatus(row["status"]),
        extended=d["extended"],
        decided_by=d["decided_by"],
        decision_note=d["decision_note"],
        version=row["version"],
    )


class SqlCustoms:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add_hold(self, build: Callable[[int], Hold]) -> Hold:
        h = t.customs_holds
        placeholder = build(0)
        result = self._c.execute(
            h.insert().values(
                customs_state=placeholder.customs_state,
                authority_state=placeholder.authority_state,
                status=placeholder.status.value,
                version=placeholder.version,
                data=_data(placeholder),
                created_at=now(),
                updated_at=now(),
            )
        )
        hold = build(new_id(result))
        self._c.execute(h.update().where(h.c.id == hold.id).values(data=_data(hold)))
        return hold

    def hold(self, hold_id: int) -> Hold | None:
        h = t.customs_holds
        row = self._c.execute(select(h).where(h.c.id == hold_id)).mappings().first()
        return _hold(row) if row else None

    def holds(
        self, *, customs_state: str | None = None, authority_state: str | None = None
    ) -> Sequence[Hold]:
        h = t.customs_holds
        query = select(h).order_by(h.c.id.desc())
        if customs_state is not None:
            query = query.where(h.c.customs_state == customs_state)
        if authority_state is not None:
            query = query.where(h.c.authority_state == authority_state)
        return [_hold(r) for r in self._c.execute(query).mappings()]

    def save_hold(self, hold: Hold, *, expected_version: int) -> None:
        h = t.customs_holds
        result = self._c.execute(
            h.update()
            .where(h.c.id == hold.id, h.c.version == expected_version)
            .values(status=hold.status.value, version=hold.version, data=_data(hold), updated_at=now())
        )
        if result.rowcount != 1:
            raise ConflictError("the hold changed meanwhile: reload")
