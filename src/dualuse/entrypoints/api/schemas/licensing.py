"""Licensing (Arts. 12, 13, 15, 16): applications, the authority's queue and case handling, four-eyes
decisions, licences, shipments and the public verification of a licence. The response models read the
domain's records directly (the database's JSON codecs stay in ``adapters.db``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from dualuse.domain import licensing as lic
from dualuse.domain.errors import ValidationError
from dualuse.services import licensing as svc
from dualuse.services.unit_of_work import QueueEntry, StoredLicence

Version = Field(ge=1, le=2**31 - 1)
OptionalVersion = Field(default=None, ge=1, le=2**31 - 1)


class ApplicationItemIn(BaseModel):
    control_code: str = Field(min_length=1, max_length=40)
    description: str = Field(min_length=1, max_length=1000)
    quantity: Decimal = Field(gt=0, max_digits=18, decimal_places=6)
    unit: str = Field(min_length=1, max_length=30)
    value_eur: Decimal = Field(ge=0, max_digits=18, decimal_places=2)
    cn_code: str = Field(
        default="", max_length=8, description="Combined Nomenclature code (Annex III box 15)"
    )


class ApplicationPartyIn(BaseModel):
    name: str = Field(min_length=1, max_length=300)
    role: str = Field(max_length=30)
    country: str = Field(min_length=2, max_length=2)
    party_type: str = Field(default="other", max_length=30)


class ApplicationIn(BaseModel):
    application_type: str = Field(default="individual", max_length=30)
    items: list[ApplicationItemIn] = Field(default_factory=list, max_length=200)
    parties: list[ApplicationPartyIn] = Field(default_factory=list, max_length=50)
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


class SubmitIn(VersionIn):
    declaration: bool = Field(
        default=False,
        description="Must be true: the applicant makes the declaration of the web form (services.licensing."
        "APPLICANT_DECLARATION), kept word for word in the audit trail with the submission; without it the "
        "submission is refused (422, field declaration)",
    )


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


class LicenceDecisionIn(BaseModel):
    expected_version: int = Version
    outcome: str = Field(max_length=30)
    valid_from: date | None = None
    valid_until: date | None = None
    items: list[GrantedLineIn] = Field(default_factory=list, max_length=200)
    despite_denial_reasons: str = Field(
        default="",
        max_length=5000,
        description="Why a grant goes ahead while an essentially identical denial of another state is in "
        "force (Art. 16(5)); required then, and notified to the other states and the Commission.",
    )


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
class ItemOut(BaseModel):
    control_code: str
    description: str
    quantity: str = Field(description="a decimal number")
    unit: str
    value_eur: str = Field(description="a decimal number")


class ApplicationPartyOut(BaseModel):
    name: str
    role: str
    country: str
    party_type: str


class ApplicationOut(BaseModel):
    id: str
    exporter_id: str
    application_type: str
    items: list[ItemOut]
    parties: list[ApplicationPartyOut]
    destinations: list[str]
    end_use: str

    @classmethod
    def of(cls, a: lic.Application) -> ApplicationOut:
        return cls(
            id=str(a.id),
            exporter_id=str(a.exporter_id),
            application_type=a.application_type.value,
            items=[
                ItemOut(
                    control_code=i.control_code,
                    description=i.description,
                    quantity=str(i.quantity),
                    unit=i.unit,
                    value_eur=str(i.value_eur),
                )
                for i in a.items
            ],
            parties=[
                ApplicationPartyOut(
                    name=p.name, role=p.role.value, country=p.country, party_type=p.party_type.value
                )
                for p in a.parties
            ],
            destinations=list(a.destinations),
            end_use=a.end_use,
        )


class AmendmentOut(BaseModel):
    sequence: int
    application: ApplicationOut
    reason: str
    amended_by: str
    case_version: int

    @classmethod
    def of(cls, a: lic.Amendment) -> AmendmentOut:
        return cls(
            sequence=a.sequence,
            application=ApplicationOut.of(a.application),
            reason=a.reason,
            amended_by=a.amended_by,
            case_version=a.case_version,
        )


class FindingOut(BaseModel):
    criterion_id: str
    concern: bool
    note: str


class AssessmentOut(BaseModel):
    officer_id: str
    findings: list[FindingOut]

    @classmethod
    def of(cls, a: lic.Assessment) -> AssessmentOut:
        return cls(
            officer_id=a.officer_id,
            findings=[
                FindingOut(criterion_id=f.criterion_id, concern=f.concern, note=f.note) for f in a.findings
            ],
        )


class RecommendationOut(BaseModel):
    kind: str
    officer_id: str
    assessment: AssessmentOut
    reasoning: str
    criteria_relied_on: list[str]
    conditions: list[str]

    @classmethod
    def of(cls, r: lic.Recommendation) -> RecommendationOut:
        return cls(
            kind=r.kind.value,
            officer_id=r.officer_id,
            assessment=AssessmentOut.of(r.assessment),
            reasoning=r.reasoning,
            criteria_relied_on=list(r.criteria_relied_on),
            conditions=list(r.conditions),
        )


class DecisionOut(BaseModel):
    """The decision as the authority sees it: the countersigned recommendation with it."""

    outcome: str
    recommendation: RecommendationOut
    countersigned_by: str
    case_version: int
    criteria_relied_on: list[str]

    @classmethod
    def of(cls, d: lic.Decision) -> DecisionOut:
        return cls(
            outcome=d.outcome.value,
            recommendation=RecommendationOut.of(d.recommendation),
            countersigned_by=d.countersigned_by,
            case_version=d.case_version,
            criteria_relied_on=list(d.criteria_relied_on),
        )


class DecisionNoticeOut(BaseModel):
    """The decision as the exporter learns it: the outcome, the criteria relied on for a denial (Art. 16),
    the conditions."""

    outcome: str
    criteria_relied_on: list[str]
    conditions: list[str]

    @classmethod
    def of(cls, d: lic.Decision) -> DecisionNoticeOut:
        return cls(
            outcome=d.outcome.value,
            criteria_relied_on=list(d.criteria_relied_on),
            conditions=list(d.recommendation.conditions),
        )


class LicensingCaseOut(BaseModel):
    """A case as its reader may see it. ``assessment`` and ``recommendation`` are the authority's own and
    are present for authorities only; ``decision`` is the whole decision for them, the notice for others."""

    id: int
    organisation_id: int
    member_state: str
    status: str
    version: int
    application: ApplicationOut = Field(description="the application as it stands, amendments applied")
    submitted_application: ApplicationOut
    amendments: list[AmendmentOut]
    submitted_at: str | None
    created_at: str
    updated_at: str
    licence: str | None = Field(description="the licence number, once issued")
    assessment: AssessmentOut | None = Field(default=None, description="authorities only")
    recommendation: RecommendationOut | None = Field(default=None, description="authorities only")
    decision: DecisionOut | DecisionNoticeOut | None


class LicensedItemOut(BaseModel):
    line: int
    control_code: str
    description: str
    unit: str
    quantity: str
    value_eur: str

    @classmethod
    def of(cls, i: lic.LicensedItem) -> LicensedItemOut:
        return cls(
            line=i.line,
            control_code=i.control_code,
            description=i.description,
            unit=i.unit,
            quantity=str(i.quantity),
            value_eur=str(i.value_eur),
        )


class PendingOut(BaseModel):
    """A change that gives the holder more, waiting for a second senior's countersignature."""

    action: str
    proposed_by: str
    proposer_role: str
    reason: str
    relaxations: list[str]
    valid_until: str = Field(json_schema_extra={"format": "date"})
    conditions: list[str]
    items: list[LicensedItemOut]
    at_version: int

    @classmethod
    def of(cls, p: lic.PendingChange) -> PendingOut:
        return cls(
            action=p.action.value,
            proposed_by=p.proposed_by,
            proposer_role=p.proposer_role.value,
            reason=p.reason,
            relaxations=list(p.relaxations),
            valid_until=p.valid_until.isoformat(),
            conditions=list(p.conditions),
            items=[LicensedItemOut.of(i) for i in p.items],
            at_version=p.at_version,
        )


