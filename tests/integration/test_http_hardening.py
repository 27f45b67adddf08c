"""HTTP hardening (issue #11): security headers and the API docs (F7), bounded request bodies (F10), and no
server error for a multipart post, a NUL character or junk in any web form (F17), on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import text

from dualuse.adapters.db import migrate
from dualuse.adapters.db.engine import make_engine
from dualuse.bootstrap import Container, bootstrap, load_demo_world, load_reference_data
from dualuse.config import Environment, Settings
from dualuse.domain.duediligence import Step
from dualuse.entrypoints.http.app import create_app
from dualuse.entrypoints.web.templating import TEMPLATES_DIR
from tests.factories import token_for

SECRET = "hardening-secret-" + "h" * 32
HTML = {"accept": "text/html"}


# --- a demo world per backend, shared by the tests of this module ------------------------------------------
@dataclass(frozen=True)
class World:
    container: Container
    logins: dict[str, str]
    #: one app for the module's browsers: each app made stays in memory (several MB) until the run ends
    app: FastAPI


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("hardening")
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'world.db'}"
    else:
        url = request.getfixturevalue("postgres_server_url")
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    container = bootstrap(
        Settings(env=Environment.TEST, database_url=url, secret_key=SECRET, upload_dir=folder / "uploads")
    )
    migrate.upgrade(container.engine)
    load_reference_data(container)
    logins = {login.email: login.password for login in load_demo_world(container)}
    yield World(container, logins, create_app(container=container))
    container.engine.dispose()


def signed_in(world: World, email: str | None) -> tuple[TestClient, str]:
    """A browser: signed in as ``email`` (or anonymous), with its CSRF token."""
    client = TestClient(world.app, raise_server_exceptions=False, follow_redirects=False)
    token = csrf(client)
    if email is not None:
        response = client.post(
            "/login", data={"email": email, "password": world.logins[email], "csrftoken": token}
        )
        assert response.status_code == 303, response.text
        token = csrf(client)
    return client, token


def csrf(client: TestClient) -> str:
    match = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/login").text)
    assert match
    return match.group(1)


# --- F7: security headers, the API docs --------------------------------------------------------------------
@pytest.mark.parametrize(
    "path", ["/", "/login", "/control-list", "/api/v1/control-list/versions", "/nowhere"]
)
def test_f7_every_response_carries_the_security_headers(world: World, path: str) -> None:
    client = TestClient(world.app)
    response = client.get(path, headers=HTML)
    csp = response.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no inline script, no eval, no other origin
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] in {"strict-origin-when-cross-origin", "no-referrer"}
    assert "camera=()" in response.headers["permissions-policy"]
    assert "strict-transport-security" not in response.headers  # not on a developer's http://127.0.0.1


def test_f7_templates_hold_no_inline_script_or_style() -> None:
    """What the CSP forbids must not be in the pages: scripts and styles come from /static."""
    for template in TEMPLATES_DIR.rglob("*.html"):
        source = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source), template
        assert "<style" not in source, template
        assert not re.search(r"\sstyle=", source), template
        assert not re.search(r"\son[a-z]+=", source), template
        assert "javascript:" not in source, template


def test_f7_the_api_docs_come_from_the_app_not_a_cdn(world: World) -> None:
    client = TestClient(world.app)
    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources
    assert all(s.startswith("/") for s in sources), sources
    assert "<script>" not in page.text  # the start-up script is a file too
    for source in sources:
        assert client.get(source).status_code == 200, source
    # Swagger UI sets style attributes; scripts stay 'self' on /docs too
    assert "script-src 'self';" in page.headers["content-security-policy"]
    assert client.get("/openapi.json").json()["info"]["title"] == "dualuse"


def test_f7_production_sends_hsts_and_keeps_the_api_docs_for_signed_in_users(world: World) -> None:
    production = Settings(
        env=Environment.PRODUCTION,
        database_url=world.container.settings.database_url,
        secret_key=SECRET,
    )
    container = bootstrap(production)
    try:
        client = TestClient(create_app(container=container), base_url="https://testserver")
        home = client.get("/")
        assert home.headers["strict-transport-security"].startswith("max-age=")
        assert client.get("/docs", follow_redirects=False).headers["location"] == "/login?next=/docs"
        assert client.get("/openapi.json").status_code == 401
        token = token_for(container, "exporter@demo.dualuse.eu")
        bearer = {"authorization": f"Bearer {token}"}
        assert client.get("/openapi.json", headers=bearer).status_code == 200
        assert client.get("/docs", headers=bearer).status_code == 200
    finally:
        container.engine.dispose()


# --- F10: request sizes ------------------------------------------------------------------------------------
def test_f10_a_large_json_body_is_refused_anonymously_before_it_is_read(world: World) -> None:
    client = TestClient(world.app)
    big = b'{"name": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    response = client.post("/api/v1/submissions", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert "2 MB" in response.json()["detail"]


def test_f10_a_chunked_body_without_a_length_is_counted(world: World) -> None:
    client = TestClient(world.app)

    def chunks() -> Iterator[bytes]:
        yield b'{"name": "'
        for _ in range(30):
            yield b"x" * 100_000
        yield b'"}'

    response = client.post(
        "/api/v1/submissions", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_f10_a_browser_gets_a_readable_page(world: World) -> None:
    client, token = signed_in(world, None)
    response = client.post(
        "/submissions/new",
        data={"csrftoken": token, "what_happened": "x" * (3 * 1024 * 1024)},
        headers=HTML,
    )
    assert response.status_code == 413
    assert "<h1>Request too large</h1>" in response.text


def test_f10_the_limits_are_settings(world: World, tmp_path: Path) -> None:
    settings = world.container.settings.model_copy(update={"max_body_bytes": 64 * 1024})
    container = bootstrap(settings)
    try:
        client = TestClient(create_app(container=container))
        small = {"organisation_name": "x" * 1000}
        assert client.post("/api/v1/submissions", json=small).status_code == 422  # read: fields missing
        large = {"organisation_name": "x" * 100_000}
        assert client.post("/api/v1/submissions", json=large).status_code == 413
    finally:
        container.engine.dispose()


def test_f10_evidence_uploads_and_amendment_imports_have_larger_limits(world: World) -> None:
    client, token = signed_in(world, "exporter@demo.dualuse.eu")
    opened = client.post(
        "/due-diligence",
        data={
            "csrftoken": token,
            "title": "Sizes",
            "destination": "AE",
            "end_user_name": "Someone",
            "item_description": "IP monitoring",
        },
    )
    assert opened.status_code == 303, opened.text
    step = f"{opened.headers['location']}/steps/{next(iter(Step)).value}"
    five_mb = b"%PDF-" + b"0" * (5 * 1024 * 1024)
    files = {"evidence_file": ("five.pdf", five_mb, "application/pdf")}
    accepted = client.post(step, data={"csrftoken": token}, files=files, headers=HTML)
    assert accepted.status_code in {303, 400}, accepted.text[:500]  # read and judged, not refused for size
    thirteen_mb = {"evidence_file": ("big.pdf", b"%PDF-" + b"0" * (13 * 1024 * 1024), "application/pdf")}
    refused = client.post(step, data={"csrftoken": token}, files=thirteen_mb, headers=HTML)
    assert refused.status_code == 413
    commission = token_for(world.container, "commission@demo.dualuse.eu")
    amendment = {"filename": "big.yaml", "content": "kind: amendment\n" + "# padding\n" * 400_000}
    imported = TestClient(world.app).post(
        "/api/v1/control-list/amendments", json=amendment, headers={"authorization": f"Bearer {commission}"}
    )
    assert imported.status_code == 422  # 4 MB: read and judged on its content
    assert "Import failed" in imported.json()["title"]


# --- F17: no server error from any web form ----------------------------------------------------------------
PATH_VALUES = {"step": next(iter(Step)).value, "number": "DE-2026-000001", "action": "start_assessment"}
JUNK_FIELDS = [
    "email",
    "password",
    "version",
    "note",
    "body",
    "reason",
    "kind",
    "outcome",
    "quantity",
    "value_eur",
    "item_line",
    "case_id",
    "shipped_on",
    "title",
    "destination",
    "conclusion",
    "required",
    "view",
    "accept",
    "subject_kind",
    "subject",
    "level",
    "eugea_id",
    "period_start",
    "period_end",
    "shipments",
    "name",
    "country",
    "birth_date",
    "decision",
    "control_code",
    "description",
    "application_type",
    "unit",
]


def _web_post_paths() -> list[str]:
    container = bootstrap(Settings(env=Environment.TEST, database_url="sqlite://", secret_key=SECRET))
    app = create_app(container=container)  # for its route table only
    paths = []
    for context in iter_route_contexts(app.routes):
        route, path = context.original_route, context.path or ""
        if isinstance(route, APIRoute) and "POST" in route.methods and not path.startswith("/api/"):
            if path.startswith("/match/"):
                continue  # the yente-compatible API route
            paths.append(re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES.get(m.group(1), "1"), path))
    container.engine.dispose()
    return sorted(paths)


WEB_POST_PATHS = _web_post_paths()
PRINCIPALS = [None, "exporter@demo.dualuse.eu", "officer-de@demo.dualuse.eu", "senior-de@demo.dualuse.eu"]


def test_f17_the_route_table_has_the_web_forms() -> None:
    assert {"/login", "/logout", "/submissions/new", "/applications/new"} <= set(WEB_POST_PATHS)
    assert len(WEB_POST_PATHS) >= 25


@pytest.mark.parametrize("path", WEB_POST_PATHS)
def test_f17_no_web_form_answers_a_server_error(world: World, path: str) -> None:
    """A multipart post, a NUL character and junk in every field, as the public and as signed-in users."""
    for email in PRINCIPALS:
        client, token = signed_in(world, email)
        attempts = {
            "multipart": client.post(
                path,
                data={"csrftoken": token, "email": "a@b.example"},
                files={"f": ("a.txt", b"x", "text/plain")},
            ),
            "nul": client.post(path, data={"csrftoken": token} | dict.fromkeys(JUNK_FIELDS, "a\x00b")),
            "junk": client.post(path, data={"csrftoken": token} | dict.fromkeys(JUNK_FIELDS, "-1e999")),
            "nan": client.post(path, data={"csrftoken": token} | dict.fromkeys(JUNK_FIELDS, "NaN")),
        }
        for what, response in attempts.items():
            assert response.status_code < 500, (email, what, response.status_code, response.text[:300])
        # the forms that take a file: due-diligence evidence, an application's supporting documents (issue 19)
        upload = re.fullmatch(r"/due-diligence/1/steps/\w+|/applications/1/documents", path)
        if not upload:
            assert attempts["multipart"].status_code == 415, (email, attempts["multipart"].text[:200])
        if upload and email is None:  # the upload form sends the public to sign in before reading it
            assert attempts["nul"].headers["location"] == "/login"
        elif upload and attempts["nul"].status_code in (403, 404):
            # whoever may not use the case's form is refused before it is read (the access matrix, F11/F16)
            assert "NUL" not in attempts["nul"].text
        else:
            assert attempts["nul"].status_code == 400, (email, attempts["nul"].text[:300])
            assert "NUL" in attempts["nul"].text


def test_f17_nul_in_json_strings_and_query_strings_is_refused(world: World) -> None:
    client = TestClient(world.app)
    submission = {
        "organisation_name": "Watch\u0000dog",
        "subject_kind": "end_user",
        "subject": "Someone",
        "what_happened": "Something",
        "sources": ["https://example.org"],
    }
    response = client.post("/api/v1/submissions", json=submission)
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    assert client.get("/verify/DE-2026-000001?code=%00").status_code == 400
    assert client.get("/api/v1/control-list/search?q=a%00").status_code == 400
    deep = b'["\\u0000",' + b"[" * 100_000 + b"]" * 100_001  # too deep to read: refused, not a server error
    assert (
        client.post(
            "/api/v1/submissions", content=deep, headers={"content-type": "application/json"}
        ).status_code
        == 400
    )
    # an escaped backslash before "u0000" is text, not a NUL character
    submission["organisation_name"] = "Watch\\u0000dog"
    assert client.post("/api/v1/submissions", json=submission).status_code == 201
