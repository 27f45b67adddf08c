"""axe-core over every page people use: no serious or critical WCAG violations."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import LiveServer, page_shows, started_application
from tests.e2e.test_browser import sign_in

pytestmark = pytest.mark.browser

PUBLIC = [
    "/",
    "/verify",
    "/verify?check=yes",  # the landing page with its error summary
    "/docs",
    "/control-list",
    "/control-list/5A002.a",
    "/control-list/changes",
    "/control-list/5A002.d?parameters=bandwidth+%3D+600",
    "/reference/status",
    "/control-list/changes?from=2021-09&to=2025-11",
    "/control-list/cn?cn=8542",
    "/determinations/new",
    "/requirements",
    "/submissions/new",
    "/screening/lists",
    "/verify/DE-2026-000001",
]
EXPORTER = [
    "/",
    "/applications/1",
    "/account",
    "/classifications",
    "/classifications/new",
    "/screening",
    "/screening/hits",
    "/due-diligence",
    "/due-diligence/1",
    "/due-diligence/1/steps/stakeholders",
    "/icp",
    "/applications",
    "/applications/new",
    "/general-authorisations",
    "/notices",
]
AUTHORITY = [
    "/",
    "/applications/2",
    "/authority/notifications",
    "/authority/cases",
    "/authority/cases?status=submitted&page=1",
    "/authority/general-authorisations",
    "/authority/notices",
]


def serious_violations(page: Any) -> list[tuple[str, str]]:
    violations = Axe().run(page).response["violations"]
    return [(v["id"], v["help"]) for v in violations if v.get("impact") in ("serious", "critical")]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages(page: Any, live_server: LiveServer, path: str) -> None:
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == (400 if "check=yes" in path else 200)
    if path == "/docs":  # Swagger UI draws the operations after it has fetched the document: check them drawn
        page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    assert not serious_violations(page)


def test_exporter_pages(page: Any, live_server: LiveServer) -> None:
    sign_in(page, live_server, "exporter@demo.dualuse.eu")
    for path in EXPORTER:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert not serious_violations(page), path


def test_authority_pages(page: Any, live_server: LiveServer) -> None:
    sign_in(page, live_server, "officer-de@demo.dualuse.eu")
    for path in AUTHORITY:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert not serious_violations(page), path


def test_an_ownership_finding_reads_well_on_a_phone(page: Any, live_server: LiveServer) -> None:
    """The screening answer for a company the demo list shows as owned by listed parties: no serious axe
    violation, and at 375 px wide nothing runs off the side."""
    sign_in(page, live_server, "exporter@demo.dualuse.eu")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/screening")
    page.fill("#name", "Quillfeather Components GmbH")
    page.click("form[action='/screening'] button[type=submit]")
    finding = page.locator(".ownership-finding.flagged")
    assert "owned 60% by listed parties" in finding.inner_text()
    assert "Demonstrova Holdings Ltd" in finding.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not serious_violations(page)


@pytest.mark.parametrize("email", ["senior-de@demo.dualuse.eu", "commission@demo.dualuse.eu"])
def test_the_homes_of_the_other_roles(page: Any, live_server: LiveServer, email: str) -> None:
    sign_in(page, live_server, email)
    assert not serious_violations(page)


def test_forms_showing_their_errors(page: Any, live_server: LiveServer) -> None:
    """A form with its error summary and inline messages passes too (aria-invalid, described-by)."""
    page.goto(f"{live_server.url}/submissions/new")
    page.get_by_role("button", name="Send").click()
    page.locator(".error-summary").wait_for()
    assert not serious_violations(page)
    page.goto(f"{live_server.url}/determinations/new")
    page.get_by_label("Quantity").fill("many")
    page.get_by_role("button", name="Get the answer").click()
    page.locator(".error-summary").wait_for()
    assert not serious_violations(page)
    page.get_by_label("Destination country").fill("Japan")
    page.get_by_label("Quantity").fill("1")
    page.get_by_label("Control code").fill("5A002.a")
    page.get_by_role("button", name="Get the answer").click()
    page.locator("[data-outcome]").first.wait_for()
    assert not serious_violations(page)


def test_the_application_task_list(page: Any, live_server: LiveServer) -> None:
    """Every part page of a draft application, and its forms with their errors shown."""
    sign_in(page, live_server, "exporter@demo.dualuse.eu")
    page.goto(f"{live_server.url}/applications/new")
    page.get_by_role("button", name="Start the application").click()
    assert not serious_violations(page), "the start page with its error"
    page.get_by_label("Individual", exact=True).check()
    page.get_by_role("button", name="Start the application").click()
    case = started_application(page)
    for part in ("", "/type", "/items", "/items/new", "/parties", "/parties/new", "/end-use", "/check"):
        assert page.goto(f"{case}{part}").status == 200, part
        assert not serious_violations(page), part
    page.goto(f"{case}/items/new")
    page.get_by_role("button", name="Save the item").click()
    page.locator(".error-summary").wait_for()
    assert not serious_violations(page), "the item form with its errors"
    page.goto(f"{case}/parties/new")
    page.get_by_role("button", name="Save the party").click()
    assert not serious_violations(page), "the party form with its errors"
    page.goto(f"{case}/check")
    page.get_by_role("button", name="Submit the application").click()
    page.locator(".error-summary").wait_for()
    assert not serious_violations(page), "the check page with its errors"
    page.goto(f"{case}/withdraw")
    assert not serious_violations(page), "the withdrawal page"
    page.get_by_role("button", name="Withdraw the application").click()
    page_shows(page, "withdrawn")
