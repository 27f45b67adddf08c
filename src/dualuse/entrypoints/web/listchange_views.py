"""List-change pages (issue 15): the public sees the changes open for comment with their diff and comments and
may comment (``/list-changes``); the Commission, or an authority for its state's national measures, drafts,
opens, moderates, reads the impact analysis and adopts (``/list-changes/manage``); every organisation reads the
notifications a change in force sent it (``/list-changes/notifications``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dualuse.bootstrap import Container
from dualuse.domain.errors import DualUseError, TooManyAttemptsError
from dualuse.domain.identity import Principal
from dualuse.domain.listchange import SUBJECT_LABELS, ListChangeStatus, OrganisationType, SubjectKind
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, RowId, UserDep, limited
from dualuse.entrypoints.web.access import refused
from dualuse.entrypoints.web.forms import FormErrors
from dualuse.entrypoints.web.views import render
from dualuse.services.clock import today_in_brussels
from dualuse.services.listchange import service as svc

router = APIRouter(include_in_schema=False)
BASE = "/list-changes"
ORGANISATION_TYPES = [
    (OrganisationType.INDUSTRY.value, "Industry (an exporter, a manufacturer or their association)"),
    (OrganisationType.CIVIL_SOCIETY.value, "Civil society (an NGO, a researcher, a journalist)"),
    (OrganisationType.AUTHORITY.value, "A public authority"),
    (OrganisationType.OTHER.value, "Other, or a private person"),
]
STATUS_NAMES = {
    ListChangeStatus.DRAFT: "Draft (not public)",
    ListChangeStatus.OPEN_FOR_COMMENT: "Open for comment",
    ListChangeStatus.COMMENTS_CLOSED: "Comments closed",
    ListChangeStatus.ADOPTED: "Adopted",
    ListChangeStatus.IN_FORCE: "In force",
    ListChangeStatus.WITHDRAWN: "Withdrawn",
}
KIND_NAMES = {k.value: SUBJECT_LABELS[k] for k in SubjectKind}
DRAFT_FIELDS = ("title", "rationale", "version_id", "proposed_effective_from", "body")
COMMENT_FIELDS = ("author_name", "organisation_name", "organisation_type", "text")


def _date(value: str, field: str, errors: FormErrors, message: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        errors.add(field, message)
        return None


async def _form(request: Request, fields: tuple[str, ...], limit: int = 4000) -> dict[str, str]:
    async with request.form() as raw:
        return {f: str(raw.get(f) or "")[:limit] for f in fields}


# --- the public -----------------------------------------------------------------------------------------
@router.get(BASE, response_class=HTMLResponse)
def index(request: Request, container: ContainerDep, principal: PrincipalDep) -> Response:
    with container.uow() as uow:
        changes = svc.public_changes(uow)
    today = today_in_brussels()
    return render(
        request,
        "listchange/index.html",
        {
            "principal": principal,
            "open": [s.change for s in changes if s.change.open_for_comments_on(today)],
            "others": [s.change for s in changes if not s.change.open_for_comments_on(today)],
            "status_names": STATUS_NAMES,
            "proposes": _proposes(principal),
        },
    )


def _proposes(principal: Principal) -> bool:
    try:
        svc.proposer_of(principal)
    except DualUseError:
        return False
    return True


# --- notifications (before /{change_id}, which would take the word for an id) ------------------------------
@router.get(BASE + "/notifications", response_class=HTMLResponse)
def notifications(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        found = svc.notices(uow, principal)
    return render(request, "listchange/notifications.html", {"principal": principal, "notices": found})


@router.post(BASE + "/notifications/{list_notice_id}/read", response_class=HTMLResponse)
def mark_read(list_notice_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        svc.mark_read(uow, principal, list_notice_id)
    return RedirectResponse(BASE + "/notifications", status_code=303)


# --- the proposer's pages -------------------------------------------------------------------------------
@router.get(BASE + "/manage", response_class=HTMLResponse)
def manage_index(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        changes = svc.managed_changes(uow, principal)
    return render(
        request,
        "listchange/manage_index.html",
        {"principal": principal, "changes": [s.change for s in changes], "status_names": STATUS_NAMES},
    )


def _draft_context(
    principal: Principal, form: dict[str, str], errors: list[dict[str, str]]
) -> dict[str, Any]:
    return {"principal": principal, "form": form, "errors": errors, "proposer": svc.proposer_of(principal)}


@router.get(BASE + "/new", response_class=HTMLResponse)
def new_form(request: Request, principal: UserDep) -> Response:
    form = dict.fromkeys(DRAFT_FIELDS, "")
    form["proposed_effective_from"] = (today_in_brussels() + timedelta(days=90)).isoformat()
    return render(request, "listchange/new.html", _draft_context(principal, form, []))


@router.post(BASE + "/new", response_class=HTMLResponse)
async def create(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    svc.proposer_of(principal)  # refusals before the form's errors
    form = await _form(request, DRAFT_FIELDS, limit=200_000)
    errors = FormErrors(default="title")
    for name, message in (
        ("title", "Enter a title"),
        ("rationale", "Explain why the list should change"),
        ("version_id", "Name the list version the change makes, like 2027-06"),
        ("body", "Give the entries to add, change or remove"),
    ):
        if not form[name].strip():
            errors.add(name, message)
    effective = _date(
        form["proposed_effective_from"],
        "proposed_effective_from",
        errors,
        "Enter the proposed date as 2027-06-01",
    )
    if not errors and effective is not None:
        try:
            with container.uow() as uow:
                created = svc.draft(
                    uow,
                    principal,
                    container.catalogue,
                    title=form["title"],
                    rationale=form["rationale"],
                    version_id=form["version_id"],
                    proposed_effective_from=effective,
                    body=form["body"],
                )
        except DualUseError as exc:
            if refused(exc):
                raise
            errors.add_exception(exc)
        else:
            return RedirectResponse(f"{BASE}/{created.id}/manage", status_code=303)
    return render(
        request, "listchange/new.html", _draft_context(principal, form, errors.as_list()), status_code=400
    )


def _manage_context(
    container: Container, principal: Principal, change_id: int, errors: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    with container.uow() as uow:
        stored = svc.managed(uow, principal, change_id)
        preview = svc.preview(uow, container.catalogue, stored.change)
        comments = svc.all_comments(uow, principal, change_id)
        report = svc.impact(uow, principal, container.catalogue, container.rulebook, change_id)
        names = {o.id: o.name for o in uow.organisations.list()}
    today = today_in_brussels()
    return {
        "principal": principal,
        "stored": stored,
        "change": stored.change,
        "preview": preview,
        "comments": comments,
        "report": report,
        "names": names,
        "kind_names": KIND_NAMES,
        "status_names": STATUS_NAMES,
        "errors": errors or [],
        "today": today,
        "default_period_end": (today + timedelta(days=28)).isoformat(),
        "default_effective": max(today, stored.change.proposed_effective_from).isoformat(),
    }


@router.get(BASE + "/{change_id}/manage", response_class=HTMLResponse)
def manage(request: Request, change_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    return render(request, "listchange/manage.html", _manage_context(container, principal, change_id))


async def _act(
    request: Request,
    container: Container,
    principal: Principal,
    change_id: int,
    fields: tuple[str, ...],
    run: Any,
    default_field: str,
    ids: dict[str, str] | None = None,
) -> Response:
    with container.uow() as uow:
        svc.managed(uow, principal, change_id)  # refusals before the form's errors
    form = await _form(request, fields)
    errors = FormErrors(default=default_field, ids=ids or {})
    try:
        with container.uow() as uow:
            run(uow, form, errors)
    except DualUseError as exc:
        if refused(exc):
            raise
        errors.add_exception(exc)
    if errors:
        context = _manage_context(container, principal, change_id, errors.as_list())
        return render(request, "listchange/manage.html", context, status_code=400)
    return RedirectResponse(f"{BASE}/{change_id}/manage", status_code=303)


def _version(form: dict[str, str]) -> int | None:
    value = form.get("expected_version", "")
    return int(value) if value.isdigit() and len(value) < 9 else None


@router.post(BASE + "/{change_id}/open", response_class=HTMLResponse)
async def open_for_comment(
    request: Request, change_id: RowId, container: ContainerDep, principal: UserDep
) -> Response:
    def run(uow: Any, form: dict[str, str], errors: FormErrors) -> None:
        end = _date(
            form["comment_period_end"], "comment_period_end", errors, "Enter the last day as 2027-01-31"
        )
        if end is not None:
            svc.open_for_comment(
                uow, principal, change_id, comment_period_end=end, expected_version=_version(form)
            )

    fields = ("comment_period_end", "expected_version")
    return await _act(request, container, principal, change_id, fields, run, "comment_period_end")


@router.post(BASE + "/{change_id}/close", response_class=HTMLResponse)
async def close_comments(
    request: Request, change_id: RowId, container: ContainerDep, principal: UserDep
) -> Response:
    def run(uow: Any, form: dict[str, str], _errors: FormErrors) -> None:
        svc.close_comments(uow, principal, change_id, expected_version=_version(form))

    return await _act(request, container, principal, change_id, ("expected_version",), run, "close")


@router.post(BASE + "/{change_id}/withdraw", response_class=HTMLResponse)
async def withdraw(
    request: Request, change_id: RowId, container: ContainerDep, principal: UserDep
) -> Response:
    def run(uow: Any, form: dict[str, str], _errors: FormErrors) -> None:
        svc.withdraw(uow, principal, change_id, reason=form["reason"], expected_version=_version(form))

    return await _act(request, container, principal, change_id, ("reason", "expected_version"), run, "reason")


@router.post(BASE + "/{change_id}/adopt", response_class=HTMLResponse)
async def adopt(request: Request, change_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    def run(uow: Any, form: dict[str, str], errors: FormErrors) -> None:
        effective = _date(
            form["effective_from"], "effective_from", errors, "Enter the date it takes effect as 2027-06-01"
        )
        if effective is not None:
            svc.adopt(
                uow,
                principal,
                container.catalogue,
                container.rulebook,
                change_id,
                effective_from=effective,
                expected_version=_version(form),
            )

    fields = ("effective_from", "expected_version")
    return await _act(request, container, principal, change_id, fields, run, "effective_from")


@router.post(BASE + "/{change_id}/comments/{comment_id}/moderation", response_class=HTMLResponse)
async def moderate(
    request: Request, change_id: RowId, comment_id: RowId, container: ContainerDep, principal: UserDep
) -> Response:
    def run(uow: Any, form: dict[str, str], _errors: FormErrors) -> None:
        svc.moderate_comment(
            uow, principal, change_id, comment_id, action=form["action"], reason=form["reason"]
        )

    field_id = f"reason-{comment_id}"
    return await _act(
        request, container, principal, change_id, ("action", "reason"), run, field_id, {"reason": field_id}
    )


# --- one change, for everyone -------------------------------------------------------------------------------
def _public_context(
    container: Container,
    principal: Principal,
    change_id: int,
    form: dict[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
    done: int | None = None,
) -> dict[str, Any]:
    with container.uow() as uow:
        stored = svc.visible(uow, principal, change_id)
        preview = svc.preview(uow, container.catalogue, stored.change)
        comments = svc.published_comments(uow, principal, change_id)
    return {
        "principal": principal,
        "change": stored.change,
        "preview": preview,
        "comments": comments,
        "organisation_types": ORGANISATION_TYPES,
        "status_names": STATUS_NAMES,
        "open": stored.change.open_for_comments_on(today_in_brussels()),
        "manages": svc.may_manage(principal, stored.change),
        "form": form or dict.fromkeys(COMMENT_FIELDS, ""),
        "errors": errors or [],
        "done": done,
    }


@router.get(BASE + "/{change_id}", response_class=HTMLResponse)
def show(request: Request, change_id: RowId, container: ContainerDep, principal: PrincipalDep) -> Response:
    return render(request, "listchange/show.html", _public_context(container, principal, change_id))


@router.post(BASE + "/{change_id}/comments", response_class=HTMLResponse)
async def comment(
    request: Request, change_id: RowId, container: ContainerDep, principal: PrincipalDep
) -> Response:
    with container.uow() as uow:
        svc.visible(uow, principal, change_id)  # a draft is refused as missing before the form is read
    form = await _form(request, COMMENT_FIELDS, limit=6000)
    errors = FormErrors(default="author_name", ids={"organisation_type": "organisation_type-industry"})
    if not form["author_name"].strip():
        errors.add("author_name", "Enter your name or your organisation's name")
    if form["organisation_type"] not in {v for v, _ in ORGANISATION_TYPES}:
        errors.add("organisation_type-industry", "Say who you comment for")
    if not form["text"].strip():
        errors.add("text", "Enter your comment")
    status_code = 400
    if not errors:
        limit = container.access_policy.list_comments_per_client
        try:
            with (
                limited(
                    container, request, limit, refusal="too many comments from your network in the last hour"
                ),
                container.uow() as uow,
            ):
                comment_id = svc.submit_comment(
                    uow,
                    principal,
                    change_id,
                    author_name=form["author_name"],
                    organisation_name=form["organisation_name"],
                    organisation_type=form["organisation_type"],
                    text=form["text"],
                )
        except DualUseError as exc:
            if refused(exc):
                raise
            errors.add_exception(exc)
            if isinstance(exc, TooManyAttemptsError):
                status_code = 429
        else:
            return render(
                request,
                "listchange/show.html",
                _public_context(container, principal, change_id, done=comment_id),
            )
    context = _public_context(container, principal, change_id, form, errors.as_list())
    return render(request, "listchange/show.html", context, status_code=status_code)
