"""A change to the control list from draft to entry into force: who proposes it, its statuses and the legal
moves between them, and the public's comments on it.

The Commission amends Annex I by delegated act (Art. 17(1)); a member state adopts national measures on
non-listed items (Art. 9(1)) and informs the Commission and the other member states of them (Art. 9(2), (3)).
Before either is adopted, the draft is published for comment (a consultation the platform offers; the
regulation does not prescribe it). The moves are data (``TRANSITIONS``); ``move`` interprets the table and
refuses anything else. Every move increments the change's version (optimistic locking).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from dualuse.domain.errors import ConflictError, ValidationError
from dualuse.domain.union import EU_MEMBER_STATES

__all__ = [
    "COMMENT_MODERATION",
    "COMMISSION",
    "LEGAL_BASES",
    "TRANSITIONS",
    "Comment",
    "CommentAction",
    "LegalBasis",
    "ListChange",
    "ListChangeAction",
    "ListChangeEvent",
    "ListChangeStatus",
    "ModerationStatus",
    "OrganisationType",
    "Transition",
    "check_comment",
    "check_proposer",
    "legal_basis_for",
    "moderate",
    "move",
]

COMMISSION = "EU"
"""The proposer of a Union amendment of Annex I; a member state proposes under its ISO code."""


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """The article a list change rests on, with its source and whether we checked it in the text."""

    article: str
    text: str
    source: str
    verified: bool


LEGAL_BASES: Mapping[str, LegalBasis] = MappingProxyType(
    {
        COMMISSION: LegalBasis(
            "Art. 17(1)",
            "The Commission amends the list of dual-use items in Annex I by delegated act.",
            "shared/reference/regulation.md: 'Arts 17-20 [M]' (from memory, not checked in the text)",
            verified=False,
        ),
        "national": LegalBasis(
            "Art. 9(1)",
            "A member state may prohibit or require an authorisation for the export of items not listed in "
            "Annex I for reasons of public security or human rights; it informs the Commission and the other "
            "member states without delay (Art. 9(2)), as it does of every change (Art. 9(3)).",
            "shared/reference/regulation-articles.md Art 9 (DE text) [V]",
            verified=True,
        ),
    }
)


def legal_basis_for(proposer: str) -> LegalBasis:
    """The basis of a change by ``proposer``: Art. 17(1) for the Commission, Art. 9(1) for a member state."""
    return LEGAL_BASES[COMMISSION if proposer == COMMISSION else "national"]


def check_proposer(proposer: str) -> str:
    """``EU`` (the Commission) or a member state's ISO code."""
    value = proposer.strip().upper()
    if value != COMMISSION and value not in EU_MEMBER_STATES:
        raise ValidationError(
            f"{proposer!r} is neither the Commission (EU) nor a member state", field="proposer"
        )
    return value


class ListChangeStatus(StrEnum):
    DRAFT = "draft"
    OPEN_FOR_COMMENT = "open_for_comment"
    COMMENTS_CLOSED = "comments_closed"
    ADOPTED = "adopted"
    IN_FORCE = "in_force"
    WITHDRAWN = "withdrawn"


class ListChangeAction(StrEnum):
    OPEN_FOR_COMMENT = "open_for_comment"
    CLOSE_COMMENTS = "close_comments"
    ADOPT = "adopt"
    ENTER_INTO_FORCE = "enter_into_force"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class ListChange:
    """A proposed change to the list: the amendment (in the amendment file format), why and on what basis,
    and where it stands. ``effective_from`` and ``adopted_on`` are set at adoption."""

    id: int
    proposer: str
    title: str
    rationale: str
    version_id: str
    body: str
    content: str
    proposed_effective_from: date
    status: ListChangeStatus = ListChangeStatus.DRAFT
    version: int = 1
    comment_period_end: date | None = None
    adopted_on: date | None = None
    effective_from: date | None = None
    withdrawal_reason: str | None = None
    created_by: str = ""

    @property
    def is_national(self) -> bool:
        """A member state's measure (Art. 9), not a Union amendment of Annex I."""
        return self.proposer != COMMISSION

    @property
    def legal_basis(self) -> LegalBasis:
        return legal_basis_for(self.proposer)

    def open_for_comments_on(self, day: date) -> bool:
        """Whether the public may comment on ``day``: open, and the period not yet ended."""
        return (
            self.status is ListChangeStatus.OPEN_FOR_COMMENT
            and self.comment_period_end is not None
            and day <= self.comment_period_end
        )


@dataclass(frozen=True)
class ListChangeEvent:
    """A move, for the audit trail."""

    name: str
    change_id: int
    action: ListChangeAction
    before: ListChangeStatus
    after: ListChangeStatus
    version: int


Guard = Callable[[ListChange, date], None]


def _period_in_future(change: ListChange, today: date) -> None:
    if change.comment_period_end is None or change.comment_period_end <= today:
        raise ValidationError("the comment period must end after today", field="comment_period_end")


def _period_over(change: ListChange, today: date) -> None:
    assert change.comment_period_end is not None  # noqa: S101 - set when the change was opened
    if today <= change.comment_period_end:
        raise ConflictError(
            f"the comment period runs until {change.comment_period_end.isoformat()}; "
            "comments close after it ends"
        )


def _effective_not_before_adoption(change: ListChange, today: date) -> None:
    if change.adopted_on is None or change.effective_from is None:
        raise ValidationError("give the date it takes effect", field="effective_from")
    if change.adopted_on != today:
        raise ValidationError("a change is adopted today", field="adopted_on")
    if change.effective_from < change.adopted_on:
        raise ValidationError(
            "the effective date cannot be before the date of adoption", field="effective_from"
        )


