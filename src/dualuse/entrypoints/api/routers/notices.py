"""Authority notices over HTTP: the competent authority informs a party that an authorisation is required
(Reg. (EU) 2021/821 Art. 4(1), 5(1), 6(1), 7, 8(1)); the party sees the notices it received."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from dualuse.domain.identity import OrganisationKind
from dualuse.domain.notices.model import AuthorityNotice
from dualuse.entrypoints.api.schemas.notices import NoticeIn, NoticeOut, WithdrawalIn
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.http.deps import RowId, UowDep, UserDep
from dualuse.services import notices as svc

router = APIRouter(prefix="/api/v1", tags=["authority notices"], responses=API_ERRORS)


def notice_out(notice: AuthorityNotice) -> dict[str, Any]:
    subject = notice.subject
    return {
        "id": notice.id,
        "number": notice.number,
        "member_state": notice.member_state,
        "organisation_id": notice.organisation_id,
        "organisation_name": notice.organisation_name,
        "article": notice.article.value,
        "legal_basis": notice.article.legal_basis,
        "scope": subject.scope.value,
        "destination": subject.destination,
        "end_user": subject.end_user,
        "item": subject.item,
        "control_code": subject.control_code,
        "about": subject.words,
        "reason": notice.reason,
        "issued_on": notice.issued_on.isoformat(),
        "issued_by": notice.issued_by,
        "status": notice.status.value,
        "withdrawn_on": notice.withdrawn_on.isoformat() if notice.withdrawn_on else None,
        "withdrawal_reason": notice.withdrawal_reason,
    }


@router.post(
    "/authority-notices",
    response_model=NoticeOut,
    status_code=201,
    summary="Issue a notice that an authorisation is required (authority officers, for parties of their state)",
)
def issue(body: NoticeIn, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    notice_id = svc.issue(
        uow,
        principal,
        organisation_id=body.organisation_id,
        article=body.article,
        scope=body.scope,
        destination=body.destination,
        end_user=body.end_user,
        item=body.item,
        control_code=body.control_code,
        reason=body.reason,
    )
    found = next(n for n in svc.issued(uow, principal) if n.id == notice_id)
    return notice_out(found)


@router.get(
    "/authority-notices",
    response_model=list[NoticeOut],
    summary="Notices: those the authority issued (authorities), or those the organisation received (exporters)",
)
def list_notices(principal: UserDep, uow: UowDep) -> list[dict[str, Any]]:
    if principal.organisation_kind is OrganisationKind.AUTHORITY:
        return [notice_out(n) for n in svc.issued(uow, principal)]
    return [notice_out(n) for n in svc.received(uow, principal)]


@router.post(
    "/authority-notices/{notice_id}/withdrawal",
    response_model=NoticeOut,
    summary="Withdraw a notice: it no longer binds the party's determinations",
)
def withdraw(notice_id: RowId, body: WithdrawalIn, principal: UserDep, uow: UowDep) -> dict[str, Any]:
    svc.withdraw(uow, principal, notice_id, body.reason)
    found = next(n for n in svc.issued(uow, principal) if n.id == notice_id)
    return notice_out(found)
