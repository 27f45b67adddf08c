"""Adopting a change and its entry into force.

At adoption the impact analysis is computed from the database and stored with the adoption; a Union
amendment is imported into the list through ``controllist.import_amendment`` dated as adopted (Art. 17(1));
a national measure (Art. 9(1)) is not part of Annex I and is recorded only. A change whose effective date has
come enters into force at once; a later one by a job on the queue at its date (or ``enter_due_into_force``).
When it enters into force, the exporters it touches and the authorities of their member states are notified
in the app, and who was notified is kept with the change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from dualuse.domain.errors import ConflictError, NotFoundError, PermissionDeniedError
from dualuse.domain.identity import OrganisationKind, Permission, Principal, authorize
from dualuse.domain.jobs import Job
from dualuse.domain.listchange import (
    SUBJECT_LABELS,
    SUBJECT_SINGULAR,
    ImpactReport,
    ListChange,
    ListChangeAction,
    ListChangeStatus,
    SubjectKind,
    move,
)
from dualuse.domain.rules.rulebook import Rulebook
from dualuse.services import audit, controllist
from dualuse.services.clock import brussels_day, today_in_brussels
from dualuse.services.controllist import ControlListCatalogue
from dualuse.services.jobs.queue import JobContext
from dualuse.services.listchange.drafting import filename, managed, with_effective_date
from dualuse.services.listchange.impact import analyse_change
from dualuse.services.listchange.ports import ListChangeNotice, StoredListChange
from dualuse.services.unit_of_work import UnitOfWork

IN_FORCE_JOB = "listchange.enter_into_force"


def adopt(
    uow: UnitOfWork,
    principal: Principal,
    catalogue: ControlListCatalogue,
    rulebook: Rulebook,
    change_id: int,
    *,
    effective_from: date,
    expected_version: int | None = None,
    today: date | None = None,
) -> StoredListChange:
    """Adopt a change whose comments are closed, taking effect on ``effective_from`` (not before today).

    A national measure is adopted by a senior officer of its authority (a second pair of eyes on what binds
    every exporter of the state)."""
    stored = managed(uow, principal, change_id)
    before = stored.change
    if before.is_national:
        authorize(principal, Permission.COUNTERSIGN)
    day = today or today_in_brussels()
    after, event = move(
        before,
        ListChangeAction.ADOPT,
        day,
        expected_version=expected_version,
        adopted_on=day,
        effective_from=effective_from,
    )
    after = with_effective_date(after, effective_from)
    report = analyse_change(uow, catalogue, rulebook, before)
    impact = report.as_dict()
    uow.list_changes.save(after, expected_version=before.version, impact=impact)
    audit.record(
        uow,
        actor=principal.label,
        action="list_change.adopted",
        entity_type="list_change",
        entity_id=change_id,
        before={"status": before.status.value, "version": before.version},
        after={
            "status": after.status.value,
            "version": after.version,
            "adopted_on": day.isoformat(),
            "effective_from": effective_from.isoformat(),
            "impact": {"exporters": len(report.exporters), **report.totals()},
        },
        reason=f"{after.legal_basis.article}: {event.name}",
    )
    if effective_from <= day:
        adopted = replace(stored, change=after, impact=impact)
        _enter_into_force(uow, adopted, day, actor=principal.label)
    else:
        at = datetime.now(UTC)
        due = datetime.combine(effective_from, time.min, tzinfo=ZoneInfo("Europe/Brussels"))
        uow.jobs.add(
            IN_FORCE_JOB,
            {"change_id": change_id, "actor": principal.label},
            run_after=max(at, due.astimezone(UTC)),
            max_attempts=5,
            at=at,
        )
    if after.is_national:
        uow.commit()
    else:
        # the amendment joins the list dated as adopted; this commits the adoption with it, or nothing
        controllist.import_amendment(uow, principal, catalogue, after.content, filename(after))
    found = uow.list_changes.get(change_id)
    assert found is not None  # noqa: S101 - saved above
    return found


def _enter_into_force(uow: UnitOfWork, stored: StoredListChange, today: date, *, actor: str) -> ListChange:
    """Move an adopted change into force and notify whom it touches (the caller commits)."""
    before = stored.change
    after, _event = move(before, ListChangeAction.ENTER_INTO_FORCE, today)
    notified = _notify(uow, after, ImpactReport.from_dict(stored.impact or {}))
    uow.list_changes.save(after, expected_version=before.version, notified=notified)
    audit.record(
        uow,
        actor=actor,
        action="list_change.in_force",
        entity_type="list_change",
        entity_id=before.id,
        before={"status": before.status.value},
        after={"status": after.status.value, "notified": [n["organisation_id"] for n in notified]},
    )
    return after


def enter_into_force(
    uow: UnitOfWork, change_id: int, *, today: date | None = None, actor: str = "worker"
) -> ListChange:
    """The adopted change enters into force on its effective date (refused before it)."""
    stored = uow.list_changes.get(change_id)
    if stored is None:
        raise NotFoundError("no such list change")
    after = _enter_into_force(uow, stored, today or today_in_brussels(), actor=actor)
    uow.commit()
    return after


def enter_due_into_force(uow: UnitOfWork, *, today: date | None = None, actor: str = "worker") -> list[int]:
    """Every adopted change whose effective date has come enters into force; returns their ids."""
    day = today or today_in_brussels()
    moved: list[int] = []
    for stored in uow.list_changes.list(statuses=[ListChangeStatus.ADOPTED]):
        effective = stored.change.effective_from
        if effective is not None and effective <= day:
            _enter_into_force(uow, stored, day, actor=actor)
            moved.append(stored.change.id)
    uow.commit()
    return moved


def in_force_job(job: Job, context: JobContext) -> str:
    """The job queued at adoption: the change enters into force at its date (already in force: nothing)."""
    change_id = int(job.payload["change_id"])
    actor = str(job.payload.get("actor") or "worker")
    with context.uows() as uow:
        stored = uow.list_changes.get(change_id)
        if stored is None or stored.change.status is not ListChangeStatus.ADOPTED:
            return f"list change {change_id}: nothing to do"
        effective = stored.change.effective_from
        today = brussels_day(context.clock())
        if effective is not None and today < effective:
            raise ConflictError(f"list change {change_id} takes effect on {effective.isoformat()}")
        enter_into_force(uow, change_id, today=today, actor=actor)
    return f"list change {change_id} in force"


# --- notifications --------------------------------------------------------------------------------------
def _notify(uow: UnitOfWork, change: ListChange, report: ImpactReport) -> list[dict[str, Any]]:
    """In-app notifications to each exporter touched and to the authority of each state touched (and, for
    a national measure, to the Commission and the other states' authorities, Art. 9(2)); returns who."""
    notified: list[dict[str, Any]] = []
    effective = change.effective_from.isoformat() if change.effective_from else "today"
    subject = f"In force from {effective}: {change.title}"

    def send(organisation_id: int, audience: str, body: str) -> None:
        organisation = uow.organisations.get(organisation_id)
        if organisation is None:
            return
        notice_id = uow.list_changes.add_notice(
            change_id=change.id,
            organisation_id=organisation_id,
            audience=audience,
            subject=subject,
            body=body,
        )
        notified.append(
            {
                "organisation_id": organisation_id,
                "name": organisation.name,
                "audience": audience,
                "notice_id": notice_id,
            }
        )

    for exporter_id in report.exporters:
        lines = [
            f"- {SUBJECT_SINGULAR[a.subject.kind]}: {a.subject.ref} (changed: {', '.join(f'{c.code} {c.kind.value}' for c in a.by)})"
            for a in report.for_exporter(exporter_id)
        ]
        send(
            exporter_id,
            "exporter",
            f'The list change "{change.title}" ({change.legal_basis.article}) is in force from {effective}. '
            "It touches these records of yours; check each against the list now in force:\n"
            + "\n".join(lines),
        )
    states = set(report.member_states)
    for state in sorted(states):
        authority = uow.organisations.authority_for(state)
        if authority is None:
            continue
        counts = ", ".join(
            f"{n} {SUBJECT_LABELS[kind]}" for kind, n in _kinds(report.by_state().get(state, {}))
        )
        exporters = len({a.subject.exporter_id for a in report.for_state(state)})
        send(
            authority.id,
            "authority",
            f'The list change "{change.title}" is in force from {effective}. In your member state it touches '
            f"{exporters} exporter(s): {counts}.",
        )
    if change.is_national:
        for organisation in uow.organisations.list():
            other_authority = (
                organisation.kind is OrganisationKind.AUTHORITY
                and organisation.member_state not in states | {change.proposer}
            )
            if organisation.kind is OrganisationKind.COMMISSION or other_authority:
                send(
                    organisation.id,
                    "commission" if organisation.kind is OrganisationKind.COMMISSION else "authority",
                    f'{change.proposer} informs you of its national measure "{change.title}" (Art. 9(2)), in '
                    f"force from {effective}.",
                )
    return notified


def _kinds(counts: dict[str, int]) -> list[tuple[SubjectKind, int]]:
    return [(SubjectKind(k), n) for k, n in counts.items()]


def notices(uow: UnitOfWork, principal: Principal) -> Sequence[ListChangeNotice]:
    """The list-change notifications of the principal's organisation, newest first."""
    if not principal.is_authenticated or principal.organisation_id is None:
        raise PermissionDeniedError("sign in to see your notifications")
    return uow.list_changes.notices(principal.organisation_id)


def mark_read(uow: UnitOfWork, principal: Principal, notice_id: int) -> None:
    """Mark one of the organisation's notifications as read."""
    if not principal.is_authenticated or principal.organisation_id is None:
        raise PermissionDeniedError("sign in to see your notifications")
    if not any(n.id == notice_id for n in uow.list_changes.notices(principal.organisation_id)):
        raise NotFoundError("no such notification")
    uow.list_changes.mark_read(principal.organisation_id, notice_id)
    uow.commit()


__all__ = [
    "IN_FORCE_JOB",
    "adopt",
    "enter_due_into_force",
    "enter_into_force",
    "in_force_job",
    "mark_read",
    "notices",
]
