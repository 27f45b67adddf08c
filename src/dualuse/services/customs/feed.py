"""What customs see and exchange (issue 19, point 6; Art. 21(1) Reg. (EU) 2021/821: the exporter proves at
the customs office that the authorisation was obtained).

- ``lookup_licence`` / ``lookup_registration``: a customs officer of any member state (a licence is valid
  throughout the Union) looks up an authorisation by its number and sees only what a declaration needs:
  holder and EORI, type and customs document code, status and validity, destinations, and per line the
  control code, CN code, unit and what is left. Not the end use, the parties' names or the assessment.
- ``licence_feed``: the licences of the customs officer's own state in the documented format below.
- ``import_usage``: written-off quantities from the national customs system deplete the licences; a feed
  is all or nothing, a record that would over-draw a line is refused with its position, and a record
  already written off (same declaration, line and amounts) is skipped, so the same feed can be sent twice.

Licence feed format ``dualuse-licence-feed`` version 1 (JSON)::

    {"format": "dualuse-licence-feed", "version": 1, "member_state": "DE", "generated_at": ISO 8601,
     "licences": [{"number": "DE-2026-000001", "type": "individual", "customs_code": "X060",
                   "holder": {"name": str, "eori": str|null}, "status": "active"|"suspended"|…,
                   "valid_from": "YYYY-MM-DD", "valid_until": "YYYY-MM-DD", "destinations": ["BR"],
                   "lines": [{"line": 1, "control_code": "5A001.j", "cn_code": "85176200"|null,
                              "unit": "pieces", "quantity_authorised": "2", "quantity_left": "1",
                              "value_authorised_eur": "250000.00", "value_left_eur": "125000.00"}]}]}

Usage feed format ``dualuse-usage`` version 1 (JSON; ``domain.customs.usage``)::

    {"format": "dualuse-usage", "version": 1,
     "records": [{"licence": "DE-2026-000001", "line": 1, "quantity": "1", "value_eur": "125000.00",
                  "declaration": "26DE123456789012A1", "accepted_on": "YYYY-MM-DD"}]}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from dualuse.domain import licensing as lic
from dualuse.domain.customs import UsageRecord, parse_usage
from dualuse.domain.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import OrganisationKind, Permission, Principal, authorize
from dualuse.services import audit
from dualuse.services.generalauth.registrations import registered_on
from dualuse.services.unit_of_work import StoredLicence, UnitOfWork

FEED_FORMAT = "dualuse-licence-feed"
FEED_VERSION = 1
NO_AUTHORISATION = "no such authorisation"
CUSTOMS_CODES = {"individual": "X060", "global": "X070"}
_REGISTRATION = re.compile(r"([A-Z]{2})-(EU00[1-8])-([0-9]{6})")


def customs_state(principal: Principal) -> str:
    """The member state of a customs officer; anyone else is refused."""
    authorize(principal, Permission.CHECK_DECLARATION)
    if principal.organisation_kind is not OrganisationKind.CUSTOMS or principal.member_state is None:
        raise PermissionDeniedError("only a member state's customs check declarations")
    return principal.member_state


def _lines(uow: UnitOfWork, stored: StoredLicence) -> list[dict[str, Any]]:
    licence = stored.licence
    left = lic.remaining(licence, uow.licensing.shipments(stored.id))
    case = uow.licensing.case(stored.case_id)
    requested = dict(enumerate(case.case.current_application.items, start=1)) if case else {}
    return [
        {
            "line": item.line,
            "control_code": item.control_code,
            "cn_code": (requested[item.line].cn_code or None) if item.line in requested else None,
            "unit": item.unit,
            "quantity_authorised": str(item.quantity),
            "quantity_left": str(left[item.line].quantity),
            "value_authorised_eur": str(item.value_eur),
            "value_left_eur": str(left[item.line].value_eur),
        }
        for item in licence.items
    ]


def _licence_view(uow: UnitOfWork, stored: StoredLicence) -> dict[str, Any]:
    licence = stored.licence
    holder = uow.organisations.get(int(licence.holder_id))
    case = uow.licensing.case(stored.case_id)
    today = uow.clock.today()
    return {
        "number": licence.number,
        "type": licence.licence_type.value,
        "customs_code": CUSTOMS_CODES.get(licence.licence_type.value, "X060"),
        "issued_by": stored.member_state,
        "holder": {"name": holder.name if holder else None, "eori": holder.eori if holder else None},
        "status": licence.status.value,
        "valid_from": licence.valid_from.isoformat(),
        "valid_until": licence.valid_until.isoformat(),
        "in_force": licence.status is lic.LicenceStatus.ACTIVE
        and licence.valid_from <= today <= licence.valid_until,
        "destinations": list(case.case.current_application.destinations) if case else [],
        "lines": _lines(uow, stored),
    }


def lookup_licence(uow: UnitOfWork, principal: Principal, number: str) -> dict[str, Any]:
    """A licence as a declaration needs it (the look-up is audited)."""
    state = customs_state(principal)
    stored = uow.licensing.licence(number.strip().upper()[:20])
    if stored is None:
        raise NotFoundError(NO_AUTHORISATION)
    audit.record(
        uow,
        actor=principal.label,
        action="customs.LicenceLookedUp",
        entity_type="licence",
        entity_id=stored.licence.number,
        after={"customs_state": state},
    )
    uow.commit()
    return _licence_view(uow, stored)


def lookup_registration(uow: UnitOfWork, principal: Principal, number: str) -> dict[str, Any]:
    """A general-authorisation registration by its number (``DE-EU001-000003``): who registered which
    Union general export authorisation with which state, and the customs code to declare."""
    state = customs_state(principal)
    match = _REGISTRATION.fullmatch(number.strip().upper())
    if match is None:
        raise NotFoundError(NO_AUTHORISATION)
    member_state, eugea_id, row_id = match.group(1), match.group(2), int(match.group(3))
    row = next(
        (
            r
            for r in uow.general_authorisations.registrations(member_state=member_state)
            if int(r["id"]) == row_id
        ),
        None,
    )
    if row is None or row["eugea_id"] != eugea_id:
        raise NotFoundError(NO_AUTHORISATION)
    holder = uow.organisations.get(int(row["organisation_id"]))
    audit.record(
        uow,
        actor=principal.label,
        action="customs.RegistrationLookedUp",
        entity_type="eugea_registration",
        entity_id=number.strip().upper(),
        after={"customs_state": state},
    )
    uow.commit()
    return {
        "number": number.strip().upper(),
        "general_authorisation": eugea_id,
        "customs_code": f"X06{int(eugea_id[-1])}",
        "registered_with": member_state,
        "registered_on": registered_on(row).isoformat(),
        "holder": {"name": holder.name if holder else None, "eori": holder.eori if holder else None},
    }


def registration_number(member_state: str, eugea_id: str, registration_id: int) -> str:
    return f"{member_state}-{eugea_id}-{registration_id:06d}"


def licence_feed(uow: UnitOfWork, principal: Principal) -> dict[str, Any]:
    """Every licence of the customs officer's state, in the documented feed format."""
    state = customs_state(principal)
    licences = uow.licensing.licences(member_state=state)
    audit.record(
        uow,
        actor=principal.label,
        action="customs.LicenceFeedExported",
        entity_type="licence",
        entity_id="*",
        after={"customs_state": state, "licences": len(licences)},
    )
    uow.commit()
    return {
        "format": FEED_FORMAT,
        "version": FEED_VERSION,
        "member_state": state,
        "generated_at": datetime.now(UTC).isoformat(),
        "licences": [_licence_view(uow, s) for s in licences],
    }


