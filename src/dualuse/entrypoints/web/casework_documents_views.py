"""Documents of the casework (issue 19, point 4): the exporter files supporting documents (contracts,
technical specifications) with its application; the exporter and the deciding authority download them; the
end-user statement template of the deciding state, blank (public) or with the application's particulars."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.datastructures import FormData
from starlette.datastructures import UploadFile as StarletteUploadFile

from dualuse.adapters.documents.uploads import MAX_BYTES, check_upload
from dualuse.domain.casework.supporting import SupportingKind
from dualuse.domain.documents import media_type_for
from dualuse.domain.errors import DualUseError, NotFoundError, ValidationError
from dualuse.domain.identity import Permission
from dualuse.domain.licensing import PartyRole
from dualuse.entrypoints.http.csrf import check_multipart_token
from dualuse.entrypoints.http.deps import ContainerDep, PrincipalDep, RowId, UserDep
from dualuse.entrypoints.http.limits import refuse_nul_in_form
from dualuse.entrypoints.report import statement_template_pdf
from dualuse.entrypoints.web.access import refused, require
from dualuse.entrypoints.web.forms import FormErrors
from dualuse.entrypoints.web.views import render
from dualuse.services import audit
from dualuse.services.casework import supporting

router = APIRouter(include_in_schema=False)
KINDS = [(k.value, k.label) for k in SupportingKind]
State = Annotated[str, Path(min_length=2, max_length=2, pattern="^[A-Za-z]{2}$")]


def _form_page(
    request: Request, principal: Any, stored: Any, errors: list[Any], kept: dict[str, str], status: int = 200
) -> HTMLResponse:
    context = {"principal": principal, "stored": stored, "kinds": KINDS, "errors": errors, "kept": kept}
    return render(request, "casework/document_new.html", context, status_code=status)


@router.get("/applications/{case_id}/documents/new", response_class=HTMLResponse)
def new_document(request: Request, case_id: RowId, container: ContainerDep, principal: UserDep) -> Response:
    """Upload a supporting document: one question per page, then back to the application."""
    require(principal, Permission.ACT_FOR_EXPORTER)
    with container.uow() as uow:
        stored = supporting.check_filer(uow, principal, case_id)
    return _form_page(request, principal, stored, [], {"kind": "", "title": ""})


@router.post("/applications/{case_id}/documents", response_class=HTMLResponse)
async def upload_document(
    request: Request, case_id: RowId, container: ContainerDep, principal: UserDep
) -> Response:
    # F11: whose application this is is settled before the body (and the file in it) is read
    require(principal, Permission.ACT_FOR_EXPORTER)
    with container.uow() as uow:
        stored = supporting.check_filer(uow, principal, case_id)
    async with request.form() as form:
        return await _upload(request, case_id, stored, container, principal, form)


async def _upload(
    request: Request, case_id: int, stored: Any, container: Any, principal: Any, form: FormData
) -> Response:
    check_multipart_token(request, form, container.settings.secret_key)
    refuse_nul_in_form(form)
    kind, title = str(form.get("kind") or ""), str(form.get("title") or "")
    kept = {"kind": kind, "title": title}
    errors = FormErrors(default="file", ids={"evidence_file": "file", "kind": f"kind-{KINDS[0][0]}"})
    if kind not in {k for k, _ in KINDS}:
        errors.add(f"kind-{KINDS[0][0]}", "Choose what kind of document this is")
    upload = form.get("file")
    if not isinstance(upload, StarletteUploadFile) or not upload.filename:
        errors.add("file", "Choose a file to upload")
    if errors or not isinstance(upload, StarletteUploadFile) or not upload.filename:
        return _form_page(request, principal, stored, errors.as_list(), kept, status=400)
    try:
        checked = check_upload(upload.filename, await upload.read(MAX_BYTES + 1))
        with container.uow() as uow:
            supporting.attach(
                uow,
                principal,
                case_id,
                kind=kind,
                title=title,
                file_name=checked.title,
                media_type=media_type_for(checked.suffix),
                content=checked.content,
            )
    except DualUseError as exc:
        if refused(exc):
            raise
        errors.add_exception(exc)
        return _form_page(request, principal, stored, errors.as_list(), kept, status=400)
    return RedirectResponse(f"/applications/{case_id}#documents", status_code=303)


@router.get("/applications/{case_id}/documents/{document_id}")
def download_document(
    case_id: RowId, document_id: RowId, container: ContainerDep, principal: PrincipalDep
) -> Response:
    """A supporting document, for the applicant and the deciding authority only."""
    with container.uow() as uow:
        entry, document, chunks = supporting.for_download(uow, principal, case_id, document_id)
    suffix = document.title[document.title.rfind(".") :].lower() if "." in document.title else ""
    safe = suffix if suffix in {".pdf", ".png", ".jpg", ".jpeg", ".txt"} else ""
    return StreamingResponse(
        chunks,
        media_type=document.media_type,
        headers={
            "Content-Length": str(document.size),
            "Content-Disposition": f'attachment; filename="application-{case_id}-document-{entry.id}{safe}"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


# --- end-user statement templates ----------------------------------------------------------------------
@router.get("/end-user-statements/{state}.pdf")
def statement_template(state: State, container: ContainerDep) -> Response:
    """The blank end-user statement of a member state (the EU model where it has none of its own)."""
    templates = container.statement_templates
    try:
        template = templates.for_state(state)
    except ValidationError:
        raise NotFoundError("no end-user statement for a country that is not a member state") from None
    fallback = "" if templates.own(state) else state.upper()
    pdf = statement_template_pdf(template, fallback_for=fallback if fallback != "EU" else "")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="end-user-statement-{state.upper()}.pdf"'},
    )


@router.get("/applications/{case_id}/end-user-statement.pdf")
def statement_for_application(case_id: RowId, container: ContainerDep, principal: PrincipalDep) -> Response:
    """The deciding state's end-user statement with the application's particulars filled in, for the
    exporter to send its end-user (and for the authority to see what was sent)."""
    templates = container.statement_templates
    with container.uow() as uow:
        stored = supporting.readable(uow, principal, case_id)
        exporter = uow.organisations.get(stored.organisation_id)
        audit.record_download(
            uow, principal, "end_user_statement_template", str(case_id), stored.organisation_id
        )
    application = stored.case.current_application
    end_users = application.parties_in_role(PartyRole.END_USER)
    names = {p.name for p in end_users}
    consignees = [p for p in application.parties_in_role(PartyRole.CONSIGNEE) if p.name not in names]
    filled = {
        "exporter": exporter.name if exporter else "",
        "end_user": "; ".join(f"{p.name} ({p.country})" for p in end_users),
        "consignee": "; ".join(f"{p.name} ({p.country})" for p in consignees),
        "items": "; ".join(
            f"{i.description}, {i.quantity} {i.unit}, EUR {i.value_eur}, {i.control_code}"
            for i in application.items
        ),
        "end_use": application.end_use,
    }
    template = templates.for_state(stored.member_state)
    pdf = statement_template_pdf(
        template,
        filled=filled,
        reference=f"application {case_id} ({stored.member_state})",
        fallback_for="" if templates.own(stored.member_state) else stored.member_state,
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="end-user-statement-{case_id}.pdf"'},
    )
