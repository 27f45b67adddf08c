"""Requests after the decision (issue 19, point 5): extension and amendment of a licence, appeal of a
refusal, pre-application enquiries; each on its own track with its own decision or ruling."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.api.schemas.tracks import (
    AppealIn,
    ChangeIn,
    EnquiryIn,
    ReturnIn,
    RulingIn,
    TrackOut,
    TracksOut,
    VerdictIn,
)
from dualuse.entrypoints.http.deps import RowId, UowDep, UserDep
from dualuse.services.casework import tracks as svc

router = APIRouter(prefix="/api/v1", tags=["after the decision"], responses=API_ERRORS)


def _authority(principal: Any) -> bool:
    return bool(principal.organisation_kind and principal.organisation_kind.value == "authority")


@router.post(
    "/licences/{number}/change-requests", status_code=201, summary="Ask to extend or amend a licence"
)
def request_change(number: str, body: ChangeIn, principal: UserDep, uow: UowDep) -> TrackOut:
    track = svc.request_change(
        uow,
        principal,
        number,
        kind=body.kind,
        reason=body.reason,
        valid_until=body.valid_until,
        conditions=body.conditions,
    )
    return TrackOut.of(track, authority=False)


@router.post("/applications/{case_id}/appeal", status_code=201, summary="Appeal a refusal")
def appeal(case_id: RowId, body: AppealIn, principal: UserDep, uow: UowDep) -> TrackOut:
    return TrackOut.of(svc.appeal(uow, principal, case_id, grounds=body.grounds), authority=False)


@router.post("/enquiries", status_code=201, summary="Ask before applying: is it listed, is it licensable?")
def enquire(body: EnquiryIn, principal: UserDep, uow: UowDep) -> TrackOut:
    track = svc.enquire(
        uow,
        principal,
        question=body.question,
        control_code=body.control_code,
        description=body.description,
        destination=body.destination,
    )
    return TrackOut.of(track, authority=False)


@router.get("/requests", summary="Requests after the decision: the exporter's own, the authority's state's")
def listing(principal: UserDep, uow: UowDep) -> TracksOut:
    authority = _authority(principal)
    return TracksOut(requests=[TrackOut.of(t, authority=authority) for t in svc.listing(uow, principal)])


@router.get("/requests/{track_id}", summary="A request after the decision and where it stands")
def get(track_id: RowId, principal: UserDep, uow: UowDep) -> TrackOut:
    return TrackOut.of(svc.get(uow, principal, track_id), authority=_authority(principal))


@router.post(
    "/requests/{track_id}/recommendation", summary="The officer recommends (extension, amendment, appeal)"
)
def recommend(track_id: RowId, body: VerdictIn, principal: UserDep, uow: UowDep) -> TrackOut:
    track = svc.recommend(
        uow,
        principal,
        track_id,
        outcome=body.outcome,
        reasoning=body.reasoning,
        expected_version=body.expected_version,
    )
    return TrackOut.of(track, authority=True)


@router.post("/requests/{track_id}/return", summary="The senior returns the recommendation to the officer")
def send_back(track_id: RowId, body: ReturnIn, principal: UserDep, uow: UowDep) -> TrackOut:
    track = svc.send_back(
        uow, principal, track_id, reasoning=body.reasoning, expected_version=body.expected_version
    )
    return TrackOut.of(track, authority=True)


@router.post("/requests/{track_id}/decision", summary="A senior other than the officer decides (four eyes)")
def decide(track_id: RowId, body: VerdictIn, principal: UserDep, uow: UowDep) -> TrackOut:
    track = svc.decide(
        uow,
        principal,
        track_id,
        outcome=body.outcome,
        reasoning=body.reasoning,
        expected_version=body.expected_version,
    )
    return TrackOut.of(track, authority=True)


@router.post("/requests/{track_id}/ruling", summary="Answer an enquiry with a binding or non-binding ruling")
def ruling(track_id: RowId, body: RulingIn, principal: UserDep, uow: UowDep) -> TrackOut:
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
    return TrackOut.of(track, authority=True)
