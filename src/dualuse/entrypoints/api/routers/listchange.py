"""List changes over HTTP (issue 15): the changes open to the public, one with its diff and published comments
(and its impact analysis for the proposer), and the public's comments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from typing import Any

from fastapi import APIRouter, Request

from dualuse.domain.errors import PermissionDeniedError
from dualuse.domain.listchange import ImpactReport
from dualuse.entrypoints.api.schemas.controllist import DiffOut
from dualuse.entrypoints.api.schemas.listchange import (
    ListChangeCommentCreatedOut,
    ListChangeCommentIn,
    ListChangeOut,
    ListChangeSummaryOut,
    summary_fields,
)
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, RowId, UowDep, limited
from dualuse.services.listchange import service as svc

router = APIRouter(prefix="/api/v1", tags=["list changes"], responses=API_ERRORS)


def impact_out(
    report: ImpactReport, stored: bool, notified: Sequence[Mapping[str, Any]] = ()
) -> dict[str, Any]:
    return {
        "notified": [
            {"organisation_id": n["organisation_id"], "name": n["name"], "audience": n["audience"]}
            for n in notified
        ],
        "changed": [{"code": c.code, "kind": c.kind.value} for c in report.changed],
        "totals": report.totals(),
        "by_exporter": {str(k): v for k, v in report.by_exporter().items()},
        "by_state": report.by_state(),
        "stored_with_adoption": stored,
    }


@router.get(
    "/list-changes",
    response_model=list[ListChangeSummaryOut],
    summary="Changes to the control list: those open to the public, and the proposer's own drafts",
)
def list_changes(principal: PrincipalDep, uow: UowDep) -> list[dict[str, Any]]:
    shown = {s.change.id: s for s in svc.public_changes(uow)}
    if principal.is_authenticated:
        with suppress(PermissionDeniedError):  # not a proposer: the public changes only
            shown.update({s.change.id: s for s in svc.managed_changes(uow, principal)})
    return [summary_fields(s.change) for _, s in sorted(shown.items(), reverse=True)]


@router.get(
    "/list-changes/{change_id}",
    response_model=ListChangeOut,
    summary="A change with its diff and published comments; the proposer also gets the impact analysis",
)
def get_change(
    change_id: RowId, principal: PrincipalDep, uow: UowDep, container: ContainerDep
) -> dict[str, Any]:
    stored = svc.visible(uow, principal, change_id)
    change = stored.change
    preview = svc.preview(uow, container.catalogue, change)
    impact = None
    if svc.may_manage(principal, change):
        report = svc.impact(uow, principal, container.catalogue, container.rulebook, change_id)
        impact = impact_out(report, stored.impact is not None, stored.notified)
    comments = svc.published_comments(uow, principal, change_id)
    return {
        **summary_fields(change),
        "rationale": change.rationale,
        "content": change.content,
        "diff": DiffOut.of(preview.diff) if preview.diff is not None else None,
        "problem": preview.problem,
        "comments": [
            {
                "id": c.id,
                "author_name": c.author_name,
                "organisation_name": c.organisation_name,
                "organisation_type": c.organisation_type.value,
                "text": c.text,
            }
            for c in comments
        ],
        "withdrawal_reason": change.withdrawal_reason,
        "impact": impact,
    }


@router.post(
    "/list-changes/{change_id}/comments",
    response_model=ListChangeCommentCreatedOut,
    status_code=201,
    summary="Comment on a change open for comment (anyone; published once the proposer has moderated it)",
)
def comment(
    change_id: RowId,
    body: ListChangeCommentIn,
    principal: PrincipalDep,
    uow: UowDep,
    container: ContainerDep,
    request: Request,
) -> dict[str, Any]:
    limit = container.access_policy.list_comments_per_client
    with limited(container, request, limit, refusal="too many comments from your network in the last hour"):
        comment_id = svc.submit_comment(
            uow,
            principal,
            change_id,
            author_name=body.author_name,
            organisation_name=body.organisation_name,
            organisation_type=body.organisation_type,
            text=body.text,
        )
    return {"id": comment_id, "status": "pending"}
