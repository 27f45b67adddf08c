"""The list-change port (``adapters.db.listchange_repo``): drafts, their comments, the impact stored with the
adoption, and the notifications sent when a change enters into force."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from dualuse.domain.listchange import (
    Comment,
    ListChange,
    ListChangeStatus,
    ModerationStatus,
    OrganisationType,
)


@dataclass(frozen=True)
class StoredListChange:
    """A list change as stored, with the impact report stored at adoption and who was notified."""

    change: ListChange
    impact: Mapping[str, Any] | None
    notified: Sequence[Mapping[str, Any]]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ListChangeNotice:
    """An in-app notification to an organisation that a list change touching it entered into force."""

    id: int
    change_id: int
    organisation_id: int
    audience: str  # exporter, authority or commission
    subject: str
    body: str
    created_at: datetime
    read_at: datetime | None


class ListChangeRepository(Protocol):
    def add(self, change: ListChange) -> ListChange:
        """Store a new change (its ``id`` is the one given back)."""
        ...

    def get(self, change_id: int) -> StoredListChange | None: ...
    def list(self, *, statuses: Sequence[ListChangeStatus] | None = None) -> Sequence[StoredListChange]: ...
    def save(
        self,
        change: ListChange,
        *,
        expected_version: int,
        impact: Mapping[str, Any] | None = None,
        notified: Sequence[Mapping[str, Any]] | None = None,
    ) -> None:
        """Write the change; ``ConflictError`` when the stored version is no longer ``expected_version``.
        ``impact`` and ``notified`` are written when given."""
        ...

    def add_comment(
        self,
        *,
        change_id: int,
        author_name: str,
        organisation_name: str,
        organisation_type: OrganisationType,
        text: str,
    ) -> int: ...
    def comment(self, comment_id: int) -> Comment | None: ...
    def comments(self, change_id: int, *, status: ModerationStatus | None = None) -> Sequence[Comment]: ...
    def save_comment(self, comment: Comment) -> None:
        """Write a moderation; ``ConflictError`` if the comment was moderated meanwhile."""
        ...

    def add_notice(
        self, *, change_id: int, organisation_id: int, audience: str, subject: str, body: str
    ) -> int: ...
    def notices(self, organisation_id: int) -> Sequence[ListChangeNotice]: ...
    def mark_read(self, organisation_id: int, notice_id: int) -> bool: ...
