"""Documents in the database (issue #16): evidence files of versions before migration 0014, kept in an upload
folder, are copied into the document store by `dualuse documents import-uploads` under the organisation whose
case refers to them; a file whose bytes no longer match its digest is reported and not copied; running it
again copies nothing twice. A large file streams back in chunks, whole. SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from dualuse.adapters.db import tables as t
from dualuse.bootstrap import Container
from dualuse.domain.documents import DocumentKind
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.cli.main import app as cli
from dualuse.services import duediligence
from tests.factories import make_organisation, make_person

runner = CliRunner()
GOOD = b"%PDF-1.4 a datasheet kept on disk by an older version"
DAMAGED = b"%PDF-1.4 a file that changed on disk"


def _old_style_entry(container: Container, case_id: int, content: bytes, name_digest: str) -> None:
    with container.uow() as uow:
        uow.duediligence.add_entry(
            case_id=case_id,
            step="classification",
            answers={},
            note="before 0014",
            evidence=[
                {
                    "title": "sheet.pdf",
                    "file": f"{name_digest}.pdf",
                    "sha256": name_digest,
                    "bytes": str(len(content)),
                }
            ],
            by="old",
        )
        uow.commit()


def test_old_upload_folders_are_copied_into_the_database(
    container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    admin = make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
    with container.uow() as uow:
        case_id = duediligence.open_case(
            uow,
            admin.principal,
            container.red_flags,
            title="Old case",
            transaction={"destination": "EG", "end_user": {"name": "x"}, "item": {"description": "x"}},
        )
    good = hashlib.sha256(GOOD).hexdigest()
    damaged = hashlib.sha256(DAMAGED).hexdigest()
    missing = hashlib.sha256(b"never on this machine").hexdigest()
    for digest, content in ((good, GOOD), (damaged, DAMAGED), (missing, b"")):
        _old_style_entry(container, case_id, content, digest)
    folder = tmp_path / "old-uploads"
    folder.mkdir()
    (folder / f"{good}.pdf").write_bytes(GOOD)
    (folder / f"{damaged}.pdf").write_bytes(DAMAGED + b" (edited)")
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)

    first = runner.invoke(cli, ["documents", "import-uploads", "--folder", str(folder)])
    assert first.exit_code == 0, first.output
    said = " ".join(first.output.split())
    assert "1 file(s) copied into the database, 0 already there, 1 not in" in said
    assert "1 whose content no longer matches its digest" in said
    assert f"not copied (damaged): {damaged}.pdf" in said
    with container.uow() as uow:
        kept = uow.documents.find(acme.id, good)
        assert kept is not None
        assert (kept.kind, kept.media_type, kept.size) == (
            DocumentKind.EVIDENCE,
            "application/pdf",
            len(GOOD),
        )
        assert b"".join(uow.documents.chunks(kept.id)) == GOOD
        assert uow.documents.find(acme.id, damaged) is None
    again = runner.invoke(cli, ["documents", "import-uploads", "--folder", str(folder)])
    assert "0 file(s) copied into the database, 1 already there" in " ".join(again.output.split())
    with container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.documents)).scalar_one() == 1


def test_a_large_document_streams_back_whole_in_chunks(container: Container) -> None:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    content = bytes(range(256)) * (3 * 1024 + 7)  # 786 KB of every byte value, not a multiple of the chunk
    with container.uow() as uow:
        kept = uow.documents.put(
            owner_organisation_id=acme.id,
            kind=DocumentKind.GENERATED_PDF,
            title="big.pdf",
            media_type="application/pdf",
            content=content,
            created_by="test",
        )
        uow.commit()
    with container.uow() as uow:
        chunks = list(uow.documents.chunks(kept.id, size=256 * 1024))
    assert [len(c) for c in chunks] == [256 * 1024] * 3 + [len(content) - 3 * 256 * 1024]
    assert b"".join(chunks) == content
