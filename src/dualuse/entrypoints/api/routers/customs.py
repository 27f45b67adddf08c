"""Customs (issue 19, point 6; Art. 21): look-ups for a declaration, the licence data feed, the usage feed
that writes licences off, and Art. 21 holds (formats in ``services.customs.feed``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path

from dualuse.entrypoints.api.schemas.customs import (
    CustomsLicenceOut,
    CustomsRegistrationOut,
    DecisionIn,
    HoldIn,
    HoldOut,
    HoldsOut,
    LicenceFeedOut,
    UsageReportOut,
)
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.http.deps import ContainerDep, RowId, UowDep, UserDep
from dualuse.services.customs import feed, holds

router = APIRouter(prefix="/api/v1/customs", tags=["customs"], responses=API_ERRORS)
Number = Annotated[str, Path(max_length=30)]


@router.get("/licences/{number}", summary="A licence as a customs declaration needs it")
def lookup_licence(number: Number, principal: UserDep, uow: UowDep) -> CustomsLicenceOut:
    return CustomsLicenceOut.model_validate(feed.lookup_licence(uow, principal, number))


@router.get("/registrations/{number}", summary="A general-authorisation registration (e.g. DE-EU001-000003)")
def lookup_registration(number: Number, principal: UserDep, uow: UowDep) -> CustomsRegistrationOut:
    return CustomsRegistrationOut.model_validate(feed.lookup_registration(uow, principal, number))


@router.get(
    "/licence-feed", summary="The state's licences in the documented feed format (dualuse-licence-feed 1)"
)
def licence_feed(principal: UserDep, uow: UowDep) -> LicenceFeedOut:
    return LicenceFeedOut.model_validate(feed.licence_feed(uow, principal))


@router.post("/usage", summary="Write off declarations against licences (dualuse-usage 1), all or nothing")
def import_usage(principal: UserDep, uow: UowDep, body: Annotated[dict[str, Any], Body()]) -> UsageReportOut:
    report = feed.import_usage(uow, principal, body)
    return UsageReportOut(
        written_off=report.written_off, skipped=report.skipped, exhausted=list(report.exhausted)
    )


@router.post("/holds", status_code=201, summary="Suspend a shipment (Art. 21(3))")
def suspend(body: HoldIn, principal: UserDep, uow: UowDep, container: ContainerDep) -> HoldOut:
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
    return HoldOut.of(hold)


@router.get("/holds", summary="Holds by these customs, or on which this authority is consulted")
def list_holds(principal: UserDep, uow: UowDep) -> HoldsOut:
    return HoldsOut(holds=[HoldOut.of(h) for h in holds.holds(uow, principal)])


@router.post(
    "/holds/{hold_id}/decision", summary="The consulted authority extends, releases or refuses (Art. 21(4))"
)
def decide(
    hold_id: RowId, body: DecisionIn, principal: UserDep, uow: UowDep, container: ContainerDep
) -> HoldOut:
    hold = holds.decide(
        uow,
        principal,
        container.hold_limits,
        hold_id,
        body.action,
        note=body.note,
        expected_version=body.expected_version,
    )
    return HoldOut.of(hold)
