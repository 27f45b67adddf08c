"""A list change's life up to the close of its comments, on the in-memory unit of work (issue #16): the
Commission opens its draft for comment, a comment is received and published once, a move made from a stale
version is refused, and a draft is hidden from those who do not manage it (Art. 17(1); F16)."""

from __future__ import annotations

from datetime import date

import pytest

from dualuse.domain.errors import ConflictError, NotFoundError
from dualuse.domain.identity import OrganisationKind, Principal, Role
from dualuse.domain.listchange import ListChange, ListChangeStatus, ModerationStatus
from dualuse.services.listchange import comments, drafting
from tests.fakes import FakeUnitOfWork

TODAY = date(2027, 3, 1)


def test_a_draft_is_opened_commented_moderated_and_closed() -> None:
    uow = FakeUnitOfWork()
    commission = uow.organisations.add(OrganisationKind.COMMISSION, "Commission", None, None)
    acme = uow.organisations.add(OrganisationKind.EXPORTER, "Acme", "DE", None)
    desk = Principal.for_user(1, "desk@eu", Role.COMMISSION, commission)
    exporter = Principal.for_user(2, "a@acme", Role.EXPORTER_ADMIN, acme)
    change = uow.list_changes.add(
        ListChange(
            id=0,
            proposer="EU",
            title="Amendment",
            rationale="why",
            version_id="2027-06",
            body="remove: []\n",
            content="",
            proposed_effective_from=date(2027, 6, 1),
            created_by=desk.label,
        )
    )
    uow.commit()

    with pytest.raises(NotFoundError):  # a draft is hidden from the public
        drafting.visible(uow, exporter, change.id)
    assert drafting.public_changes(uow) == []

    opened = drafting.open_for_comment(
        uow, desk, change.id, comment_period_end=date(2027, 4, 1), expected_version=1, today=TODAY
    )
    assert (opened.status, opened.version) == (ListChangeStatus.OPEN_FOR_COMMENT, 2)
    assert [s.change.id for s in drafting.public_changes(uow)] == [change.id]
    with pytest.raises(ConflictError):  # made from the version before the opening
        drafting.withdraw(uow, desk, change.id, reason="stale", expected_version=1, today=TODAY)
    with pytest.raises(ConflictError):  # a writer that read version 1 cannot overwrite version 2
        uow.list_changes.save(change, expected_version=1)
    uow.rollback()

    comment_id = comments.submit_comment(
        uow,
        exporter,
        change.id,
        author_name=" A. Person ",
        organisation_name="Acme",
        organisation_type="industry",
        text="Too broad.",
        today=TODAY,
    )
    assert comments.published_comments(uow, exporter, change.id) == []  # waits for moderation
    published = comments.moderate_comment(uow, desk, change.id, comment_id, action="publish")
    assert (published.status, published.moderated_by, published.author_name) == (
        ModerationStatus.PUBLISHED,
        desk.label,
        "A. Person",
    )
    assert [c.id for c in comments.published_comments(uow, exporter, change.id)] == [comment_id]
    with pytest.raises(ConflictError):  # moderated once
        comments.moderate_comment(uow, desk, change.id, comment_id, action="reject", reason="late")
    uow.rollback()

    closed = drafting.close_comments(uow, desk, change.id, expected_version=2, today=date(2027, 4, 2))
    stored = uow.list_changes.get(change.id)
    assert stored is not None
    assert (stored.change, closed.status) == (closed, ListChangeStatus.COMMENTS_CLOSED)
    actions = [e.action for e in uow.audit.all() if e.entity_type.startswith("list_change")]
    assert actions == [
        "list_change.open_for_comment",
        "list_change.comment_received",
        "list_change.comment_published",
        "list_change.close_comments",
    ]
    with pytest.raises(ConflictError):  # no comment once the period is closed
        comments.submit_comment(
            uow,
            exporter,
            change.id,
            author_name="B",
            organisation_name="NGO",
            organisation_type="civil_society",
            text="Late",
            today=date(2027, 4, 2),
        )
