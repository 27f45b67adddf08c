"""F11: an evidence file is written only for one's own case, once the step is recorded; a refused or failed
upload leaves no file in the upload folder and no row."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dualuse.adapters.db import tables as t
from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.http.app import create_app
from tests.factories import PASSWORD, make_organisation, make_person, token_for

TRANSACTION = {
    "title": "Monitoring centre",
    "destination": "EG",
    "end_user": {"name": "Ministry of Interior", "type": "government"},
    "item": {"description": "Monitoring centre software", "control_code": None, "cyber_surveillance": True},
}
PDF = ("evidence.pdf", b"%PDF-1.4 planted by someone else", "application/pdf")


@pytest.fixture
def case_of_acme(container: Container) -> tuple[int, list[dict[str, Any]]]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    rival = make_organisation(container, OrganisationKind.EXPORTER, "Rival SAS", "FR", "FR222")
    authority = make_organisation(container, OrganisationKind.AUTHORITY, "Authority DE", "DE")
    make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
    make_person(container, rival, Role.EXPORTER_ADMIN, "admin@rival.example")
    make_person(container, authority, Role.AUTHORITY_OFFICER, "officer@de.example")
    api = TestClient(create_app(container=container))
    api.headers["Authorization"] = f"Bearer {token_for(container, 'admin@acme.example')}"
    case_id = api.post("/api/v1/due-diligence/cases", json=TRANSACTION).json()["case"]["id"]
    flags = api.get("/api/v1/due-diligence/red-flags").json()["flags"]
    return case_id, flags


def _signed_in(container: Container, email: str | None) -> tuple[TestClient, str]:
    web = TestClient(create_app(container=container))
    token = web.get("/login").text.split('name="csrftoken" value="')[1].split('"')[0]
    if email:
        web.post("/login", data={"email": email, "password": PASSWORD, "csrftoken": token})
    return web, token


def _nothing_written(container: Container) -> None:
    folder = container.settings.upload_dir
    assert not folder.exists() or not list(folder.iterdir())
    with container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.dd_entries)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(t.documents)).scalar_one() == 0


@pytest.mark.parametrize(
    ("email", "refused_with"),
    [("admin@rival.example", 404), ("officer@de.example", 403), (None, 303)],
)
def test_f11_an_upload_through_another_organisations_case_writes_nothing(
    container: Container,
    case_of_acme: tuple[int, list[dict[str, Any]]],
    email: str | None,
    refused_with: int,
) -> None:
    case_id, flags = case_of_acme
    web, token = _signed_in(container, email)
    data = {"csrftoken": token, "note": "x"} | {
        f"answer-{f['id']}": "no" for f in flags if f["step"] == "classification"
    }
    response = web.post(
        f"/due-diligence/{case_id}/steps/classification",
        data=data,
        files={"evidence_file": PDF},
        follow_redirects=False,
    )
    assert response.status_code == refused_with
    if refused_with == 303:
        assert response.headers["location"] == "/login"
    _nothing_written(container)


def test_f11_a_foreign_case_answers_as_a_missing_one(
    container: Container, case_of_acme: tuple[int, list[dict[str, Any]]]
) -> None:
    case_id, _ = case_of_acme
    web, token = _signed_in(container, "admin@rival.example")
    foreign = web.post(
        f"/due-diligence/{case_id}/steps/classification",
        data={"csrftoken": token},
        files={"evidence_file": PDF},
    )
    missing = web.post(
        "/due-diligence/999999/steps/classification", data={"csrftoken": token}, files={"evidence_file": PDF}
    )
    assert foreign.status_code == missing.status_code == 404
    assert foreign.text.replace(str(case_id), "N") == missing.text.replace("999999", "N")
    _nothing_written(container)


def test_f11_an_own_upload_whose_step_fails_validation_leaves_no_file(
    container: Container, case_of_acme: tuple[int, list[dict[str, Any]]]
) -> None:
    case_id, _ = case_of_acme
    web, token = _signed_in(container, "admin@acme.example")
    response = web.post(
        f"/due-diligence/{case_id}/steps/classification",
        data={"csrftoken": token, "note": "answers missing"},
        files={"evidence_file": PDF},
    )
    assert response.status_code == 400
    assert "yes, no or unknown" in response.text
    _nothing_written(container)


def test_f11_an_own_upload_with_its_step_is_kept(
    container: Container, case_of_acme: tuple[int, list[dict[str, Any]]]
) -> None:
    case_id, flags = case_of_acme
    web, token = _signed_in(container, "admin@acme.example")
    data = {"csrftoken": token, "note": "x"} | {
        f"answer-{f['id']}": "no" for f in flags if f["step"] == "classification"
    }
    response = web.post(
        f"/due-diligence/{case_id}/steps/classification",
        data=data,
        files={"evidence_file": PDF},
        follow_redirects=False,
    )
    assert response.status_code == 303
    with container.engine.connect() as conn:
        [stored] = conn.execute(select(t.documents.c.content, t.documents.c.sha256)).all()
    assert bytes(stored.content) == PDF[1]
    # another organisation asking for the file by its digest is told the case does not exist
    rival, _ = _signed_in(container, "admin@rival.example")
    assert rival.get(f"/due-diligence/{case_id}/evidence/{stored.sha256}").status_code == 404
    own, _ = _signed_in(container, "admin@acme.example")
    assert own.get(f"/due-diligence/{case_id}/evidence/{stored.sha256}").content == PDF[1]
    assert own.get(f"/due-diligence/{case_id}/evidence/{'0' * 64}").status_code == 404
