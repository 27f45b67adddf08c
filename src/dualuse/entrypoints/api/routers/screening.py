"""Screening over HTTP: our own endpoints for parties, hits, decisions, settings and list status (the
yente-compatible API is in ``yente.py``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from dualuse.adapters.sources.sanctions_formats import FORMATS, parse
from dualuse.domain.errors import ValidationError
from dualuse.domain.identity import Permission, authorize
from dualuse.domain.screening.review import ALGORITHM, HitStatus
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.api.schemas.screening import (
    HitDecisionIn,
    ListFormatsOut,
    ListImportOut,
    ListVersionOut,
    MatchOut,
    OwnershipOut,
    OwnershipPathOut,
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
        ownership=[
            OwnershipOut(
                source=f.source,
                company_id=f.control.company,
                company_name=f.control.company_name,
                matched_name=f.matched_name,
                score=round(f.score, 4),
                listed_share=round(f.control.share, 4),
                flagged=f.control.flagged,
                paths=[
                    OwnershipPathOut(
                        names=list(p.names),
                        shares=list(p.shares),
                        share=None if p.share is None else round(p.share, 4),
                        text=p.describe(),
                    )
                    for p in f.control.paths
                ],
                listed_directors=list(f.control.directors),
                incomplete=f.control.truncated,
            )
            for f in outcome.ownership
        ],
    )


@router.get(
    "/api/v1/screening/lists", response_model=list[ListVersionOut], summary="Imported sanctions list versions"
)
def lists(uow: UowDep) -> list[dict[str, Any]]:
    return [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items() if k != "imported_by"}
        for row in svc.list_status(uow)
    ]


def _import_file(
    uow: UowDep, principal: Any, format_name: str, filename: str, content: bytes, force_reason: str | None
) -> ListImportOut:
    with tempfile.TemporaryDirectory(prefix="dualuse-list-") as folder:
        path = Path(folder) / filename
        path.write_bytes(content)
        snapshot = parse(format_name, path)
    report = svc.import_snapshot(
        uow, principal, snapshot, format_name=format_name, filename=filename, force_reason=force_reason
    )
    return ListImportOut(
        version_id=report.version_id,
        source=report.source,
        version=report.version,
        entities=report.entities,
        relations=len(snapshot.relations),
        added=len(report.delta.added),
        removed=len(report.delta.removed),
        changed=len(report.delta.changed),
        parties_rescreened=report.parties_rescreened,
        alerts=report.alerts,
        unchanged=report.unchanged,
        warnings=list(snapshot.warnings),
    )


@router.post(
    "/api/v1/screening/lists/{format_name}",
    status_code=201,
    summary="Import a sanctions list file (the request body) as a new version",
)
async def import_list(
    request: Request,
    format_name: str,
    principal: UserDep,
    uow: UowDep,
    filename: Annotated[str, Query(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][\w.\- ]*$")],
    force_reason: Annotated[str | None, Query(max_length=2000)] = None,
) -> ListImportOut:
    """The file is the body (any content type), named by ``filename`` (the name some formats read their date
    from, e.g. ``sdn_2024-05-03.csv``). Formats: see ``GET /api/v1/screening/formats``. One transaction: a file
    that fails to parse, or a version older than the one held (unless ``force_reason`` says why), stores
    nothing. OFAC's CSV is read as ``sdn.csv`` alone here (its alias and address files need the CLI)."""
    authorize(principal, Permission.IMPORT_SANCTIONS_LISTS)  # before the body is read
    if format_name not in FORMATS:
        raise ValidationError(
            f"unknown list format {format_name!r}; known: {', '.join(sorted(FORMATS))}", field="format_name"
        )
    content = await request.body()
    if not content:
        raise ValidationError("send the list file as the request body", field="body")
    return await run_in_threadpool(_import_file, uow, principal, format_name, filename, content, force_reason)


@router.get("/api/v1/screening/formats", summary="The sanctions list formats that can be imported")
def formats() -> ListFormatsOut:
    return ListFormatsOut(formats=sorted(FORMATS))


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
