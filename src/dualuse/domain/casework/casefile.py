"""The officer's case file beside a licensing case: the evidence gathered on submission (parties screened,
control codes checked against the list in force), the flags, the team queue the case was routed to, the
officer it is assigned to, and the clock of its current status against the state's time limit.

Every change moves the file's version by one (optimistic locking, as for the case itself) and records an
event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from dualuse.domain.casework.flags import Flag, FlagEvent, clear_flag, new_flag
from dualuse.domain.errors import ConflictError, NotFoundError, ValidationError

__all__ = [
    "CaseFile",
    "CodeCheck",
    "FileEvent",
    "PartyScreening",
    "ScreeningMatch",
    "TimeLimits",
    "assign",
    "deadline",
]


@dataclass(frozen=True)
class ScreeningMatch:
    source: str
    entity_id: str
    name: str
    score: float


@dataclass(frozen=True)
class PartyScreening:
    """One party of the application screened against the sanctions lists (versions named)."""

    name: str
    role: str
    country: str
    matches: tuple[ScreeningMatch, ...]
    list_versions: Mapping[str, str]
    screened_at: datetime
    trigger: str  # "submission" or "list_update"


@dataclass(frozen=True)
class CodeCheck:
    """An item's control code against the list in force on ``as_of``: listed or not, cyber-surveillance."""

    control_code: str
    on_list: bool | None
    cyber_surveillance: bool
    as_of: date | None
    note: str = ""


@dataclass(frozen=True)
class FileEvent:
    name: str
    case_id: int
    actor_id: str
    version: int
    note: str = ""


@dataclass(frozen=True)
class CaseFile:
    case_id: int
    member_state: str
    team: str
    routed_by: str  # the routing rule, or "" for the default team, or the person who re-routed
    assignee: str
    status: str
    status_since: datetime
    screenings: tuple[PartyScreening, ...] = ()
    code_checks: tuple[CodeCheck, ...] = ()
    flags: tuple[Flag, ...] = ()
    version: int = 1

    @property
    def blocking_flags(self) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.holds_decision)

    @property
    def hits(self) -> int:
        return sum(len(s.matches) for s in self.screenings)

    def flag(self, flag_id: int) -> Flag:
        for flag in self.flags:
            if flag.id == flag_id:
                return flag
        raise NotFoundError("no such flag on this case")

    def _moved(self, **changes: object) -> CaseFile:
        return replace(self, version=self.version + 1, **changes)  # type: ignore[arg-type] # fields


def _check_version(file: CaseFile, expected: int | None) -> None:
    if expected is not None and expected != file.version:
        raise ConflictError(
            f"the case file of case {file.case_id} is at version {file.version}, not {expected}; reload"
        )


def raise_flag(
    file: CaseFile,
    *,
    level: str,
    subject: str,
    label: str,
    blocking: bool,
    raised_by: str,
    reason: str,
    rule_id: str = "",
    expected_version: int | None = None,
) -> tuple[CaseFile, FlagEvent]:
    """Add a flag; a rule's flag already active on the same subject is not raised twice."""
    _check_version(file, expected_version)
    if rule_id and any(
        f.rule_id == rule_id and f.subject == subject.strip() and f.status == "active" for f in file.flags
    ):
        raise ConflictError("this flag is already raised")
    flag, event = new_flag(
        max((f.id for f in file.flags), default=0) + 1,
        level=level,
        subject=subject,
        label=label,
        blocking=blocking,
        raised_by=raised_by,
        reason=reason,
        rule_id=rule_id,
    )
    return file._moved(flags=(*file.flags, flag)), event


def clear(
    file: CaseFile, flag_id: int, *, actor_id: str, reason: str, expected_version: int | None = None
) -> tuple[CaseFile, FlagEvent]:
    """Clear one flag with a reason."""
    _check_version(file, expected_version)
    cleared, event = clear_flag(file.flag(flag_id), actor_id=actor_id, reason=reason)
    flags = tuple(cleared if f.id == flag_id else f for f in file.flags)
    return file._moved(flags=flags), event


def assign(
    file: CaseFile,
    *,
    assignee: str,
    team: str | None,
    actor_id: str,
    expected_version: int | None = None,
) -> tuple[CaseFile, FileEvent]:
    """Assign the case to an officer (empty: unassign), and optionally move it to another team's queue."""
    _check_version(file, expected_version)
    changes: dict[str, object] = {"assignee": assignee.strip()}
    if team is not None and team.strip() and team.strip() != file.team:
        changes |= {"team": team.strip(), "routed_by": actor_id}
    after = file._moved(**changes)
    note = f"assigned to {after.assignee or 'nobody'} in {after.team}"
    return after, FileEvent("CaseAssigned", file.case_id, actor_id, after.version, note)


@dataclass(frozen=True)
class TimeLimits:
    """A state's time limits, in calendar days, for each status a case waits in at the authority."""

    member_state: str
    days: Mapping[str, int]
    source: str
    verified: bool

    def __post_init__(self) -> None:
        for status, days in self.days.items():
            if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
                raise ValidationError(
                    f"time limit of {self.member_state} for {status}: 1 to 365 days, not {days!r}",
                    field="days",
                )


def deadline(file: CaseFile, limits: TimeLimits) -> datetime | None:
    """When the case's current status is due to end (None when the state sets no limit for it)."""
    days = limits.days.get(file.status)
    return None if days is None else file.status_since + timedelta(days=days)
