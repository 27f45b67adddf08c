"""The handbook and the licence check read the same rules: a general authorisation's destinations edited in
a copy of the rules (``DUALUSE_RULES_DIR``) change both at once, with no change of the code; editions are
recorded and the next one says what changed; the PDF is rendered by WeasyPrint; the CLI writes it."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dualuse.adapters.db import migrate
from dualuse.adapters.handbook_editions import FileEditionStore
from dualuse.adapters.sources.rulebook import shipped_rules_dir
from dualuse.bootstrap import Container, bootstrap, edition_store, handbook_sources
from dualuse.config import Environment, Settings
from dualuse.domain.rules import Outcome
from dualuse.entrypoints.http.app import create_app
from dualuse.services import handbook
from dualuse.services.clock import today_in_brussels
from dualuse.services.determination import determine_case

OUTPUT = Path(os.environ.get("DUALUSE_TEST_OUTPUT", "test-output")) / "handbook"
SECRET = "test-secret-key-" + "x" * 32
EU002_LINE = "destinations: [AR, ZA, KR, TR]"


def _container(tmp_path: Path, rules_dir: Path | None = None) -> Container:
    settings = Settings(
        env=Environment.TEST,
        database_url=f"sqlite:///{tmp_path / 'handbook.db'}",
        secret_key=SECRET,
        rules_dir=rules_dir,
        handbook_dir=tmp_path / "editions",
    )
    container = bootstrap(settings)
    migrate.upgrade(container.engine)
    return container


def _rules_without_turkey_in_eu002(tmp_path: Path) -> Path:
    copied = tmp_path / "rules"
    shutil.copytree(shipped_rules_dir(), copied)
    eugeas = copied / "eugeas.yaml"
    text = eugeas.read_text(encoding="utf-8")
    assert text.count(EU002_LINE) == 1, "EU002's destinations are no longer written as this test expects"
    eugeas.write_text(text.replace(EU002_LINE, "destinations: [AR, ZA, KR]"), encoding="utf-8")
    return copied


def _export_to_turkey(container: Container) -> Any:
    """1C003.b (EU002, Annex II Section B Part 1) from Germany to Türkiye."""
    case = {
        "date": today_in_brussels().isoformat(),
        "exporter": {"name": "Acme", "member_state": "DE"},
        "destination": "TR",
        "items": [{"id": "1", "control_code": "1C003.b", "cyber_surveillance": False}],
    }
    with container.uow() as uow:
        return determine_case(container.determination_inputs(uow), case).determination.items[0]


def _eu002_destinations(client: TestClient) -> str:
    page = client.get("/handbook/general-authorisations")
    assert page.status_code == 200
    start = page.text.index('id="eu002"')
    end = page.text.index('id="eu003"')
    return page.text[start:end]


def test_editing_a_general_authorisations_destinations_changes_the_handbook_and_the_answer(
    tmp_path: Path,
) -> None:
    """Annex II Section B Part 2 as data: with Türkiye among EU002's destinations the check offers EU002 and
    the handbook lists Türkiye; without it (the data edited, not the code) the check asks for an individual
    licence, the handbook no longer lists it, and the next edition says so."""
    shipped = _container(tmp_path / "shipped")
    before = _export_to_turkey(shipped)
    assert before.outcome is Outcome.GENERAL_AUTHORISATION_AVAILABLE
    assert before.general_authorisations == ("EU002",)
    with TestClient(create_app(container=shipped)) as client:
        assert "Türkiye (TR)" in _eu002_destinations(client)
    first, new = handbook.publish(handbook_sources(shipped), edition_store(shipped), today_in_brussels())
    assert new
    assert first.edition.number == 1

    edited = _container(tmp_path / "shipped", _rules_without_turkey_in_eu002(tmp_path))
    after = _export_to_turkey(edited)
    assert after.outcome is Outcome.LICENCE_REQUIRED
    assert "EU002" not in after.general_authorisations
    with TestClient(create_app(container=edited)) as client:
        listed = _eu002_destinations(client)
        assert "Türkiye (TR)" not in listed
        assert "Argentina (AR)" in listed
        changes = client.get("/handbook/changes").text
        assert "Edition 2" in changes
        assert "draft" in changes
        assert "removed Türkiye (TR)" in changes
    second, new = handbook.publish(handbook_sources(edited), edition_store(edited), today_in_brussels())
    assert new
    assert second.edition.number == 2
    assert second.edition.content_hash != first.edition.content_hash
    assert ("General authorisation", "EU002", "destinations: removed Türkiye (TR).") in {
        (c.area, c.subject, c.what) for c in second.changes
    }


def test_an_edition_is_recorded_once_and_read_back_whole(tmp_path: Path) -> None:
    container = _container(tmp_path)
    sources, store = handbook_sources(container), edition_store(container)
    book, new = handbook.publish(sources, store, today_in_brussels())
    again, new_again = handbook.publish(sources, store, today_in_brussels())
    assert new
    assert not new_again
    assert again.edition == book.edition
    assert again.edition.published
    recorded = FileEditionStore(tmp_path / "editions").latest()
    assert recorded is not None
    assert recorded.edition == book.edition
    assert recorded.snapshot == handbook.snapshot_of(sources, today_in_brussels())
    with TestClient(create_app(container=container)) as client:
        page = client.get("/handbook")
        assert f"Edition {book.edition.number}" in page.text
        assert book.edition.short_hash in page.text
        assert "draft" not in page.text


def test_every_section_is_a_page_with_the_edition_and_unknown_ones_are_not_found(tmp_path: Path) -> None:
    container = _container(tmp_path)
    book = handbook.current(handbook_sources(container), edition_store(container), today_in_brussels())
    with TestClient(create_app(container=container)) as client:
        contents = client.get("/handbook")
        assert contents.status_code == 200
        for section in book.sections:
            assert f'href="/handbook/{section.slug}"' in contents.text
            page = client.get(f"/handbook/{section.slug}")
            assert page.status_code == 200
            assert section.title in page.text.replace("&#39;", "'")
            assert book.edition.short_hash in page.text
        assert client.get("/handbook/no-such-section").status_code == 404
        glance = client.get("/handbook/general-authorisations").text
        assert '<a href="#eu002">EU002</a>' in glance  # the table at a glance leads to each part
        legal = client.get("/handbook/when-you-need-an-authorisation").text
        assert 'href="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32021R0821#art_5"' in legal


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, Any]:
    container = _container(tmp_path_factory.mktemp("pdf"))
    with TestClient(create_app(container=container)) as client:
        response = client.get("/handbook.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    book = handbook.current(handbook_sources(container), edition_store(container), today_in_brussels())
    return response.content, book


def test_the_pdf_has_pages_with_every_section_title_and_the_edition(pdf: tuple[bytes, Any]) -> None:
    from pypdf import PdfReader

    content, book = pdf
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) > len(book.sections)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    for section in book.sections:
        assert section.title in text, section.title
    assert book.edition.short_hash in " ".join((reader.pages[-1].extract_text() or "").split())
    for ga in ("EU001", "EU008"):
        assert ga in text
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "handbook.pdf").write_bytes(content)
    if shutil.which("pdftoppm"):  # the first pages as pictures, to look at
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "3",
                str(OUTPUT / "handbook.pdf"),
                str(OUTPUT / "page"),
            ],
            check=True,
        )
        assert list(OUTPUT.glob("page-*.png"))


def test_the_cli_writes_the_pdf_and_records_editions(tmp_path: Path) -> None:
    container = _container(tmp_path)
    container.engine.dispose()
    env = {
        **os.environ,
        "DUALUSE_DATABASE_URL": container.settings.database_url,
        "DUALUSE_SECRET_KEY": SECRET,
        "DUALUSE_ENV": "test",
        "DUALUSE_HANDBOOK_DIR": str(tmp_path / "editions"),
    }
    run = [sys.executable, "-m", "dualuse.entrypoints.cli.main", "handbook"]
    built = subprocess.run([*run, "build"], env=env, capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    assert "Recorded Edition 1" in built.stdout
    again = subprocess.run([*run, "build"], env=env, capture_output=True, text=True, check=False)
    assert "Unchanged: Edition 1" in again.stdout
    out = tmp_path / "handbook.pdf"
    written = subprocess.run([*run, "pdf", str(out)], env=env, capture_output=True, text=True, check=False)
    assert written.returncode == 0, written.stderr
    assert out.read_bytes().startswith(b"%PDF")
