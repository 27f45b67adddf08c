"""Each role's home shows its to-do list with counts from the demo world (issue #13)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container, load_demo_world, load_reference_data
from dualuse.entrypoints.http.app import create_app


@pytest.fixture
def demo(container: Container) -> tuple[TestClient, dict[str, str]]:
    load_reference_data(container)
    logins = {login.email: login.password for login in load_demo_world(container)}
    return TestClient(create_app(container=container)), logins


def sign_in(web: TestClient, email: str, password: str, next_path: str = "") -> str:
    form = web.get("/login", params={"next": next_path} if next_path else None)
    token = re.search(r'name="csrftoken" value="([^"]+)"', form.text)
    assert token
    data = {"email": email, "password": password, "csrftoken": token.group(1)}
    if next_path:
        data["next"] = next_path
    answer = web.post("/login", data=data, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


def counts(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-todo-key="(\w+)" data-count="(\d+)"', html)}


def test_the_exporters_home_lists_what_waits_for_them(demo: tuple[TestClient, dict[str, str]]) -> None:
    web, logins = demo
    assert sign_in(web, "exporter@demo.dualuse.eu", logins["exporter@demo.dualuse.eu"]) == "/"
    home = web.get("/")
    found = counts(home.text)
    assert found["hits"] >= 1  # the demo parties screened against the demo lists
    assert found["review"] == 1  # the EdgeCompute board, recorded under the 2024 list
    assert found["questions"] == 1  # the VPN gateway case waits for the exporter
    assert found["used_up"] == 1  # three of four pieces shipped
    assert found["drafts"] == 1
    assert 'href="/screening/hits"' in home.text


def test_the_officers_home_lists_cases_and_notifications(demo: tuple[TestClient, dict[str, str]]) -> None:
    web, logins = demo
    sign_in(web, "officer-de@demo.dualuse.eu", logins["officer-de@demo.dualuse.eu"])
    found = counts(web.get("/").text)
    assert "countersign" not in found  # an officer does not countersign
    # the cell-site simulator case, the case whose end-user is listed, and the case for the end-user FR denied
    assert found["new_cases"] == 3
    assert found["awaiting_exporter"] == 1
    assert set(found) >= {"assessing", "notifications", "consultations"}


def test_the_seniors_home_lists_cases_to_countersign(demo: tuple[TestClient, dict[str, str]]) -> None:
    web, logins = demo
    sign_in(web, "senior-de@demo.dualuse.eu", logins["senior-de@demo.dualuse.eu"])
    found = counts(web.get("/").text)
    assert "countersign" in found
    assert found["countersign"] == 0  # the demo's one recommended case was countersigned
    assert "new_cases" in found


def test_the_commissions_home(demo: tuple[TestClient, dict[str, str]]) -> None:
    web, logins = demo
    sign_in(web, "commission@demo.dualuse.eu", logins["commission@demo.dualuse.eu"])
    found = counts(web.get("/").text)
    assert set(found) == {"requirements", "to_publish"}


def test_the_public_home_has_no_todo_list(demo: tuple[TestClient, dict[str, str]]) -> None:
    web, _logins = demo
    home = web.get("/")
    assert counts(home.text) == {}
    assert 'href="/determinations/new"' in home.text
    assert 'href="/verify"' in home.text


def test_sign_in_returns_to_the_page_asked_for(demo: tuple[TestClient, dict[str, str]]) -> None:
    web, logins = demo
    asked = web.get("/screening/hits", follow_redirects=False)
    assert asked.headers["location"] == "/login?next=/screening/hits"
    email = "exporter@demo.dualuse.eu"
    assert sign_in(web, email, logins[email], "/screening/hits") == "/screening/hits"


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "x"])
def test_sign_in_never_sends_anyone_off_site(demo: tuple[TestClient, dict[str, str]], target: str) -> None:
    web, logins = demo
    email = "exporter@demo.dualuse.eu"
    assert sign_in(web, email, logins[email], target) == "/"
