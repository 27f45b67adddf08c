"""Drafting a list change and moving it to the public: the Commission drafts amendments of Annex I
(Art. 17(1)); a competent authority drafts its own state's national measures (Art. 9(1)). A draft is
opened for public comment until a date, its comments are closed after it, or it is withdrawn.

Drafts are seen only by those who may manage them; from the moment a change is opened, it is public."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from dualuse.domain.controllist.versions import ListDiff
from dualuse.domain.errors import (
    DualUseError,
    HiddenResourceError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from dualuse.domain.identity import OrganisationKind, Permission, Principal, authorize
from dualuse.domain.listchange import (
    COMMISSION,
    ChangedCode,
    ListChange,
    ListChangeAction,
    ListChangeStatus,
    amendment_text,
    changed_codes,
    check_body,
    check_version_id,
    move,
)
from dualuse.services import audit
from dualuse.services.clock import today_in_brussels
from dualuse.services.controllist import ControlListCatalogue, current_history
from dualuse.services.listchange.ports import StoredListChange
from dualuse.services.unit_of_work import UnitOfWork

NOT_FOUND = "no such list change"
PUBLIC_STATUSES = (
    ListChangeStatus.OPEN_FOR_COMMENT,
    ListChangeStatus.COMMENTS_CLOSED,
    ListChangeStatus.ADOPTED,
    ListChangeStatus.IN_FORCE,
    ListChangeStatus.WITHDRAWN,
)
TITLE_MAX = 300
RATIONALE_MAX = 10_000
BODY_MAX = 200_000


def proposer_of(principal: Principal) -> str:
    """Who the principal drafts for: the Commission (``EU``), or its own member state's authority;
    anyone else is refused."""
    if principal.organisation_kind is OrganisationKind.COMMISSION:
        authorize(principal, Permission.AMEND_CONTROL_LIST)
        return COMMISSION
    if principal.organisation_kind is OrganisationKind.AUTHORITY and principal.member_state:
        authorize(principal, Permission.ASSESS_CASE)
        return principal.member_state
    if not principal.is_authenticated:
        raise PermissionDeniedError("sign in to do this")
    raise PermissionDeniedError(
        "only the Commission drafts amendments of the list, and a competent authority its state's national measures"
    )


def may_manage(principal: Principal, change: ListChange) -> bool:
    """Whether the principal manages the change: the Commission its amendments, an authority its state's
    measures."""
    try:
        return proposer_of(principal) == change.proposer
    except PermissionDeniedError:
        return False


def _managed(uow: UnitOfWork, principal: Principal, change_id: int) -> StoredListChange:
    """The change, for one who manages it; a draft is answered as missing to everyone else (F16), a public
    change is refused."""
    stored = uow.list_changes.get(change_id)
    if stored is None:
        raise NotFoundError(NOT_FOUND)
    if not may_manage(principal, stored.change):
        if stored.change.status is ListChangeStatus.DRAFT:
            raise HiddenResourceError(NOT_FOUND)
        proposer_of(principal)  # refuses with the reason why, for someone who manages none
        raise PermissionDeniedError("only the proposer manages this list change")
    return stored


def managed(uow: UnitOfWork, principal: Principal, change_id: int) -> StoredListChange:
    """A change the principal manages (its draft, comments to moderate, impact and adoption)."""
    return _managed(uow, principal, change_id)


def visible(uow: UnitOfWork, principal: Principal, change_id: int) -> StoredListChange:
    """A change the principal may read: any that is public, and its own drafts."""
    stored = uow.list_changes.get(change_id)
    if stored is None or (
        stored.change.status is ListChangeStatus.DRAFT and not may_manage(principal, stored.change)
    ):
        raise NotFoundError(NOT_FOUND)
    return stored


def public_changes(uow: UnitOfWork) -> Sequence[StoredListChange]:
    """Every change the public sees, newest first."""
    return uow.list_changes.list(statuses=PUBLIC_STATUSES)


def managed_changes(uow: UnitOfWork, principal: Principal) -> Sequence[StoredListChange]:
    """The changes the principal's organisation proposes, drafts included, newest first."""
    proposer = proposer_of(principal)
    return [s for s in uow.list_changes.list() if s.change.proposer == proposer]


def _check_text(value: str, field: str, message: str, limit: int) -> str:
    if not value.strip():
        raise ValidationError(message, field=field)
    if len(value) > limit:
        raise ValidationError(f"at most {limit} characters", field=field)
    return value.strip()


def draft(
    uow: UnitOfWork,
    principal: Principal,
    catalogue: ControlListCatalogue,
    *,
    title: str,
    rationale: str,
    version_id: str,
    proposed_effective_from: date,
    body: str,
) -> ListChange:
    """Record a draft change: its amendment (``add``/``change``/``remove`` in the amendment file format)
    must apply to the list as it stands, which is checked now so that a draft that cannot be adopted is
    refused at once."""
    proposer = proposer_of(principal)
    title = _check_text(title, "title", "give the change a title", TITLE_MAX)
    rationale = _check_text(rationale, "rationale", "explain why the list should change", RATIONALE_MAX)
    version_id = check_version_id(version_id)
    if len(body) > BODY_MAX:
        raise ValidationError(f"at most {BODY_MAX} characters", field="body")
    body = check_body(body)
    change = ListChange(
        id=0,
        proposer=proposer,
        title=title,
        rationale=rationale,
        version_id=version_id,
        body=body,
        content="",
        proposed_effective_from=proposed_effective_from,
        created_by=principal.label,
    )
    change = with_effective_date(change, proposed_effective_from)
    preview(uow, catalogue, change, strict=True)
    stored = uow.list_changes.add(change)
    audit.record(
        uow,
        actor=principal.label,
        action="list_change.drafted",
        entity_type="list_change",
        entity_id=stored.id,
        after={"proposer": proposer, "title": title, "version_id": version_id},
        reason=stored.legal_basis.article,
    )
    uow.commit()
    return stored


