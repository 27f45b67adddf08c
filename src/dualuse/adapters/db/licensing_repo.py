"""Persistence of licensing: cases (the domain ``Case`` as JSON, optimistically locked), their messages,
licences and shipments.

Domain objects are stored as JSON through the explicit codecs below (Decimals as strings, dates in ISO
8601, enums by value), so a stored case reads back equal to the one written.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, RowMapping, and_, delete, exists, func, select
from sqlalchemy.exc import IntegrityError

from dualuse.adapters.db import tables as t
from dualuse.adapters.db import transparency_repo
from dualuse.adapters.db.rows import aware, insert_or, new_id, now
from dualuse.domain.errors import ConflictError
from dualuse.domain.licensing import (
    Actor,
    Amendment,
    Application,
    ApplicationItem,
    ApplicationStatus,
    ApplicationType,
    Assessment,
    Case,
    Decision,
    DecisionOutcome,
    Finding,
    Licence,
    LicenceAction,
    LicenceStatus,
    LicensedItem,
    Party,
    PartyRole,
    PartyType,
    PendingChange,
    Recommendation,
    RecommendationKind,
    Shipment,
    next_sequence,
)
from dualuse.services.unit_of_work import CasePage, CaseQuery, QueueEntry, Row, StoredCase, StoredLicence

Json = dict[str, Any]


# --- codecs ---------------------------------------------------------------------------------------------
def application_to_json(application: Application) -> Json:
    return {
        "id": application.id,
        "exporter_id": application.exporter_id,
        "application_type": application.application_type.value,
        "items": [
            {
                "control_code": i.control_code,
                "description": i.description,
                "quantity": str(i.quantity),
                "unit": i.unit,
                "value_eur": str(i.value_eur),
                **({"cn_code": i.cn_code} if i.cn_code else {}),
            }
            for i in application.items
        ],
        "parties": [
            {"name": p.name, "role": p.role.value, "country": p.country, "party_type": p.party_type.value}
            for p in application.parties
        ],
        "destinations": list(application.destinations),
        "end_use": application.end_use,
    }


def application_from_json(data: Mapping[str, Any]) -> Application:
    return Application(
        id=data["id"],
        exporter_id=data["exporter_id"],
        application_type=ApplicationType(data["application_type"]),
        items=tuple(
            ApplicationItem(
                control_code=i["control_code"],
                description=i["description"],
                quantity=Decimal(i["quantity"]),
                unit=i["unit"],
                value_eur=Decimal(i["value_eur"]),
                cn_code=i.get("cn_code", ""),
            )
            for i in data["items"]
        ),
        parties=tuple(
            Party(
                name=p["name"],
                role=PartyRole(p["role"]),
                country=p["country"],
                party_type=PartyType(p["party_type"]),
            )
            for p in data["parties"]
        ),
        destinations=tuple(data["destinations"]),
        end_use=data["end_use"],
    )


def assessment_to_json(assessment: Assessment) -> Json:
    return {
        "officer_id": assessment.officer_id,
        "findings": [
            {"criterion_id": f.criterion_id, "concern": f.concern, "note": f.note}
            for f in assessment.findings
        ],
    }


def assessment_from_json(data: Mapping[str, Any]) -> Assessment:
    return Assessment(
        officer_id=data["officer_id"],
        findings=tuple(
            Finding(criterion_id=f["criterion_id"], concern=bool(f["concern"]), note=f["note"])
            for f in data["findings"]
        ),
    )


def recommendation_to_json(recommendation: Recommendation) -> Json:
    return {
        "kind": recommendation.kind.value,
        "officer_id": recommendation.officer_id,
        "assessment": assessment_to_json(recommendation.assessment),
        "reasoning": recommendation.reasoning,
        "criteria_relied_on": list(recommendation.criteria_relied_on),
        "conditions": list(recommendation.conditions),
    }


def recommendation_from_json(data: Mapping[str, Any]) -> Recommendation:
    return Recommendation(
        kind=RecommendationKind(data["kind"]),
        officer_id=data["officer_id"],
        assessment=assessment_from_json(data["assessment"]),
        reasoning=data["reasoning"],
        criteria_relied_on=tuple(data["criteria_relied_on"]),
        conditions=tuple(data["conditions"]),
    )


def decision_to_json(decision: Decision) -> Json:
    return {
        "outcome": decision.outcome.value,
        "recommendation": recommendation_to_json(decision.recommendation),
        "countersigned_by": decision.countersigned_by,
        "case_version": decision.case_version,
        "criteria_relied_on": list(decision.criteria_relied_on),
    }


def decision_from_json(data: Mapping[str, Any]) -> Decision:
    return Decision(
        outcome=DecisionOutcome(data["outcome"]),
        recommendation=recommendation_from_json(data["recommendation"]),
        countersigned_by=data["countersigned_by"],
        case_version=int(data["case_version"]),
        criteria_relied_on=tuple(data["criteria_relied_on"]),
    )


def amendment_to_json(amendment: Amendment) -> Json:
    return {
        "sequence": amendment.sequence,
        "application": application_to_json(amendment.application),
        "reason": amendment.reason,
        "amended_by": amendment.amended_by,
        "case_version": amendment.case_version,
    }


def amendment_from_json(data: Mapping[str, Any]) -> Amendment:
    return Amendment(
        sequence=int(data["sequence"]),
        application=application_from_json(data["application"]),
        reason=data["reason"],
        amended_by=data["amended_by"],
        case_version=int(data["case_version"]),
    )


def case_to_json(case: Case) -> Json:
    return {
        "id": case.id,
        "application": application_to_json(case.application),
        "status": case.status.value,
        "version": case.version,
        "amendments": [amendment_to_json(a) for a in case.amendments],
        "recommendation": recommendation_to_json(case.recommendation) if case.recommendation else None,
        "decision": decision_to_json(case.decision) if case.decision else None,
    }


def case_from_json(data: Mapping[str, Any]) -> Case:
    return Case(
        id=data["id"],
        application=application_from_json(data["application"]),
        status=ApplicationStatus(data["status"]),
        version=int(data["version"]),
        amendments=tuple(amendment_from_json(a) for a in data["amendments"]),
        recommendation=recommendation_from_json(data["recommendation"]) if data["recommendation"] else None,
        decision=decision_from_json(data["decision"]) if data["decision"] else None,
    )


def _item_to_json(i: LicensedItem) -> Json:
    return {
        "line": i.line,
        "control_code": i.control_code,
        "description": i.description,
        "unit": i.unit,
        "quantity": str(i.quantity),
        "value_eur": str(i.value_eur),
    }


def _item_from_json(i: Mapping[str, Any]) -> LicensedItem:
    return LicensedItem(
        line=int(i["line"]),
        control_code=i["control_code"],
        description=i["description"],
        unit=i["unit"],
        quantity=Decimal(i["quantity"]),
        value_eur=Decimal(i["value_eur"]),
    )


def pending_to_json(pending: PendingChange | None) -> Json | None:
    if pending is None:
        return None
    return {
        "action": pending.action.value,
        "proposed_by": pending.proposed_by,
        "proposer_role": pending.proposer_role.value,
        "reason": pending.reason,
        "relaxations": list(pending.relaxations),
        "valid_until": pending.valid_until.isoformat(),
        "conditions": list(pending.conditions),
        "items": [_item_to_json(i) for i in pending.items],
        "at_version": pending.at_version,
    }


def _pending_from_json(data: Mapping[str, Any] | None) -> PendingChange | None:
    if not data:
        return None
    return PendingChange(
        action=LicenceAction(data["action"]),
        proposed_by=data["proposed_by"],
        proposer_role=Actor(data["proposer_role"]),
        reason=data["reason"],
        relaxations=tuple(data["relaxations"]),
        valid_until=date.fromisoformat(data["valid_until"]),
        conditions=tuple(data["conditions"]),
        items=tuple(_item_from_json(i) for i in data["items"]),
        at_version=int(data["at_version"]),
    )


def licence_to_json(licence: Licence) -> Json:
    return {
        "number": licence.number,
        "case_id": licence.case_id,
        "holder_id": licence.holder_id,
        "licence_type": licence.licence_type.value,
        "valid_from": licence.valid_from.isoformat(),
        "valid_until": licence.valid_until.isoformat(),
        "items": [_item_to_json(i) for i in licence.items],
        "conditions": list(licence.conditions),
        "status": licence.status.value,
        "version": licence.version,
        "justification": licence.justification,
        "pending": pending_to_json(licence.pending),
    }


def licence_from_json(data: Mapping[str, Any]) -> Licence:
    return Licence(
        number=data["number"],
        case_id=data["case_id"],
        holder_id=data["holder_id"],
        licence_type=ApplicationType(data["licence_type"]),
        valid_from=date.fromisoformat(data["valid_from"]),
        valid_until=date.fromisoformat(data["valid_until"]),
        items=tuple(_item_from_json(i) for i in data["items"]),
        conditions=tuple(data["conditions"]),
        status=LicenceStatus(data["status"]),
        version=int(data["version"]),
        justification=data["justification"],
        pending=_pending_from_json(data.get("pending")),
    )


def shipment_to_json(shipment: Shipment) -> Json:
    return {
        "licence_number": shipment.licence_number,
        "item_line": shipment.item_line,
        "quantity": str(shipment.quantity),
        "value_eur": str(shipment.value_eur),
        "shipped_on": shipment.shipped_on.isoformat(),
        "customs_reference": shipment.customs_reference,
    }


def shipment_from_json(data: Mapping[str, Any]) -> Shipment:
    return Shipment(
        licence_number=data["licence_number"],
        item_line=int(data["item_line"]),
        quantity=Decimal(data["quantity"]),
        value_eur=Decimal(data["value_eur"]),
        shipped_on=date.fromisoformat(data["shipped_on"]),
        customs_reference=data["customs_reference"],
    )


def _case_data(stored: StoredCase) -> Json:
    return {
        "case": case_to_json(stored.case),
        "assessment": assessment_to_json(stored.assessment) if stored.assessment else None,
        "submitted_at": stored.submitted_at.isoformat() if stored.submitted_at else None,
    }


def queue_index_rows(stored: StoredCase) -> tuple[list[Json], list[Json]]:
    """The rows the queue filters a case by: its current destinations and the control codes of its items."""
    application = stored.case.current_application
    countries = dict.fromkeys(application.destinations)
    codes = dict.fromkeys(item.control_code.strip() for item in application.items)
    return (
        [{"case_id": stored.id, "country": country} for country in countries],
        [{"case_id": stored.id, "control_code": code} for code in codes],
    )


def _stored_case(row: RowMapping) -> StoredCase:
    data = row["data"]
    submitted = data.get("submitted_at")
    return StoredCase(
        id=row["id"],
        organisation_id=row["organisation_id"],
        member_state=row["member_state"],
        case=case_from_json(data["case"]),
        assessment=assessment_from_json(data["assessment"]) if data.get("assessment") else None,
        submitted_at=datetime.fromisoformat(submitted) if submitted else None,
        created_at=aware(row["created_at"]),
        updated_at=aware(row["updated_at"]),
    )


def _queue_entry(row: RowMapping) -> QueueEntry:
    """The queue's line, straight from the JSON ``case_to_json`` wrote (the current application is the
    latest amendment's)."""
    data = row["data"]
    case = data["case"]
    application = case["amendments"][-1]["application"] if case["amendments"] else case["application"]
    items = application["items"]
    end_users = [p for p in application["parties"] if p["role"] == PartyRole.END_USER.value]
    submitted = row["submitted_at"]
    return QueueEntry(
        id=row["id"],
        organisation_id=row["organisation_id"],
        member_state=row["member_state"],
        status=ApplicationStatus(row["status"]),
        version=row["version"],
        application_type=application["application_type"],
        control_codes=tuple(dict.fromkeys(i["control_code"].strip() for i in items)),
        destinations=tuple(application["destinations"]),
        end_user=(end_users[0]["name"], end_users[0]["country"]) if end_users else None,
        value_eur=sum((Decimal(i["value_eur"]) for i in items), Decimal(0)),
        amended=bool(case["amendments"]),
        submitted_at=aware(submitted) if submitted else None,
        updated_at=aware(row["updated_at"]),
    )


