"""Evidence files in the document store, on fakes: one copy per owner, served only when the case refers to
it (issue #16)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from dualuse.domain.documents import DocumentKind, media_type_for
from dualuse.domain.duediligence import Step
from dualuse.domain.duediligence.records import CaseEntry
from dualuse.domain.errors import NotFoundError
from dualuse.services.documents.evidence import evidence_of_case, keep_evidence
from tests.fakes import FakeUnitOfWork

PDF = b"%PDF-1.4 end-user statement"


@pytest.mark.parametrize(
    ("suffix", "media_type"),
    [
        (".pdf", "application/pdf"),
        (".PNG", "image/png"),
        (".jpeg", "image/jpeg"),
        (".exe", "application/octet-stream"),
    ],
)
def test_media_types_come_from_the_checked_extension(suffix: str, media_type: str) -> None:
    assert media_type_for(suffix) == media_type


def test_the_same_file_is_kept_once_per_owner_and_read_back_in_chunks() -> None:
    uow = FakeUnitOfWork()
    with uow:
        first = keep_evidence(
            uow.documents,
            organisation_id=1,
            title="a.pdf",
            media_type="application/pdf",
            content=PDF,
            actor="x",
        )
        again = keep_evidence(
            uow.documents,
            organisation_id=1,
            title="b.pdf",
            media_type="application/pdf",
            content=PDF,
            actor="y",
        )
        other = keep_evidence(
            uow.documents,
            organisation_id=2,
            title="a.pdf",
            media_type="application/pdf",
            content=PDF,
            actor="z",
        )
        assert first == again
        assert other.id != first.id
        assert (first.sha256, first.size, first.kind) == (
            hashlib.sha256(PDF).hexdigest(),
            len(PDF),
            DocumentKind.EVIDENCE,
        )
        assert b"".join(uow.documents.chunks(first.id, size=5)) == PDF
        assert len(list(uow.documents.chunks(first.id, size=5))) == -(-len(PDF) // 5)


def _entry(evidence: list[dict[str, str]]) -> CaseEntry:
    return CaseEntry(1, 1, Step.CLASSIFICATION, {}, "", evidence, "x", datetime.now(UTC))


def test_a_file_is_served_only_through_a_case_that_refers_to_it() -> None:
    uow = FakeUnitOfWork()
    with uow:
        kept = keep_evidence(
            uow.documents,
            organisation_id=1,
            title="a.pdf",
            media_type="application/pdf",
            content=PDF,
            actor="x",
        )
        entries = [_entry([{"title": "a.pdf", "sha256": kept.sha256}])]
        assert evidence_of_case(uow.documents, 1, entries, kept.sha256) == kept
        with pytest.raises(NotFoundError):  # another case's (or a guessed) digest
            evidence_of_case(uow.documents, 1, [_entry([])], kept.sha256)
        with pytest.raises(NotFoundError):  # a digest referred to by a case of an organisation not holding it
            evidence_of_case(uow.documents, 2, entries, kept.sha256)
