"""Denials between member states (Arts. 14, 16): a denial notification as every authority and the Commission
read it, and consultations between authorities."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from dualuse.domain import denials as dn


class DenialItemOut(BaseModel):
    control_code: str
    description: str


class DenialPartyOut(BaseModel):
    name: str
    role: str
    country: str


class DenialOut(BaseModel):
    """A denial notification (Art. 16(1)); ``review_due_on``: Art. 16(2), three years (unverified)."""

    id: int
    reference: str
    kind: str
    issuing_state: str
    status: str
    in_force: bool
    items: list[DenialItemOut]
    destination: str
    parties: list[DenialPartyOut]
    considerations: list[str]
    reasons: str
    decided_on: date
    case_reference: str
    review_due_on: date | None
    reviewed_on: date | None
    version: int

    @classmethod
    def of(cls, d: dn.Denial) -> DenialOut:
        return cls(
            id=d.id,
            reference=d.reference,
            kind=d.kind.value,
            issuing_state=d.issuing_state,
            status=d.status.value,
            in_force=d.in_force,
            items=[DenialItemOut(control_code=i.control_code, description=i.description) for i in d.items],
            destination=d.destination,
            parties=[DenialPartyOut(name=p.name, role=p.role, country=p.country) for p in d.parties],
            considerations=list(d.considerations),
            reasons=d.reasons,
            decided_on=d.decided_on,
            case_reference=d.case_reference,
            review_due_on=d.review_due_on,
            reviewed_on=d.reviewed_on,
            version=d.version,
        )


class DenialConsultationOut(BaseModel):
    """A consultation between authorities; ``deadline_is_law`` is False where the regulation sets no time
    limit (Art. 16(5)) and the deadline is the system's default."""

    id: int
    kind: str
    consulting_state: str
    consulted_state: str
    case_id: int | None
    denial_id: int | None
    subject: str
    opened_on: date
    due_on: date
    deadline_is_law: bool
    binding: bool
    status: str
    answer: str | None
    reasons: str
    answered_on: date | None
    version: int

    @classmethod
    def of(cls, c: dn.Consultation) -> DenialConsultationOut:
        return cls(
            id=c.id,
            kind=c.kind.value,
            consulting_state=c.consulting_state,
            consulted_state=c.consulted_state,
            case_id=c.case_id,
            denial_id=c.denial_id,
            subject=c.subject,
            opened_on=c.opened_on,
            due_on=c.due_on,
            deadline_is_law=c.deadline_is_law,
            binding=c.binding,
            status=c.status.value,
            answer=c.answer.value if c.answer else None,
            reasons=c.reasons,
            answered_on=c.answered_on,
            version=c.version,
        )


class DenialConsultationsOut(BaseModel):
    received: list[DenialConsultationOut]
    sent: list[DenialConsultationOut]


class DenialConsultationAnswerIn(BaseModel):
    answer: str = Field(max_length=10, description="agrees or objects")
    reasons: str = Field(default="", max_length=4000, description="required with an objection")
    expected_version: int | None = Field(default=None, ge=1, le=2**31 - 1)
