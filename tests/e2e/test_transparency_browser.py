"""The transparency portal in Chromium at 1280 and 375 px wide (issue #15): the charts drawn on the server are
images with a title and a description, each followed by its table; nothing runs off the side of the screen;
axe-core finds no serious or critical violation; the filters are a GET form whose answer has its own address;
the FR authority reviews and submits its part, and the Commission sees it in the Union report."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import LiveServer
from tests.e2e.test_browser import sign_in

pytestmark = pytest.mark.browser

WIDTHS = [1280, 375]
PUBLIC = ["/transparency", "/transparency/cyber-surveillance", "/transparency/schema"]


def serious_violations(page: Any) -> list[tuple[str, str]]:
    violations = Axe().run(page).response["violations"]
    return [(v["id"], v["help"]) for v in violations if v.get("impact") in ("serious", "critical")]


def fits(page: Any, width: int) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth") <= width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_portal_reads_at_every_width_with_charts_and_tables(
    page: Any, live_server: LiveServer, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    for path in PUBLIC:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert fits(page, width), path
        assert not serious_violations(page), path
    page.goto(f"{live_server.url}/transparency")
    charts = page.locator("svg[role=img]")
    assert charts.count() >= 5
    for n in range(charts.count()):
        chart = charts.nth(n)
        assert chart.locator("title").count() == 1
        assert chart.locator("desc").count() == 1
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] <= width
        # the figures are in a table right after the chart
        assert chart.locator("xpath=ancestor::section[1]//table").count() >= 1
    # the filters are a GET form: choosing a state gives the page an address of its own
    page.select_option("#f-state", "DE")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/transparency?*state=DE*")
    assert "Authorisations granted by type, DE" in page.content()
    assert fits(page, width)


def test_an_authority_submits_its_part_and_the_commission_sees_it(page: Any, live_server: LiveServer) -> None:
    sign_in(page, live_server, "officer-fr@demo.dualuse.eu")
    page.goto(f"{live_server.url}/authority/annual-report")
    assert not serious_violations(page)
    page.get_by_role("button", name="Submit the part of FR").click()
    page.wait_for_url("**/authority/annual-report?year=*")
    assert "Submitted on" in page.content()
    page.set_viewport_size({"width": 375, "height": 900})
    assert fits(page, 375)
    page.context.clear_cookies()
    sign_in(page, live_server, "commission@demo.dualuse.eu")
    page.goto(f"{live_server.url}/commission/annual-report")
    text = " ".join(page.inner_text("main").split())
    assert "2 of 27 member states have submitted" in text
    assert fits(page, 375)
    assert not serious_violations(page)