class LicenceOut(BaseModel):
    number: str
    case_id: str
    holder_id: str
    licence_type: str
    valid_from: str = Field(json_schema_extra={"format": "date"})
    valid_until: str = Field(json_schema_extra={"format": "date"})
    items: list[LicensedItemOut]
    conditions: list[str]
    status: str
    version: int
    justification: str
    pending: PendingOut | None
    member_state: str
    check_code: str = Field(description="printed on the licence: with its number, anyone can verify it")
    issued_at: str

    @classmethod
    def of(cls, stored: StoredLicence) -> LicenceOut:
        licence = stored.licence
        return cls(
            number=licence.number,
            case_id=str(licence.case_id),
            holder_id=str(licence.holder_id),
            licence_type=licence.licence_type.value,
            valid_from=licence.valid_from.isoformat(),
            valid_until=licence.valid_until.isoformat(),
            items=[LicensedItemOut.of(i) for i in licence.items],
            conditions=list(licence.conditions),
            status=licence.status.value,
            version=licence.version,
            justification=licence.justification,
            pending=PendingOut.of(licence.pending) if licence.pending else None,
            member_state=stored.member_state,
            check_code=stored.check_code,
            issued_at=stored.issued_at.isoformat(),
        )


class DecidedCaseOut(LicensingCaseOut):
    issued: LicenceOut | None = Field(description="the licence a grant issued")


