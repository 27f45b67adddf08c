"""Persistence of due-diligence cases, notifications, the Art. 5(4) exchange, risk profiles, submissions
and ICP self-assessments, as the typed records of ``domain.duediligence.records``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.exc import IntegrityError

from dualuse.adapters.db import tables as t
from dualuse.adapters.db.rows import new_id, now
from dualuse.domain.duediligence import Conclusion, ConsultationOutcome, Step, View
from dualuse.domain.duediligence.records import (
    CaseEntry,
    CaseStatus,
    DdCase,
    IcpRecord,
    Notification,
    NotificationStatus,
    Requirement,
    StateView,
    StoredProfile,
    Submission,
    SubmissionStatus,
)
from dualuse.domain.errors import ConflictError

Row = Mapping[str, Any]


def _rows(connection: Connection, query: Any) -> list[Row]:
    return [dict(r) for r in connection.execute(query).mappings()]


def _case(row: Row) -> DdCase:
    values = dict(row)
    values["status"] = CaseStatus(row["status"])
    values["conclusion"] = Conclusion(row["conclusion"]) if row["conclusion"] else None
    return DdCase(**values)


def _entry(row: Row) -> CaseEntry:
    return CaseEntry(**{**row, "step": Step(row["step"])})


def _notification(row: Row) -> Notification:
    return Notification(**{**row, "status": NotificationStatus(row["status"])})


def _requirement(row: Row) -> Requirement:
    return Requirement(**{**row, "status": ConsultationOutcome(row["status"])})


def _view(row: Row) -> StateView:
    return StateView(**{**row, "view": View(row["view"])})


def _submission(row: Row) -> Submission:
    return Submission(**{**row, "status": SubmissionStatus(row["status"])})


class SqlDueDiligence:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def _insert(self, table: Table, **values: Any) -> int:
        return new_id(self._c.execute(table.insert().values(**values)))

    def _get(self, table: Table, row_id: int) -> Row | None:
        row = self._c.execute(select(table).where(table.c.id == row_id)).mappings().first()
        return dict(row) if row else None

    def _update(self, table: Table, row_id: int, **values: Any) -> None:
        self._c.execute(table.update().where(table.c.id == row_id).values(**values))

    def _update_if(self, table: Table, row_id: int, column: str, expected: str, **values: Any) -> bool:
        """Write ``values`` only while ``column`` still holds ``expected``: the check and the write are one
        statement, so of concurrent writers exactly one succeeds. True if this one did."""
        result = self._c.execute(
            table.update().where(table.c.id == row_id, table.c[column] == expected).values(**values)
        )
        return bool(result.rowcount == 1)

    def _hold(self, table: Table, row_id: int) -> None:
        """A write that changes nothing: the row lock on PostgreSQL, the database's write lock on SQLite,
        held to the end of the transaction; statements after it see what the previous holder committed."""
        self._c.execute(table.update().where(table.c.id == row_id).values(status=table.c.status))

    # --- cases ------------------------------------------------------------------------------------
    def add_case(
        self,
        *,
        organisation_id: int,
        title: str,
        transaction: Mapping[str, Any],
        red_flag_version: str,
        by: str,
    ) -> int:
        written = now()
        return self._insert(
            t.dd_cases,
            organisation_id=organisation_id,
            title=title,
            transaction=dict(transaction),
            status=CaseStatus.OPEN.value,
            conclusion=None,
            red_flag_version=red_flag_version,
            created_by=by,
            created_at=written,
            updated_at=written,
        )

    def case(self, case_id: int) -> DdCase | None:
        row = self._get(t.dd_cases, case_id)
        return _case(row) if row else None

    def cases(self, organisation_id: int) -> Sequence[DdCase]:
        c = t.dd_cases
        query = select(c).where(c.c.organisation_id == organisation_id).order_by(c.c.id.desc())
        return [_case(r) for r in _rows(self._c, query)]

    def lock_case(self, case_id: int) -> None:
        """Hold the case until the end of the transaction: its steps, conclusion and notification are
        changed one writer at a time."""
        self._hold(t.dd_cases, case_id)

    def set_case(self, case_id: int, *, status: CaseStatus, conclusion: Conclusion | None) -> None:
        self._update(
            t.dd_cases,
            case_id,
            status=status.value,
            conclusion=conclusion.value if conclusion else None,
            updated_at=now(),
        )

    def add_entry(
        self,
        *,
        case_id: int,
        step: str,
        answers: Mapping[str, Any],
        note: str,
        evidence: Sequence[Any],
        by: str,
    ) -> int:
        return self._insert(
            t.dd_entries,
            case_id=case_id,
            step=step,
            answers=dict(answers),
            note=note,
            evidence=list(evidence),
            recorded_by=by,
            recorded_at=now(),
        )

    def entries(self, case_id: int) -> Sequence[CaseEntry]:
        e = t.dd_entries
        return [_entry(r) for r in _rows(self._c, select(e).where(e.c.case_id == case_id).order_by(e.c.id))]

    # --- notifications ----------------------------------------------------------------------------
    def add_notification(
        self,
        *,
        case_id: int,
        organisation_id: int,
        member_state: str,
        transaction: Mapping[str, Any],
        summary: Mapping[str, Any],
        deadline: date,
    ) -> int:
        """Raises ``ConflictError`` when the case was notified already (one notification per case)."""
        try:
            return self._insert(
                t.notifications,
                case_id=case_id,
                organisation_id=organisation_id,
                member_state=member_state,
                transaction=dict(transaction),
                summary=dict(summary),
                status=NotificationStatus.SUBMITTED.value,
                deadline=deadline,
                created_at=now(),
            )
        except IntegrityError:
            # The transaction is spoilt either way: the unit of work rolls the notification back.
            raise ConflictError("the authority has already been notified of this case") from None

    def notification(self, notification_id: int) -> Notification | None:
        row = self._get(t.notifications, notification_id)
        return _notification(row) if row else None

    def notifications(
        self, *, member_state: str | None = None, organisation_id: int | None = None
    ) -> Sequence[Notification]:
        n = t.notifications
        query = select(n).order_by(n.c.id.desc())
        if member_state is not None:
            query = query.where(n.c.member_state == member_state)
        if organisation_id is not None:
            query = query.where(n.c.organisation_id == organisation_id)
        return [_notification(r) for r in _rows(self._c, query)]

    def decide_notification(
        self, notification_id: int, *, status: NotificationStatus, reason: str, by: str
    ) -> None:
        """Record the decision on a notification still awaiting one; ``ConflictError`` when another
        decision was recorded meanwhile."""
        decided = self._update_if(
            t.notifications,
            notification_id,
            "status",
            NotificationStatus.SUBMITTED.value,
            status=status.value,
            reason=reason,
            decided_by=by,
            decided_at=now(),
        )
        if not decided:
            raise ConflictError("this notification has already been decided")

    # --- the Art. 5(4) exchange -------------------------------------------------------------------
    def add_requirement(
        self,
        *,
        notification_id: int,
        imposing_state: str,
        destination: str,
        end_user: str,
        item: str,
        notified_on: date,
    ) -> int:
        return self._insert(
            t.art5_requirements,
            notification_id=notification_id,
            imposing_state=imposing_state,
            destination=destination,
            end_user=end_user,
            item=item,
            status=ConsultationOutcome.PENDING.value,
            notified_on=notified_on,
            created_at=now(),
        )

    def requirement(self, requirement_id: int) -> Requirement | None:
        row = self._get(t.art5_requirements, requirement_id)
        return _requirement(row) if row else None

    def requirements(self, *, status: ConsultationOutcome | None = None) -> Sequence[Requirement]:
        r = t.art5_requirements
        query = select(r).order_by(r.c.id.desc())
        if status is not None:
            query = query.where(r.c.status == status)
        return [_requirement(row) for row in _rows(self._c, query)]

    def lock_requirement(self, requirement_id: int) -> None:
        """Hold the requirement until the end of the transaction: views on it are recorded one at a time,
        so that each sees the others' when the outcome is worked out."""
        self._hold(t.art5_requirements, requirement_id)

    def set_requirement(
        self, requirement_id: int, *, status: ConsultationOutcome, published_on: date | None
    ) -> None:
        self._update(t.art5_requirements, requirement_id, status=status.value, published_on=published_on)

    def add_view(self, *, requirement_id: int, member_state: str, deadline: date) -> int:
        return self._insert(
            t.art5_views,
            requirement_id=requirement_id,
            member_state=member_state,
            view=View.PENDING.value,
            deadline=deadline,
        )

    def views(self, requirement_id: int) -> Sequence[StateView]:
        v = t.art5_views
        query = select(v).where(v.c.requirement_id == requirement_id).order_by(v.c.member_state)
        return [_view(r) for r in _rows(self._c, query)]

    def record_view(self, view_id: int, *, view: View, reason: str, by: str) -> None:
        """Record a state's view while it is still pending; ``ConflictError`` when it was recorded
        meanwhile."""
        recorded = self._update_if(
            t.art5_views,
            view_id,
            "view",
            View.PENDING.value,
            view=view.value,
            reason=reason,
            recorded_by=by,
            recorded_at=now(),
        )
        if not recorded:
            raise ConflictError("this member state has already recorded its view")

    # --- risk profiles and submissions ------------------------------------------------------------
    def add_profile(
        self,
        *,
        subject_kind: str,
        subject: str,
        level: str,
        summary: str,
        sources: Sequence[Any],
        origin: str,
        verified: bool,
        by: str,
    ) -> int:
        return self._insert(
            t.risk_profiles,
            subject_kind=subject_kind,
            subject=subject,
            level=level,
            summary=summary,
            sources=list(sources),
            origin=origin,
            verified=verified,
            entered_by=by,
            entered_at=now(),
        )

    def profiles(self) -> Sequence[StoredProfile]:
        p = t.risk_profiles
        query = select(p).order_by(p.c.subject_kind, p.c.subject, p.c.id)
        return [StoredProfile(**r) for r in _rows(self._c, query)]

    def add_submission(
        self,
        *,
        organisation_name: str,
        contact_email: str | None,
        subject_kind: str,
        subject: str,
        what_happened: str,
        sources: Sequence[Any],
        name_publicly: bool = False,
    ) -> int:
        return self._insert(
            t.submissions,
            organisation_name=organisation_name,
            contact_email=contact_email,
            subject_kind=subject_kind,
            subject=subject,
            what_happened=what_happened,
            sources=list(sources),
            name_publicly=name_publicly,
            status=SubmissionStatus.PENDING.value,
            created_at=now(),
        )

    def submission(self, submission_id: int) -> Submission | None:
        row = self._get(t.submissions, submission_id)
        return _submission(row) if row else None

    def submissions(self, *, status: SubmissionStatus | None = None) -> Sequence[Submission]:
        s = t.submissions
        query = select(s).order_by(s.c.id.desc())
        if status is not None:
            query = query.where(s.c.status == status)
        return [_submission(r) for r in _rows(self._c, query)]

    def moderate(self, submission_id: int, *, status: SubmissionStatus, note: str, by: str) -> None:
        """Accept or reject a submission still pending; ``ConflictError`` when it was moderated
        meanwhile."""
        moderated = self._update_if(
            t.submissions,
            submission_id,
            "status",
            SubmissionStatus.PENDING.value,
            status=status.value,
            moderation_note=note,
            moderated_by=by,
            moderated_at=now(),
        )
        if not moderated:
            raise ConflictError("this submission has already been moderated")

    # --- ICP --------------------------------------------------------------------------------------
    def add_icp(self, *, organisation_id: int, answers: Mapping[str, str], by: str) -> int:
        return self._insert(
            t.icp_assessments,
            organisation_id=organisation_id,
            answers=dict(answers),
            assessed_by=by,
            assessed_at=now(),
        )

    def latest_icp(self, organisation_id: int) -> IcpRecord | None:
        i = t.icp_assessments
        row = (
            self._c.execute(select(i).where(i.c.organisation_id == organisation_id).order_by(i.c.id.desc()))
            .mappings()
            .first()
        )
        return IcpRecord(**row) if row else None
