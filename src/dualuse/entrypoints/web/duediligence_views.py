"""Due-diligence pages: the exporter's guided case (one step per page), the authority's notifications and the
Art. 5(4)–(6) exchange, risk profiles, the public submission form, and the ICP self-assessment."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.datastructures import FormData
from starlette.datastructures import UploadFile as StarletteUploadFile

from dualuse.adapters.documents.uploads import MAX_BYTES, CheckedUpload, check_upload
from dualuse.domain.documents import media_type_for
from dualuse.domain.duediligence import STEPS, Conclusion, Step
from dualuse.domain.duediligence.icp import ICP_ELEMENTS, IcpLevel
from dualuse.domain.errors import DualUseError, TooManyAttemptsError
from dualuse.domain.identity import Permission
from dualuse.domain.screening.model import ScreeningQuery
from dualuse.entrypoints.http.csrf import check_multipart_token
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, RowId, UserDep, limited
from dualuse.entrypoints.http.limits import refuse_nul_in_form
from dualuse.entrypoints.report import case_report_pdf
from dualuse.entrypoints.web.access import refused, require
from dualuse.entrypoints.web.views import render
from dualuse.services import audit, screening
from dualuse.services import determination as determinations
from dualuse.services import duediligence as svc
from dualuse.services.documents import evidence as evidence_files

router = APIRouter(include_in_schema=False)
Sha256 = Annotated[str, Path(pattern="^[0-9a-f]{64}$", description="a file's SHA-256, hex")]
CONCLUSIONS = [
    (Conclusion.PROCEED, "Proceed"),
    (Conclusion.PROCEED_WITH_MITIGATION, "Proceed with mitigation"),
    (Conclusion.DO_NOT_PROCEED, "Do not proceed"),
    (Conclusion.NOTIFY_AUTHORITY, "Notify the authority (Art. 5(2))"),
]


def _errors(exc: DualUseError, default: str) -> list[dict[str, str]]:
    return [{"field": exc.field or default, "text": exc.detail}]


@router.get("/due-diligence", response_class=HTMLResponse)
def cases_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        assert principal.organisation_id is not None  # noqa: S101 - signed-in users belong to an organisation
        cases = (
            uow.duediligence.cases(principal.organisation_id)
            if "act_for_exporter" in principal.permissions
            else []
        )
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
            "errors": _errors(exc, f"answer-{flags[0].id}" if flags else "note"),
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
        chunks = uow.documents.chunks(document.id)
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
    try:
        with container.uow() as uow:
            svc.conclude(uow, principal, container.red_flags, case_id, conclusion, reason)
    except DualUseError as exc:
        if refused(exc):
            raise
        with container.uow() as uow:
            context = _case_context(container, uow, principal, case_id)
        context["errors"] = _errors(exc, "conclusion")
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


@router.post("/due-diligence/{case_id}/reopen")
def reopen(
    case_id: RowId, container: ContainerDep, principal: PrincipalDep, reason: Annotated[str, Form()] = ""
) -> Response:
    with container.uow() as uow:
        svc.reopen(uow, principal, container.red_flags, case_id, reason)
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
@router.get("/authority/notifications", response_class=HTMLResponse)
def authority_page(request: Request, container: ContainerDep, principal: UserDep) -> Response:
    with container.uow() as uow:
        notifications = svc.notifications_for_authority(uow, principal)
        requirements = svc.requirements_for_authority(uow, principal)
        pending = svc.pending_submissions(uow, principal)
    context = {
        "principal": principal,
        "notifications": notifications,
        "requirements": requirements,
        "submissions": pending,
    }
    return render(request, "duediligence/authority.html", context)


@router.post("/authority/notifications/{notification_id}")
def decide(
    notification_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    required: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    with container.uow() as uow:
        svc.decide_notification(
            uow,
            principal,
            notification_id,
            required=required == "yes",
            reason=reason,
            member_states=svc.authority_states(uow),
        )
    return RedirectResponse("/authority/notifications", status_code=303)


@router.post("/authority/requirements/{requirement_id}")
def record_view(
    requirement_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    view: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    with container.uow() as uow:
        svc.record_view(uow, principal, requirement_id, view, reason)
    return RedirectResponse("/authority/notifications", status_code=303)


@router.post("/authority/risk-profiles")
def add_profile(
    container: ContainerDep,
    principal: PrincipalDep,
    subject_kind: Annotated[str, Form()] = "country",
    subject: Annotated[str, Form()] = "",
    level: Annotated[str, Form()] = "unknown",
    summary: Annotated[str, Form()] = "",
    source_title: Annotated[str, Form()] = "",
    source_url: Annotated[str, Form()] = "",
    source_published: Annotated[str, Form()] = "",
) -> Response:
    with container.uow() as uow:
        svc.add_profile(
            uow,
            principal,
            subject_kind=subject_kind,
            subject=subject,
            level=level,
            summary=summary,
            sources=[{"title": source_title, "url": source_url, "published": source_published or None}],
        )
    return RedirectResponse("/requirements", status_code=303)


@router.post("/authority/submissions/{submission_id}")
def moderate(
    submission_id: RowId,
    container: ContainerDep,
    principal: PrincipalDep,
    accept: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    with container.uow() as uow:
        svc.moderate(uow, principal, submission_id, accept=accept == "yes", note=note)
    return RedirectResponse("/authority/notifications", status_code=303)


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
    return render(
        request,
        "duediligence/icp.html",
        {
            "principal": principal,
            "elements": ICP_ELEMENTS,
            "levels": list(IcpLevel),
            "latest": latest,
            "errors": [],
        },
    )


@router.post("/icp", response_class=HTMLResponse)
async def save_icp(request: Request, container: ContainerDep, principal: PrincipalDep) -> Response:
    async with request.form() as form:
        answers = {e.id: str(form.get(e.id) or "") for e in ICP_ELEMENTS}
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
            "errors": _errors(exc, ICP_ELEMENTS[0].id),
        }
        return render(request, "duediligence/icp.html", context, status_code=400)
    return RedirectResponse("/icp", status_code=303)