class MessageOut(BaseModel):
    id: int
    case_id: int
    author: str | None = Field(
        default=None, description="withheld from the exporter for the authority's officers"
    )
    author_role: str
    body: str
    created_at: str


class PostedMessageOut(BaseModel):
    id: int
    case: LicensingCaseOut


class EndUserOut(BaseModel):
    name: str
    country: str


class QueueItemOut(BaseModel):
    """A line of the authority's queue: what an officer sorts and picks cases by."""

    id: int
    organisation_id: int
    member_state: str
    status: str
    version: int
    application_type: str
    control_codes: list[str]
    destinations: list[str]
    end_user: EndUserOut | None
    value_eur: str
    amended: bool
    submitted_at: str | None
    updated_at: str
    licence: str | None

    @classmethod
    def of(cls, entry: QueueEntry, licence: StoredLicence | None) -> QueueItemOut:
        return cls(
            id=entry.id,
            organisation_id=entry.organisation_id,
            member_state=entry.member_state,
            status=entry.status.value,
            version=entry.version,
            application_type=entry.application_type,
            control_codes=list(entry.control_codes),
            destinations=list(entry.destinations),
            end_user=EndUserOut(name=entry.end_user[0], country=entry.end_user[1])
            if entry.end_user
            else None,
            value_eur=str(entry.value_eur),
            amended=entry.amended,
            submitted_at=entry.submitted_at.isoformat() if entry.submitted_at else None,
            updated_at=entry.updated_at.isoformat(),
            licence=licence.licence.number if licence else None,
        )


class RemainingLineOut(BaseModel):
    line: int
    quantity: str
    value_eur: str


def remaining_out(left: Mapping[int, lic.Remaining]) -> list[RemainingLineOut]:
    return [
        RemainingLineOut(line=line, quantity=str(r.quantity), value_eur=str(r.value_eur))
        for line, r in left.items()
    ]


class ShipmentRecordedOut(BaseModel):
    licence: LicenceOut
    remaining: list[RemainingLineOut]


class RemainingOut(BaseModel):
    number: str
    status: str
    remaining: list[RemainingLineOut]


class VerificationOut(BaseModel):
    """Is this licence genuine? Status and validity only: nothing else about it is public."""

    genuine: bool
    number: str
    status: str | None
    valid_from: str | None = Field(json_schema_extra={"format": "date"})
    valid_until: str | None = Field(json_schema_extra={"format": "date"})
    member_state: str | None
    in_force: bool


class EvidenceFlagOut(BaseModel):
    id: int
    level: str
    subject: str
    label: str
    blocking: bool
    status: str
    rule: str | None


class EvidenceMatchOut(BaseModel):
    source: str
    entity_id: str
    name: str
    score: float


class EvidenceScreeningOut(BaseModel):
    party: str
    role: str
    country: str | None
    matches: list[EvidenceMatchOut]
    list_versions: dict[str, str]


class CodeCheckOut(BaseModel):
    control_code: str
    on_list: bool
    cyber_surveillance: bool


class PrecedentOut(BaseModel):
    case: int
    outcome: str
    shared: list[str]
    reasoning: str


class CaseEvidenceOut(BaseModel):
    """What the case brings: its team, assignee and deadline, its flags, the screening of its parties, the
    check of its control codes against the list in force, and earlier decisions that share its facts."""

    case: int
    gathered: bool
    team: str | None
    assignee: str | None
    deadline: str | None
    overdue: bool
    flags: list[EvidenceFlagOut]
    screenings: list[EvidenceScreeningOut]
    code_checks: list[CodeCheckOut]
    precedents: list[PrecedentOut]
