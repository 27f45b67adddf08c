"""``/audit``: the audit trail, read-only, for an exporter's administrator (its organisation's events) and an
authority's senior officer (its member state's events); who sees what is set out in ``services.audit``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from dualuse.domain.audit import AuditEvent
from dualuse.domain.errors import ValidationError
from dualuse.entrypoints.http.deps import ContainerDep, UserDep
from dualuse.entrypoints.http.wording import plain
from dualuse.entrypoints.web.views import render
from dualuse.services import audit

router = APIRouter(include_in_schema=False)
PAGE = 50


def _since(text: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError("give a date like 2026-12-01", field="since") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@router.get("/audit", response_class=HTMLResponse)
def trail(
    request: Request,
    container: ContainerDep,
    principal: UserDep,
    actor: Annotated[str, Query(max_length=254)] = "",
    action: Annotated[str, Query(max_length=100)] = "",
    since: Annotated[str, Query(max_length=40)] = "",
    before: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    errors: list[dict[str, str]] = []
    events: list[AuditEvent] = []
    try:
        wanted = audit.query(
            limit=PAGE, since=_since(since), actor=actor, action=action, before_sequence=before
        )
        with container.uow() as uow:
            events = audit.read_trail(uow, principal, wanted)
    except ValidationError as exc:
        errors = [{"field": exc.field or "since", "text": plain(exc.detail)}]
    older = events[-1].sequence if len(events) == PAGE else None
    return render(
        request,
        "audit/trail.html",
        {
            "principal": principal,
            "events": events,
            "errors": errors,
            "filters": {"actor": actor, "action": action, "since": since},
            "older": older,
        },
        status_code=422 if errors else 200,
    )
