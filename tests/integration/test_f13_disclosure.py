"""F13: civil-society reporters are not named on public pages; exporters see their licensing authority, not
its officers' e-mail addresses."""

from __future__ import annotations

from fastapi.testclient import TestClient

from dualuse.bootstrap import Container
from dualuse.domain.duediligence.records import SubmissionStatus
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.http.app import create_app
from tests.factories import PASSWORD, make_organisation, make_person, token_for
from tests.integration.test_licensing_app import APPLICATION

OFFICER = "olaf.officer@bafa.example"
REPORTER = "Hidden Voices Network"


def _api(container: Container, email: str | None) -> TestClient:
    api = TestClient(create_app(container=container))
    if email:
        api.headers["Authorization"] = f"Bearer {token_for(container, email)}"
    return api


def _web(container: Container, email: str) -> TestClient:
    web = TestClient(create_app(container=container))
    token = web.get("/login").text.split('name="csrftoken" value="')[1].split('"')[0]
    web.post("/login", data={"email": email, "password": PASSWORD, "csrftoken": token})
    return web


def _world(container: Container) -> None:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    de = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
    make_person(container, de, Role.AUTHORITY_OFFICER, OFFICER)


def test_f13_an_accepted_report_does_not_name_its_reporter_in_public(container: Container) -> None:
    _world(container)
    sent = _api(container, None).post(
        "/api/v1/submissions",
        json={
            "organisation_name": REPORTER,
            "contact_email": "brave@voices.example",
            "subject_kind": "end_user",
            "subject": "Directorate of Digital Security",
            "what_happened": "Spyware used against journalists",
            "sources": ["https://example.org/report"],
        },
    )
    assert sent.status_code == 201, sent.text
    officer = _api(container, OFFICER)
    accepted = officer.post(f"/api/v1/submissions/{sent.json()['id']}/moderation", json={"accept": True})
    assert accepted.status_code == 200, accepted.text
    public = TestClient(create_app(container=container)).get("/requirements")
    assert "Spyware used against journalists" in public.text
    exporter_view = _api(container, "admin@acme.example").get("/api/v1/risk-profiles").text
    for seen in (public.text, exporter_view):
        assert REPORTER not in seen
        assert "brave@voices.example" not in seen
        assert OFFICER not in seen


def test_f13_exporters_see_the_authority_not_the_officers_address(container: Container) -> None:
    _world(container)
    exporter = _api(container, "admin@acme.example")
    draft = exporter.post("/api/v1/applications", json=APPLICATION).json()
    case = exporter.post(f"/api/v1/applications/{draft['id']}/submit", json={"declaration": True}).json()
    officer = _api(container, OFFICER)
    asked = officer.post(f"/api/v1/applications/{case['id']}/messages", json={"body": "Who operates it?"})
    assert asked.status_code == 201, asked.text
    profile = officer.post(
        "/api/v1/risk-profiles",
        json={
            "subject_kind": "country",
            "subject": "BR",
            "level": "high",
            "summary": "x",
            "sources": [{"title": "UN report", "published": "2025-01-01"}],
        },
    )
    assert profile.status_code == 201, profile.text
    messages = exporter.get(f"/api/v1/applications/{case['id']}/messages").json()
    assert messages[0]["author"] == "the licensing authority (DE)"
    page = _web(container, "admin@acme.example").get(f"/applications/{case['id']}")
    assert "Who operates it?" in page.text
    assert "the licensing authority (DE)" in page.text
    for seen in (str(messages), page.text, exporter.get("/api/v1/risk-profiles").text):
        assert OFFICER not in seen
    # the authority still sees who wrote
    assert officer.get(f"/api/v1/applications/{case['id']}/messages").json()[0]["author"] == OFFICER


def test_f13_a_reporter_who_asks_to_be_named_is_named(container: Container) -> None:
    _world(container)
    web = TestClient(create_app(container=container))
    token = web.get("/submissions/new").text.split('name="csrftoken" value="')[1].split('"')[0]
    sent = web.post(
        "/submissions/new",
        data={
            "csrftoken": token,
            "organisation_name": REPORTER,
            "subject_kind": "country",
            "subject": "EG",
            "what_happened": "Surveillance of activists",
            "sources": "https://example.org/report",
            "name_publicly": "yes",
        },
    )
    assert sent.status_code == 200, sent.text
    officer = _api(container, OFFICER)
    [pending] = _pending(container)
    assert officer.post(f"/api/v1/submissions/{pending}/moderation", json={"accept": True}).status_code == 200
    public = TestClient(create_app(container=container)).get("/requirements").text
    assert f"From a civil-society submission by {REPORTER}: Surveillance of activists" in public


def _pending(container: Container) -> list[int]:
    with container.uow() as uow:
        return [s.id for s in uow.duediligence.submissions(status=SubmissionStatus.PENDING)]
