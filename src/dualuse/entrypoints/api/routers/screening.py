"""Screening over HTTP: our own endpoints for parties, hits, decisions, settings and list status (the
yente-compatible API is in ``yente.py``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from dualuse.domain.screening.review import ALGORITHM, HitStatus
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.api.schemas.screening import (
    HitDecisionIn,
    ListVersionOut,
    MatchOut,
    SavedPartyOut,
    ScreeningHitOut,
    ScreeningOut,
    ScreeningPartyIn,
    ScreeningPartyOut,
    ThresholdIn,
    ThresholdOut,
)
from dualuse.entrypoints.http.deps import ContainerDep, RowId, UowDep, UserDep
from dualuse.services import screening as svc

router = APIRouter(tags=["screening"], responses=API_ERRORS)


def _screening_out(outcome: svc.ScreeningOutcome) -> ScreeningOut:
    return ScreeningOut(
        screening_id=outcome.screening_id,
        threshold=outcome.threshold,
        list_versions=dict(outcome.versions),
        algorithm=ALGORITHM,
        matches=[
            MatchOut(
                source=m.entity.source,
                entity_id=m.entity.entity_id,
                listed_name=m.entity.primary_name,
                matched_name=m.matched_name,
                score=round(m.score, 4),
                programs=list(m.entity.programs),
                explanation=svc.explanation_json(m),
            )
            for m in outcome.matches
        ],
        suppressed_false_positives=outcome.suppressed,
    )


@router.get(
    "/api/v1/screening/lists", response_model=list[ListVersionOut], summary="Imported sanctions list versions"
)
def lists(uow: UowDep) -> list[dict[str, Any]]:
    return [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items() if k != "imported_by"}
        for row in svc.list_status(uow)
    ]


@router.post("/api/v1/screening/screen", summary="Screen one party now (logged, not kept on file)")
def screen_now(
    body: ScreeningPartyIn, principal: UserDep, container: ContainerDep, uow: UowDep
) -> ScreeningOut:
    return _screening_out(svc.screen(uow, principal, container.screening_index, body.query()))


@router.get("/api/v1/screening/parties", summary="Your organisation's saved parties")
def list_parties(principal: UserDep, uow: UowDep) -> list[ScreeningPartyOut]:
    return [ScreeningPartyOut.of(p) for p in svc.parties(uow, principal)]


@router.post(
    "/api/v1/screening/parties",
    response_model=SavedPartyOut,
    status_code=201,
    summary="Save a party (re-screened on list changes)",
)
def save_party(
    body: ScreeningPartyIn, principal: UserDep, container: ContainerDep, uow: UowDep
) -> dict[str, Any]:
    party, outcome = svc.save_party(uow, principal, container.screening_index, body.query(), body.role)
    return {
        "party": ScreeningPartyOut.of(party).model_dump(by_alias=True),
        "screening": _screening_out(outcome).model_dump(),
    }


@router.get("/api/v1/screening/hits", summary="Your organisation's hits (filter by status, or alerts only)")
def list_hits(
    principal: UserDep, uow: UowDep, status: HitStatus | None = None, alerts: bool = False
) -> list[ScreeningHitOut]:
    return [ScreeningHitOut.of(h) for h in svc.hits(uow, principal, status=status, alerts_only=alerts)]


@router.post(
    "/api/v1/screening/hits/{hit_id}/decision", summary="Mark a hit a true match or a false positive"
)
def decide(hit_id: RowId, body: HitDecisionIn, principal: UserDep, uow: UowDep) -> ScreeningHitOut:
    return ScreeningHitOut.of(svc.decide_hit(uow, principal, hit_id, body.decision, body.reason))


@router.put(
    "/api/v1/screening/settings",
    response_model=ThresholdOut,
    summary="Your organisation's screening threshold (admins)",
)
def settings(body: ThresholdIn, principal: UserDep, uow: UowDep) -> dict[str, float]:
    return {"threshold": svc.set_threshold(uow, principal, body.threshold)}
