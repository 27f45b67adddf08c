"""Persistence of denials, their notices and consultations (Arts. 14, 16) as JSON with an optimistic-locking
version (``services.denials.ports``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.rows import aware, new_id, now
from dualuse.domain.denials import (
    Answer,
    Consultation,
    ConsultationKind,
    ConsultationStatus,
    Denial,
    DenialItem,
    DenialKind,
    DenialParty,
    DenialStatus,
)
from dualuse.domain.errors import ConflictError
from dualuse.services.denials.ports import DenialNotice, DenialQuery, NoticeKind


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _denial_data(d: Denial) -> dict[str, Any]:
    return {
        "items": [{"control_code": i.control_code, "description": i.description} for i in d.items],
        "parties": [{"name": p.name, "role": p.role, "country": p.country} for p in d.parties],
        "considerations": list(d.considerations),
        "reasons": d.reasons,
        "decided_on": d.decided_on.isoformat(),
        "case_reference": d.case_reference,
        "review_due_on": d.review_due_on.isoformat() if d.review_due_on else None,
        "reviewed_on": d.reviewed_on.isoformat() if d.reviewed_on else None,
        "reviewed_by": d.reviewed_by,
    }


def _denial(row: Mapping[Any, Any]) -> Denial:
    d = row["data"]
    decided = date.fromisoformat(d["decided_on"])
    return Denial(
        id=row["id"],
        kind=DenialKind(row["kind"]),
        issuing_state=row["issuing_state"],
        items=tuple(DenialItem(i["control_code"], i["description"]) for i in d["items"]),
        destination=row["destination"],
        parties=tuple(DenialParty(p["name"], p["role"], p["country"]) for p in d["parties"]),
        considerations=tuple(d["considerations"]),
        reasons=d["reasons"],
        decided_on=decided,
        case_reference=d["case_reference"],
        status=DenialStatus(row["status"]),
        review_due_on=_day(d["review_due_on"]),
        reviewed_on=_day(d["reviewed_on"]),
        reviewed_by=d["reviewed_by"],
        version=row["version"],
    )


def _consultation_data(c: Consultation) -> dict[str, Any]:
    return {
        "subject": c.subject,
        "opened_on": c.opened_on.isoformat(),
        "due_on": c.due_on.isoformat(),
        "deadline_is_law": c.deadline_is_law,
        "answer": c.answer.value if c.answer else None,
        "reasons": c.reasons,
        "answered_by": c.answered_by,
        "answered_on": c.answered_on.isoformat() if c.answered_on else None,
    }


def _consultation(row: Mapping[Any, Any]) -> Consultation:
    d = row["data"]
    opened, due = date.fromisoformat(d["opened_on"]), date.fromisoformat(d["due_on"])
    return Consultation(
        id=row["id"],
        kind=ConsultationKind(row["kind"]),
        consulting_state=row["consulting_state"],
        consulted_state=row["consulted_state"],
        case_id=row["case_id"],
        denial_id=row["denial_id"],
        subject=d["subject"],
        opened_on=opened,
        due_on=due,
        deadline_is_law=d["deadline_is_law"],
        status=ConsultationStatus(row["status"]),
        answer=Answer(d["answer"]) if d["answer"] else None,
        reasons=d["reasons"],
        answered_by=d["answered_by"],
        answered_on=_day(d["answered_on"]),
        version=row["version"],
    )


class SqlDenials:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    # --- denials --------------------------------------------------------------------------------------
    def add_denial(self, build: Callable[[int], Denial], *, case_id: int | None) -> Denial:
        d = t.denials
        placeholder = build(0)
        result = self._c.execute(
            d.insert().values(
                issuing_state=placeholder.issuing_state,
                kind=placeholder.kind.value,
                status=placeholder.status.value,
                destination=placeholder.destination,
                case_id=case_id,
                version=placeholder.version,
                data=_denial_data(placeholder),
                created_at=now(),
                updated_at=now(),
            )
        )
        return build(new_id(result))

    def denial(self, denial_id: int) -> Denial | None:
        d = t.denials
        row = self._c.execute(select(d).where(d.c.id == denial_id)).mappings().first()
        return _denial(row) if row else None

    def denials(self, query: DenialQuery) -> Sequence[Denial]:
        d = t.denials
        stmt = select(d).order_by(d.c.id.desc())
        if query.statuses is not None:
            stmt = stmt.where(d.c.status.in_([s.value for s in query.statuses]))
        if query.issuing_state:
            stmt = stmt.where(d.c.issuing_state == query.issuing_state)
        if query.destination:
            stmt = stmt.where(d.c.destination == query.destination)
        if query.case_id is not None:
            stmt = stmt.where(d.c.case_id == query.case_id)
        return [_denial(r) for r in self._c.execute(stmt).mappings()]

    def save_denial(self, denial: Denial, *, expected_version: int) -> None:
        d = t.denials
        result = self._c.execute(
            d.update()
            .where(d.c.id == denial.id, d.c.version == expected_version)
            .values(
                status=denial.status.value,
                version=denial.version,
                data=_denial_data(denial),
                updated_at=now(),
            )
        )
        if result.rowcount != 1:
            raise ConflictError("the denial changed meanwhile: reload")

    # --- notices --------------------------------------------------------------------------------------
    def add_notices(
        self,
        *,
        kind: NoticeKind,
        denial_id: int,
        sender_state: str,
        recipients: Sequence[str],
        subject: str,
        reasons: str,
        case_id: int | None = None,
    ) -> None:
        if not recipients:
            return
        at = now()
        self._c.execute(
            t.denial_notifications.insert(),
            [
                {
                    "kind": kind.value,
                    "denial_id": denial_id,
                    "sender_state": sender_state,
                    "recipient": recipient,
                    "case_id": case_id,
                    "subject": subject[:500],
                    "reasons": reasons,
                    "created_at": at,
                }
                for recipient in recipients
            ],
        )

    def notices(
        self, *, recipient: str | None = None, denial_id: int | None = None
    ) -> Sequence[DenialNotice]:
        n = t.denial_notifications
        stmt = select(n).order_by(n.c.id.desc())
        if recipient is not None:
            stmt = stmt.where(n.c.recipient == recipient)
        if denial_id is not None:
            stmt = stmt.where(n.c.denial_id == denial_id)
        return [
            DenialNotice(
                id=r["id"],
                kind=NoticeKind(r["kind"]),
                denial_id=r["denial_id"],
                sender_state=r["sender_state"],
                recipient=r["recipient"],
                case_id=r["case_id"],
                subject=r["subject"],
                reasons=r["reasons"],
                created_at=aware(r["created_at"]),
            )
            for r in self._c.execute(stmt).mappings()
        ]

    # --- consultations --------------------------------------------------------------------------------
    def add_consultation(self, build: Callable[[int], Consultation]) -> Consultation:
        c = t.denial_consultations
        placeholder = build(0)
        result = self._c.execute(
            c.insert().values(
                kind=placeholder.kind.value,
                consulting_state=placeholder.consulting_state,
                consulted_state=placeholder.consulted_state,
                case_id=placeholder.case_id,
                denial_id=placeholder.denial_id,
                status=placeholder.status.value,
                version=placeholder.version,
                data=_consultation_data(placeholder),
                created_at=now(),
                updated_at=now(),
            )
        )
        return build(new_id(result))

    def consultation(self, consultation_id: int) -> Consultation | None:
        c = t.denial_consultations
        row = self._c.execute(select(c).where(c.c.id == consultation_id)).mappings().first()
        return _consultation(row) if row else None

    def consultations(
        self,
        *,
        consulting_state: str | None = None,
        consulted_state: str | None = None,
        case_id: int | None = None,
    ) -> Sequence[Consultation]:
        c = t.denial_consultations
        stmt = select(c).order_by(c.c.id.desc())
        if consulting_state is not None:
            stmt = stmt.where(c.c.consulting_state == consulting_state)
        if consulted_state is not None:
            stmt = stmt.where(c.c.consulted_state == consulted_state)
        if case_id is not None:
            stmt = stmt.where(c.c.case_id == case_id)
        return [_consultation(r) for r in self._c.execute(stmt).mappings()]

    def save_consultation(self, consultation: Consultation, *, expected_version: int) -> None:
        c = t.denial_consultations
        result = self._c.execute(
            c.update()
            .where(c.c.id == consultation.id, c.c.version == expected_version)
            .values(
                status=consultation.status.value,
                version=consultation.version,
                data=_consultation_data(consultation),
                updated_at=now(),
            )
        )
        if result.rowcount != 1:
            raise ConflictError("the consultation changed meanwhile: reload")
