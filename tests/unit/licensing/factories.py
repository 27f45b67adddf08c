"""Applications, cases, recommendations, licences and shipments for licensing tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from dualuse.domain.licensing import (
    CRITERIA,
    Actor,
    Application,
    ApplicationItem,
    ApplicationStatus,
    ApplicationType,
    Assessment,
    Case,
    CaseAction,
    DecisionOutcome,
    Finding,
    Licence,
    LicensedItem,
    Party,
    PartyRole,
    PartyType,
    Recommendation,
    RecommendationKind,
    Shipment,
    countersign,
    decide,
    issue_licence,
    new_case,
    recommend,
    transition,
)
from dualuse.services.unit_of_work import StoredCase, UnitOfWork

EXPORTER = "exp-1"
OFFICER = "officer-1"
SENIOR = "senior-1"
SECRET = b"a test secret of 32 bytes length"


def item(quantity: str = "10", value: str = "1000", code: str = "5A002.a") -> ApplicationItem:
    return ApplicationItem(
        control_code=code,
        description="encryption module",
        quantity=Decimal(quantity),
        unit="pcs",
        value_eur=Decimal(value),
    )


def party(role: PartyRole = PartyRole.END_USER, country: str = "JP") -> Party:
    return Party(name=f"{role} Ltd", role=role, country=country, party_type=PartyType.COMMERCIAL)


def application(
    application_type: ApplicationType = ApplicationType.INDIVIDUAL, *, end_use: str = "telecom network"
) -> Application:
    return Application(
        id="app-1",
        exporter_id=EXPORTER,
        application_type=application_type,
        items=(item(),),
        parties=(party(), party(PartyRole.CONSIGNEE)),
        destinations=("JP",),
        end_use=end_use,
    )


def assessment(*concerns: str, officer_id: str = OFFICER) -> Assessment:
    return Assessment(
        officer_id=officer_id,
        findings=tuple(
            Finding(c.id, concern=c.id in concerns, note="see file" if c.id in concerns else "")
            for c in CRITERIA
        ),
    )


def recommendation(
    kind: RecommendationKind = RecommendationKind.GRANT, *, officer_id: str = OFFICER
) -> Recommendation:
    if kind is RecommendationKind.DENY:
        return Recommendation(
            kind=kind,
            officer_id=officer_id,
            assessment=assessment("cp.2", officer_id=officer_id),
            reasoning="clear risk of use in internal repression",
            criteria_relied_on=("cp.2",),
        )
    return Recommendation(
        kind=kind,
        officer_id=officer_id,
        assessment=assessment(officer_id=officer_id),
        reasoning="no concerns",
        conditions=("end-use statement on file",) if kind is RecommendationKind.GRANT_WITH_CONDITIONS else (),
    )


# The path from draft to each status: (action, role, actor id).
_PATH: dict[ApplicationStatus, tuple[tuple[CaseAction, Actor, str], ...]] = {
    ApplicationStatus.DRAFT: (),
    ApplicationStatus.SUBMITTED: ((CaseAction.SUBMIT, Actor.EXPORTER, EXPORTER),),
    ApplicationStatus.UNDER_ASSESSMENT: (
        (CaseAction.SUBMIT, Actor.EXPORTER, EXPORTER),
        (CaseAction.START_ASSESSMENT, Actor.OFFICER, OFFICER),
    ),
    ApplicationStatus.AWAITING_EXPORTER: (
        (CaseAction.SUBMIT, Actor.EXPORTER, EXPORTER),
        (CaseAction.START_ASSESSMENT, Actor.OFFICER, OFFICER),
        (CaseAction.REQUEST_INFORMATION, Actor.OFFICER, OFFICER),
    ),
    ApplicationStatus.WITHDRAWN: ((CaseAction.WITHDRAW, Actor.EXPORTER, EXPORTER),),
}


def case_at(status: ApplicationStatus, *, kind: RecommendationKind = RecommendationKind.GRANT) -> Case:
    """A case walked through the workflow to ``status`` (recommended and decided via a recommendation)."""
    if status is ApplicationStatus.RECOMMENDED:
        case, _ = recommend(case_at(ApplicationStatus.UNDER_ASSESSMENT), recommendation(kind))
        return case
    if status is ApplicationStatus.DECIDED:
        case = case_at(ApplicationStatus.RECOMMENDED, kind=kind)
        assert case.recommendation is not None
        outcome = DecisionOutcome.DENIED if kind is RecommendationKind.DENY else DecisionOutcome.GRANTED
        decision = countersign(
            case.recommendation,
            outcome=outcome,
            countersigner_id=SENIOR,
            countersigner_roles={Actor.SENIOR},
            case_version=case.version,
        )
        case, _ = decide(case, decision)
        return case
    case = new_case("case-1", application())
    for action, role, actor_id in _PATH[status]:
        case, _ = transition(case, action, role, actor_id)
    return case


def licensed_item(line: int = 1, quantity: str = "10", value: str = "1000") -> LicensedItem:
    return LicensedItem(
        line=line,
        control_code="5A002.a",
        description="encryption module",
        unit="pcs",
        quantity=Decimal(quantity),
        value_eur=Decimal(value),
    )


def licence(
    *items: LicensedItem,
    licence_type: ApplicationType = ApplicationType.INDIVIDUAL,
    valid_from: date = date(2026, 1, 1),
    valid_until: date = date(2027, 12, 31),
) -> Licence:
    return issue_licence(
        number="DE-2026-000123",
        case_id="case-1",
        holder_id=EXPORTER,
        licence_type=licence_type,
        valid_from=valid_from,
        valid_until=valid_until,
        items=items or (licensed_item(),),
    )


def shipment(
    quantity: str = "1",
    value: str = "100",
    *,
    line: int = 1,
    on: date = date(2026, 6, 1),
    ref: str = "26DE000000000001",
    number: str = "DE-2026-000123",
) -> Shipment:
    return Shipment(
        licence_number=number,
        item_line=line,
        quantity=Decimal(quantity),
        value_eur=Decimal(value),
        shipped_on=on,
        customs_reference=ref,
    )


# --- cases in the authority's queue ---------------------------------------------------------------------
def queue_application(
    case_id: int, codes: tuple[str, ...], destinations: tuple[str, ...], exporter_id: str = "1"
) -> Application:
    """An application of one piece per control code in ``codes``, to ``destinations``."""
    return Application(
        str(case_id),
        exporter_id,
        ApplicationType.INDIVIDUAL,
        tuple(ApplicationItem(c, f"item {c}", Decimal(1), "pieces", Decimal(100)) for c in codes),
        (Party("Buyer", PartyRole.END_USER, destinations[0], PartyType.COMMERCIAL),),
        destinations,
        "production",
    )


def store_submitted(
    uow: UnitOfWork,
    *,
    organisation_id: int,
    member_state: str,
    codes: tuple[str, ...],
    destinations: tuple[str, ...],
    submitted_at: datetime,
) -> StoredCase:
    """Store, in the open ``uow``, a case submitted at ``submitted_at`` (a use case would stamp the
    submission now), and commit."""
    exporter_id = str(organisation_id)
    stored = uow.licensing.add_case(
        organisation_id=organisation_id,
        member_state=member_state,
        build=lambda i: new_case(str(i), queue_application(i, codes, destinations, exporter_id)),
    )
    case, _ = transition(stored.case, CaseAction.SUBMIT, Actor.EXPORTER, exporter_id)
    submitted = replace(stored, case=case, submitted_at=submitted_at)
    uow.licensing.save_case(submitted, expected_version=stored.case.version)
    uow.commit()
    return submitted
