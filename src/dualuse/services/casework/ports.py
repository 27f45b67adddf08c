"""The casework port: case files beside licensing cases (``adapters.db.casework_repo``, ``tests.fakes``)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from dualuse.domain.casework import CaseFile, EndUserStatement
from dualuse.domain.casework.supporting import SupportingDocument, SupportingKind
from dualuse.domain.casework.tracks import Track


@dataclass(frozen=True)
class PrecedentQuery:
    """Earlier decided cases of a state sharing a control code, a destination or the end-user."""

    member_state: str
    control_codes: Collection[str]
    destinations: Collection[str]
    party_names: Collection[str]  # as ``party_key`` writes them
    exclude_case: int
    limit: int = 5


def party_key(name: str) -> str:
    """A party's name as precedents compare it: case and spacing do not matter."""
    return " ".join(name.casefold().split())[:300]


class CaseworkRepository(Protocol):
    def file(self, case_id: int) -> CaseFile | None: ...
    def files(self, case_ids: Collection[int]) -> Mapping[int, CaseFile]: ...
    def add_file(self, file: CaseFile, party_names: Collection[str]) -> None:
        """Raises ``ConflictError`` when the case already has a file."""
        ...

    def save_file(self, file: CaseFile, *, expected_version: int) -> None:
        """Raises ``ConflictError`` when the stored file is no longer at ``expected_version``."""
        ...

    def note_status(self, case_id: int, status: str, at: datetime) -> None:
        """The case moved to ``status`` at ``at``: its clock restarts (nothing when it has no file yet or
        the status is the same)."""
        ...

    def open_case_ids(self, *, closed: Collection[str]) -> Sequence[int]:
        """The cases with a file whose status is not one of ``closed``."""
        ...

    def precedents(self, query: PrecedentQuery) -> Sequence[int]:
        """Ids of decided cases matching ``query``, newest first."""
        ...

    # digital end-user statements
    def add_statement(self, statement: EndUserStatement, token_hash: str) -> None:
        """Raises ``ConflictError`` when the number was taken meanwhile."""
        ...

    def statement(self, number: str) -> EndUserStatement | None: ...
    def statement_by_token(self, token_hash: str) -> EndUserStatement | None: ...
    def statements(self, case_id: int) -> Sequence[EndUserStatement]: ...
    def save_statement(self, statement: EndUserStatement, *, expected_version: int) -> None:
        """Raises ``ConflictError`` when the stored statement is no longer at ``expected_version``."""
        ...

    def statement_count(self, member_state: str, year: int) -> int:
        """How many statements the state numbered in ``year`` (the next number follows)."""
        ...

    # requests after the decision
    def add_track(self, build: Callable[[int], Track]) -> Track: ...
    def track(self, track_id: int) -> Track | None: ...
    def tracks(
        self, *, organisation_id: int | None = None, member_state: str | None = None
    ) -> Sequence[Track]:
        """Newest first."""
        ...

    def save_track(self, track: Track, *, expected_version: int) -> None:
        """Raises ``ConflictError`` when the stored track is no longer at ``expected_version``."""
        ...

    # supporting documents on applications (the bytes are in the document store)
    def add_supporting(
        self, *, case_id: int, document_id: int, kind: SupportingKind, title: str, uploaded_by: str
    ) -> SupportingDocument: ...
    def supporting(self, case_id: int) -> Sequence[SupportingDocument]:
        """Oldest first."""
        ...
