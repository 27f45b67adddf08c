"""In headless Chromium, at a phone's width: the public reads the demo's draft change of the list and comments
on it; the Commission moderates the comment and reads the impact analysis. No serious axe violations, nothing
wider than the screen."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import LiveServer, page_shows
from tests.e2e.test_browser import sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 800}


def _checked(page: Any) -> None:
    serious = [
        v for v in Axe().run(page).response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, [(v["id"], v["help"]) for v in serious]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_comment_from_the_public_to_the_commission(browser: Any, live_server: LiveServer) -> None:
    public = browser.new_context(viewport=PHONE)
    page = public.new_page()
    page.goto(f"{live_server.url}/list-changes")
    _checked(page)
    page.get_by_role("link", name="Demo: update of Category 5").click()
    assert page.get_by_test_id("status").inner_text() == "Open for comment"
    assert "5A001.k" in page.content()
    assert "Digital Rights Watch" in page.content()  # the published comment
    assert "Demo Exporters Association" not in page.content()  # the pending one is not shown
    _checked(page)
    page.get_by_label("Your name").fill("Lena Vogel")
    page.get_by_label("Civil society").check()
    page.get_by_label("Your comment").fill("Please publish the regime decision behind 5A001.k.")
    page.get_by_role("button", name="Send comment").click()
    page_shows(page, "Comment sent")
    public.close()

    commission = browser.new_context(viewport=PHONE)
    desk = commission.new_page()
    sign_in(desk, live_server, "commission@demo.dualuse.eu")
    desk.goto(f"{live_server.url}/list-changes/manage")
    desk.get_by_role("link", name="Demo: update of Category 5").click()
    page_shows(desk, "Impact analysis")
    assert "Lena Vogel" in desk.content()
    _checked(desk)
    card = desk.locator("[data-comment]", has_text="Lena Vogel")
    card.get_by_role("button", name="Publish").click()
    commission.close()

    again = browser.new_context(viewport=PHONE)
    reader = again.new_page()
    reader.goto(f"{live_server.url}/list-changes")
    reader.get_by_role("link", name="Demo: update of Category 5").click()
    page_shows(reader, "Please publish the regime decision behind 5A001.k.")
    again.close()
