"""In headless Chromium (issue 17): the licence check's country picker reads a typed name whole ("China" is
CN, never "Ch" = Switzerland), and a fresh due-diligence case shows no export outcome."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_f17_china_typed_as_the_destination_gives_cn(page: Any, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/determinations/new")
    page.get_by_label("Your member state").select_option("DE")
    destination = page.get_by_label("Destination country", exact=True)
    destination.press_sequentially("China")
    assert destination.input_value() == "China"  # nothing cuts it short
    page.get_by_label("Control code (blank if the item is not listed)").fill("5A001.f")
    page.get_by_role("button", name="Get the answer").click()
    understood = page.get_by_test_id("understood-destination")
    assert understood.inner_text() == "China (CN)"
    assert page.get_by_role("heading", name="You need a licence for this export").is_visible()
    assert "Switzerland (CH)" not in understood.inner_text()
    assert page.get_by_label("Destination country", exact=True).input_value() == "China (CN)"


def test_f17_china_typed_without_javascript_gives_cn(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/determinations/new")
        page.get_by_label("Destination country", exact=True).fill("Chine")
        page.get_by_label("Control code (blank if the item is not listed)").fill("5A001.f")
        page.get_by_role("button", name="Get the answer").click()
        assert page.get_by_test_id("understood-destination").inner_text() == "China (CN)"
    finally:
        context.close()


def test_f17_a_fresh_due_diligence_case_shows_no_outcome(page: Any, live_server: LiveServer) -> None:
    sign_in(page, live_server, "exporter@demo.dualuse.eu")
    page.goto(f"{live_server.url}/due-diligence")
    page.get_by_label("Title").fill("Lawful interception gateway")
    page.get_by_label("Destination", exact=True).fill("AE")
    page.get_by_label("End-user", exact=True).fill("Federal Telecom Regulator")
    page.get_by_label("Kind of end-user").select_option("government")
    page.get_by_label("The item").fill("Lawful interception gateway")
    page.get_by_role("button", name="Open the case").click()
    section = page.get_by_test_id("export-outcome")
    assert section.get_attribute("data-status") == "not_concluded"
    assert "No export outcome yet" in section.inner_text()
    assert page.locator("[data-outcome]").count() == 0
    assert "no licence required" not in page.content().lower()
