"""Due-diligence pages: the exporter's guided case (one step per page), the authority's notifications and the
Art. 5(4)–(6) exchange, risk profiles, the public submission form, and the ICP self-assessment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.datastructures import FormData
from starlette.datastructures import UploadFile as StarletteUploadFile

from dualuse.adapters.documents.uploads import MAX_BYTES, CheckedUpload, check_upload
from dualuse.domain.countries import resolve_country
from dualuse.domain.documents import media_type_for
from dualuse.domain.duediligence import STEPS, Conclusion, Step
from dualuse.domain.duediligence.icp import ICP_ELEMENTS, IcpLevel
from dualuse.domain.errors import ConflictError, DualUseError, TooManyAttemptsError
from dualuse.domain.identity import Permission
from dualuse.domain.screening.model import ScreeningQuery
from dualuse.entrypoints.http.csrf import check_multipart_token
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, RowId, UserDep, limited
from dualuse.entrypoints.http.limits import refuse_nul_in_form
from dualuse.entrypoints.http.wording import plain
from dualuse.entrypoints.report import case_report_pdf
from dualuse.entrypoints.web.access import refused, require
from dualuse.entrypoints.web.forms import FormErrors, required
from dualuse.entrypoints.web.views import render
from dualuse.services import audit, screening
from dualuse.services import determination as determinations
from dualuse.services import duediligence as svc
from dualuse.services.documents import evidence as evidence_files
from dualuse.services.enforcement import visits as enforcement_visits

router = APIRouter(include_in_schema=False)
Sha256 = Annotated[str, Path(pattern="^[0-9a-f]{64}$", description="a file's SHA-256, hex")]
CONCLUSIONS = [
    (Conclusion.PROCEED, "Proceed"),
    (Conclusion.PROCEED_WITH_MITIGATION, "Proceed with mitigation"),
    (Conclusion.DO_NOT_PROCEED, "Do not proceed"),
    (Conclusion.NOTIFY_AUTHORITY, "Notify the authority (Art. 5(2))"),
]


def _errors(exc: DualUseError, default: str) -> list[dict[str, str]]:
    return [{"field": exc.field or default, "text": plain(exc.detail)}]


@router.get("/due-diligence", response_class=HTMLResponse)
def cases_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        cases = svc.cases_of(uow, principal)
    return render(
        request, "duediligence/cases.html", {"principal": principal, "cases": cases, "errors": [], "form": {}}
    )


@router.post("/due-diligence", response_class=HTMLResponse)
def open_case(
    request: Request,
    container: ContainerDep,
    principal: UserDep,
    title: Annotated[str, Form()] = "",
    destination: Annotated[str, Form()] = "",
    end_user_name: Annotated[str, Form()] = "",
    end_user_type: Annotated[str, Form()] = "unknown",
    item_description: Annotated[str, Form()] = "",
    control_code: Annotated[str, Form()] = "",
) -> Response:
    form = {
        "title": title,
        "destination": destination,
        "end_user_name": end_user_name,
        "end_user_type": end_user_type,
        "item_description": item_description,
        "control_code": control_code,
    }
    require(principal, Permission.ACT_FOR_EXPORTER)  # a refusal before the form's errors
    errors = FormErrors(default="title")
    required(
        errors,
        form,
        {
            "title": "Enter a title for the case, e.g. the customer and the product",
            "destination": "Enter the destination country",
            "end_user_name": "Enter the name of the end-user",
            "item_description": "Describe the item",
        },
    )
    if destination.strip():
        try:
            destination = resolve_country(destination, "destination")
        except DualUseError as exc:
            errors.add_exception(exc)
    if errors:
        context = {"principal": principal, "cases": [], "errors": errors.as_list(), "form": form}
        return render(request, "duediligence/cases.html", context, status_code=400)
    try:
        with container.uow() as uow:
            case_id = svc.open_case(
                uow,
                principal,
                container.red_flags,
                title=title,
                transaction={
                    "destination": destination,
                    "end_user": {"name": end_user_name, "type": end_user_type},
                    "item": {
                        "description": item_description,
                        "control_code": control_code or None,
                        "cyber_surveillance": True,
                    },
                },
                list_source=container.list_source(),
            )
    except DualUseError as exc:
        if refused(exc):
            raise
        context = {"principal": principal, "cases": [], "errors": _errors(exc, "title"), "form": form}
        return render(request, "duediligence/cases.html", context, status_code=400)
    return RedirectResponse(f"/due-diligence/{case_id}", status_code=303)


def _case_context(container: Any, uow: Any, principal: Any, case_id: int) -> dict[str, Any]:
    view = svc.get_case(uow, principal, container.red_flags, case_id)
    assert principal.member_state is not None  # noqa: S101 - exporters have a member state
    status = svc.export_status(view)
    determination: dict[str, Any] | None = None
    problem = None
    if status is svc.ExportStatus.DETERMINED:  # no export outcome before the conclusion
        facts = svc.case_facts(uow, view.case, principal.member_state)
        try:
            inputs = container.determination_inputs(uow, principal.organisation_id)
            determination = determinations.determine_case(inputs, facts).to_dict()
        except DualUseError as exc:
            problem = exc.detail
    return {
        "principal": principal,
        "view": view,
        "steps": STEPS,
        "conclusions": CONCLUSIONS,
        "export_status": status.value,
        "export_status_text": svc.EXPORT_STATUS_TEXT[status],
        "determination": determination,
        "determination_problem": problem,
        "errors": [],
    }


@router.get("/due-diligence/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        context = _case_context(container, uow, principal, case_id)
    return render(request, "duediligence/case.html", context)


@router.get("/due-diligence/{case_id}/steps/{step}", response_class=HTMLResponse)
def step_page(
    request: Request, case_id: RowId, step: Step, container: ContainerDep, principal: UserDep
) -> Response:
    screening_outcome = None
    with container.uow() as uow:
        view = svc.get_case(uow, principal, container.red_flags, case_id)
        profiles = svc.profiles_for(uow, view.case, principal) if step is Step.STAKEHOLDERS else []
    if step is Step.STAKEHOLDERS:
        end_user = view.case.transaction["end_user"]["name"]
        with container.uow() as uow:
            screening_outcome = screening.screen(
                uow, principal, container.screening_index, ScreeningQuery(name=end_user)
            )
    context = {
        "principal": principal,
        "view": view,
        "profiles": profiles,
        "screening": screening_outcome,
        "step": step,
        "flags": container.red_flags.for_step(step),
        "steps": STEPS,
        "errors": [],
    }
    return render(request, "duediligence/step.html", context)


@router.post("/due-diligence/{case_id}/steps/{step}", response_class=HTMLResponse)
async def save_step(
    request: Request, case_id: RowId, step: Step, container: ContainerDep, principal: UserDep
) -> Response:
    # F11: whose case this is is settled before the body (and any file in it) is read; another
    # organisation's case answers 404 as if it did not exist, and nothing is written.
    with container.uow() as uow:
        svc.get_case(uow, principal, container.red_flags, case_id)
    async with request.form() as form:
        return await _save_step(request, case_id, step, container, principal, form)


async def _save_step(
    request: Request, case_id: int, step: Step, container: Any, principal: Any, form: FormData
) -> Response:
    check_multipart_token(request, form, container.settings.secret_key)
    refuse_nul_in_form(form)
    flags = container.red_flags.for_step(step)
    answers = {
        f.id: (str(form.get(f"answer-{f.id}") or ""), str(form.get(f"note-{f.id}") or "")) for f in flags
    }
    evidence = [{"title": str(form.get("evidence_title") or ""), "url": str(form.get("evidence_url") or "")}]
    upload = form.get("evidence_file")
    kept = {
        "answers": dict(answers),
        "note": str(form.get("note") or ""),
        "evidence_title": evidence[0]["title"],
        "evidence_url": evidence[0]["url"],
    }
    errors = FormErrors(default=f"{flags[0].id}-yes" if flags else "note")
    for flag in flags:
        if answers[flag.id][0] not in ("yes", "no", "unknown"):
            errors.add(f"{flag.id}-yes", f"Answer yes, no or unknown: {flag.text}")
    if errors:
        with container.uow() as uow:
            view = svc.get_case(uow, principal, container.red_flags, case_id)
        context = {
            "principal": principal,
            "view": view,
            "step": step,
            "flags": flags,
            "steps": STEPS,
            "profiles": [],
            "screening": None,
            "errors": errors.as_list(),
            "kept": kept,
        }
        return render(request, "duediligence/step.html", context, status_code=400)
    try:
        checked: CheckedUpload | None = None
        if isinstance(upload, StarletteUploadFile) and upload.filename:
            checked = check_upload(upload.filename, await upload.read(MAX_BYTES + 1))
            evidence.append(checked.reference)
        with container.uow() as uow:
            # the file is kept in the database in the transaction that records its step: it exists exactly
            # when a recorded step refers to it, and every app process serving the database can hand it out
            if checked is not None:
                assert principal.organisation_id is not None  # noqa: S101 - a signed-in user has one
                evidence_files.keep_evidence(
                    uow.documents,
                    organisation_id=principal.organisation_id,
                    title=checked.title,
                    media_type=media_type_for(checked.suffix),
                    content=checked.content,
                    actor=principal.label,
                )
            svc.record_step(
                uow,
                principal,
                container.red_flags,
                case_id,
                step,
                answers=answers,
                note=str(form.get("note") or ""),
                evidence=evidence,
            )
            view = svc.get_case(uow, principal, container.red_flags, case_id)
    except BaseException as exc:
        if not isinstance(exc, DualUseError) or refused(exc):
            raise
        with container.uow() as uow:
            view = svc.get_case(uow, principal, container.red_flags, case_id)
        context = {
            "principal": principal,
            "view": view,
            "step": step,
            "flags": flags,
            "steps": STEPS,
            "profiles": [],
            "screening": None,
            "errors": _errors(exc, f"{flags[0].id}-yes" if flags else "note"),
            "kept": kept,
        }
        return render(request, "duediligence/step.html", context, status_code=400)
    target = (
        f"/due-diligence/{case_id}/steps/{view.next_step.value}"
        if view.next_step
        else f"/due-diligence/{case_id}"
    )
    return RedirectResponse(target, status_code=303)


@router.get("/due-diligence/{case_id}/evidence/{sha256}")
def evidence_file(case_id: RowId, sha256: Sha256, container: ContainerDep, principal: UserDep) -> Response:
    """An evidence file of one's own case, streamed from the document store (any app process serves it)."""
    with container.uow() as uow:
        view = svc.get_case(uow, principal, container.red_flags, case_id)
        document = evidence_files.evidence_of_case(
            uow.documents, view.case.organisation_id, view.entries, sha256
        )
        chunks = evidence_files.content_of(uow.documents, document)
    return StreamingResponse(
        chunks,
        media_type=document.media_type,
        headers={
            "Content-Length": str(document.size),
            "Content-Disposition": f'attachment; filename="{document.sha256}{_suffix(document.title)}"',
            "Cache-Control": "private, no-store",  # a confidential file: kept by no cache on the way
        },
    )


