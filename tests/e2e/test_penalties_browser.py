"""The penalties page and the authority's enforcement page in a browser: readable without JavaScript, no
serious axe violation, nothing wider than a 375 px phone; the officer records a decision through the form and
the Commission's home shows it as a figure (issue #18)."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import LiveServer
from tests.e2e.test_browser import sign_in

pytestmark = pytest.mark.browser


def _serious(page: Any) -> list[tuple[str, str]]:
    violations = Axe().run(page).response["violations"]
    return [(v["id"], v["help"]) for v in violations if v.get("impact") in ("serious", "critical")]


def _fits(page: Any, width: int) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{page.url}: {wide} px wide in a {width} px window"


def test_the_penalties_page_reads_without_javascript_on_a_phone(
    browser: Any, live_server: LiveServer
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/penalties")
    chart = page.locator('section[data-violation="export_without_authorisation"] svg')
    assert chart.count() == 1
    assert chart.bounding_box()["width"] <= 375
    assert (
        page.get_by_role(
            "img", name="Highest fine per member state for exporting without an authorisation"
        ).count()
        == 1
    )
    assert page.locator('[data-violation="export_without_authorisation"] tbody tr').count() >= 4
    _fits(page, 375)
    context.close()


def test_the_pages_have_no_serious_accessibility_violation(page: Any, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/penalties")
    assert not _serious(page)
    sign_in(page, live_server, "officer-de@demo.dualuse.eu")
    page.goto(f"{live_server.url}/authority/enforcement")
    assert not _serious(page)


def test_the_officer_records_a_decision_and_the_commission_counts_it(
    browser: Any, live_server: LiveServer
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    sign_in(page, live_server, "officer-de@demo.dualuse.eu")
    page.goto(f"{live_server.url}/authority/enforcement")
    _fits(page, 375)
    page.get_by_label("Breach").select_option("transfer_without_authorisation")
    page.get_by_label("Decision", exact=True).select_option("fine")
    page.get_by_label("Date of the decision").fill("2026-04-01")
    page.get_by_role("button", name="Record the decision").click()
    # the fine is missing: the error summary points at its field
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert summary.locator('a[href="#amount_eur"]').count() == 1
    page.get_by_label("Fine in euros (for a fine)").fill("65000")
    page.get_by_role("button", name="Record the decision").click()
    recorded = page.locator("[data-case]").filter(has_text="Intra-Union transfer")
    recorded.first.wait_for()
    assert recorded.count() == 1
    context.close()
    commission = browser.new_context()
    home = commission.new_page()
    sign_in(home, live_server, "commission@demo.dualuse.eu")
    assert (
        home.locator('[data-section="enforcement"]').filter(has_text="transfer without authorisation").count()
        == 1
    )
    commission.close()