def with_effective_date(change: ListChange, effective_from: date) -> ListChange:
    """The change with its amendment file dated ``effective_from`` (the version block rewritten)."""
    content = amendment_text(
        version_id=change.version_id,
        title=change.title,
        legal_source=_legal_source(change),
        effective_from=effective_from,
        body=change.body,
    )
    return replace(change, content=content)


def _legal_source(change: ListChange) -> str:
    basis = change.legal_basis
    who = "Commission delegated act" if not change.is_national else f"National measure of {change.proposer}"
    return f"{who} (Reg. (EU) 2021/821 {basis.article}): {change.title}"


def filename(change: ListChange) -> str:
    return f"list-change-{change.id or 'draft'}.yaml"


@dataclass(frozen=True)
class Preview:
    """What the change does to the list as it stands: the diff and the changed codes, or the problem that
    keeps it from applying (the list moved on since it was drafted)."""

    diff: ListDiff | None
    changed: tuple[ChangedCode, ...]
    problem: str | None = None


def preview(
    uow: UnitOfWork, catalogue: ControlListCatalogue, change: ListChange, *, strict: bool = False
) -> Preview:
    """The change applied to the latest list version. Its date is moved after the latest version's where
    needed: what the change does does not depend on it. Once imported (adopted), the diff is read from the
    history. ``strict`` raises ``ValidationError`` where the amendment does not apply."""
    history = current_history(uow, catalogue)
    ids = [v.id for v in history.versions]
    if change.version_id in ids and change.status in (ListChangeStatus.ADOPTED, ListChangeStatus.IN_FORCE):
        index = ids.index(change.version_id)
        if index > 0:
            diff = history.diff(ids[index - 1], change.version_id)
            return Preview(diff, changed_codes(diff))
    latest = history.latest
    day = max(change.proposed_effective_from, latest.version.effective_from + timedelta(days=1))
    text = with_effective_date(change, day).content
    try:
        amendment = catalogue.parse_amendment(text, filename(change))
        amended = history.apply(amendment)
    except DualUseError as exc:  # the YAML reader's ImportFailedError, the list's AmendmentError
        if strict:
            raise ValidationError(exc.detail, field="body") from exc
        return Preview(None, (), exc.detail)
    diff = amended.diff(latest.version_id, change.version_id)
    return Preview(diff, changed_codes(diff))


def open_for_comment(
    uow: UnitOfWork,
    principal: Principal,
    change_id: int,
    *,
    comment_period_end: date,
    expected_version: int | None = None,
    today: date | None = None,
) -> ListChange:
    """Publish the draft and invite comments until ``comment_period_end`` (after today)."""
    stored = _managed(uow, principal, change_id)
    return _move(
        uow,
        principal,
        stored,
        ListChangeAction.OPEN_FOR_COMMENT,
        today or today_in_brussels(),
        expected_version,
        comment_period_end=comment_period_end,
    )


def close_comments(
    uow: UnitOfWork,
    principal: Principal,
    change_id: int,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> ListChange:
    """Close the comment period once it has ended."""
    stored = _managed(uow, principal, change_id)
    return _move(
        uow,
        principal,
        stored,
        ListChangeAction.CLOSE_COMMENTS,
        today or today_in_brussels(),
        expected_version,
    )


def withdraw(
    uow: UnitOfWork,
    principal: Principal,
    change_id: int,
    *,
    reason: str,
    expected_version: int | None = None,
    today: date | None = None,
) -> ListChange:
    """Withdraw a change not yet adopted, saying why (the reason is public with the change)."""
    stored = _managed(uow, principal, change_id)
    if not reason.strip():
        raise ValidationError("say why the change is withdrawn", field="reason")
    return _move(
        uow,
        principal,
        stored,
        ListChangeAction.WITHDRAW,
        today or today_in_brussels(),
        expected_version,
        withdrawal_reason=reason.strip()[:2000],
    )


def _move(
    uow: UnitOfWork,
    principal: Principal,
    stored: StoredListChange,
    action: ListChangeAction,
    today: date,
    expected_version: int | None,
    **updates: object,
) -> ListChange:
    before = stored.change
    after, event = move(before, action, today, expected_version=expected_version, **updates)
    uow.list_changes.save(after, expected_version=before.version)
    audit.record(
        uow,
        actor=principal.label,
        action=f"list_change.{event.action.value}",
        entity_type="list_change",
        entity_id=before.id,
        before={"status": before.status.value, "version": before.version},
        after={"status": after.status.value, "version": after.version, **_dates(after)},
        reason=after.withdrawal_reason if action is ListChangeAction.WITHDRAW else None,
    )
    uow.commit()
    return after


def _dates(change: ListChange) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in ("comment_period_end", "adopted_on", "effective_from"):
        value = getattr(change, name)
        if value is not None:
            out[name] = value.isoformat()
    return out
