"""Supporting documents on applications as use cases (issue 19, point 4): the exporter files a contract,
a technical specification or another paper with its application; the file is checked before (type and
size, ``adapters.documents.uploads``) and kept in the document store in the transaction that records it on
the case. Only the exporter whose application it is and the authority that decides it see the list and the
files (not the Commission, not another state: Art. 16(6) gives the Commission the denials, not the file)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dualuse.domain import licensing as lic
from dualuse.domain.casework.supporting import SupportingDocument, supporting_kind, supporting_title
from dualuse.domain.documents import Document, DocumentKind
from dualuse.domain.errors import ConflictError, NotFoundError, PermissionDeniedError
from dualuse.domain.identity import OrganisationKind, Permission, Principal, authorize
from dualuse.services import audit
from dualuse.services.licensing import NO_CASE
from dualuse.services.unit_of_work import StoredCase, UnitOfWork

ENTITY = "application_document"
NO_DOCUMENT = "no such document on this application"
# an application that is decided or withdrawn takes no more papers (an appeal brings its own grounds)
_CLOSED = frozenset({lic.ApplicationStatus.DECIDED, lic.ApplicationStatus.WITHDRAWN})


def _own_case(uow: UnitOfWork, principal: Principal, case_id: int) -> StoredCase:
    authorize(principal, Permission.ACT_FOR_EXPORTER)  # refused before the case is looked up (F16)
    if principal.organisation_kind is not OrganisationKind.EXPORTER:
        raise PermissionDeniedError("only the applicant files supporting documents")
    stored = uow.licensing.case(case_id)
    if stored is None:
        raise NotFoundError(NO_CASE)
    authorize(
        principal, Permission.ACT_FOR_EXPORTER, organisation_id=stored.organisation_id, not_found=NO_CASE
    )
    return stored


def _readable_case(uow: UnitOfWork, principal: Principal, case_id: int) -> StoredCase:
    """The case, if ``principal`` is its exporter or the authority of the state that decides it."""
    kind = principal.organisation_kind
    if kind is OrganisationKind.EXPORTER:
        return _own_case(uow, principal, case_id)
    if kind is not OrganisationKind.AUTHORITY:
        if not principal.is_authenticated:
            raise PermissionDeniedError("sign in to see an application's documents")
        raise PermissionDeniedError("only the applicant and the deciding authority see these documents")
    authorize(principal, Permission.ASSESS_CASE)
    stored = uow.licensing.case(case_id)
    if stored is None:
        raise NotFoundError(NO_CASE)
    authorize(principal, Permission.ASSESS_CASE, member_state=stored.member_state, not_found=NO_CASE)
    if stored.submitted_at is None:
        raise NotFoundError(NO_CASE)  # a draft is the exporter's alone
    return stored


def check_filer(uow: UnitOfWork, principal: Principal, case_id: int) -> StoredCase:
    """The exporter's own application that still takes documents (checked before an upload is read, F11)."""
    stored = _own_case(uow, principal, case_id)
    if stored.case.status in _CLOSED:
        raise ConflictError(f"an application that is {stored.case.status.value} takes no more documents")
    return stored


def attach(
    uow: UnitOfWork,
    principal: Principal,
    case_id: int,
    *,
    kind: str,
    title: str,
    file_name: str,
    media_type: str,
    content: bytes,
) -> SupportingDocument:
    """File a checked document with the exporter's own open application (one transaction: the bytes are
    kept exactly when the case records them)."""
    stored = check_filer(uow, principal, case_id)
    parsed = supporting_kind(kind)
    named = supporting_title(title, file_name)
    document = uow.documents.put(
        owner_organisation_id=stored.organisation_id,
        kind=DocumentKind.EVIDENCE,
        title=file_name,
        media_type=media_type,
        content=content,
        created_by=principal.label,
    )
    entry = uow.casework.add_supporting(
        case_id=case_id, document_id=document.id, kind=parsed, title=named, uploaded_by=principal.label
    )
    audit.record(
        uow,
        actor=principal.label,
        action=f"{ENTITY}.SupportingDocumentFiled",
        entity_type=ENTITY,
        entity_id=entry.id,
        after={"case_id": case_id, "kind": parsed.value, "sha256": document.sha256, "bytes": document.size},
    )
    uow.commit()
    return entry


def readable(uow: UnitOfWork, principal: Principal, case_id: int) -> StoredCase:
    """The case, for its exporter or the authority that decides it; anyone else is refused."""
    return _readable_case(uow, principal, case_id)


def listing(uow: UnitOfWork, principal: Principal, case_id: int) -> Sequence[SupportingDocument]:
    """The supporting documents of a case, oldest first."""
    _readable_case(uow, principal, case_id)
    return uow.casework.supporting(case_id)


def for_download(
    uow: UnitOfWork, principal: Principal, case_id: int, entry_id: int
) -> tuple[SupportingDocument, Document, Iterator[bytes]]:
    """One supporting document and its bytes in chunks; the download is audited."""
    stored = _readable_case(uow, principal, case_id)
    entry = next((s for s in uow.casework.supporting(case_id) if s.id == entry_id), None)
    document = uow.documents.find(stored.organisation_id, entry.sha256) if entry else None
    if entry is None or document is None:
        raise NotFoundError(NO_DOCUMENT)
    audit.record_download(uow, principal, ENTITY, str(entry.id), stored.organisation_id)
    return entry, document, uow.documents.chunks(document.id)
