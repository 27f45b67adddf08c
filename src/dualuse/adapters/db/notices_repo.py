"""Persistence of authority notices (``domain.notices.model.AuthorityNotice``): rows in, domain records out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, select, update

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.rows import new_id, now
from dualuse.domain.errors import ConflictError
from dualuse.domain.notices.model import (
    AuthorityNotice,
    NoticeArticle,
    NoticeScope,
    NoticeStatus,
    NoticeSubject,
)

_n = t.authority_notices
_o = t.organisations


def _notice(row: Mapping[Any, Any]) -> AuthorityNotice:
    return AuthorityNotice(
        id=row["id"],
        member_state=row["member_state"],
        organisation_id=row["organisation_id"],
        organisation_name=row["organisation_name"],
        article=NoticeArticle(row["article"]),
        subject=NoticeSubject(
            scope=NoticeScope(row["scope"]),
            destination=row["destination"],
            end_user=row["end_user"],
            item=row["item"],
            control_code=row["control_code"],
        ),
        reason=row["reason"],
        issued_on=row["issued_on"],
        issued_by=row["issued_by"],
        status=NoticeStatus(row["status"]),
        withdrawn_on=row["withdrawn_on"],
        withdrawn_by=row["withdrawn_by"],
        withdrawal_reason=row["withdrawal_reason"],
    )


class SqlNotices:
    """Authority notices in SQL (SQLAlchemy Core)."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(
        self,
        *,
        member_state: str,
        organisation_id: int,
        article: NoticeArticle,
        subject: NoticeSubject,
        reason: str,
        issued_on: date,
        issued_by: str,
    ) -> int:
        result = self._c.execute(
            _n.insert().values(
                member_state=member_state,
                organisation_id=organisation_id,
                article=article.value,
                scope=subject.scope.value,
                destination=subject.destination,
                end_user=subject.end_user,
                item=subject.item,
                control_code=subject.control_code,
                reason=reason,
                issued_on=issued_on,
                issued_by=issued_by,
                status=NoticeStatus.IN_FORCE.value,
                created_at=now(),
            )
        )
        return new_id(result)

    def _select(self) -> Any:
        return select(_n, _o.c.name.label("organisation_name")).join(_o, _o.c.id == _n.c.organisation_id)

    def get(self, notice_id: int) -> AuthorityNotice | None:
        row = self._c.execute(self._select().where(_n.c.id == notice_id)).mappings().first()
        return _notice(row) if row is not None else None

    def issued_by_state(self, member_state: str) -> list[AuthorityNotice]:
        query = self._select().where(_n.c.member_state == member_state).order_by(_n.c.id.desc())
        return [_notice(r) for r in self._c.execute(query).mappings()]

    def received(self, organisation_id: int, *, in_force_only: bool = False) -> list[AuthorityNotice]:
        query = self._select().where(_n.c.organisation_id == organisation_id)
        if in_force_only:
            query = query.where(_n.c.status == NoticeStatus.IN_FORCE.value)
        return [_notice(r) for r in self._c.execute(query.order_by(_n.c.id.desc())).mappings()]

    def withdraw(self, notice_id: int, *, on: date, by: str, reason: str) -> None:
        """``ConflictError`` if the notice is no longer in force (withdrawn once, by one officer)."""
        result = self._c.execute(
            update(_n)
            .where(_n.c.id == notice_id, _n.c.status == NoticeStatus.IN_FORCE.value)
            .values(
                status=NoticeStatus.WITHDRAWN.value,
                withdrawn_on=on,
                withdrawn_by=by,
                withdrawal_reason=reason,
            )
        )
        if result.rowcount != 1:
            raise ConflictError("this notice has already been withdrawn")
