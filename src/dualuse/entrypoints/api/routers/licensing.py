"""Licensing over HTTP: the exporter's applications, the authority's queue and case handling, four-eyes
decisions, licences, shipments and the public verification of a licence (Arts. 12, 13, 15, 16)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Response

from dualuse.domain import licensing as lic
from dualuse.domain.errors import DualUseError
from dualuse.domain.identity import OrganisationKind, Principal
from dualuse.entrypoints.api.schemas.licensing import (
    ActionIn,
    AmendmentOut,
    ApplicationIn,
    ApplicationOut,
    ApplicationUpdateIn,
    AssessmentIn,
    AssessmentOut,
    CaseEvidenceOut,
    DecidedCaseOut,
    DecisionNoticeOut,
    DecisionOut,
    LicenceActionIn,
    LicenceDecisionIn,
    LicenceOut,
    LicensingCaseOut,
    MessageIn,
    MessageOut,
    PostedMessageOut,
    QueueItemOut,
    RecommendationIn,
    RecommendationOut,
    RemainingOut,
    ShipmentIn,
    ShipmentRecordedOut,
    SubmitIn,
    VerificationOut,
    VersionIn,
    remaining_out,
)
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.http.deps import ContainerDep, RowId, UowDep, UserDep
from dualuse.services import licensing as svc
from dualuse.services.casework import evidence as casework_evidence
from dualuse.services.clock import today_in_brussels
from dualuse.services.unit_of_work import StoredCase, StoredLicence

router = APIRouter(prefix="/api/v1", tags=["licensing"], responses=API_ERRORS)


# --- responses -------------------------------------------------------------------------------------------
def _case_out(
    stored: StoredCase, principal: Principal, licence: StoredLicence | None = None
) -> dict[str, Any]:
    """A case as its reader may see it: the authority's assessment and recommendation are internal; the
    exporter learns the decision and, for a denial, the criteria relied on (Art. 16). The keys left out
    for the exporter are left out of the response (``response_model_exclude_unset``)."""
    case = stored.case
    # the assessment and recommendation are the authority's own (F15: not the Commission's either)
    internal = principal.organisation_kind is OrganisationKind.AUTHORITY
    out: dict[str, Any] = {
        "id": stored.id,
        "organisation_id": stored.organisation_id,
        "member_state": stored.member_state,
        "status": case.status.value,
        "version": case.version,
        "application": ApplicationOut.of(case.current_application),
        "submitted_application": ApplicationOut.of(case.application),
        "amendments": [AmendmentOut.of(a) for a in case.amendments],
        "submitted_at": stored.submitted_at.isoformat() if stored.submitted_at else None,
        "created_at": stored.created_at.isoformat(),
        "updated_at": stored.updated_at.isoformat(),
        "licence": licence.licence.number if licence else None,
    }
    if internal:
        out["assessment"] = AssessmentOut.of(stored.assessment) if stored.assessment else None
        out["recommendation"] = RecommendationOut.of(case.recommendation) if case.recommendation else None
        out["decision"] = DecisionOut.of(case.decision) if case.decision else None
    else:
        out["decision"] = DecisionNoticeOut.of(case.decision) if case.decision else None
    return out


def _with_licence(uow: UowDep, stored: StoredCase, principal: Principal) -> dict[str, Any]:
    return _case_out(stored, principal, svc.licences_of_cases(uow, principal, [stored]).get(stored.id))


def _secret(container: ContainerDep) -> bytes:
    return svc.check_code_secret(container.settings.secret_key)


# --- the exporter's applications ---------------------------------------------------------------------
@router.post(
    "/applications",
    response_model=LicensingCaseOut,
    response_model_exclude_unset=True,
    status_code=201,
    summary="Draft an application for an authorisation",
)
def create_application(body: ApplicationIn, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    return _case_out(svc.create_application(uow, principal, body.content()), principal)


@router.get(
    "/applications",
    response_model=list[LicensingCaseOut],
    response_model_exclude_unset=True,
    summary="The exporter's applications",
)
def list_applications(principal: UserDep, uow: UowDep) -> list[dict[str, Any]]:
    return [_with_licence(uow, s, principal) for s in svc.applications(uow, principal)]


@router.get(
    "/applications/{case_id}",
    response_model=LicensingCaseOut,
    response_model_exclude_unset=True,
    summary="An application and where it stands",
)
def get_application(case_id: RowId, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    return _with_licence(uow, svc.get_application(uow, principal, case_id), principal)


@router.put(
    "/applications/{case_id}",
    response_model=LicensingCaseOut,
    response_model_exclude_unset=True,
    summary="Edit a draft, or amend a submitted application",
)
def update_application(
    case_id: RowId, body: ApplicationUpdateIn, principal: UserDep, uow: UowDep
) -> dict[str, Any]:
    stored = svc.update_application(
        uow, principal, case_id, body.content(), expected_version=body.expected_version, reason=body.reason
    )
    return _case_out(stored, principal)


@router.post(
    "/applications/{case_id}/submit",
    response_model=LicensingCaseOut,
    response_model_exclude_unset=True,
    summary="Submit the application (its content is frozen)",
)
def submit(
    case_id: RowId, principal: UserDep, uow: UowDep, container: ContainerDep, body: SubmitIn | None = None
) -> dict[str, Any]:
    expected = body.expected_version if body else None
    declared = svc.APPLICANT_DECLARATION if body and body.declaration else ""
    stored = svc.submit(uow, principal, case_id, expected_version=expected, declaration=declared)
    container.gather_evidence_after_submission(case_id)
    return _case_out(stored, principal)


@router.post(
    "/applications/{case_id}/withdraw",
    response_model=LicensingCaseOut,
    response_model_exclude_unset=True,
    summary="Withdraw the application",
)
def withdraw(
    case_id: RowId, principal: UserDep, uow: UowDep, body: VersionIn | None = None
) -> dict[str, Any]:
    expected = body.expected_version if body else None
    return _case_out(svc.withdraw(uow, principal, case_id, expected_version=expected), principal)


@router.get(
    "/applications/{case_id}/messages",
    response_model=list[MessageOut],
    response_model_exclude_unset=True,
    summary="Correspondence between exporter and authority",
)
def list_messages(case_id: RowId, principal: UserDep, uow: UowDep) -> list[dict[str, Any]]:
    return [
        {**dict(m), "created_at": m["created_at"].isoformat()} for m in svc.messages(uow, principal, case_id)
    ]


@router.post(
    "/applications/{case_id}/messages",
    response_model=PostedMessageOut,
    response_model_exclude_unset=True,
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
    response_model=list[QueueItemOut],
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
) -> list[QueueItemOut]:
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
    licences = svc.licences_of_cases(uow, principal, page.cases)
    return [QueueItemOut.of(s, licences.get(s.id)) for s in page.cases]


@router.get(
    "/cases/{case_id}",
    response_model=LicensingCaseOut,
    response_model_exclude_unset=True,
    summary="A case, with the authority's assessment and recommendation",
)
def get_case(case_id: RowId, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    return _with_licence(uow, svc.get_application(uow, principal, case_id), principal)


@router.get("/cases/{case_id}/evidence", summary="The case's evidence: screening, code checks, flags, queue")
def get_evidence(case_id: RowId, principal: UserDep, uow: UowDep, container: ContainerDep) -> CaseEvidenceOut:
    found = casework_evidence.case_evidence(uow, principal, case_id, container.casework_rules)
    file = found.file
    return CaseEvidenceOut.model_validate(
        {
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
                {
                    "control_code": c.control_code,
                    "on_list": c.on_list,
                    "cyber_surveillance": c.cyber_surveillance,
                }
                for c in (file.code_checks if file else ())
            ],
            "precedents": [
                {"case": p.case_id, "outcome": p.outcome, "shared": list(p.shared), "reasoning": p.reasoning}
                for p in found.precedents
            ],
        }
    )


@router.post(
    "/cases/{case_id}/actions/{action}",
    response_model=LicensingCaseOut,
    response_model_exclude_unset=True,
    summary="Move a case: start_assessment, request_information…",
)
def case_action(
    case_id: RowId, action: str, body: ActionIn, principal: UserDep, uow: UowDep
) -> dict[str, Any]:
    stored = svc.case_action(
        uow, principal, case_id, action, expected_version=body.expected_version, note=body.note
    )
    return _case_out(stored, principal)


@router.post(
    "/cases/{case_id}/assessment",
    response_model=LicensingCaseOut,
    response_model_exclude_unset=True,
    summary="Record the assessment against every criterion",
)
def record_assessment(case_id: RowId, body: AssessmentIn, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    findings = [lic.Finding(f.criterion_id, f.concern, f.note) for f in body.findings]
    stored = svc.record_assessment(uow, principal, case_id, findings, expected_version=body.expected_version)
    return _case_out(stored, principal)


@router.post(
    "/cases/{case_id}/recommendation",
    response_model=LicensingCaseOut,
    response_model_exclude_unset=True,
    summary="Recommend a decision for countersignature",
)
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
    response_model=DecidedCaseOut,
    response_model_exclude_unset=True,
    summary="Countersign the recommendation (four eyes); a grant issues the licence",
)
def decide(
    case_id: RowId, body: LicenceDecisionIn, principal: UserDep, container: ContainerDep, uow: UowDep
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
        despite_denial_reasons=body.despite_denial_reasons,
    )
    return {**_case_out(stored, principal, licence), "issued": LicenceOut.of(licence) if licence else None}


# --- licences ---------------------------------------------------------------------------------------
@router.get(
    "/licences",
    response_model=list[LicenceOut],
    summary="Licences: the exporter's own, the authority's state's",
)
def list_licences(principal: UserDep, uow: UowDep) -> list[LicenceOut]:
    return [LicenceOut.of(s) for s in svc.licences(uow, principal)]


@router.get("/licences/{number}", response_model=LicenceOut, summary="A licence")
def get_licence(number: str, principal: UserDep, uow: UowDep) -> LicenceOut:
    return LicenceOut.of(svc.get_licence(uow, principal, number))


@router.post(
    "/licences/{number}/actions/{action}",
    response_model=LicenceOut,
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
) -> LicenceOut:
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
    return LicenceOut.of(stored)


@router.post(
    "/licences/{number}/shipments",
    response_model=ShipmentRecordedOut,
    status_code=201,
    summary="Record a shipment under the licence",
)
def record_shipment(number: str, body: ShipmentIn, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    stored = svc.record_shipment(
        uow,
        principal,
        number,
        item_line=body.item_line,
        quantity=body.quantity,
        value_eur=body.value_eur,
        shipped_on=body.shipped_on or uow.clock.today(),
        customs_reference=body.customs_reference,
    )
    _, left = svc.remaining(uow, principal, stored.licence.number)
    return {"licence": LicenceOut.of(stored), "remaining": remaining_out(left)}


@router.get(
    "/licences/{number}/remaining",
    response_model=RemainingOut,
    summary="What is left on each line of the licence",
)
def remaining(number: str, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    stored, left = svc.remaining(uow, principal, number)
    return {
        "number": stored.licence.number,
        "status": stored.licence.status.value,
        "remaining": remaining_out(left),
    }


# --- public ---------------------------------------------------------------------------------------------
@router.get(
    "/verify/{number}",
    response_model=VerificationOut,
    summary="Is this licence genuine? Status and validity only",
)
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