def _stored_licence(row: RowMapping) -> StoredLicence:
    return StoredLicence(
        id=row["id"],
        case_id=row["case_id"],
        member_state=row["member_state"],
        licence=licence_from_json(row["data"]),
        check_code=row["check_code"],
        issued_at=aware(row["issued_at"]),
    )


# --- the repository ---------------------------------------------------------------------------------------
class SqlLicensing:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    # --- cases --------------------------------------------------------------------------------------
    def add_case(
        self, *, organisation_id: int, member_state: str, build: Callable[[int], Case]
    ) -> StoredCase:
        """Insert a case whose id is the new row's: ``build`` makes the domain case from that id."""
        written = now()
        c = t.licensing_cases
        case_id = new_id(
            self._c.execute(
                c.insert().values(
                    organisation_id=organisation_id,
                    member_state=member_state,
                    status=ApplicationStatus.DRAFT.value,
                    version=0,
                    data={},
                    created_at=written,
                    updated_at=written,
                )
            )
        )
        case = build(case_id)
        stored = StoredCase(
            id=case_id,
            organisation_id=organisation_id,
            member_state=member_state,
            case=case,
            assessment=None,
            submitted_at=None,
            created_at=written,
            updated_at=written,
        )
        self._c.execute(
            c.update()
            .where(c.c.id == case_id)
            .values(status=case.status.value, version=case.version, data=_case_data(stored))
        )
        self._index(stored, fresh=True)
        return stored

    def _index(self, stored: StoredCase, *, fresh: bool = False) -> None:
        """Keep what the queue filters on (destinations, control codes) in step with the current
        application, in the same transaction as the case."""
        d, i = t.licensing_case_destinations, t.licensing_case_items
        if not fresh:
            self._c.execute(delete(d).where(d.c.case_id == stored.id))
            self._c.execute(delete(i).where(i.c.case_id == stored.id))
        destinations, items = queue_index_rows(stored)
        if destinations:
            self._c.execute(d.insert(), destinations)
        if items:
            self._c.execute(i.insert(), items)

    def case(self, case_id: int) -> StoredCase | None:
        c = t.licensing_cases
        row = self._c.execute(select(c).where(c.c.id == case_id)).mappings().first()
        return _stored_case(row) if row else None

    def cases(
        self,
        *,
        organisation_id: int | None = None,
        member_state: str | None = None,
        statuses: Sequence[ApplicationStatus] | None = None,
    ) -> Sequence[StoredCase]:
        c = t.licensing_cases
        query = select(c).order_by(c.c.id)
        if organisation_id is not None:
            query = query.where(c.c.organisation_id == organisation_id)
        if member_state is not None:
            query = query.where(c.c.member_state == member_state)
        if statuses is not None:
            query = query.where(c.c.status.in_([s.value for s in statuses]))
        return [_stored_case(r) for r in self._c.execute(query).mappings()]

    def save_case(self, stored: StoredCase, *, expected_version: int) -> None:
        """Write the case if nobody changed it since ``expected_version`` was read; the check and the
        write are one SQL statement, so of two concurrent writers exactly one succeeds."""
        if stored.case.version != expected_version + 1:
            raise ValueError("a saved case moves on by exactly one version")
        c = t.licensing_cases
        result = self._c.execute(
            c.update()
            .where(c.c.id == stored.id, c.c.version == expected_version)
            .values(
                data=_case_data(stored),
                status=stored.case.status.value,
                version=c.c.version + 1,
                submitted_at=stored.submitted_at,
                updated_at=now(),
            )
        )
        if result.rowcount != 1:
            raise ConflictError("the case changed meanwhile: reload")
        self._index(stored)
        transparency_repo.record_decision(self._c, stored)  # the annual report's figures (Art. 26(2))

    def hold_case(self, case_id: int) -> None:
        """A write that changes nothing: the row lock on PostgreSQL, the database's write lock on SQLite,
        held to the end of the transaction; statements after it see what the previous holder committed."""
        c = t.licensing_cases
        self._c.execute(c.update().where(c.c.id == case_id).values(version=c.c.version))

    def queue(self, query: CaseQuery) -> CasePage:
        c, d, i = t.licensing_cases, t.licensing_case_destinations, t.licensing_case_items
        conditions = [
            c.c.member_state == query.member_state,
            c.c.status.in_([s.value for s in query.statuses]),
            c.c.submitted_at.is_not(None),  # a draft withdrawn before submission never reached the authority
        ]
        if query.destination is not None:
            conditions.append(exists().where(d.c.case_id == c.c.id, d.c.country == query.destination))
        if query.with_codes is not None:
            conditions.append(
                exists().where(i.c.case_id == c.c.id, i.c.control_code.in_(sorted(query.with_codes)))
            )
        if query.without_codes is not None:
            conditions.append(
                ~exists().where(i.c.case_id == c.c.id, i.c.control_code.in_(sorted(query.without_codes)))
            )
        if query.submitted_before is not None:
            conditions.append(c.c.submitted_at <= query.submitted_before)
        where = and_(*conditions)
        total = self._c.execute(select(func.count()).select_from(c).where(where)).scalar_one()
        # In the order of ix_licensing_cases_queue, so that a page reads its rows and no others.
        rows = self._c.execute(
            select(c).where(where).order_by(c.c.submitted_at, c.c.id).limit(query.limit).offset(query.offset)
        ).mappings()
        return CasePage(cases=[_queue_entry(r) for r in rows], total=int(total))

    def control_codes(self, member_state: str) -> Collection[str]:
        c, i = t.licensing_cases, t.licensing_case_items
        query = (
            select(i.c.control_code)
            .distinct()
            .join(c, c.c.id == i.c.case_id)
            .where(c.c.member_state == member_state)
        )
        return set(self._c.execute(query).scalars())

    # --- messages -----------------------------------------------------------------------------------
    def add_message(self, *, case_id: int, author: str, author_role: str, body: str) -> int:
        return new_id(
            self._c.execute(
                t.case_messages.insert().values(
                    case_id=case_id, author=author, author_role=author_role, body=body, created_at=now()
                )
            )
        )

    def messages(self, case_id: int) -> Sequence[Row]:
        m = t.case_messages
        rows = self._c.execute(select(m).where(m.c.case_id == case_id).order_by(m.c.id)).mappings()
        return [{**dict(r), "created_at": aware(r["created_at"])} for r in rows]

    # --- licences -----------------------------------------------------------------------------------
    def add_licence(self, *, case_id: int, member_state: str, licence: Licence, check_code: str) -> int:
        """Insert a licence; a number issued meanwhile by a concurrent decision is a conflict (UNIQUE)."""
        try:
            result = self._c.execute(
                t.licences.insert().values(
                    case_id=case_id,
                    number=licence.number,
                    member_state=member_state,
                    status=licence.status.value,
                    version=licence.version,
                    data=licence_to_json(licence),
                    check_code=check_code,
                    issued_at=now(),
                )
            )
        except IntegrityError:
            # The transaction is spoilt either way: the unit of work rolls the whole decision back.
            raise ConflictError(f"licence number {licence.number} was issued meanwhile: retry") from None
        return new_id(result)

    def licence(self, number: str) -> StoredLicence | None:
        row = self._c.execute(select(t.licences).where(t.licences.c.number == number)).mappings().first()
        return _stored_licence(row) if row else None

    def licence_for_case(self, case_id: int) -> StoredLicence | None:
        row = self._c.execute(select(t.licences).where(t.licences.c.case_id == case_id)).mappings().first()
        return _stored_licence(row) if row else None

    def licences_for_cases(self, case_ids: Collection[int]) -> Mapping[int, StoredLicence]:
        if not case_ids:
            return {}
        rows = self._c.execute(select(t.licences).where(t.licences.c.case_id.in_(sorted(case_ids))))
        return {stored.case_id: stored for stored in map(_stored_licence, rows.mappings())}

    def licences(
        self, *, member_state: str | None = None, organisation_id: int | None = None
    ) -> Sequence[StoredLicence]:
        lic, c = t.licences, t.licensing_cases
        query = select(lic).join(c, c.c.id == lic.c.case_id).order_by(lic.c.id)
        if member_state is not None:
            query = query.where(lic.c.member_state == member_state)
        if organisation_id is not None:
            query = query.where(c.c.organisation_id == organisation_id)
        return [_stored_licence(r) for r in self._c.execute(query).mappings()]

    def issued_numbers(self, member_state: str) -> Sequence[str]:
        lic = t.licences
        return list(self._c.execute(select(lic.c.number).where(lic.c.member_state == member_state)).scalars())

    def next_licence_sequence(self, member_state: str, year: int) -> int:
        """Take the next sequence number of ``member_state``'s licences of ``year``. The counter row stays
        locked to the end of the transaction, so a concurrent grant waits for it (and takes the number
        after) rather than failing, and a decision rolled back gives its number back."""
        k = t.licence_number_counters
        key = (k.c.member_state == member_state, k.c.year == year)
        taken = self._c.execute(
            k.update().where(*key).values(last_sequence=k.c.last_sequence + 1).returning(k.c.last_sequence)
        ).scalar()
        if taken is None:  # the state's first licence of the year, or numbers issued before the counter
            first = next_sequence(self.issued_numbers(member_state), member_state, year)
            statement = insert_or(self._c, k).values(
                member_state=member_state, year=year, last_sequence=first
            )
            taken = self._c.execute(
                statement.on_conflict_do_update(  # a concurrent first grant inserted it meanwhile
                    index_elements=[k.c.member_state, k.c.year],
                    set_={"last_sequence": k.c.last_sequence + 1},
                ).returning(k.c.last_sequence)
            ).scalar_one()
        return int(taken)

    def save_licence(self, stored: StoredLicence, *, expected_version: int) -> None:
        lic = t.licences
        result = self._c.execute(
            lic.update()
            .where(lic.c.id == stored.id, lic.c.version == expected_version)
            .values(
                data=licence_to_json(stored.licence),
                status=stored.licence.status.value,
                version=lic.c.version + 1,
            )
        )
        if result.rowcount != 1:
            raise ConflictError("the licence changed meanwhile: reload")

    def hold_licence(self, licence_id: int) -> None:
        """A write that changes nothing: the row lock on PostgreSQL, the database's write lock on SQLite,
        held to the end of the transaction; statements after it see what the previous holder committed."""
        lic = t.licences
        self._c.execute(lic.update().where(lic.c.id == licence_id).values(version=lic.c.version))

    # --- shipments ----------------------------------------------------------------------------------
    def add_shipment(self, *, licence_id: int, shipment: Shipment) -> int:
        return new_id(
            self._c.execute(
                t.shipments.insert().values(
                    licence_id=licence_id,
                    data=shipment_to_json(shipment),
                    customs_reference=shipment.customs_reference,
                    shipped_on=shipment.shipped_on,
                    created_at=now(),
                )
            )
        )

    def shipments(self, licence_id: int) -> Sequence[Shipment]:
        s = t.shipments
        rows = self._c.execute(select(s.c.data).where(s.c.licence_id == licence_id).order_by(s.c.id))
        return [shipment_from_json(data) for data in rows.scalars()]
