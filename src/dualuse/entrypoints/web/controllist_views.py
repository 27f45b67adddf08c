"""Public pages of the control list (browser, entry, search, what changed) and exporters' classification pages."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dualuse.adapters.sources.annex_i import load_cryptography_note
from dualuse.domain.errors import DualUseError
from dualuse.domain.identity import Permission
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, RowId, UserDep
from dualuse.entrypoints.http.wording import plain
from dualuse.entrypoints.web.access import refused, require
from dualuse.entrypoints.web.charts import Bar, bar_chart
from dualuse.entrypoints.web.views import render
from dualuse.services import controllist as svc
from dualuse.services.annex_i.assess import assess_item, parse_params
from dualuse.services.clock import today_in_brussels
from dualuse.services.customs import lookup as customs

router = APIRouter(include_in_schema=False)

CATEGORY_NAMES = {
    0: "Nuclear materials, facilities and equipment",
    1: "Special materials and related equipment",
    2: "Materials processing",
    3: "Electronics",
    4: "Computers",
    5: "Telecommunications and information security",
    6: "Sensors and lasers",
    7: "Navigation and avionics",
    8: "Marine",
    9: "Aerospace and propulsion",
}
GROUP_NAMES = {
    "A": "Systems, equipment and components",
    "B": "Test, inspection and production equipment",
    "C": "Materials",
    "D": "Software",
    "E": "Technology",
}


@router.get("/control-list", response_class=HTMLResponse)
def browser(
    request: Request,
    container: ContainerDep,
    principal: PrincipalDep,
    version: Annotated[str | None, Query()] = None,
    category: Annotated[int | None, Query(ge=0, le=9)] = None,
) -> HTMLResponse:
    with container.uow() as uow:
        history = svc.current_history(uow, container.catalogue)
    control_list = svc.list_for(history, version=version)
    top = [e for e in control_list if e.code.parent is None]
    shown = [c for c in sorted(CATEGORY_NAMES) if category is None or c == category]
    grouped = {
        c: {g: [e for e in top if e.code.category == c and e.code.group == g] for g in GROUP_NAMES}
        for c in shown
    }
    return render(
        request,
        "controllist/browser.html",
        {
            "principal": principal,
            "control_list": control_list,
            "history": history,
            "grouped": grouped,
            "category_names": CATEGORY_NAMES,
            "group_names": GROUP_NAMES,
            "category": category,
        },
    )


@router.get("/control-list/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    container: ContainerDep,
    principal: PrincipalDep,
    q: Annotated[str, Query(max_length=500)] = "",
    version: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    with container.uow() as uow:
        history = svc.current_history(uow, container.catalogue)
    control_list = svc.list_for(history, version=version)
    hits = svc.search(container.catalogue, control_list, q, 20) if q.strip() else []
    template = "controllist/_results.html" if request.headers.get("hx-request") else "controllist/search.html"
    return render(
        request, template, {"principal": principal, "q": q, "hits": hits, "control_list": control_list}
    )


@router.get("/control-list/changes", response_class=HTMLResponse)
def changes_page(
    request: Request,
    container: ContainerDep,
    principal: PrincipalDep,
    from_version: Annotated[str | None, Query(alias="from")] = None,
    to_version: Annotated[str | None, Query(alias="to")] = None,
) -> HTMLResponse:
    with container.uow() as uow:
        history = svc.current_history(uow, container.catalogue)
    ids = [cl.version_id for cl in history.lists]
    to_id = to_version or ids[-1]
    from_id = from_version or (ids[-2] if len(ids) > 1 else ids[-1])
    changes = svc.diff(history, from_id, to_id)
    categories = changes.by_category()
    chart = bar_chart(
        "changes-by-category",
        f"Changes per category, {from_id} to {to_id}",
        "Entries added, removed or changed, and codes of the official text added or removed, per Annex I category.",
        [
            Bar(
                f"Category {c.category}",
                Decimal(c.entries + c.codes),
                f"{c.entries} entries, {c.codes} codes",
            )
            for c in categories
        ],
    )
    return render(
        request,
        "controllist/changes.html",
        {
            "principal": principal,
            "changes": changes,
            "ids": ids,
            "from_id": from_id,
            "to_id": to_id,
            "categories": categories,
            "category_chart": chart,
        },
    )


@router.get("/control-list/cn", response_class=HTMLResponse)
def cn_page(
    request: Request,
    container: ContainerDep,
    principal: PrincipalDep,
    cn: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    """Combined Nomenclature codes and the Annex I entries they correlate with (a lookup aid)."""
    with container.uow() as uow:
        history = svc.current_history(uow, container.catalogue)
    control_list = history.as_of(today_in_brussels())
    answer = None
    error = None
    if cn.strip():
        try:
            answer = customs.look_up(container.cn_correlation, control_list, cn)
        except DualUseError as exc:
            error = exc.detail
    rows = container.cn_correlation.rows if answer is None else answer.rows
    return render(
        request,
        "controllist/cn.html",
        {
            "principal": principal,
            "cn": cn,
            "answer": answer,
            "error": error,
            "rows": rows,
            "correlation": container.cn_correlation,
            "control_list": control_list,
        },
    )


@router.get("/control-list/{code}", response_class=HTMLResponse)
def entry_page(
    request: Request,
    code: str,
    container: ContainerDep,
    principal: PrincipalDep,
    version: Annotated[str | None, Query()] = None,
    parameters: Annotated[str, Query(max_length=5000)] = "",
) -> HTMLResponse:
    with container.uow() as uow:
        history = svc.current_history(uow, container.catalogue)
    control_list = svc.list_for(history, version=version)
    view = svc.show(history, code, control_list)
    note = load_cryptography_note()
    text = container.catalogue.provisions()
    provision = text.get(view.entry.code)
    assessment, errors = None, []
    if parameters.strip() and provision is not None:
        try:
            assessment = assess_item(
                container.catalogue, control_list, str(view.entry.code), parse_params(parameters.splitlines())
            )
        except DualUseError as exc:
            errors.append({"field": "parameters", "text": exc.detail})
    return render(
        request,
        "controllist/entry.html",
        {
            "principal": principal,
            "view": view,
            "history": history,
            "category_names": CATEGORY_NAMES,
            "crypto_note": note if note.may_release(view.entry.code) else None,
            "annex": text,
            "provision": provision,
            "provision_children": text.children(view.entry.code) if provision is not None else (),
            "assessment": assessment,
            "errors": errors,
            "parameters": parameters,
        },
        status_code=400 if errors else 200,
    )


@router.get("/classifications", response_class=HTMLResponse)
def classifications_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        records = svc.classifications(uow, principal)
    return _classifications(request, principal, records)


def _classifications(
    request: Request, principal: Any, records: Any, errors: list[dict[str, str]] | None = None
) -> HTMLResponse:
    review = [r for r in records if r.status.value == "review_needed"]
    context = {"principal": principal, "records": records, "review": review, "errors": errors or []}
    return render(request, "controllist/classifications.html", context, status_code=400 if errors else 200)


@router.get("/classifications/new", response_class=HTMLResponse)
def new_classification_form(
    request: Request,
    container: ContainerDep,
    principal: UserDep,
    description: Annotated[str, Query(max_length=5000)] = "",
) -> Response:
    require(principal, Permission.ACT_FOR_EXPORTER)
    candidates = []
    if description.strip():
        with container.uow() as uow:
            history = svc.current_history(uow, container.catalogue)
        candidates = svc.suggest(container.catalogue, history.as_of(today_in_brussels()), description, {})
    return render(
        request,
        "controllist/classification_form.html",
        {
            "principal": principal,
            "errors": [],
            "form": {"description": description},
            "candidates": candidates,
        },
    )


@router.post("/classifications/new", response_class=HTMLResponse)
def new_classification(
    request: Request,
    container: ContainerDep,
    principal: UserDep,
    product_name: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    parameters: Annotated[str, Form()] = "",
    control_code: Annotated[str, Form()] = "",
    not_listed: Annotated[str, Form()] = "",
    rationale: Annotated[str, Form()] = "",
) -> Response:
    require(principal, Permission.ACT_FOR_EXPORTER)
    form = {
        "product_name": product_name,
        "description": description,
        "parameters": parameters,
        "control_code": control_code,
        "not_listed": not_listed,
        "rationale": rationale,
    }
    errors: list[dict[str, str]] = []
    parsed: dict[str, object] = {}
    if parameters.strip():
        try:
            loaded = json.loads(parameters)
            if not isinstance(loaded, dict):
                raise ValueError
            parsed = loaded
        except ValueError:
            errors.append(
                {"field": "parameters", "text": 'Parameters must be JSON like {"symmetric_key_bits": 256}'}
            )
    if not product_name.strip():
        errors.insert(0, {"field": "product_name", "text": "Enter the product's name"})
    if not not_listed and not control_code.strip():
        errors.append({"field": "control_code", "text": "Enter the control code, or tick 'not listed'"})
    if not rationale.strip():
        errors.append(
            {
                "field": "rationale",
                "text": "Say why the product falls under this entry, or why it is not listed",
            }
        )
    if not errors:
        try:
            with container.uow() as uow:
                history = svc.current_history(uow, container.catalogue)
                svc.record_classification(
                    uow,
                    principal,
                    history.as_of(today_in_brussels()),
                    product_name=product_name,
                    description=description,
                    parameters=parsed,
                    control_code=None if not_listed else control_code,
                    rationale=rationale,
                )
        except DualUseError as exc:
            if refused(exc):
                raise
            errors.append({"field": exc.field or "product_name", "text": plain(exc.detail)})
        else:
            return RedirectResponse("/classifications", status_code=303)
    return render(
        request,
        "controllist/classification_form.html",
        {"principal": principal, "errors": errors, "form": form, "candidates": []},
        status_code=400,
    )


@router.post("/classifications/{classification_id}/confirm", response_class=HTMLResponse)
def confirm(
    request: Request,
    classification_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    note: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    try:
        with container.uow() as uow:
            history = svc.current_history(uow, container.catalogue)
            svc.confirm_classification(
                uow, principal, classification_id, history.as_of(today_in_brussels()), note
            )
    except DualUseError as exc:
        if refused(exc):
            raise
        with container.uow() as uow:
            records = svc.classifications(uow, principal)
        errors = [{"field": f"confirm-{classification_id}", "text": plain(exc.detail)}]
        return _classifications(request, principal, records, errors)
    return RedirectResponse("/classifications", status_code=303)
