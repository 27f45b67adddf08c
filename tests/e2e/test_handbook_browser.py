"""The handbook in Chromium: every page passes axe-core with no serious or critical violation, reads at
375 px wide with nothing running off the side, and its contents and on-page links lead where they say.
Screenshots go under ``test-output/handbook-browser/<width>/`` (``DUALUSE_TEST_OUTPUT`` moves it)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.browser

OUTPUT = Path(os.environ.get("DUALUSE_TEST_OUTPUT", "test-output")) / "handbook-browser"
SECTIONS = (
    "when-you-need-an-authorisation",
    "cyber-surveillance",
    "due-diligence",
    "general-authorisations",
    "national-measures",
    "how-to-apply",
    "penalties",
    "glossary",
    "changes",
)


def serious_violations(page: Any) -> list[tuple[str, str, int]]:
    violations = Axe().run(page).response["violations"]
    return [
        (v["id"], v["help"], len(v["nodes"]))
        for v in violations
        if v.get("impact") in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [375, 1280], ids=lambda w: f"{w}px")
def test_every_handbook_page_is_accessible_and_fits_the_window(
    browser: Any, live_server: LiveServer, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    folder = OUTPUT / str(width)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for path in ("/handbook", *(f"/handbook/{slug}" for slug in SECTIONS)):
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{path} is {wide} px wide in a {width} px window"
            assert not serious_violations(page), path
            page.screenshot(
                path=str(folder / f"{path.strip('/').replace('/', '-')}.png"), full_page=width < 1000
            )
    finally:
        context.close()


def test_the_contents_lead_to_a_section_and_its_anchors(page: Any, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/handbook")
    edition = page.locator(".handbook-edition").inner_text()
    assert "Edition" in edition
    assert "control list" in edition
    page.get_by_role("link", name="Union general export authorisations").click()
    page.wait_for_url(f"{live_server.url}/handbook/general-authorisations")
    assert page.locator(".handbook-edition").inner_text() == edition  # the same edition on every page
    on_page = page.get_by_role("navigation", name="On this page")
    on_page.get_by_role("link", name="EU002", exact=False).first.click()
    page.wait_for_url(f"{live_server.url}/handbook/general-authorisations#eu002")
    heading = page.locator("#eu002")
    assert "EU002" in heading.inner_text()
    part = page.locator("section[aria-labelledby='eu002']")
    assert "Customs document code" in part.inner_text()
    legal = part.locator(".handbook-legal a").first
    assert legal.get_attribute("href").startswith(
        "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:"
    )
    pdf = page.get_by_role("link", name="PDF")
    assert pdf.get_attribute("href") == "/handbook.pdf"
