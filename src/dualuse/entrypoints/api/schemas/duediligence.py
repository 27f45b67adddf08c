"""Due diligence over HTTP (Art. 5(2)-(6)): cases, red flags, notifications, the Art. 5 exchange, risk
profiles, civil-society submissions and ICP self-assessments. Responses built from stored rows declare the
fields every row has; a row may carry more, which are passed through (``extra="allow"``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from dualuse.entrypoints.api.schemas.determination import DeterminationOut


class EndUserIn(BaseModel):
    name: str = Field(min_length=1, max_length=300)
    type: str = Field(default="unknown", max_length=30)


class DueDiligenceItemIn(BaseModel):
    description: str = Field(min_length=1, max_length=1000)
    control_code: str | None = Field(default=None, max_length=40)
    cyber_surveillance: bool = True


class CaseIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    destination: str = Field(min_length=2, max_length=2)
    end_user: EndUserIn
    item: DueDiligenceItemIn


class FlagAnswerIn(BaseModel):
    answer: str = Field(pattern="^(yes|no|unknown)$")
    note: str = Field(default="", max_length=2000)


class EvidenceIn(BaseModel):
    title: str = Field(max_length=300)
    url: str = Field(default="", max_length=1000)


class StepIn(BaseModel):
    answers: dict[str, FlagAnswerIn]
    note: str = Field(default="", max_length=5000)
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=20)


class ConclusionIn(BaseModel):
    conclusion: str = Field(max_length=40)
    reason: str = Field(default="", max_length=2000)


class ReasonIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class NotificationDecisionIn(BaseModel):
    authorisation_required: bool
    reason: str = Field(min_length=1, max_length=2000)


class ViewIn(BaseModel):
    view: str = Field(pattern="^(agree|disagree)$")
    reason: str = Field(default="", max_length=2000)


class SourceIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    url: str = Field(default="", max_length=1000)
    published: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")


class ProfileIn(BaseModel):
    subject_kind: str = Field(pattern="^(country|end_user)$")
    subject: str = Field(min_length=1, max_length=300)
    level: str = Field(max_length=20)
    summary: str = Field(default="", max_length=5000)
    sources: list[SourceIn] = Field(min_length=1, max_length=20)


class SubmissionIn(BaseModel):
    organisation_name: str = Field(min_length=1, max_length=300)
    contact_email: str | None = Field(default=None, max_length=254)
    subject_kind: str = Field(pattern="^(country|end_user)$")
    subject: str = Field(min_length=1, max_length=300)
    what_happened: str = Field(min_length=1, max_length=10000)
    sources: list[str] = Field(min_length=1, max_length=20)
    name_publicly: bool = Field(
        default=False,
        description="name your organisation where the accepted report is shown (default: anonymous)",
    )


class ModerationIn(BaseModel):
    accept: bool
    note: str = Field(default="", max_length=2000)
    level: str = Field(default="unknown", max_length=20)


# --- responses -----------------------------------------------------------------------------------------
class _Row(BaseModel):
    model_config = ConfigDict(extra="allow")


class RedFlagOut(BaseModel):
    id: str
    step: str
    text: str
    key: bool
    points_to: str | None
    guidance: str
    source: str
    verified: bool


class RedFlagsOut(BaseModel):
    version: str
    flags: list[RedFlagOut]


class TransactionEndUser(_Row):
    name: str
    type: str


class TransactionItem(_Row):
    description: str
    control_code: str | None
    cyber_surveillance: bool


class TransactionOut(_Row):
    destination: str
    end_user: TransactionEndUser
    item: TransactionItem


class CaseRecordOut(_Row):
    id: int
    organisation_id: int
    title: str
    transaction: TransactionOut
    status: str
    conclusion: str | None
    red_flag_version: str
    created_by: str
    created_at: str
    updated_at: str


class NotificationSummaryOut(_Row):
    title: str
    conclusion: str
    flags_yes: list[str]
    flags_unknown: list[str]
    notes: dict[str, str]
    red_flag_version: str


class NotificationOut(_Row):
    """A notification to the authority (Art. 5(2)) and its decision."""

    id: int
    case_id: int
    organisation_id: int
    member_state: str
    transaction: TransactionOut
    summary: NotificationSummaryOut
    status: str
    deadline: str
    reason: str | None
    decided_by: str | None
    decided_at: str | None
    created_at: str


class KnowledgeOut(BaseModel):
    """What the exporter was informed of or became aware of (Art. 5(1), 5(2)), as the determination reads it."""

    informed: list[str]
    aware: list[str]


class CaseOut(BaseModel):
    """A case: its record, the answers, progress, the suggested conclusion, the notification, and what the
    conclusion means for the export."""

    case: CaseRecordOut
    answers: dict[str, str] = Field(description="red flag id → yes, no or unknown")
    steps_done: list[str]
    next_step: str | None
    suggested_conclusion: str
    notification: NotificationOut | None
    knowledge: KnowledgeOut
    export_status: str
    determination: DeterminationOut | None


class NotificationDecisionOut(BaseModel):
    notification: NotificationOut
    requirement_id: int | None = Field(description="the Art. 5 requirement the decision created, if any")


class ViewOut(_Row):
    id: int
    requirement_id: int
    member_state: str
    view: str
    deadline: str
    reason: str | None
    recorded_by: str | None
    recorded_at: str | None


class RequirementOut(_Row):
    """An Art. 5 requirement: imposed by a member state, consulted on, published for the Union."""

    id: int
    notification_id: int
    imposing_state: str
    destination: str
    end_user: str
    item: str
    status: str
    notified_on: str
    published_on: str | None
    created_at: str


class RequirementWithViewsOut(RequirementOut):
    views: list[ViewOut]


class StatusOut(BaseModel):
    status: str


class CreatedOut(BaseModel):
    id: int


class SubmissionCreatedOut(BaseModel):
    id: int
    status: str = Field(description="pending: moderated before use")


class SourceOut(_Row):
    title: str
    url: str
    published: str | None


class RiskProfileOut(_Row):
    id: int
    subject_kind: str
    subject: str
    level: str
    summary: str
    sources: list[SourceOut]
    origin: str
    verified: bool
    entered_by: str
    entered_at: str


class IcpOut(_Row):
    """The latest ICP self-assessment; ``{}`` when none is recorded yet."""

    id: int | None = None
    organisation_id: int | None = None
    answers: dict[str, Any] | None = None
    assessed_by: str | None = None
    assessed_at: str | None = None