def _suffix(title: str) -> str:
    dot = title.rfind(".")
    suffix = title[dot:].lower() if dot >= 0 else ""
    return suffix if suffix in {".pdf", ".png", ".jpg", ".jpeg", ".txt"} else ""


@router.post("/due-diligence/{case_id}/conclusion", response_class=HTMLResponse)
def conclude(
    request: Request,
    case_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    conclusion: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    first = f"conclusion-{CONCLUSIONS[0][0].value}"
    errors = FormErrors(default=first, ids={"conclusion": first})
    if conclusion not in {c.value for c, _label in CONCLUSIONS}:
        errors.add(first, "Choose your conclusion")
    if not errors:
        try:
            with container.uow() as uow:
                svc.conclude(uow, principal, container.red_flags, case_id, conclusion, reason)
        except DualUseError as exc:
            if refused(exc):
                raise
            errors.add_exception(exc)
    if errors:
        with container.uow() as uow:
            context = _case_context(container, uow, principal, case_id)
        context["errors"] = errors.as_list()
        context["kept"] = {"conclusion": conclusion, "reason": reason}
        return render(request, "duediligence/case.html", context, status_code=400)
    return RedirectResponse(f"/due-diligence/{case_id}", status_code=303)


@router.post("/due-diligence/{case_id}/notify")
def notify(case_id: RowId, container: ContainerDep, principal: PrincipalDep) -> Response:
    with container.uow() as uow:
        svc.notify(
            uow,
            principal,
            container.red_flags,
            case_id,
            decision_working_days=container.settings.notification_decision_working_days,
        )
    return RedirectResponse(f"/due-diligence/{case_id}", status_code=303)


@router.post("/due-diligence/{case_id}/reopen", response_class=HTMLResponse)
def reopen(
    request: Request,
    case_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    reason: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    errors = FormErrors(default="reopen-reason", ids={"reason": "reopen-reason"})
    try:
        with container.uow() as uow:
            svc.reopen(uow, principal, container.red_flags, case_id, reason)
    except DualUseError as exc:
        if refused(exc):
            raise
        errors.add_exception(exc)
        with container.uow() as uow:
            context = _case_context(container, uow, principal, case_id)
        context["errors"] = errors.as_list()
        return render(request, "duediligence/case.html", context, status_code=400)
    return RedirectResponse(f"/due-diligence/{case_id}", status_code=303)


@router.get("/due-diligence/{case_id}/report.pdf")
def report(case_id: RowId, container: ContainerDep, principal: PrincipalDep) -> Response:
    with container.uow() as uow:
        view = svc.get_case(uow, principal, container.red_flags, case_id)
        pdf = case_report_pdf(view, container.red_flags)
        audit.record_download(uow, principal, "due_diligence_pdf", case_id, view.case.organisation_id)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="due-diligence-{case_id}.pdf"'},
    )


# --- the authority ---------------------------------------------------------------------------------
NOTIFICATIONS_PAGE = "/authority/notifications"


def _authority_page(
    request: Request,
    container: ContainerDep,
    principal: Any,
    errors: FormErrors | None = None,
    kept: dict[str, Any] | None = None,
) -> HTMLResponse:
    with container.uow() as uow:
        notifications = svc.notifications_for_authority(uow, principal)
        requirements = svc.requirements_for_authority(uow, principal)
        pending = svc.pending_submissions(uow, principal)
    context = {
        "principal": principal,
        "notifications": notifications,
        "requirements": requirements,
        "submissions": pending,
        "errors": errors.as_list() if errors else [],
        "kept": kept or {},
    }
    return render(request, "duediligence/authority.html", context, status_code=400 if errors else 200)


def _on_authority_page(
    request: Request,
    container: ContainerDep,
    principal: Any,
    errors: FormErrors,
    kept: dict[str, Any],
    action: Callable[[Any], object],
    after: str = NOTIFICATIONS_PAGE,
) -> Response:
    """Run one of the page's forms: what the officer left out or got wrong comes back beside its field,
    with what was entered; a refusal goes to the error pages."""
    if not errors:
        try:
            with container.uow() as uow:
                action(uow)
        except DualUseError as exc:
            if refused(exc) or isinstance(exc, ConflictError):  # another officer acted first: its own page
                raise
            errors.add_exception(exc)
    if errors:
        return _authority_page(request, container, principal, errors, kept)
    return RedirectResponse(after, status_code=303)


@router.get(NOTIFICATIONS_PAGE, response_class=HTMLResponse)
def authority_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    return _authority_page(request, container, principal)


@router.post(NOTIFICATIONS_PAGE + "/{notification_id}", response_class=HTMLResponse)
def decide(
    request: Request,
    notification_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    required: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    with container.uow() as uow:  # a refusal first: only the addressed authority sees the form again
        svc.get_notification(uow, principal, notification_id)
    first = f"required-{notification_id}-yes"
    errors = FormErrors(default=first, ids={"required": first, "reason": f"reason-{notification_id}"})
    if required not in ("yes", "no"):
        errors.add(first, "Choose whether an authorisation is required")
    if not reason.strip():
        errors.add(f"reason-{notification_id}", "Enter why")
    kept = {f"n{notification_id}": {"required": required, "reason": reason}}

    def act(uow: Any) -> object:
        return svc.decide_notification(
            uow,
            principal,
            notification_id,
            required=required == "yes",
            reason=reason,
            member_states=svc.authority_states(uow),
        )

    return _on_authority_page(request, container, principal, errors, kept, act)


@router.post("/authority/requirements/{requirement_id}", response_class=HTMLResponse)
def record_view(
    request: Request,
    requirement_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    view: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    first = f"view-{requirement_id}-agree"
    # no checks of its own: the service refuses whoever is not consulted before it reads the view
    errors = FormErrors(default=first, ids={"view": first, "reason": f"view-reason-{requirement_id}"})
    kept = {f"r{requirement_id}": {"view": view, "reason": reason}}
    return _on_authority_page(
        request,
        container,
        principal,
        errors,
        kept,
        lambda uow: svc.record_view(uow, principal, requirement_id, view, reason),
    )


@router.post("/authority/risk-profiles", response_class=HTMLResponse)
def add_profile(
    request: Request,
    container: ContainerDep,
    principal: PrincipalDep,
    subject_kind: Annotated[str, Form(max_length=20)] = "country",
    subject: Annotated[str, Form(max_length=400)] = "",
    level: Annotated[str, Form(max_length=20)] = "unknown",
    summary: Annotated[str, Form(max_length=20000)] = "",
    source_title: Annotated[str, Form(max_length=1000)] = "",
    source_url: Annotated[str, Form(max_length=2000)] = "",
    source_published: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    ids = {
        "subject": "rp-subject",
        "level": "rp-level",
        "summary": "rp-summary",
        "sources": "rp-source",
        "title": "rp-source",
        "url": "rp-url",
        "published": "rp-date",
        "subject_kind": "rp-subject_kind-country",
    }
    errors = FormErrors(default="rp-subject", ids=ids)
    if not subject.strip():
        errors.add("rp-subject", "Enter the country or the end-user's name")
    if not summary.strip():
        errors.add("rp-summary", "Enter a summary of the risk")
    if not source_title.strip():
        errors.add("rp-source", "Enter the source the profile rests on")
    kept = {
        "profile": {
            "subject_kind": subject_kind,
            "subject": subject,
            "level": level,
            "summary": summary,
            "source_title": source_title,
            "source_url": source_url,
            "source_published": source_published,
        }
    }

    def act(uow: Any) -> object:
        return svc.add_profile(
            uow,
            principal,
            subject_kind=subject_kind,
            subject=subject,
            level=level,
            summary=summary,
            sources=[{"title": source_title, "url": source_url, "published": source_published or None}],
        )

    return _on_authority_page(request, container, principal, errors, kept, act, after="/requirements")


@router.post("/authority/submissions/{submission_id}", response_class=HTMLResponse)
def moderate(
    request: Request,
    submission_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    accept: Annotated[str, Form(max_length=10)] = "",
    note: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    errors = FormErrors(default=f"accept-{submission_id}")
    return _on_authority_page(
        request,
        container,
        principal,
        errors,
        {},
        lambda uow: svc.moderate(uow, principal, submission_id, accept=accept == "yes", note=note),
    )


# --- public ----------------------------------------------------------------------------------------
@router.get("/requirements", response_class=HTMLResponse)
def published_page(request: Request, container: ContainerDep, principal: PrincipalDep) -> HTMLResponse:
    with container.uow() as uow:
        published = svc.published_requirements(uow)
        profiles = svc.profiles(uow)
    return render(
        request,
        "duediligence/published.html",
        {"principal": principal, "published": published, "profiles": profiles},
    )


@router.get("/submissions/new", response_class=HTMLResponse)
def submission_form(request: Request, principal: PrincipalDep) -> HTMLResponse:
    return render(
        request,
        "duediligence/submission.html",
        {"principal": principal, "errors": [], "form": {}, "done": None},
    )


@router.post("/submissions/new", response_class=HTMLResponse)
def submit(
    request: Request,
    container: ContainerDep,
    principal: PrincipalDep,
    organisation_name: Annotated[str, Form()] = "",
    contact_email: Annotated[str, Form()] = "",
    subject_kind: Annotated[str, Form()] = "end_user",
    subject: Annotated[str, Form()] = "",
    what_happened: Annotated[str, Form()] = "",
    sources: Annotated[str, Form()] = "",
    name_publicly: Annotated[str, Form()] = "",
) -> HTMLResponse:
    form = {
        "name_publicly": name_publicly,
        "organisation_name": organisation_name,
        "contact_email": contact_email,
        "subject_kind": subject_kind,
        "subject": subject,
        "what_happened": what_happened,
        "sources": sources,
    }
    errors = FormErrors(default="organisation_name", ids={"subject_kind": "kind-end_user"})
    required(
        errors,
        form,
        {
            "organisation_name": "Enter your organisation's name",
            "subject": "Enter the end-user or the country concerned",
            "what_happened": "Say what happened",
            "sources": "Give at least one source: a link or a reference",
        },
    )
    if errors:
        context = {"principal": principal, "errors": errors.as_list(), "form": form, "done": None}
        return render(request, "duediligence/submission.html", context, status_code=400)
    limit = container.access_policy.submissions_per_client
    try:
        with (
            limited(container, request, limit, refusal="too many reports from your network in the last hour"),
            container.uow() as uow,
        ):
            submission_id = svc.submit(
                uow,
                organisation_name=organisation_name,
                contact_email=contact_email,
                subject_kind=subject_kind,
                subject=subject,
                what_happened=what_happened,
                sources=sources.splitlines(),
                name_publicly=name_publicly == "yes",
            )
    except DualUseError as exc:
        if refused(exc):
            raise
        context = {
            "principal": principal,
            "errors": _errors(exc, "organisation_name"),
            "form": form,
            "done": None,
        }
        status_code = 429 if isinstance(exc, TooManyAttemptsError) else 400
        return render(request, "duediligence/submission.html", context, status_code=status_code)
    return render(
        request,
        "duediligence/submission.html",
        {"principal": principal, "errors": [], "form": {}, "done": submission_id},
    )


@router.get("/icp", response_class=HTMLResponse)
def icp_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    require(principal, Permission.ACT_FOR_EXPORTER)  # an exporter's own self-assessment
    assert principal.organisation_id is not None  # noqa: S101 - signed-in users belong to an organisation
    with container.uow() as uow:
        latest = svc.latest_icp(uow, principal, principal.organisation_id)
        # the findings of the authority's compliance visits, shown beside the ICP element each concerns
        visits = enforcement_visits.visits_of(uow, principal, principal.organisation_id)
    return render(
        request,
        "duediligence/icp.html",
        {
            "principal": principal,
            "elements": ICP_ELEMENTS,
            "levels": list(IcpLevel),
            "latest": latest,
            "errors": [],
            "visits": visits,
        },
    )


@router.post("/icp", response_class=HTMLResponse)
async def save_icp(request: Request, container: ContainerDep, principal: PrincipalDep) -> Response:
    async with request.form() as form:
        answers = {e.id: str(form.get(e.id) or "") for e in ICP_ELEMENTS}
    require(principal, Permission.ACT_FOR_EXPORTER)  # refusals before the form's errors (as the service)
    require(principal, Permission.MANAGE_USERS)
    levels = [level.value for level in IcpLevel]
    errors = FormErrors(default=f"{ICP_ELEMENTS[0].id}-{levels[0]}")
    for element in ICP_ELEMENTS:
        if answers[element.id] not in levels:
            errors.add(f"{element.id}-{levels[0]}", f"Choose how far this is in place: {element.title}")
    if errors:
        context = {
            "principal": principal,
            "elements": ICP_ELEMENTS,
            "levels": list(IcpLevel),
            "latest": None,
            "errors": errors.as_list(),
            "kept": answers,
        }
        return render(request, "duediligence/icp.html", context, status_code=400)
    try:
        with container.uow() as uow:
            svc.save_icp(uow, principal, answers)
    except DualUseError as exc:
        if refused(exc):
            raise
        context = {
            "principal": principal,
            "elements": ICP_ELEMENTS,
            "levels": list(IcpLevel),
            "latest": None,
            "errors": _errors(exc, f"{ICP_ELEMENTS[0].id}-{levels[0]}"),
            "kept": answers,
        }
        return render(request, "duediligence/icp.html", context, status_code=400)
    return RedirectResponse("/icp", status_code=303)
