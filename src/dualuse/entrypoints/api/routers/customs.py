"""Customs (issue 19, point 6; Art. 21): look-ups for a declaration, the licence data feed, the usage feed
that writes licences off, and Art. 21 holds (formats in ``services.customs.feed``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path
from pydantic import BaseModel, Field

from dualuse.domain.customs import Hold
from dualuse.entrypoints.http.deps import ContainerDep, RowId, UowDep, UserDep
from dualuse.services.customs import feed, holds

router = APIRouter(prefix="/api/v1/customs", tags=["customs"])
Number = Annotated[str, Path(max_length=30)]


@router.get("/licences/{number}", summary="A licence as a customs declaration needs it")
def lookup_licence(number: Number, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    return feed.lookup_licence(uow, principal, number)


@router.get("/registrations/{number}", summary="A general-authorisation registration (e.g. DE-EU001-000003)")
def lookup_registration(number: Number, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    return feed.lookup_registration(uow, principal, number)


@router.get(
    "/licence-feed", summary="The state's licences in the documented feed format (dualuse-licence-feed 1)"
)
def licence_feed(principal: UserDep, uow: UowDep) -> dict[str, Any]:
    return feed.licence_feed(uow, principal)


@router.post("/usage", summary="Write off declarations against licences (dualuse-usage 1), all or nothing")
def import_usage(principal: UserDep, uow: UowDep, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    report = feed.import_usage(uow, principal, body)
    return {"written_off": report.written_off, "skipped": report.skipped, "exhausted": list(report.exhausted)}


class HoldIn(BaseModel):
    declaration: str = Field(min_length=1, max_length=40)
    ground: str = Field(max_length=10, description="Art. 21(3): a_i, a_ii or b")
    note: str = Field(min_length=1, max_length=2000)
    licence: str = Field(default="", max_length=20)
    authority_state: str | None = Field(default=None, min_length=2, max_length=2)


class DecisionIn(BaseModel):
    action: str = Field(max_length=10, description="extend, release or refuse")
    note: str = Field(min_length=1, max_length=2000)
    expected_version: int | None = Field(default=None, ge=1, le=2**31 - 1)


def _hold_out(hold: Hold) -> dict[str, Any]:
    return {
        "id": hold.id,
        "customs_state": hold.customs_state,
        "authority_state": hold.authority_state,
        "licence": hold.licence_number or None,
        "declaration": hold.declaration,
        "ground": hold.ground.value,
        "ground_label": hold.ground.label,
        "status": hold.status.value,
        "held_on": hold.held_on.isoformat(),
        "deadline": hold.deadline.isoformat(),
        "extended": hold.extended,
        "version": hold.version,
    }


@router.post("/holds", status_code=201, summary="Suspend a shipment (Art. 21(3))")
def suspend(body: HoldIn, principal: UserDep, uow: UowDep, container: ContainerDep) -> dict[str, Any]:
    hold = holds.suspend(
        uow,
        principal,
        container.hold_limits,
        declaration=body.declaration,
        ground=body.ground,
        note=body.note,
        licence_number=body.licence,
        authority_state=body.authority_state.upper() if body.authority_state else None,
    )
    return _hold_out(hold)


@router.get("/holds", summary="Holds by these customs, or on which this authority is consulted")
def list_holds(principal: UserDep, uow: UowDep) -> dict[str, Any]:
    return {"holds": [_hold_out(h) for h in holds.holds(uow, principal)]}


@router.post(
    "/holds/{hold_id}/decision", summary="The consulted authority extends, releases or refuses (Art. 21(4))"
)
def decide(
    hold_id: RowId, body: DecisionIn, principal: UserDep, uow: UowDep, container: ContainerDep
) -> dict[str, Any]:
    hold = holds.decide(
        uow,
        principal,
        container.hold_limits,
        hold_id,
        body.action,
        note=body.note,
        expected_version=body.expected_version,
    )
    return _hold_out(hold)
