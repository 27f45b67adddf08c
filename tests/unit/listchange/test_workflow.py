"""The statuses of a list change and the legal moves between them (the table), and the moderation of
comments."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from dualuse.domain.errors import ConflictError, ValidationError
from dualuse.domain.listchange import (
    TRANSITIONS,
    Comment,
    ListChange,
    ListChangeAction,
    ListChangeStatus,
    ModerationStatus,
    OrganisationType,
    check_comment,
    check_proposer,
    legal_basis_for,
    moderate,
    move,
)

S, A = ListChangeStatus, ListChangeAction
TODAY = date(2027, 3, 1)


def change(status: ListChangeStatus = S.DRAFT, **over: object) -> ListChange:
    base = ListChange(
        id=1,
        proposer="EU",
        title="t",
        rationale="r",
        version_id="2027-06",
        body="remove: []\n",
        content="",
        proposed_effective_from=date(2027, 6, 1),
        status=status,
    )
    return replace(base, **over)  # type: ignore[arg-type]


# (status, action) → the status reached, or None where the table refuses
TABLE = [
    (S.DRAFT, A.OPEN_FOR_COMMENT, S.OPEN_FOR_COMMENT),
    (S.DRAFT, A.CLOSE_COMMENTS, None),
    (S.DRAFT, A.ADOPT, None),
    (S.DRAFT, A.WITHDRAW, S.WITHDRAWN),
    (S.OPEN_FOR_COMMENT, A.CLOSE_COMMENTS, S.COMMENTS_CLOSED),
    (S.OPEN_FOR_COMMENT, A.ADOPT, None),  # comments close before adoption
    (S.OPEN_FOR_COMMENT, A.WITHDRAW, S.WITHDRAWN),
    (S.COMMENTS_CLOSED, A.ADOPT, S.ADOPTED),
    (S.COMMENTS_CLOSED, A.WITHDRAW, S.WITHDRAWN),
    (S.ADOPTED, A.ENTER_INTO_FORCE, S.IN_FORCE),
    (S.ADOPTED, A.WITHDRAW, None),  # an adopted act is not withdrawn here
    (S.IN_FORCE, A.WITHDRAW, None),
    (S.WITHDRAWN, A.OPEN_FOR_COMMENT, None),
]


def test_the_table_holds_exactly_the_moves_listed() -> None:
    allowed = {(s, a): t for s, a, t in TABLE if t is not None}
    assert {k: v.target for k, v in TRANSITIONS.items()} == allowed


@pytest.mark.parametrize(("status", "action", "target"), TABLE)
def test_each_move(
    status: ListChangeStatus, action: ListChangeAction, target: ListChangeStatus | None
) -> None:
    fields: dict[str, object] = {
        "comment_period_end": TODAY - timedelta(days=1) if status is S.OPEN_FOR_COMMENT else None,
        "adopted_on": TODAY - timedelta(days=5) if status is S.ADOPTED else None,
        "effective_from": TODAY if status is S.ADOPTED else None,
    }
    updates: dict[str, object] = {}
    if action is A.OPEN_FOR_COMMENT:
        updates = {"comment_period_end": TODAY + timedelta(days=30)}
    if action is A.ADOPT:
        updates = {"adopted_on": TODAY, "effective_from": TODAY}
    before = change(status, **fields)
    if target is None:
        with pytest.raises(ConflictError):
            move(before, action, TODAY, **updates)
        return
    after, event = move(before, action, TODAY, **updates)
    assert after.status is target
    assert after.version == before.version + 1
    assert (event.before, event.after) == (status, target)


def test_a_comment_period_ends_after_today() -> None:
    with pytest.raises(ValidationError):
        move(change(), A.OPEN_FOR_COMMENT, TODAY, comment_period_end=TODAY)


def test_comments_close_only_after_the_period() -> None:
    opened = change(S.OPEN_FOR_COMMENT, comment_period_end=TODAY)
    with pytest.raises(ConflictError):
        move(opened, A.CLOSE_COMMENTS, TODAY)
    assert move(opened, A.CLOSE_COMMENTS, TODAY + timedelta(days=1))[0].status is S.COMMENTS_CLOSED


def test_the_effective_date_is_not_before_adoption() -> None:
    closed = change(S.COMMENTS_CLOSED)
    with pytest.raises(ValidationError, match="before the date of adoption"):
        move(closed, A.ADOPT, TODAY, adopted_on=TODAY, effective_from=TODAY - timedelta(days=1))
    later = move(closed, A.ADOPT, TODAY, adopted_on=TODAY, effective_from=TODAY + timedelta(days=20))[0]
    assert later.effective_from == TODAY + timedelta(days=20)
    with pytest.raises(ConflictError):  # not in force before its date
        move(later, A.ENTER_INTO_FORCE, TODAY)


def test_a_stale_version_is_refused() -> None:
    with pytest.raises(ConflictError, match="version"):
        move(change(version=3), A.WITHDRAW, TODAY, expected_version=2)


def test_legal_bases() -> None:
    assert legal_basis_for("EU").article == "Art. 17(1)"
    assert not legal_basis_for("EU").verified  # only from memory in the team's notes
    assert legal_basis_for("DE").article == "Art. 9(1)"
    assert legal_basis_for("DE").verified
    assert check_proposer(" de ") == "DE"
    with pytest.raises(ValidationError):
        check_proposer("UK")


def test_comments_are_moderated_once() -> None:
    comment = Comment(1, 1, "Jo", "NGO", OrganisationType.CIVIL_SOCIETY, "text")
    published = moderate(comment, "publish", by="desk")
    assert published.status is ModerationStatus.PUBLISHED
    with pytest.raises(ConflictError):
        moderate(published, "reject", by="desk", reason="late")
    with pytest.raises(ValidationError):
        moderate(comment, "reject", by="desk")
    rejected = moderate(comment, "reject", by="desk", reason="spam")
    assert (rejected.status, rejected.rejection_reason) == (ModerationStatus.REJECTED, "spam")


@pytest.mark.parametrize(
    ("name", "kind", "text", "field"),
    [
        ("", "industry", "x", "author_name"),
        ("Jo", "press", "x", "organisation_type"),
        ("Jo", "other", " ", "text"),
        ("Jo", "other", "x" * 5001, "text"),
    ],
)
def test_a_comment_needs_a_name_a_kind_and_text(name: str, kind: str, text: str, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_comment(name, kind, text)
    assert refused.value.field == field
