"""The pages work in Chromium under the Content-Security-Policy (issue #11, F7): no violation is reported,
htmx still updates the search results, and Swagger UI renders from the app's own files."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.test_browser import DEMO_EXPORTER, sign_in

pytestmark = pytest.mark.browser


def _violations(page: Any) -> list[str]:
    """Console messages Chromium writes when the policy refuses something."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    return seen


def test_f7_pages_and_htmx_work_under_the_policy(page: Any, live_server: LiveServer) -> None:
    seen = _violations(page)
    page.goto(f"{live_server.url}/control-list/search")
    page.locator("#q").press_sequentially("IMSI catcher")  # keyup: htmx fetches and swaps the results
    page.locator("#results li").first.wait_for()
    assert "5A001.f" in page.locator("#results").inner_text()
    sign_in(page, live_server, DEMO_EXPORTER)
    for path in ("/", "/applications/new", "/due-diligence", "/screening", "/determinations/new"):
        page.goto(f"{live_server.url}{path}")
    assert seen == []


def test_f7_swagger_ui_renders_from_the_app(page: Any, live_server: LiveServer) -> None:
    seen = _violations(page)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "dualuse" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() > 10  # the operations are listed
    assert outside == []  # nothing from a CDN
    assert [m for m in seen if "script" in m] == []  # scripts are all 'self'
