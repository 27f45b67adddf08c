"""Authority notices as records: the competent authority informs an exporter, broker or provider of technical
assistance that an authorisation is required (Reg. (EU) 2021/821 Art. 4(1), 5(1), 6(1), 7, 8(1)); the
notice binds that party's determinations (``services.determination``) until it is withdrawn. Both sides see
it: the authority the notices it issued, the party those it received.

One permission check (``_check_issuer``): an officer of a competent authority, for a party established in the
officer's own member state (Art. 13: the authority where the party is established decides)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

from dualuse.domain.errors import HiddenResourceError, NotFoundError, ValidationError
from dualuse.domain.identity import Organisation, OrganisationKind, Permission, Principal, authorize
from dualuse.domain.notices.model import AuthorityNotice, NoticeArticle, NoticeSubject
from dualuse.services import audit, disclosure
from dualuse.services.unit_of_work import UnitOfWork


def _check_issuer(uow: UnitOfWork, principal: Principal, organisation_id: int) -> Organisation:
    """The party, if ``principal`` may issue it a notice or withdraw one: an authority officer of the
    party's member state. Parties of other states, and other kinds of organisation, are not found."""
    organisation = uow.organisations.get(organisation_id)
    authorize(
        principal,
        Permission.ISSUE_NOTICE,
        member_state=organisation.member_state if organisation is not None else principal.member_state,
    )
    if principal.organisation_kind is not OrganisationKind.AUTHORITY or principal.member_state is None:
        raise NotFoundError("no such exporter, broker or provider in your member state")
    if organisation is None or organisation.kind is not OrganisationKind.EXPORTER:
        raise NotFoundError("no such exporter, broker or provider in your member state")
    if organisation.member_state != principal.member_state:
        raise HiddenResourceError("no such exporter, broker or provider in your member state")
    return organisation


def issue(
    uow: UnitOfWork,
    principal: Principal,
    *,
    organisation_id: int,
    article: NoticeArticle | str,
    scope: str,
    destination: str,
    end_user: str = "",
    item: str = "",
    control_code: str | None = None,
    reason: str,
    issued_on: date | None = None,
) -> int:
    """Issue a notice to a party of the officer's member state; it binds the party's determinations at once."""
    organisation = _check_issuer(uow, principal, organisation_id)
    try:
        chosen = NoticeArticle(article)
    except ValueError:
        allowed = ", ".join(f"Art. {a.value}" for a in NoticeArticle)
        raise ValidationError(f"{article!r} is not one of {allowed}", field="article") from None
    subject = NoticeSubject.of(
        scope, destination=destination, end_user=end_user, item=item, control_code=control_code
    )
    if not reason.strip():
        raise ValidationError("say why an authorisation is required", field="reason")
    assert principal.member_state is not None  # noqa: S101 - checked by _check_issuer
    notice_id = uow.notices.add(
        member_state=principal.member_state,
        organisation_id=organisation.id,
        article=chosen,
        subject=subject,
        reason=reason.strip(),
        issued_on=issued_on or uow.clock.today(),
        issued_by=principal.label,
    )
    audit.record(
        uow,
        actor=principal.label,
        action="authority_notice.issued",
        entity_type="authority_notice",
        entity_id=notice_id,
        after={
            "organisation_id": organisation.id,
            "article": chosen.value,
            "scope": subject.scope.value,
            "destination": subject.destination,
            "end_user": subject.end_user,
            "item": subject.item,
            "control_code": subject.control_code,
        },
        reason=reason.strip(),
    )
    uow.commit()
    return notice_id


def withdraw(uow: UnitOfWork, principal: Principal, notice_id: int, reason: str) -> None:
    """Withdraw a notice: from now on it no longer binds the party's determinations (the record stays).
    Who may is checked before the notice is looked up, and another state's notice is answered as a missing
    one, so that nobody learns which notices exist (F16)."""
    authorize(principal, Permission.ISSUE_NOTICE)
    notice = uow.notices.get(notice_id)
    if notice is None:
        raise NotFoundError("no such notice")
    if (
        principal.organisation_kind is not OrganisationKind.AUTHORITY
        or notice.member_state != principal.member_state
    ):
        raise HiddenResourceError("no such notice")  # another state's: answered as missing, audited (F8, F16)
    if not reason.strip():
        raise ValidationError("say why the notice is withdrawn", field="reason")
    uow.notices.withdraw(notice_id, on=uow.clock.today(), by=principal.label, reason=reason.strip())
    audit.record(
        uow,
        actor=principal.label,
        action="authority_notice.withdrawn",
        entity_type="authority_notice",
        entity_id=notice_id,
        before={"status": "in_force"},
        after={"status": "withdrawn"},
        reason=reason.strip(),
    )
    uow.commit()


def issued(uow: UnitOfWork, principal: Principal) -> Sequence[AuthorityNotice]:
    """The notices the principal's authority issued, newest first."""
    authorize(principal, Permission.ISSUE_NOTICE)
    if principal.organisation_kind is not OrganisationKind.AUTHORITY or principal.member_state is None:
        return []
    return uow.notices.issued_by_state(principal.member_state)


def received(uow: UnitOfWork, principal: Principal) -> Sequence[AuthorityNotice]:
    """The notices the principal's organisation received, in force or withdrawn, newest first."""
    authorize(principal, Permission.ACT_FOR_EXPORTER, organisation_id=principal.organisation_id)
    assert principal.organisation_id is not None  # noqa: S101 - exporters belong to an organisation
    # the party deals with its authority, not with the officer who issued the notice (F13)
    return [
        dataclasses.replace(n, issued_by=disclosure.authority_name(n.member_state))
        for n in uow.notices.received(principal.organisation_id)
    ]


def parties(uow: UnitOfWork, principal: Principal) -> list[Organisation]:
    """The exporters, brokers and providers the principal's authority may issue a notice to."""
    authorize(principal, Permission.ISSUE_NOTICE)
    return [
        o
        for o in uow.organisations.list()
        if o.kind is OrganisationKind.EXPORTER and o.member_state == principal.member_state
    ]
