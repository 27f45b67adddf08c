"""Pages to screen a party, review hits and see which list versions are loaded."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dualuse.domain.countries import country_choices, resolve_country
from dualuse.domain.errors import DualUseError, NotFoundError, ValidationError
from dualuse.domain.identity import Permission
from dualuse.domain.screening.model import EntitySchema, ScreeningQuery
from dualuse.domain.screening.normalise import partial_date_problem
from dualuse.domain.screening.review import HitStatus, PartyRole
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, RowId, UserDep
from dualuse.entrypoints.web.access import refused, require
from dualuse.entrypoints.web.charts import Bar, bar_chart
from dualuse.entrypoints.web.forms import FormErrors
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
        "countries": country_choices(),
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
    """Screen a party (and keep it on file); every mistake in the form is listed at once."""
    if not principal.is_authenticated:
        return RedirectResponse("/login", status_code=303)
    require(principal, Permission.SCREEN)
    form = {
        "name": name,
        "kind": kind,
        "country": country,
        "birth_date": birth_date,
        "identifiers": identifiers,
        "role": role,
        "save": save,
    }
    errors = FormErrors(default="name", ids={"schema": "kind"})
    if not name.strip():
        errors.add("name", "Enter the name of the person or organisation to screen")
    schema = None
    try:
        schema = _schema(kind)
    except ValidationError as exc:
        errors.add_exception(exc)
    code = None
    if country.strip():
        try:
            code = resolve_country(country, "country").lower()
        except ValidationError as exc:
            errors.add_exception(exc)
    if birth_date.strip() and (problem := partial_date_problem(birth_date)):
        errors.add("birth_date", problem)
    if role not in {r.value for r in PartyRole}:
        errors.add("role", "Choose the party's role in the transaction")
    if not errors:
        try:
            query = ScreeningQuery(
                name=name.strip(),
                schema=schema,
                country=code,
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
            errors.add_exception(exc)
    if errors:
        context = _page(principal, form, parties=[], errors=errors.as_list())
        return render(request, "screening/screen.html", context, status_code=400)
    return render(request, "screening/screen.html", _page(principal, form, outcome=outcome, parties=parties))


def _hits_page(
    request: Request,
    container: ContainerDep,
    principal: Any,
    errors: FormErrors | None = None,
    kept: dict[int, Any] | None = None,
) -> HTMLResponse:
    with container.uow() as uow:
        open_hits = svc.hits(uow, principal, status=HitStatus.OPEN)
        decided = [h for h in svc.hits(uow, principal) if h.status is not HitStatus.OPEN]
    context = {
        "principal": principal,
        "open_hits": open_hits,
        "decided": decided,
        "errors": errors.as_list() if errors else [],
        "kept": kept or {},
    }
    return render(request, "screening/hits.html", context, status_code=400 if errors else 200)


@router.get("/screening/hits", response_class=HTMLResponse)
def hits_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    return _hits_page(request, container, principal)


@router.post("/screening/hits/{hit_id}", response_class=HTMLResponse)
def decide(
    request: Request,
    hit_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    decision: Annotated[str, Form(max_length=40)] = "",
    reason: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    """Record a reviewer's decision; a missing choice or reason is shown beside the hit, with what was
    entered."""
    first = f"decision-{hit_id}-true_match"
    errors = FormErrors(default=first, ids={"decision": first, "reason": f"reason-{hit_id}"})
    if decision not in ("true_match", "false_positive"):
        errors.add(
            f"decision-{hit_id}-true_match", "Choose whether the hit is a true match or a false positive"
        )
    if not reason.strip():
        errors.add(f"reason-{hit_id}", "Enter the reason for your decision")
    if not errors:
        try:
            with container.uow() as uow:
                svc.decide_hit(uow, principal, hit_id, decision, reason)
        except DualUseError as exc:
            if refused(exc):
                raise
            errors.add_exception(exc)
    if errors:
        with container.uow() as uow:  # a refusal first: only the hit's organisation sees the form again
            if not any(h.id == hit_id for h in svc.hits(uow, principal)):
                raise NotFoundError("no such hit")
        return _hits_page(
            request, container, principal, errors, {hit_id: {"decision": decision, "reason": reason}}
        )
    return RedirectResponse("/screening/hits", status_code=303)


@router.get("/screening/lists", response_class=HTMLResponse)
def lists_page(request: Request, container: ContainerDep, principal: PrincipalDep) -> HTMLResponse:
    with container.uow() as uow:
        versions = svc.list_status(uow)
    fresh = svc.freshness(versions, container.clock.today())
    chart = bar_chart(
        "list-freshness",
        "How old each list is",
        "Days since the newest version of each sanctions list was published (or imported, where the list gives"
        " no date), stalest first.",
        [Bar(f.source, Decimal(f.days), f"{f.days} days (version {f.version})") for f in fresh],
    )
    return render(
        request,
        "screening/lists.html",
        {"principal": principal, "versions": versions, "freshness": fresh, "freshness_chart": chart},
    )
