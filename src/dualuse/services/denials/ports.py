"""The denials port (``adapters.db.denials_repo``, ``tests.fakes``): denial notifications, the notices
sent to each recipient, and consultations between authorities."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from dualuse.domain.denials import Consultation, Denial, DenialStatus

COMMISSION = "EU"
"""The recipient code of the Commission in the notices table (member states use their ISO code)."""


class NoticeKind(StrEnum):
    """What a notice tells its recipients."""

    DENIAL = "denial"  # Art. 16(1): a denial (or annulment, suspension, limitation, revocation)
    REVIEW = "review"  # Art. 16(2) [M]: a denial confirmed or withdrawn at review
    GRANTED_DESPITE_DENIAL = "granted_despite_denial"  # Art. 16(5) [M]: granted after consultation


@dataclass(frozen=True)
class DenialNotice:
    """One notice to one recipient (a member state's authority, or ``COMMISSION``)."""

    id: int
    kind: NoticeKind
    denial_id: int
    sender_state: str
    recipient: str
    case_id: int | None
    subject: str
    reasons: str
    created_at: datetime


@dataclass(frozen=True)
class DenialQuery:
    statuses: Collection[DenialStatus] | None = None
    issuing_state: str | None = None
    destination: str | None = None
    case_id: int | None = None


class DenialRepository(Protocol):
    def add_denial(self, build: Callable[[int], Denial], *, case_id: int | None) -> Denial: ...
    def denial(self, denial_id: int) -> Denial | None: ...
    def denials(self, query: DenialQuery) -> Sequence[Denial]:
        """Denials matching ``query``, newest first."""
        ...

    def save_denial(self, denial: Denial, *, expected_version: int) -> None:
        """Raises ``ConflictError`` when the stored denial is no longer at ``expected_version``."""
        ...

    def add_notices(
        self,
        *,
        kind: NoticeKind,
        denial_id: int,
        sender_state: str,
        recipients: Sequence[str],
        subject: str,
        reasons: str,
        case_id: int | None = None,
    ) -> None: ...
    def notices(
        self, *, recipient: str | None = None, denial_id: int | None = None
    ) -> Sequence[DenialNotice]:
        """Notices to ``recipient`` or about ``denial_id``, newest first."""
        ...

    def add_consultation(self, build: Callable[[int], Consultation]) -> Consultation: ...
    def consultation(self, consultation_id: int) -> Consultation | None: ...
    def consultations(
        self,
        *,
        consulting_state: str | None = None,
        consulted_state: str | None = None,
        case_id: int | None = None,
    ) -> Sequence[Consultation]:
        """Consultations matching every given filter, newest first."""
        ...

    def save_consultation(self, consultation: Consultation, *, expected_version: int) -> None:
        """Raises ``ConflictError`` when the stored consultation is no longer at ``expected_version``."""
        ...
