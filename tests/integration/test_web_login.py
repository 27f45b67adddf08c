"""Web sign-in: CSRF-protected forms, clear errors, sessions."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.http.app import create_app
from tests.factories import PASSWORD, make_organisation, make_person


@pytest.fixture
def client(container: Container) -> TestClient:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
    return TestClient(create_app(container=container))


def csrf(client: TestClient) -> str:
    page = client.get("/login")
    match = re.search(r'name="csrftoken" value="([^"]+)"', page.text)
    assert match, "the login form carries a CSRF token"
    return match.group(1)


def test_sign_in_shows_the_organisation(client: TestClient) -> None:
    token = csrf(client)
    response = client.post(
        "/login",
        data={"email": "admin@acme.example", "password": PASSWORD, "csrftoken": token},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Acme GmbH" in response.text
    assert "Sign out" in response.text


def test_a_form_without_the_csrf_token_is_refused(client: TestClient) -> None:
    csrf(client)  # sets the cookie, but the form below omits the token
    response = client.post("/login", data={"email": "admin@acme.example", "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_empty_login_shows_an_error_summary(client: TestClient) -> None:
    token = csrf(client)
    response = client.post("/login", data={"email": "", "password": "", "csrftoken": token})
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Enter your email address" in response.text
    assert "Enter your password" in response.text


def test_wrong_password_keeps_you_signed_out(client: TestClient) -> None:
    token = csrf(client)
    response = client.post(
        "/login", data={"email": "admin@acme.example", "password": "nope", "csrftoken": token}
    )
    assert response.status_code == 400
    assert "not right" in response.text
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_html_errors_are_pages_not_json(client: TestClient) -> None:
    response = client.get("/no-such-page", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text
