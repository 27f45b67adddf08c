"""Denials between member states (Arts. 14, 16): the register of denials notified by every state (authorities
and the Commission read it), and the consultations between authorities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from dualuse.entrypoints.api.schemas.denials import (
    DenialConsultationAnswerIn,
    DenialConsultationOut,
    DenialConsultationsOut,
    DenialOut,
)
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.http.deps import RowId, UowDep, UserDep
from dualuse.services.denials import consultations, register

router = APIRouter(prefix="/api/v1", tags=["denials"], responses=API_ERRORS)
StateFilter = Annotated[str | None, Query(min_length=2, max_length=2)]


@router.get("/denials", response_model=list[DenialOut], summary="Denials notified by the member states")
def list_denials(
    principal: UserDep,
    uow: UowDep,
    issuing_state: StateFilter = None,
    destination: StateFilter = None,
    in_force: bool = True,
) -> list[DenialOut]:
    found = register.register(
        uow, principal, in_force_only=in_force, issuing_state=issuing_state, destination=destination
    )
    return [DenialOut.of(d) for d in found]


@router.get("/denials/{denial_id}", response_model=DenialOut, summary="One denial notification")
def get_denial(denial_id: RowId, principal: UserDep, uow: UowDep) -> DenialOut:
    return DenialOut.of(register.denial_page(uow, principal, denial_id).denial)


@router.get(
    "/denial-consultations",
    response_model=DenialConsultationsOut,
    summary="Consultations the authority's state received and sent",
)
def list_consultations(principal: UserDep, uow: UowDep) -> DenialConsultationsOut:
    found = consultations.consultations(uow, principal)
    return DenialConsultationsOut(
        received=[DenialConsultationOut.of(c) for c in found.received],
        sent=[DenialConsultationOut.of(c) for c in found.sent],
    )


@router.post(
    "/denial-consultations/{consultation_id}/answer",
    response_model=DenialConsultationOut,
    summary="Answer a consultation: agree, or object with reasons",
)
def answer_consultation(
    consultation_id: RowId, body: DenialConsultationAnswerIn, principal: UserDep, uow: UowDep
) -> DenialConsultationOut:
    answered = consultations.answer(
        uow,
        principal,
        consultation_id,
        body.answer,
        reasons=body.reasons,
        expected_version=body.expected_version,
    )
    return DenialConsultationOut.of(answered)
