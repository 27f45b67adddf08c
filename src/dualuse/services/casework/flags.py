"""Flags, assignment and the queue's casework columns (issue 19, point 2): an officer of the case's
authority raises a flag or clears one with a reason, assigns the case to an officer and moves it to
another team's queue. Each change is written with the case file's version (optimistic locking) and an
audit event."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from dualuse.domain import casework as cw
from dualuse.domain.errors import ConflictError, NotFoundError, ValidationError
from dualuse.domain.identity import Permission, Principal, authorize
from dualuse.services import audit
from dualuse.services import licensing as licensing_service
from dualuse.services.casework.evidence import ENTITY, age_and_deadline
from dualuse.services.unit_of_work import UnitOfWork


def _file(uow: UnitOfWork, principal: Principal, case_id: int) -> cw.CaseFile:
    licensing_service.check_assessor(uow, principal, case_id)
    file = uow.casework.file(case_id)
    if file is None:
        raise ConflictError("the case's evidence has not been gathered yet: gather it first")
    return file


def _save(
    uow: UnitOfWork,
    principal: Principal,
    before: cw.CaseFile,
    after: cw.CaseFile,
    name: str,
    detail: Mapping[str, object],
    reason: str | None = None,
) -> cw.CaseFile:
    uow.casework.save_file(after, expected_version=before.version)
    audit.record(
        uow,
        actor=principal.label,
        action=f"{ENTITY}.{name}",
        entity_type=ENTITY,
        entity_id=after.case_id,
        before={"version": before.version},
        after={"version": after.version, **detail},
        reason=reason,
    )
    uow.commit()
    return after


def raise_flag(
    uow: UnitOfWork,
    principal: Principal,
    case_id: int,
    *,
    level: str,
    subject: str,
    label: str,
    blocking: bool,
    reason: str,
    expected_version: int | None,
) -> cw.CaseFile:
    """An officer flags the case or one of its subjects, saying why."""
    file = _file(uow, principal, case_id)
    after, event = cw.raise_flag(
        file,
        level=level,
        subject=subject,
        label=label,
        blocking=blocking,
        raised_by=principal.label,
        reason=reason,
        expected_version=expected_version,
    )
    return _save(
        uow,
        principal,
        file,
        after,
        event.name,
        {"flag": event.flag_id, "label": label.strip(), "blocking": blocking},
        reason,
    )


def clear_flag(
    uow: UnitOfWork,
    principal: Principal,
    case_id: int,
    flag_id: int,
    *,
    reason: str,
    expected_version: int | None,
) -> cw.CaseFile:
    """An officer clears a flag with a reason; a blocking flag then no longer holds the decision."""
    file = _file(uow, principal, case_id)
    after, event = cw.clear(
        file, flag_id, actor_id=principal.label, reason=reason, expected_version=expected_version
    )
    return _save(uow, principal, file, after, event.name, {"flag": flag_id}, reason.strip())


def assign(
    uow: UnitOfWork,
    principal: Principal,
    case_id: int,
    *,
    assignee: str,
    team: str | None,
    rules: cw.CaseworkRules,
    expected_version: int | None,
) -> cw.CaseFile:
    """Assign the case to an officer of the authority (by e-mail; empty: nobody), optionally to a team."""
    file = _file(uow, principal, case_id)
    if team and team not in rules.teams:
        raise ValidationError(f"no team {team!r}", field="team")
    assignee = assignee.strip().lower()
    if assignee:
        user = uow.users.by_email(assignee)
        if user is None or user.organisation_id != principal.organisation_id or not user.is_active:
            raise ValidationError(f"{assignee} is not an officer of this authority", field="assignee")
        authorize_role = user.role.value.startswith("authority")
        if not authorize_role:
            raise ValidationError(f"{assignee} is not an officer of this authority", field="assignee")
    after, event = cw.assign(
        file, assignee=assignee, team=team, actor_id=principal.label, expected_version=expected_version
    )
    return _save(uow, principal, file, after, event.name, {"assignee": after.assignee, "team": after.team})


def blocking_flags(uow: UnitOfWork, case_id: int) -> tuple[cw.Flag, ...]:
    file = uow.casework.file(case_id)
    return file.blocking_flags if file else ()


@dataclass(frozen=True)
class QueueColumns:
    team: str
    assignee: str
    age_days: int | None
    deadline: datetime | None
    overdue: bool
    active_flags: int
    blocking: bool


def queue_columns(
    uow: UnitOfWork,
    principal: Principal,
    entries: Collection[tuple[int, datetime | None]],
    rules: cw.CaseworkRules,
) -> dict[int, QueueColumns]:
    """The casework columns of the queue's lines: team, assignee, age, deadline, flags."""
    authorize(principal, Permission.ASSESS_CASE)
    files = uow.casework.files([case_id for case_id, _ in entries])
    now = uow.clock.now()
    columns = {}
    for case_id, submitted_at in entries:
        file = files.get(case_id)
        age, due = age_and_deadline(file, submitted_at, rules, now)
        columns[case_id] = QueueColumns(
            team=rules.teams.get(file.team, file.team) if file else "",
            assignee=file.assignee if file else "",
            age_days=age,
            deadline=due,
            overdue=due is not None and due < now,
            active_flags=sum(1 for f in file.flags if f.status is cw.FlagStatus.ACTIVE) if file else 0,
            blocking=bool(file and file.blocking_flags),
        )
    return columns


__all__ = [
    "NotFoundError",
    "QueueColumns",
    "assign",
    "blocking_flags",
    "clear_flag",
    "queue_columns",
    "raise_flag",
]
