"""Licensing over HTTP: the exporter's applications, the authority's queue and case handling, four-eyes
decisions, licences, shipments and the public verification of a licence (Arts. 12, 13, 15, 16)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from dualuse.adapters.db.licensing_repo import (
    amendment_to_json,
    application_to_json,
    assessment_to_json,
    decision_to_json,
    licence_to_json,
    recommendation_to_json,
)
from dualuse.domain import licensing as lic
from dualuse.domain.errors import DualUseError, ValidationError
from dualuse.domain.identity import OrganisationKind, Principal
from dualuse.entrypoints.api.deps import ContainerDep, RowId, UowDep, UserDep
from dualuse.services import licensing as svc
from dualuse.services.casework import evidence as casework_evidence
from dualuse.services.clock import today_in_brussels
from dualuse.services.unit_of_work import QueueEntry, StoredCase, StoredLicence

router = APIRouter(prefix="/api/v1", tags=["licensing"])

Version = Field(ge=1, le=2**31 - 1)
OptionalVersion = Field(default=None, ge=1, le=2**31 - 1)


class ItemIn(BaseModel):
    control_code: str = Field(min_length=1, max_length=40)
    description: str = Field(min_length=1, max_length=1000)
    quantity: Decimal = Field(gt=0, max_digits=18, decimal_places=6)
    unit: str = Field(min_length=1, max_length=30)
    value_eur: Decimal = Field(ge=0, max_digits=18, decimal_places=2)
    cn_code: str = Field(
        default="", max_length=8, description="Combined Nomenclature code (Annex III box 15)"
    )


class PartyIn(BaseModel):
    name: str = Field(min_length=1, max_length=300)
    role: str = Field(max_length=30)
    country: str = Field(min_length=2, max_length=2)
    party_type: str = Field(default="other", max_length=30)


class ApplicationIn(BaseModel):
    application_type: str = Field(default="individual", max_length=30)
    items: list[ItemIn] = Field(default_factory=list, max_length=200)
    parties: list[PartyIn] = Field(default_factory=list, max_length=50)
    destinations: list[str] = Field(default_factory=list, max_length=50)
    end_use: str = Field(default="", max_length=10000)

    def content(self) -> svc.ApplicationContent:
        try:
            parties = [
                lic.Party(
                    name=p.name,
                    role=lic.PartyRole(p.role),
                    country=p.country.upper(),
                    party_type=lic.PartyType(p.party_type),
                )
                for p in self.parties
            ]
        except ValueError as error:
            raise ValidationError(str(error), field="parties") from None
        return svc.ApplicationContent(
            application_type=self.application_type,
            items=[lic.ApplicationItem(**i.model_dump()) for i in self.items],
            parties=parties,
            destinations=self.destinations,
            end_use=self.end_use,
        )


class ApplicationUpdateIn(ApplicationIn):
    expected_version: int | None = OptionalVersion
    reason: str = Field(default="", max_length=2000)


class VersionIn(BaseModel):
    expected_version: int | None = OptionalVersion


class MessageIn(BaseModel):
    body: str = Field(min_length=1, max_length=10000)


class ActionIn(BaseModel):
    expected_version: int = Version
    note: str = Field(default="", max_length=5000)


class FindingIn(BaseModel):
    criterion_id: str = Field(max_length=20)
    concern: bool = False
    note: str = Field(default="", max_length=5000)


class AssessmentIn(BaseModel):
    expected_version: int = Version
    findings: list[FindingIn] = Field(max_length=50)


class RecommendationIn(BaseModel):
    expected_version: int = Version
    kind: str = Field(max_length=30)
    reasoning: str = Field(min_length=1, max_length=10000)
    criteria_relied_on: list[str] = Field(default_factory=list, max_length=20)
    conditions: list[str] = Field(default_factory=list, max_length=20)


class GrantedLineIn(BaseModel):
    line: int = Field(ge=1, le=10000)
    quantity: Decimal = Field(gt=0, max_digits=18, decimal_places=6)
    value_eur: Decimal = Field(ge=0, max_digits=18, decimal_places=2)


class DecisionIn(BaseModel):
    expected_version: int = Version
    outcome: str = Field(max_length=30)
    valid_from: date | None = None
    valid_until: date | None = None
    items: list[GrantedLineIn] = Field(default_factory=list, max_length=200)


class LicenceActionIn(BaseModel):
    expected_version: int | None = OptionalVersion
    reason: str = Field(default="", max_length=5000)
    valid_until: date | None = None
    conditions: list[str] | None = Field(default=None, max_length=20)


class ShipmentIn(BaseModel):
    item_line: int = Field(ge=1, le=10000)
    quantity: Decimal = Field(gt=0, max_digits=18, decimal_places=6)
    value_eur: Decimal = Field(ge=0, max_digits=18, decimal_places=2)
    shipped_on: date | None = None
    customs_reference: str = Field(min_length=1, max_length=100)


# --- responses -------------------------------------------------------------------------------------------
def _case_out(
    stored: StoredCase, principal: Principal, licence: StoredLicence | None = None
) -> dict[str, Any]:
    """A case as its reader may see it: the authority's assessment and recommendation are internal; the
    exporter learns the decision and, for a denial, the criteria relied on (Art. 16)."""
    case = stored.case
    # the assessment and recommendation are the authority's own (F15: not the Commission's either)
    internal = principal.organisation_kind is OrganisationKind.AUTHORITY
    out: dict[str, Any] = {
        "id": stored.id,
        "organisation_id": stored.organisation_id,
        "member_state": stored.member_state,
        "status": case.status.value,
        "version": case.version,
        "application": application_to_json(case.current_application),
        "submitted_application": application_to_json(case.application),
        "amendments": [amendment_to_json(a) for a in case.amendments],
        "submitted_at": stored.submitted_at.isoformat() if stored.submitted_at else None,
        "created_at": stored.created_at.isoformat(),
        "updated_at": stored.updated_at.isoformat(),
        "licence": licence.licence.number if licence else None,
    }
    if internal:
        out["assessment"] = assessment_to_json(stored.assessment) if stored.assessment else None
        out["recommendation"] = recommendation_to_json(case.recommendation) if case.recommendation else None
        out["decision"] = decision_to_json(case.decision) if case.decision else None
    else:
        out["decision"] = (
            {
                "outcome": case.decision.outcome.value,
                "criteria_relied_on": list(case.decision.criteria_relied_on),
                "conditions": list(case.decision.recommendation.conditions),
            }
            if case.decision
            else None
        )
    return out


def _licence_out(stored: StoredLicence) -> dict[str, Any]:
    return {
        **licence_to_json(stored.licence),
        "member_state": stored.member_state,
        "check_code": stored.check_code,
        "issued_at": stored.issued_at.isoformat(),
    }


def _remaining_out(left: Mapping[int, lic.Remaining]) -> list[dict[str, Any]]:
    return [
        {"line": line, "quantity": str(r.quantity), "value_eur": str(r.value_eur)} for line, r in left.items()
    ]


def _with_licence(uow: UowDep, stored: StoredCase, principal: Principal) -> dict[str, Any]:
    return _case_out(stored, principal, uow.licensing.licence_for_case(stored.id))


def _secret(container: ContainerDep) -> bytes:
    return svc.check_code_secret(container.settings.secret_key)


# --- the exporter's applications ---------------------------------------------------------------------
@router.post("/applications", status_code=201, summary="Draft an application for an authorisation")
def create_application(body: ApplicationIn, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    return _case_out(svc.create_application(uow, principal, body.content()), principal)


@router.get("/applications", summary="The exporter's applications")
def list_applications(principal: UserDep, uow: UowDep) -> list[dict[str, Any]]:
    return [_with_licence(uow, s, principal) for s in svc.applications(uow, principal)]


@router.get("/applications/{case_id}", summary="An application and where it stands")
def get_application(case_id: RowId, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    return _with_licence(uow, svc.get_application(uow, principal, case_id), principal)


@router.put("/applications/{case_id}", summary="Edit a draft, or amend a submitted application")
def update_application(
    case_id: RowId, body: ApplicationUpdateIn, principal: UserDep, uow: UowDep
) -> dict[str, Any]:
    stored = svc.update_application(
        uow, principal, case_id, body.content(), expected_version=body.expected_version, reason=body.reason
    )
    return _case_out(stored, principal)


@router.post("/applications/{case_id}/submit", summary="Submit the application (its content is frozen)")
def submit(
    case_id: RowId, principal: UserDep, uow: UowDep, container: ContainerDep, body: VersionIn | None = None
) -> dict[str, Any]:
    expected = body.expected_version if body else None
    stored = svc.submit(uow, principal, case_id, expected_version=expected)
    casework_evidence.gather_after_submission(
        container.uow,
        container.screening_index,
        container.list_view_today(),
        container.casework_rules,
        case_id,
    )
    return _case_out(stored, principal)


@router.post("/applications/{case_id}/withdraw", summary="Withdraw the application")
def withdraw(
    case_id: RowId, principal: UserDep, uow: UowDep, body: VersionIn | None = None
) -> dict[str, Any]:
    expected = body.expected_version if body else None
    return _case_out(svc.withdraw(uow, principal, case_id, expected_version=expected), principal)


@router.get("/applications/{case_id}/messages", summary="Correspondence between exporter and authority")
def list_messages(case_id: RowId, principal: UserDep, uow: UowDep) -> list[dict[str, Any]]:
    return [
        {**dict(m), "created_at": m["created_at"].isoformat()} for m in svc.messages(uow, principal, case_id)
    ]


@router.post(
    "/applications/{case_id}/messages",
    status_code=201,
    summary="Write on a case (the exporter's message answers a request for information)",
)
def post_message(case_id: RowId, body: MessageIn, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    message_id = svc.post_message(uow, principal, case_id, body.body)
    return {
        "id": message_id,
        "case": _with_licence(uow, svc.get_application(uow, principal, case_id), principal),
    }


# --- the authority ------------------------------------------------------------------------------------
@router.get(
    "/cases",
    summary="The authority's queue: one summary per case, oldest submission first",
    description="The number of matching cases in all is in the `X-Total-Count` header; page with "
    "`limit` and `offset`. `GET /api/v1/cases/{id}` has the whole case.",
)
def list_cases(
    response: Response,
    principal: UserDep,
    container: ContainerDep,
    uow: UowDep,
    status: str | None = Query(default=None, max_length=30),
    destination: str | None = Query(default=None, min_length=2, max_length=2),
    cyber_surveillance: bool | None = None,
    older_than_days: int | None = Query(default=None, ge=0, le=36500),
    limit: int = Query(default=svc.QUEUE_PAGE_SIZE, ge=1, le=500, description="cases per page"),
    offset: int = Query(default=0, ge=0, le=2**31 - 1, description="cases to skip"),
) -> list[dict[str, Any]]:
    list_view = None
    if cyber_surveillance is not None:
        try:
            list_view = container.list_source().as_of(today_in_brussels())
        except DualUseError:
            list_view = None
    page = svc.queue(
        uow,
        principal,
        status=status,
        destination=destination,
        cyber_surveillance=cyber_surveillance,
        older_than_days=older_than_days,
        list_view=list_view,
        limit=limit,
        offset=offset,
    )
    response.headers["X-Total-Count"] = str(page.total)
    licences = uow.licensing.licences_for_cases([s.id for s in page.cases])
    return [_queue_item_out(s, licences.get(s.id)) for s in page.cases]


def _queue_item_out(entry: QueueEntry, licence: StoredLicence | None) -> dict[str, Any]:
    """A line of the queue: what an officer sorts and picks cases by."""
    return {
        "id": entry.id,
        "organisation_id": entry.organisation_id,
        "member_state": entry.member_state,
        "status": entry.status.value,
        "version": entry.version,
        "application_type": entry.application_type,
        "control_codes": list(entry.control_codes),
        "destinations": list(entry.destinations),
        "end_user": {"name": entry.end_user[0], "country": entry.end_user[1]} if entry.end_user else None,
        "value_eur": str(entry.value_eur),
        "amended": entry.amended,
        "submitted_at": entry.submitted_at.isoformat() if entry.submitted_at else None,
        "updated_at": entry.updated_at.isoformat(),
        "licence": licence.licence.number if licence else None,
    }


@router.get("/cases/{case_id}", summary="A case, with the authority's assessment and recommendation")
def get_case(case_id: RowId, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    return _with_licence(uow, svc.get_application(uow, principal, case_id), principal)


@router.get("/cases/{case_id}/evidence", summary="The case's evidence: screening, code checks, flags, queue")
def get_evidence(case_id: RowId, principal: UserDep, uow: UowDep, container: ContainerDep) -> dict[str, Any]:
    found = casework_evidence.case_evidence(uow, principal, case_id, container.casework_rules)
    file = found.file
    return {
        "case": case_id,
        "gathered": file is not None,
        "team": file.team if file else None,
        "assignee": (file.assignee or None) if file else None,
        "deadline": found.deadline.isoformat() if found.deadline else None,
        "overdue": found.overdue,
        "flags": [
            {
                "id": f.id,
                "level": f.level.value,
                "subject": f.subject,
                "label": f.label,
                "blocking": f.blocking,
                "status": f.status.value,
                "rule": f.rule_id or None,
            }
            for f in (file.flags if file else ())
        ],
        "screenings": [
            {
                "party": s.name,
                "role": s.role,
                "country": s.country,
                "matches": [
                    {"source": m.source, "entity_id": m.entity_id, "name": m.name, "score": m.score}
                    for m in s.matches
                ],
                "list_versions": dict(s.list_versions),
            }
            for s in (file.screenings if file else ())
        ],
        "code_checks": [
            {"control_code": c.control_code, "on_list": c.on_list, "cyber_surveillance": c.cyber_surveillance}
            for c in (file.code_checks if file else ())
        ],
        "precedents": [
            {"case": p.case_id, "outcome": p.outcome, "shared": list(p.shared), "reasoning": p.reasoning}
            for p in found.precedents
        ],
    }


@router.post(
    "/cases/{case_id}/actions/{action}", summary="Move a case: start_assessment, request_information…"
)
def case_action(
    case_id: RowId, action: str, body: ActionIn, principal: UserDep, uow: UowDep
) -> dict[str, Any]:
    stored = svc.case_action(
        uow, principal, case_id, action, expected_version=body.expected_version, note=body.note
    )
    return _case_out(stored, principal)


@router.post("/cases/{case_id}/assessment", summary="Record the assessment against every criterion")
def record_assessment(case_id: RowId, body: AssessmentIn, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    findings = [lic.Finding(f.criterion_id, f.concern, f.note) for f in body.findings]
    stored = svc.record_assessment(uow, principal, case_id, findings, expected_version=body.expected_version)
    return _case_out(stored, principal)


@router.post("/cases/{case_id}/recommendation", summary="Recommend a decision for countersignature")
def recommend(case_id: RowId, body: RecommendationIn, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    stored = svc.recommend(
        uow,
        principal,
        case_id,
        kind=body.kind,
        reasoning=body.reasoning,
        criteria_relied_on=body.criteria_relied_on,
        conditions=body.conditions,
        expected_version=body.expected_version,
    )
    return _case_out(stored, principal)


@router.post(
    "/cases/{case_id}/decision",
    summary="Countersign the recommendation (four eyes); a grant issues the licence",
)
def decide(
    case_id: RowId, body: DecisionIn, principal: UserDep, container: ContainerDep, uow: UowDep
) -> dict[str, Any]:
    stored, licence = svc.decide(
        uow,
        principal,
        case_id,
        outcome=body.outcome,
        expected_version=body.expected_version,
        secret=_secret(container),
        valid_from=body.valid_from,
        valid_until=body.valid_until,
        granted=[svc.GrantedLine(i.line, i.quantity, i.value_eur) for i in body.items],
    )
    return {**_case_out(stored, principal, licence), "issued": _licence_out(licence) if licence else None}


# --- licences ---------------------------------------------------------------------------------------
@router.get("/licences", summary="Licences: the exporter's own, the authority's state's")
def list_licences(principal: UserDep, uow: UowDep) -> list[dict[str, Any]]:
    return [_licence_out(s) for s in svc.licences(uow, principal)]


@router.get("/licences/{number}", summary="A licence")
def get_licence(number: str, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    return _licence_out(svc.get_licence(uow, principal, number))


@router.post(
    "/licences/{number}/actions/{action}",
    summary="Suspend, reinstate, revoke, annul or amend (Art. 16); countersign or reject a proposed change",
    description=(
        "Moves that take from the holder (suspend, revoke, annul, an amendment that gives less) take effect at "
        "once. Moves that give the holder more (reinstate, an amendment that extends the validity, removes a "
        "condition or raises a quantity) are recorded as the licence's `pending` change and take effect when "
        "a senior other than the proposer posts `countersign`; `reject` turns the proposal down."
    ),
)
def licence_action(
    number: str, action: str, body: LicenceActionIn, principal: UserDep, uow: UowDep
) -> dict[str, Any]:
    stored = svc.licence_action(
        uow,
        principal,
        number,
        action,
        reason=body.reason,
        expected_version=body.expected_version,
        valid_until=body.valid_until,
        conditions=body.conditions,
    )
    return _licence_out(stored)


@router.post("/licences/{number}/shipments", status_code=201, summary="Record a shipment under the licence")
def record_shipment(number: str, body: ShipmentIn, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    stored = svc.record_shipment(
        uow,
        principal,
        number,
        item_line=body.item_line,
        quantity=body.quantity,
        value_eur=body.value_eur,
        shipped_on=body.shipped_on or today_in_brussels(),
        customs_reference=body.customs_reference,
    )
    _, left = svc.remaining(uow, principal, stored.licence.number)
    return {"licence": _licence_out(stored), "remaining": _remaining_out(left)}


@router.get("/licences/{number}/remaining", summary="What is left on each line of the licence")
def remaining(number: str, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    stored, left = svc.remaining(uow, principal, number)
    return {
        "number": stored.licence.number,
        "status": stored.licence.status.value,
        "remaining": _remaining_out(left),
    }


# --- public ---------------------------------------------------------------------------------------------
@router.get("/verify/{number}", summary="Is this licence genuine? Status and validity only")
def verify(
    number: str,
    container: ContainerDep,
    uow: UowDep,
    code: str = Query(min_length=1, max_length=60),
) -> dict[str, Any]:
    result = svc.verify(uow, number[:40], code, _secret(container))
    return {
        "genuine": result.genuine,
        "number": result.number,
        "status": result.status,
        "valid_from": result.valid_from.isoformat() if result.valid_from else None,
        "valid_until": result.valid_until.isoformat() if result.valid_until else None,
        "member_state": result.member_state,
        "in_force": result.in_force,
    }
