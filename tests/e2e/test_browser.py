"""End to end in headless Chromium: sign in as the demo exporter; the pages pass an axe-core check."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import LiveServer, page_shows

pytestmark = pytest.mark.browser

DEMO_EXPORTER = "exporter@demo.dualuse.eu"


def sign_in(page: Any, server: LiveServer, email: str) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(server.logins[email])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}/")  # the home of the signed-in user (issue #13)


def test_healthz_over_http(live_server: LiveServer) -> None:
    body = httpx.get(f"{live_server.url}/healthz").json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"


def test_demo_exporter_signs_in_and_sees_their_organisation(page: Any, live_server: LiveServer) -> None:
    sign_in(page, live_server, DEMO_EXPORTER)
    page.goto(f"{live_server.url}/account")
    organisation = page.get_by_test_id("organisation")
    assert "Rheinland Sensorik GmbH" in organisation.inner_text()
    assert "DE123456789012345" in organisation.inner_text()
    assert "Lumière" not in page.content()


def test_a_wrong_password_shows_the_error_summary(page: Any, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email address").fill(DEMO_EXPORTER)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").wait_for()
    assert "There is a problem" in page.get_by_role("alert").inner_text()


@pytest.mark.parametrize("path", ["/", "/login"])
def test_pages_have_no_serious_accessibility_violations(
    page: Any, live_server: LiveServer, path: str
) -> None:
    page.goto(f"{live_server.url}{path}")
    results = Axe().run(page)
    violations = results.response["violations"]
    serious = [v for v in violations if v.get("impact") in ("serious", "critical")]
    assert not serious, [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in serious]
    assert results.response["passes"], "axe ran and checked something"


def test_control_list_browser_entry_and_search(page: Any, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/control-list")
    assert page.get_by_role("heading", name="The EU control list (Annex I)").is_visible()
    page.get_by_role("link", name="5A001", exact=True).click()
    assert "Telecommunications" in page.get_by_role("heading", level=1).inner_text()
    page.goto(f"{live_server.url}/control-list")
    page.get_by_label("Search the control list").fill("IMSI catcher")
    page.get_by_role("button", name="Search").click()
    first = page.locator("#results li").first
    first.wait_for()
    assert "5A001.f" in first.inner_text()


def test_demo_exporter_sees_classifications_to_review(page: Any, live_server: LiveServer) -> None:
    sign_in(page, live_server, DEMO_EXPORTER)
    page.get_by_role("link", name="Classifications").click()
    page_shows(page, "FieldSense IMSI-7")
    assert "to review after a list change" in page.content()


@pytest.mark.parametrize("path", ["/control-list/5A001.f", "/control-list/search?q=spyware"])
def test_control_list_pages_are_accessible(page: Any, live_server: LiveServer, path: str) -> None:
    page.goto(f"{live_server.url}{path}")
    serious = [
        v for v in Axe().run(page).response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, [(v["id"], v["help"]) for v in serious]


def test_demo_exporter_screens_a_party_and_reviews_an_alert(page: Any, live_server: LiveServer) -> None:
    sign_in(page, live_server, DEMO_EXPORTER)
    page.get_by_role("link", name="Screening", exact=True).first.click()
    page.get_by_label("Name").fill("Northwind Signal Intelligence")
    page.get_by_role("button", name="Screen").click()
    assert "Northwind Signal Intelligence LLC" in page.locator("table").inner_text()
    serious = [
        v for v in Axe().run(page).response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, [(v["id"], v["help"]) for v in serious]
    page.goto(f"{live_server.url}/screening/hits")
    assert "New after a list update" in page.content()
    card = page.locator("section.card", has_text="Harbourlight Monitoring Centre")
    card.get_by_label("False positive").check()
    card.get_by_label("Reason").fill("Different company: our consignee is a port operator")
    card.get_by_role("button", name="Record decision").click()
    assert "false positive" in page.locator("table").last.inner_text()
