"""The control list (Annex I) over HTTP: versions, entries, search, classify, diff, import and export,
and exporters' classification records."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from dualuse.adapters.sources.annex_i import dump_version
from dualuse.entrypoints.api.schemas.annex import ItemAssessmentOut
from dualuse.entrypoints.api.schemas.controllist import (
    AmendmentIn,
    CandidateOut,
    ClassificationIn,
    ClassificationOut,
    ClassifyIn,
    CnOut,
    ConfirmIn,
    DiffOut,
    EntryOut,
    ImportOut,
    SearchHitOut,
    VersionOut,
)
from dualuse.entrypoints.api.schemas.problems import API_ERRORS, YAML
from dualuse.entrypoints.http.deps import ContainerDep, RowId, UowDep, UserDep
from dualuse.services import controllist as svc
from dualuse.services.clock import today_in_brussels
from dualuse.services.customs import lookup as customs

router = APIRouter(prefix="/api/v1", tags=["control list"], responses=API_ERRORS)

VersionQ = Annotated[str | None, Query(description="a list version id, e.g. 2025-11")]
AsOfQ = Annotated[date | None, Query(description="the list in force on this date")]


@router.get("/control-list/versions", summary="Every version of the list, oldest first")
def versions(container: ContainerDep, uow: UowDep) -> list[VersionOut]:
    history = svc.current_history(uow, container.catalogue)
    return [VersionOut.of(cl) for cl in history.lists]


@router.get("/control-list/entries/{code}", summary="One entry, with breadcrumbs, children and flags")
def entry(
    code: str, container: ContainerDep, uow: UowDep, version: VersionQ = None, as_of: AsOfQ = None
) -> EntryOut:
    history = svc.current_history(uow, container.catalogue)
    return EntryOut.of(svc.show(history, code, svc.list_for(history, version=version, as_of=as_of)))


@router.get(
    "/control-list/cn/{cn}",
    summary="The Annex I entries a Combined Nomenclature code correlates with (a lookup aid)",
)
def cn(cn: str, container: ContainerDep, uow: UowDep, version: VersionQ = None, as_of: AsOfQ = None) -> CnOut:
    history = svc.current_history(uow, container.catalogue)
    control_list = svc.list_for(history, version=version, as_of=as_of or today_in_brussels())
    return CnOut.of(customs.look_up(container.cn_correlation, control_list, cn))


@router.get("/control-list/search", summary="Full-text, typo-tolerant search in exporters' words")
def search(
    container: ContainerDep,
    uow: UowDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    version: VersionQ = None,
    as_of: AsOfQ = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[SearchHitOut]:
    history = svc.current_history(uow, container.catalogue)
    control_list = svc.list_for(history, version=version, as_of=as_of)
    hits = svc.search(container.catalogue, control_list, q, limit)
    out = []
    for h in hits:
        flags = control_list.effective_flags(h.entry.code)
        out.append(
            SearchHitOut(
                code=str(h.entry.code),
                title=h.entry.title,
                score=round(h.score, 4),
                why=list(h.why),
                cyber_surveillance=flags.cyber_surveillance,
                information_security=flags.information_security,
            )
        )
    return out


@router.post(
    "/control-list/classify", summary="Candidate entries for a product; it suggests, a person decides"
)
def classify(body: ClassifyIn, container: ContainerDep, uow: UowDep) -> list[CandidateOut]:
    history = svc.current_history(uow, container.catalogue)
    control_list = svc.list_for(history, version=body.version)
    candidates = svc.suggest(container.catalogue, control_list, body.description, body.parameters, body.limit)
    return [
        CandidateOut(
            code=str(c.entry.code),
            title=c.entry.title,
            score=round(c.score, 4),
            reasons=list(c.reasons),
            assessment=ItemAssessmentOut.of(c.assessment) if c.assessment else None,
        )
        for c in candidates
    ]


@router.get("/control-list/diff", summary="What changed between two versions")
def diff(
    container: ContainerDep,
    uow: UowDep,
    from_version: Annotated[str, Query(alias="from")],
    to_version: Annotated[str, Query(alias="to")],
) -> DiffOut:
    history = svc.current_history(uow, container.catalogue)
    return DiffOut.of(svc.diff(history, from_version, to_version))


@router.get(
    "/control-list/export",
    summary="A whole version as YAML, in the import format",
    response_class=PlainTextResponse,
    responses=YAML,
)
def export(
    container: ContainerDep, uow: UowDep, version: VersionQ = None, as_of: AsOfQ = None
) -> PlainTextResponse:
    history = svc.current_history(uow, container.catalogue)
    control_list = svc.list_for(history, version=version, as_of=as_of)
    return PlainTextResponse(dump_version(control_list), media_type="application/yaml")


@router.post(
    "/control-list/amendments", status_code=201, summary="Import an amendment (a delegated act), validated"
)
def import_amendment(
    body: AmendmentIn, principal: UserDep, container: ContainerDep, uow: UowDep
) -> ImportOut:
    result = svc.import_amendment(uow, principal, container.catalogue, body.content, body.filename)
    return ImportOut(
        version=result.version_id,
        effective_from=result.effective_from,
        diff=DiffOut.of(result.diff),
        classifications_flagged=len(result.flagged),
    )


@router.get("/classifications", summary="Your organisation's classification records")
def list_classifications(principal: UserDep, uow: UowDep, review: bool = False) -> list[ClassificationOut]:
    return [ClassificationOut.of(c) for c in svc.classifications(uow, principal, review_only=review)]


@router.post("/classifications", status_code=201, summary="Record a product's classification")
def create_classification(
    body: ClassificationIn, principal: UserDep, container: ContainerDep, uow: UowDep
) -> ClassificationOut:
    history = svc.current_history(uow, container.catalogue)
    record = svc.record_classification(
        uow,
        principal,
        history.as_of(today_in_brussels()),
        product_name=body.product_name,
        description=body.description,
        parameters=body.parameters,
        control_code=body.control_code,
        rationale=body.rationale,
    )
    return ClassificationOut.of(record)


@router.post("/classifications/{classification_id}/confirm", summary="Confirm a flagged record after review")
def confirm_classification(
    classification_id: RowId, body: ConfirmIn, principal: UserDep, container: ContainerDep, uow: UowDep
) -> ClassificationOut:
    history = svc.current_history(uow, container.catalogue)
    record = svc.confirm_classification(
        uow, principal, classification_id, history.as_of(today_in_brussels()), body.note
    )
    return ClassificationOut.of(record)
