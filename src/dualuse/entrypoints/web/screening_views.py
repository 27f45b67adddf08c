"""Pages to screen a party, review hits and see which list versions are loaded."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dualuse.domain.errors import DualUseError, ValidationError
from dualuse.domain.identity import Permission
from dualuse.domain.screening.model import EntitySchema, ScreeningQuery
from dualuse.domain.screening.review import HitStatus, PartyRole
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, RowId, UserDep
from dualuse.entrypoints.web.access import refused, require
from dualuse.entrypoints.web.views import render
from dualuse.services import screening as svc

router = APIRouter(include_in_schema=False)


def _page(principal: Any, form: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "principal": principal,
        "form": form,
        "schemas": [s.value for s in EntitySchema],
        "roles": [r.value for r in PartyRole],
        "errors": [],
        "outcome": None,
        **extra,
    }


def _schema(kind: str) -> EntitySchema | None:
    try:
        return EntitySchema(kind) if kind else None
    except ValueError:
        kinds = ", ".join(s.value for s in EntitySchema)
        raise ValidationError(f"choose the kind of party: {kinds}", field="kind") from None


@router.get("/screening", response_class=HTMLResponse)
def screening_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        parties = svc.parties(uow, principal)
    return render(request, "screening/screen.html", _page(principal, {}, parties=parties))


@router.post("/screening", response_class=HTMLResponse)
def screen_party(
    request: Request,
    container: ContainerDep,
    principal: UserDep,
    name: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    country: Annotated[str, Form()] = "",
    birth_date: Annotated[str, Form()] = "",
    identifiers: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "end_user",
    save: Annotated[str, Form()] = "",
) -> Response:
    require(principal, Permission.SCREEN)
    form = {
        "name": name,
        "kind": kind,
        "country": country,
        "birth_date": birth_date,
        "identifiers": identifiers,
        "role": role,
    }
    try:
        query = ScreeningQuery(
            name=name.strip(),
            schema=_schema(kind),
            country=country.strip().lower() or None,
            birth_date=birth_date.strip() or None,
            identifiers=tuple(x.strip() for x in identifiers.split(";") if x.strip()),
        )
        with container.uow() as uow:
            if save:
                _party, outcome = svc.save_party(uow, principal, container.screening_index, query, role)
            else:
                outcome = svc.screen(uow, principal, container.screening_index, query)
        with container.uow() as uow:
            parties = svc.parties(uow, principal)
    except DualUseError as exc:
        if refused(exc):
            raise
        context = _page(
            principal, form, parties=[], errors=[{"field": exc.field or "name", "text": exc.detail}]
        )
        return render(request, "screening/screen.html", context, status_code=400)
    return render(request, "screening/screen.html", _page(principal, form, outcome=outcome, parties=parties))


@router.get("/screening/hits", response_class=HTMLResponse)
def hits_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        open_hits = svc.hits(uow, principal, status=HitStatus.OPEN)
        decided = [h for h in svc.hits(uow, principal) if h.status is not HitStatus.OPEN]
    return render(
        request, "screening/hits.html", {"principal": principal, "open_hits": open_hits, "decided": decided}
    )


@router.post("/screening/hits/{hit_id}")
def decide(
    hit_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    decision: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    with container.uow() as uow:
        svc.decide_hit(uow, principal, hit_id, decision, reason)
    return RedirectResponse("/screening/hits", status_code=303)


@router.get("/screening/lists", response_class=HTMLResponse)
def lists_page(request: Request, container: ContainerDep, principal: PrincipalDep) -> HTMLResponse:
    with container.uow() as uow:
        versions = svc.list_status(uow)
    return render(request, "screening/lists.html", {"principal": principal, "versions": versions})
