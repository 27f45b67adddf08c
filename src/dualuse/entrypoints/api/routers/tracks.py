"""Requests after the decision (issue 19, point 5): extension and amendment of a licence, appeal of a
refusal, pre-application enquiries; each on its own track with its own decision or ruling."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from dualuse.domain.casework.tracks import Track, Verdict
from dualuse.entrypoints.http.deps import RowId, UowDep, UserDep
from dualuse.services.casework import tracks as svc

router = APIRouter(prefix="/api/v1", tags=["after the decision"])
Version = Field(default=None, ge=1, le=2**31 - 1)


def _verdict(v: Verdict | None) -> dict[str, str] | None:
    return {"outcome": v.outcome, "reasoning": v.reasoning} if v else None


def _out(track: Track, *, authority: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": track.id,
        "kind": track.kind.value,
        "status": track.status.value,
        "version": track.version,
        "member_state": track.member_state,
        "case": track.case_id,
        "licence": track.licence_number or None,
        "reason": track.reason,
        "request": dict(track.request),
        "recommendation": _verdict(track.recommendation) if authority else None,
        "decision": _verdict(track.decision),
        "ruling": {
            "outcome": track.ruling.outcome,
            "binding": track.ruling.binding,
            "answer": track.ruling.answer,
            "legal_basis": track.ruling.legal_basis,
        }
        if track.ruling
        else None,
    }
    return out


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
    expected_version: int | None = Version


class ReturnIn(BaseModel):
    reasoning: str = Field(min_length=1, max_length=5000)
    expected_version: int | None = Version


class RulingIn(BaseModel):
    outcome: str = Field(
        max_length=30, description="listed, not_listed, licence_required or no_licence_required"
    )
    binding: bool
    answer: str = Field(min_length=1, max_length=5000)
    legal_basis: str = Field(min_length=1, max_length=300)
    expected_version: int | None = Version


def _authority(principal: Any) -> bool:
    return bool(principal.organisation_kind and principal.organisation_kind.value == "authority")


@router.post(
    "/licences/{number}/change-requests", status_code=201, summary="Ask to extend or amend a licence"
)
def request_change(number: str, body: ChangeIn, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    track = svc.request_change(
        uow,
        principal,
        number,
        kind=body.kind,
        reason=body.reason,
        valid_until=body.valid_until,
        conditions=body.conditions,
    )
    return _out(track, authority=False)


@router.post("/applications/{case_id}/appeal", status_code=201, summary="Appeal a refusal")
def appeal(case_id: RowId, body: AppealIn, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    return _out(svc.appeal(uow, principal, case_id, grounds=body.grounds), authority=False)


@router.post("/enquiries", status_code=201, summary="Ask before applying: is it listed, is it licensable?")
def enquire(body: EnquiryIn, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    track = svc.enquire(
        uow,
        principal,
        question=body.question,
        control_code=body.control_code,
        description=body.description,
        destination=body.destination,
    )
    return _out(track, authority=False)


@router.get("/requests", summary="Requests after the decision: the exporter's own, the authority's state's")
def listing(principal: UserDep, uow: UowDep) -> dict[str, Any]:
    authority = _authority(principal)
    return {"requests": [_out(t, authority=authority) for t in svc.listing(uow, principal)]}


@router.get("/requests/{track_id}", summary="A request after the decision and where it stands")
def get(track_id: RowId, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    return _out(svc.get(uow, principal, track_id), authority=_authority(principal))


@router.post(
    "/requests/{track_id}/recommendation", summary="The officer recommends (extension, amendment, appeal)"
)
def recommend(track_id: RowId, body: VerdictIn, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    track = svc.recommend(
        uow,
        principal,
        track_id,
        outcome=body.outcome,
        reasoning=body.reasoning,
        expected_version=body.expected_version,
    )
    return _out(track, authority=True)


@router.post("/requests/{track_id}/return", summary="The senior returns the recommendation to the officer")
def send_back(track_id: RowId, body: ReturnIn, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    track = svc.send_back(
        uow, principal, track_id, reasoning=body.reasoning, expected_version=body.expected_version
    )
    return _out(track, authority=True)


@router.post("/requests/{track_id}/decision", summary="A senior other than the officer decides (four eyes)")
def decide(track_id: RowId, body: VerdictIn, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    track = svc.decide(
        uow,
        principal,
        track_id,
        outcome=body.outcome,
        reasoning=body.reasoning,
        expected_version=body.expected_version,
    )
    return _out(track, authority=True)


@router.post("/requests/{track_id}/ruling", summary="Answer an enquiry with a binding or non-binding ruling")
def ruling(track_id: RowId, body: RulingIn, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    track = svc.answer(
        uow,
        principal,
        track_id,
        outcome=body.outcome,
        binding=body.binding,
        answer_text=body.answer,
        legal_basis=body.legal_basis,
        expected_version=body.expected_version,
    )
    return _out(track, authority=True)