def _effective_date_reached(change: ListChange, today: date) -> None:
    assert change.effective_from is not None  # noqa: S101 - set at adoption
    if today < change.effective_from:
        raise ConflictError(f"it takes effect on {change.effective_from.isoformat()}, not before")


@dataclass(frozen=True)
class Transition:
    source: ListChangeStatus
    action: ListChangeAction
    target: ListChangeStatus
    event: str
    guard: Guard | None = None


S, A = ListChangeStatus, ListChangeAction
_ROWS: tuple[Transition, ...] = (
    Transition(S.DRAFT, A.OPEN_FOR_COMMENT, S.OPEN_FOR_COMMENT, "ListChangeOpened", _period_in_future),
    Transition(S.OPEN_FOR_COMMENT, A.CLOSE_COMMENTS, S.COMMENTS_CLOSED, "CommentsClosed", _period_over),
    Transition(S.COMMENTS_CLOSED, A.ADOPT, S.ADOPTED, "ListChangeAdopted", _effective_not_before_adoption),
    Transition(S.ADOPTED, A.ENTER_INTO_FORCE, S.IN_FORCE, "ListChangeInForce", _effective_date_reached),
    Transition(S.DRAFT, A.WITHDRAW, S.WITHDRAWN, "ListChangeWithdrawn"),
    Transition(S.OPEN_FOR_COMMENT, A.WITHDRAW, S.WITHDRAWN, "ListChangeWithdrawn"),
    Transition(S.COMMENTS_CLOSED, A.WITHDRAW, S.WITHDRAWN, "ListChangeWithdrawn"),
)

TRANSITIONS: Mapping[tuple[ListChangeStatus, ListChangeAction], Transition] = MappingProxyType(
    {(row.source, row.action): row for row in _ROWS}
)
"""Every legal (status, action) pair of a list change; anything else is refused."""


def move(
    change: ListChange,
    action: ListChangeAction | str,
    today: date,
    *,
    expected_version: int | None = None,
    **updates: object,
) -> tuple[ListChange, ListChangeEvent]:
    """Apply ``action`` as ``TRANSITIONS`` allows, with ``updates`` (the period end, the dates of adoption)
    set on the change before the guard checks it; returns the new change and its event.

    ``ConflictError`` for a pair not in the table or a stale ``expected_version``."""
    try:
        action = ListChangeAction(action)
    except ValueError:
        raise ValidationError(f"unknown action {action!r}", field="action") from None
    if expected_version is not None and expected_version != change.version:
        raise ConflictError(
            f"the list change is at version {change.version}, not {expected_version}; "
            "someone changed it since you loaded it"
        )
    row = TRANSITIONS.get((change.status, action))
    if row is None:
        raise ConflictError(
            f"a list change that is {change.status.value.replace('_', ' ')} cannot be given "
            f"'{action.value.replace('_', ' ')}'"
        )
    staged = replace(change, **updates) if updates else change  # type: ignore[arg-type]
    if row.guard is not None:
        row.guard(staged, today)
    after = replace(staged, status=row.target, version=change.version + 1)
    return after, ListChangeEvent(row.event, change.id, action, change.status, row.target, after.version)


# --- comments -------------------------------------------------------------------------------------------
class OrganisationType(StrEnum):
    INDUSTRY = "industry"
    CIVIL_SOCIETY = "civil_society"
    AUTHORITY = "authority"
    OTHER = "other"


class ModerationStatus(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"


class CommentAction(StrEnum):
    PUBLISH = "publish"
    REJECT = "reject"


COMMENT_MODERATION: Mapping[tuple[ModerationStatus, CommentAction], ModerationStatus] = MappingProxyType(
    {
        (ModerationStatus.PENDING, CommentAction.PUBLISH): ModerationStatus.PUBLISHED,
        (ModerationStatus.PENDING, CommentAction.REJECT): ModerationStatus.REJECTED,
    }
)
"""A comment is moderated once: published or rejected (with a reason)."""

COMMENT_MAX_LENGTH = 5000


@dataclass(frozen=True)
class Comment:
    """A comment on a draft from the public, shown once the proposer publishes it."""

    id: int
    change_id: int
    author_name: str
    organisation_name: str
    organisation_type: OrganisationType
    text: str
    status: ModerationStatus = ModerationStatus.PENDING
    rejection_reason: str | None = None
    moderated_by: str | None = None


def check_comment(author_name: str, organisation_type: str, text: str) -> OrganisationType:
    """The checks of a comment: a name, a kind of organisation, and text of a sensible length."""
    if not author_name.strip():
        raise ValidationError("enter your name or your organisation's name", field="author_name")
    try:
        kind = OrganisationType(organisation_type)
    except ValueError:
        raise ValidationError(
            "say whether you comment for industry, civil society, an authority or other",
            field="organisation_type",
        ) from None
    if not text.strip():
        raise ValidationError("enter your comment", field="text")
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(f"a comment has at most {COMMENT_MAX_LENGTH} characters", field="text")
    return kind


def moderate(comment: Comment, action: CommentAction | str, *, by: str, reason: str = "") -> Comment:
    """Publish or reject a pending comment; a rejection says why (the reason is kept, not published)."""
    try:
        action = CommentAction(action)
    except ValueError:
        raise ValidationError(f"unknown moderation {action!r}", field="action") from None
    target = COMMENT_MODERATION.get((comment.status, action))
    if target is None:
        raise ConflictError("this comment has already been moderated")
    if target is ModerationStatus.REJECTED and not reason.strip():
        raise ValidationError("say why the comment is rejected", field="reason")
    return replace(
        comment,
        status=target,
        rejection_reason=reason.strip() or None if target is ModerationStatus.REJECTED else None,
        moderated_by=by,
    )
