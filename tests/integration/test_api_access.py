"""The API over HTTP: bearer tokens, tenant isolation and RFC 9457 problem responses."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dualuse.adapters.db import migrate
from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.http.app import create_app
from tests.factories import make_organisation, make_person, token_for


@pytest.fixture
def world(container: Container) -> dict[str, object]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    rival = make_organisation(container, OrganisationKind.EXPORTER, "Rival SAS", "FR", "FR222")
    authority_fr = make_organisation(container, OrganisationKind.AUTHORITY, "Authority FR", "FR")
    make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
    make_person(container, rival, Role.EXPORTER_ADMIN, "admin@rival.example")
    make_person(container, authority_fr, Role.AUTHORITY_OFFICER, "officer@fr.example")
    return {"acme": acme, "rival": rival, "authority_fr": authority_fr}


def client_for(container: Container, email: str | None) -> TestClient:
    client = TestClient(create_app(container=container))
    if email:
        client.headers["Authorization"] = f"Bearer {token_for(container, email)}"
    return client


def test_a_token_identifies_its_user(container: Container, world: dict[str, object]) -> None:
    response = client_for(container, "admin@acme.example").get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == "admin@acme.example"
    assert response.json()["role"] == "exporter_admin"


def test_exporter_gets_its_own_organisation(container: Container, world: dict[str, object]) -> None:
    acme = world["acme"]
    response = client_for(container, "admin@acme.example").get(f"/api/v1/organisations/{acme.id}")  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response.json()["name"] == "Acme GmbH"


@pytest.mark.parametrize("path", ["/api/v1/organisations/{id}", "/api/v1/organisations/{id}/users"])
def test_exporter_gets_404_on_another_organisation(
    container: Container, world: dict[str, object], path: str
) -> None:
    rival = world["rival"]
    response = client_for(container, "admin@acme.example").get(path.format(id=rival.id))  # type: ignore[attr-defined]
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404
    assert "Rival" not in response.text


def test_authority_gets_404_on_an_exporter_of_another_state(
    container: Container, world: dict[str, object]
) -> None:
    """F16: as for an organisation that does not exist."""
    acme = world["acme"]
    response = client_for(container, "officer@fr.example").get(f"/api/v1/organisations/{acme.id}")  # type: ignore[attr-defined]
    missing = client_for(container, "officer@fr.example").get("/api/v1/organisations/999999")
    assert response.status_code == missing.status_code == 404
    assert response.json()["detail"] == missing.json()["detail"]


def test_authority_sees_an_exporter_of_its_state(container: Container, world: dict[str, object]) -> None:
    rival = world["rival"]
    response = client_for(container, "officer@fr.example").get(f"/api/v1/organisations/{rival.id}")  # type: ignore[attr-defined]
    assert response.status_code == 200


def test_no_token_is_401_problem(container: Container, world: dict[str, object]) -> None:
    response = client_for(container, None).get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["type"].endswith("/unauthenticated")
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_forged_token_is_401(container: Container, world: dict[str, object]) -> None:
    client = client_for(container, None)
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer du_forged"})
    assert response.status_code == 401


def test_malformed_path_parameter_is_a_422_problem(container: Container, world: dict[str, object]) -> None:
    response = client_for(container, "admin@acme.example").get("/api/v1/organisations/abc")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].endswith("organisation_id")


def test_healthz_reports_the_database(container: Container) -> None:
    response = client_for(container, None).get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"]["schema_revision"] == migrate.head_revision(container.engine)


def test_openapi_is_served(container: Container) -> None:
    response = client_for(container, None).get("/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/me" in response.json()["paths"]
