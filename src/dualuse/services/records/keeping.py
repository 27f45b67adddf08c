"""The records an exporter keeps (Regulation (EU) 2021/821, Art. 27): everything about its exports, each
with the day it is dated and the last day it must be kept, produced on request.

Art. 27 asks exporters to keep detailed registers or records of their exports for at least five years
from the end of the calendar year in which the export took place, and to produce them to the competent
authority on request. ``export`` gathers them for one organisation; ``purgeable`` lists those past their
retention period.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from dualuse.domain import licensing as lic
from dualuse.domain.errors import HiddenResourceError, NotFoundError, PermissionDeniedError
from dualuse.domain.identity import Organisation, OrganisationKind, Permission, Principal, authorize
from dualuse.services import disclosure
from dualuse.services.unit_of_work import Row, StoredCase, UnitOfWork

LEGAL_BASIS = "Regulation (EU) 2021/821, Art. 27"


def plain(value: Any) -> Any:
    """``value`` as JSON: dataclasses and mappings as objects, Decimals as strings, dates ISO, enums by
    value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return _utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _utc(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def day_of(value: date | datetime) -> date:
    """The calendar day (UTC) a record is dated."""
    return _utc(value).date() if isinstance(value, datetime) else value


def _dated(record_date: date, record: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **{k: plain(v) for k, v in record.items()},
        "date": record_date.isoformat(),
        "retain_until": lic.retention_until(record_date).isoformat(),
    }


def _check_access(uow: UnitOfWork, principal: Principal, organisation_id: int) -> Organisation:
    """The exporter's own members, and the authority of its member state; nobody else."""
    organisation = uow.organisations.get(organisation_id)
    kind = principal.organisation_kind
    if kind is OrganisationKind.EXPORTER:
        authorize(principal, Permission.VIEW_ORGANISATION, organisation_id=organisation_id)
    elif kind is OrganisationKind.AUTHORITY:
        authorize(principal, Permission.ASSESS_CASE)
        if organisation is not None and organisation.member_state != principal.member_state:
            # F16: another state's exporter is not told to exist (and the refusal is audited, F8)
            raise HiddenResourceError("no such exporter")
    else:
        authorize(principal, Permission.VIEW_ORGANISATION)
        raise PermissionDeniedError("only the exporter and the authority of its member state see its records")
    if organisation is None or organisation.kind is not OrganisationKind.EXPORTER:
        raise NotFoundError("no such exporter")
    return organisation


def _case_record(uow: UnitOfWork, stored: StoredCase) -> dict[str, Any]:
    case = stored.case
    decision = case.decision
    licence = uow.licensing.licence_for_case(stored.id)
    return _dated(
        day_of(stored.updated_at),
        {
            "id": stored.id,
            "member_state": stored.member_state,
            "status": case.status,
            "application": case.current_application,
            "submitted_application": case.application,
            "amendments": case.amendments,
            "submitted_at": stored.submitted_at,
            "created_at": stored.created_at,
            "updated_at": stored.updated_at,
            # The decision as the exporter learns it; the authority's assessment is its own file.
            "decision": {
                "outcome": decision.outcome,
                "criteria_relied_on": decision.criteria_relied_on,
                "conditions": decision.recommendation.conditions,
            }
            if decision
            else None,
            "licence": licence.licence.number if licence else None,
        },
    )


def _licence_records(uow: UnitOfWork, principal: Principal, organisation_id: int) -> list[dict[str, Any]]:
    out = []
    for found in uow.licensing.licences(organisation_id=organisation_id):
        stored = disclosure.licence_as_seen(principal, found)
        shipments = uow.licensing.shipments(stored.id)
        # A licence is kept from its last use: the latest of its issue and its shipments.
        licence_date = max([day_of(stored.issued_at), *(s.shipped_on for s in shipments)])
        record = _dated(
            licence_date,
            {
                **plain(stored.licence),
                "member_state": stored.member_state,
                "issued_at": stored.issued_at,
            },
        )
        record["shipments"] = [_dated(s.shipped_on, plain(s)) for s in shipments]
        out.append(record)
    return out


def _stamped(rows: Sequence[Row], when: Callable[[Row], date]) -> list[dict[str, Any]]:
    return [_dated(when(r), r) for r in rows]


def export(uow: UnitOfWork, principal: Principal, organisation_id: int) -> dict[str, Any]:
    """Everything the exporter must keep (Art. 27), each record with its date and ``retain_until`` (31
    December of the fifth year after the record's year): licensing cases (application, status,
    decision), licences with their shipments, Union general export authorisation registrations and
    reports, classifications, due-diligence cases and screenings."""
    organisation = _check_access(uow, principal, organisation_id)
    ga = uow.general_authorisations
    return {
        "legal_basis": LEGAL_BASIS,
        "organisation": {
            "id": organisation.id,
            "name": organisation.name,
            "member_state": organisation.member_state,
            "eori": organisation.eori,
        },
        "licensing_cases": [
            _case_record(uow, s) for s in uow.licensing.cases(organisation_id=organisation_id)
        ],
        "licences": _licence_records(uow, principal, organisation_id),
        "eugea_registrations": _stamped(
            ga.registrations(organisation_id=organisation_id), lambda r: day_of(r["registered_at"])
        ),
        "eugea_reports": _stamped(
            ga.reports(organisation_id=organisation_id),
            lambda r: max(r["period_end"], day_of(r["submitted_at"])),
        ),
        "classifications": [
            _dated(day_of(c.updated_at), plain(c))
            for c in uow.classifications.for_organisation(organisation_id)
        ],
        "due_diligence_cases": [
            _dated(day_of(c.updated_at), plain(c)) for c in uow.duediligence.cases(organisation_id)
        ],
        "screenings": _stamped(uow.screening.screenings(organisation_id), lambda r: day_of(r["screened_at"])),
    }


def purgeable(uow: UnitOfWork, today: date) -> list[tuple[str, int, date]]:
    """The records past their retention period on ``today`` (Art. 27), as (kind, id, date of the record).

    This only lists them and never deletes anything: deleting a record is a separate decision, taken by a
    person and recorded in the audit trail, since a record may have to be kept longer (an investigation,
    a dispute, national law asking for more than five years).
    """
    return [
        (kind, record_id, record_date)
        for kind, record_id, record_date in uow.general_authorisations.record_dates()
        if lic.may_delete(record_date, today)
    ]
