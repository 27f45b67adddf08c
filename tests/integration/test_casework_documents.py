"""Supporting documents on applications and end-user statement templates (issue 19, point 4), through the
web on SQLite and PostgreSQL: the exporter files a contract (type- and size-checked, kept in the document
store); the deciding authority sees it on the case page and downloads it; nobody else gets it, and another
tenant's document answers like a missing one. Each state's end-user statement renders in its own wording,
and a state without one gets the EU model."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import func, select

from dualuse.adapters.db import tables as t
from dualuse.adapters.documents.uploads import MAX_BYTES
from dualuse.adapters.sources.statement_templates import load_statement_templates, shipped_templates_dir
from dualuse.bootstrap import Container
from dualuse.domain.errors import ImportFailedError
from tests.integration.casework_web import submitted, web, world

pytestmark = pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning")
CONTRACT = b"%PDF-1.4 purchase order 2026-114 for three encryptors"


def _text(pdf: bytes) -> str:
    """The PDF's text with its line breaks and runs of spaces made single spaces."""
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())


def _count(container: Container, table: object) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_a_contract_filed_by_the_exporter_reaches_the_deciding_authority_and_no_one_else(
    container: Container,
) -> None:
    people = world(container)
    case = submitted(container, people)
    exporter, token = web(container, people["acme"])
    form = exporter.get(f"/applications/{case['id']}/documents/new")
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.text
    sent = exporter.post(
        f"/applications/{case['id']}/documents",
        data={"csrftoken": token, "kind": "contract", "title": "Purchase order 2026-114"},
        files={"file": ("order.pdf", CONTRACT, "application/pdf")},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    officer, _ = web(container, people["officer"])
    page = officer.get(f"/applications/{case['id']}")
    assert "Purchase order 2026-114" in page.text
    assert "Contract or order" in page.text
    link = page.text.split(f'href="/applications/{case["id"]}/documents/')[1].split('"')[0]
    url = f"/applications/{case['id']}/documents/{link}"
    for person in ("acme", "officer"):
        client, _ = web(container, people[person])
        got = client.get(url)
        assert got.status_code == 200
        assert got.content == CONTRACT
        assert got.headers["cache-control"] == "private, no-store"
    missing = f"/applications/{case['id']}/documents/999999"
    for person, status in (("rival", 404), ("officer_fr", 404), ("commission", 403), (None, 403)):
        client, _ = web(container, people[person] if person else None)
        got = client.get(url, follow_redirects=False)
        assert got.status_code == status, person
        assert CONTRACT not in got.content
        if status == 404:  # F16: another tenant's document answers as a missing one
            other = client.get(missing, follow_redirects=False)
            assert (other.status_code, other.json()["detail"]) == (404, got.json()["detail"])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "upload a PDF, PNG, JPEG or text file"),
        ("fake.pdf", b"not a pdf at all", "not a PDF file"),
        ("big.pdf", b"%PDF-" + b"x" * MAX_BYTES, "at most 10 MB"),
        ("empty.txt", b"", "the file is empty"),
    ],
)
def test_a_file_of_the_wrong_type_or_size_is_refused_and_nothing_is_kept(
    container: Container, name: str, content: bytes, message: str
) -> None:
    people = world(container)
    case = submitted(container, people)
    exporter, token = web(container, people["acme"])
    sent = exporter.post(
        f"/applications/{case['id']}/documents",
        data={"csrftoken": token, "kind": "technical_specification", "title": ""},
        files={"file": (name, content, "application/octet-stream")},
    )
    assert sent.status_code == 400
    assert "There is a problem" in sent.text
    assert message.lower() in sent.text.lower()
    assert _count(container, t.documents) == 0
    assert _count(container, t.application_documents) == 0


def test_an_upload_without_its_kind_or_token_is_refused(container: Container) -> None:
    people = world(container)
    case = submitted(container, people)
    exporter, token = web(container, people["acme"])
    no_kind = exporter.post(
        f"/applications/{case['id']}/documents",
        data={"csrftoken": token, "kind": ""},
        files={"file": ("order.pdf", CONTRACT, "application/pdf")},
    )
    assert no_kind.status_code == 400
    assert "Choose what kind of document this is" in no_kind.text
    no_token = exporter.post(
        f"/applications/{case['id']}/documents",
        data={"csrftoken": "forged", "kind": "contract"},
        files={"file": ("order.pdf", CONTRACT, "application/pdf")},
    )
    assert no_token.status_code == 403
    rival, rival_token = web(container, people["rival"])
    foreign = rival.post(
        f"/applications/{case['id']}/documents",
        data={"csrftoken": rival_token, "kind": "contract"},
        files={"file": ("order.pdf", CONTRACT, "application/pdf")},
    )
    assert foreign.status_code == 404
    assert _count(container, t.application_documents) == 0


@pytest.mark.parametrize(
    ("state", "wording", "fallback"),
    [
        ("DE", "Endverbleibserklärung", False),
        ("FR", "Certificat d'utilisateur final", False),
        ("NL", "Eindgebruikersverklaring", False),
        ("EU", "End-user statement", False),
        ("IT", "End-user statement", True),
    ],
)
def test_each_state_has_its_end_user_statement_and_the_others_the_eu_model(
    container: Container, state: str, wording: str, fallback: bool
) -> None:
    client, _ = web(container, None)
    got = client.get(f"/end-user-statements/{state}.pdf")
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/pdf"
    text = _text(got.content)
    assert wording in text
    assert ("IT has no template of its own here" in text) is fallback
    assert "not been verified" in text  # every shipped template says it is unverified


def test_a_code_that_is_not_a_member_state_has_no_template(container: Container) -> None:
    client, _ = web(container, None)
    assert client.get("/end-user-statements/US.pdf").status_code == 404


def test_the_application_page_offers_the_deciding_states_statement_filled_in(container: Container) -> None:
    people = world(container)
    case = submitted(container, people)
    exporter, _ = web(container, people["acme"])
    page = exporter.get(f"/applications/{case['id']}")
    assert f"/applications/{case['id']}/end-user-statement.pdf" in page.text
    assert "/end-user-statements/DE.pdf" in page.text
    text = _text(exporter.get(f"/applications/{case['id']}/end-user-statement.pdf").content)
    assert "Endverbleibserklärung" in text
    assert "Buyer Ltd (IN)" in text
    assert "Network security of a bank" in text
    rival, _ = web(container, people["rival"])
    assert rival.get(f"/applications/{case['id']}/end-user-statement.pdf").status_code == 404


def test_every_shipped_template_names_its_source_and_the_boxes_an_end_user_must_fill() -> None:
    templates = load_statement_templates()
    assert {"EU", "DE", "FR", "NL"} <= set(templates.templates)
    for template in templates.templates.values():
        assert template.source
        assert template.verified is False  # none was checked against the authority's own form
        assert {"end_user", "end_use", "signer"} <= set(template.required)
        assert template.language in ("en", "de", "fr", "nl")


def test_a_template_without_its_verified_mark_is_refused(tmp_path: Path) -> None:
    for source in shipped_templates_dir().glob("*.yaml"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / "DE.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("verified: false", ""), encoding="utf-8")
    with pytest.raises(ImportFailedError, match="verified"):
        load_statement_templates(tmp_path)
    broken.unlink()
    (tmp_path / "EU.yaml").unlink()
    with pytest.raises(ImportFailedError, match="EU model"):
        load_statement_templates(tmp_path)