@dataclass(frozen=True)
class UsageReport:
    written_off: int
    skipped: int  # already written off (the same feed sent again)
    exhausted: tuple[str, ...]


def _already(record: UsageRecord, shipments: list[lic.Shipment]) -> bool:
    same = [s for s in shipments if s.customs_reference == record.declaration]
    if not same:
        return False
    if any(
        (s.item_line, s.quantity, s.value_eur) == (record.line, record.quantity, record.value_eur)
        for s in same
    ):
        return True
    raise ConflictError(
        f"declaration {record.declaration} is already written off against {record.licence} with other amounts"
    )


def import_usage(uow: UnitOfWork, principal: Principal, document: Mapping[str, object]) -> UsageReport:
    """Write off the records of a usage feed against their licences, all or nothing (Art. 21(1))."""
    state = customs_state(principal)
    records = parse_usage(document)
    written = skipped = 0
    exhausted: list[str] = []
    for index, record in enumerate(records, start=1):
        stored = uow.licensing.licence(record.licence)
        if stored is None:
            raise ValidationError(f"record {index}: no licence {record.licence}", field="licence")
        uow.licensing.hold_licence(stored.id)  # write-offs of one licence one at a time
        stored = uow.licensing.licence(record.licence)
        assert stored is not None  # noqa: S101 - held just now
        shipments = list(uow.licensing.shipments(stored.id))
        if _already(record, shipments):
            skipped += 1
            continue
        try:
            shipment = lic.Shipment(
                licence_number=stored.licence.number,
                item_line=record.line,
                quantity=record.quantity,
                value_eur=record.value_eur,
                shipped_on=record.accepted_on,
                customs_reference=record.declaration,
            )
            licence, _, events = lic.record_shipment(stored.licence, shipments, shipment)
        except (ValidationError, ConflictError) as exc:
            raise type(exc)(
                f"record {index} ({record.licence} line {record.line}): {exc.detail}", field=exc.field
            ) from None
        uow.licensing.add_shipment(licence_id=stored.id, shipment=shipment)
        audit.record(
            uow,
            actor=principal.label,
            action="licence.UsageWrittenOff",
            entity_type="licence",
            entity_id=stored.licence.number,
            after={
                "line": record.line,
                "quantity": str(record.quantity),
                "value_eur": str(record.value_eur),
                "declaration": record.declaration,
                "customs_state": state,
            },
        )
        for event in events:
            after = replace(stored, licence=licence)
            uow.licensing.save_licence(after, expected_version=stored.licence.version)
            audit.record(
                uow,
                actor="system",
                action=f"licence.{event.name}",
                entity_type="licence",
                entity_id=stored.licence.number,
                before={"status": event.before.value, "version": stored.licence.version},
                after={"status": event.after.value, "version": licence.version},
            )
            exhausted.append(stored.licence.number)
        written += 1
    uow.commit()
    return UsageReport(written, skipped, tuple(exhausted))
