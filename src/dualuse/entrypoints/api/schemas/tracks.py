"""Requests after the decision (issue 19, point 5): extension and amendment of a licence, appeal of a
refusal, pre-application enquiries, and the recommendation, decision or ruling on each."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from dualuse.domain.casework.tracks import Track, Verdict

OptionalVersion = Field(default=None, ge=1, le=2**31 - 1)


class ChangeIn(BaseModel):
    kind: str = Field(max_length=20, description="extension or amendment")
    reason: str = Field(min_length=1, max_length=5000)
    valid_until: date | None = None
    conditions: list[str] | None = Field(default=None, max_length=20)


class AppealIn(BaseModel):
    grounds: str = Field(min_length=1, max_length=5000)


class EnquiryIn(BaseModel):
    question: str = Field(min_length=1, max_length=5000)
    control_code: str = Field(default="", max_length=40)
    description: str = Field(default="", max_length=1000)
    destination: str = Field(default="", max_length=2)


class VerdictIn(BaseModel):
    outcome: str = Field(max_length=30)
    reasoning: str = Field(min_length=1, max_length=5000)
    expected_version: int | None = OptionalVersion


class ReturnIn(BaseModel):
    reasoning: str = Field(min_length=1, max_length=5000)
    expected_version: int | None = OptionalVersion


class RulingIn(BaseModel):
    outcome: str = Field(
        max_length=30, description="listed, not_listed, licence_required or no_licence_required"
    )
    binding: bool
    answer: str = Field(min_length=1, max_length=5000)
    legal_basis: str = Field(min_length=1, max_length=300)
    expected_version: int | None = OptionalVersion


class VerdictOut(BaseModel):
    outcome: str
    reasoning: str

    @classmethod
    def of(cls, verdict: Verdict | None) -> VerdictOut | None:
        return cls(outcome=verdict.outcome, reasoning=verdict.reasoning) if verdict else None


class TrackRulingOut(BaseModel):
    outcome: str
    binding: bool
    answer: str
    legal_basis: str


class TrackOut(BaseModel):
    """A request after the decision; the officer's recommendation is the authority's own (``null`` for the
    exporter)."""

    id: int
    kind: str
    status: str
    version: int
    member_state: str
    case: int | None
    licence: str | None
    reason: str
    request: dict[str, str] = Field(description="what is asked: valid_until, conditions, control_code…")
    recommendation: VerdictOut | None
    decision: VerdictOut | None
    ruling: TrackRulingOut | None

    @classmethod
    def of(cls, track: Track, *, authority: bool) -> TrackOut:
        ruling = track.ruling
        return cls(
            id=track.id,
            kind=track.kind.value,
            status=track.status.value,
            version=track.version,
            member_state=track.member_state,
            case=track.case_id,
            licence=track.licence_number or None,
            reason=track.reason,
            request=dict(track.request),
            recommendation=VerdictOut.of(track.recommendation) if authority else None,
            decision=VerdictOut.of(track.decision),
            ruling=TrackRulingOut(
                outcome=ruling.outcome,
                binding=ruling.binding,
                answer=ruling.answer,
                legal_basis=ruling.legal_basis,
            )
            if ruling
            else None,
        )


class TracksOut(BaseModel):
    requests: list[TrackOut]
