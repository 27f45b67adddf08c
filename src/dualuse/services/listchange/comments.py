"""The public's comments on a change open for comment: anyone may send one, with a name and the kind of
organisation they speak for; the proposer reads it and publishes or rejects it (with a reason, kept but not
published). Only published comments are shown to the public."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from dualuse.domain.errors import ConflictError, NotFoundError
from dualuse.domain.identity import Principal
from dualuse.domain.listchange import Comment, ModerationStatus, check_comment, moderate
from dualuse.services import audit
from dualuse.services.clock import today_in_brussels
from dualuse.services.listchange.drafting import managed, visible
from dualuse.services.unit_of_work import UnitOfWork

NAME_MAX = 200


def submit_comment(
    uow: UnitOfWork,
    principal: Principal,
    change_id: int,
    *,
    author_name: str,
    organisation_name: str,
    organisation_type: str,
    text: str,
    today: date | None = None,
) -> int:
    """A comment on a change open for comment; it waits for moderation before it is shown."""
    stored = visible(uow, principal, change_id)
    kind = check_comment(author_name, organisation_type, text)
    day = today or today_in_brussels()
    if not stored.change.open_for_comments_on(day):
        raise ConflictError("this change is not open for comments")
    comment_id = uow.list_changes.add_comment(
        change_id=change_id,
        author_name=author_name.strip()[:NAME_MAX],
        organisation_name=organisation_name.strip()[:NAME_MAX],
        organisation_type=kind,
        text=text.strip(),
    )
    audit.record(
        uow,
        actor=principal.label,
        action="list_change.comment_received",
        entity_type="list_change_comment",
        entity_id=comment_id,
        after={"list_change": change_id, "organisation_type": kind.value},
    )
    uow.commit()
    return comment_id


def published_comments(uow: UnitOfWork, principal: Principal, change_id: int) -> Sequence[Comment]:
    """The comments the proposer published, oldest first."""
    visible(uow, principal, change_id)
    return uow.list_changes.comments(change_id, status=ModerationStatus.PUBLISHED)


def all_comments(uow: UnitOfWork, principal: Principal, change_id: int) -> Sequence[Comment]:
    """Every comment, pending and rejected too, for the proposer."""
    managed(uow, principal, change_id)
    return uow.list_changes.comments(change_id)


def moderate_comment(
    uow: UnitOfWork,
    principal: Principal,
    change_id: int,
    comment_id: int,
    *,
    action: str,
    reason: str = "",
) -> Comment:
    """The proposer publishes or rejects a pending comment on its change."""
    managed(uow, principal, change_id)
    comment = uow.list_changes.comment(comment_id)
    if comment is None or comment.change_id != change_id:
        raise NotFoundError("no such comment")
    moderated = moderate(comment, action, by=principal.label, reason=reason)
    uow.list_changes.save_comment(moderated)
    audit.record(
        uow,
        actor=principal.label,
        action=f"list_change.comment_{moderated.status.value}",
        entity_type="list_change_comment",
        entity_id=comment_id,
        before={"status": comment.status.value},
        after={"status": moderated.status.value},
        reason=moderated.rejection_reason,
    )
    uow.commit()
    return moderated
