"""Sign-in hardening in headless Chromium: the lockout message on the form (F5), and signing out one's
other sessions from the account page (F6)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.test_browser import sign_in

pytestmark = pytest.mark.browser

DEMO_OFFICER = "officer-nl@demo.dualuse.eu"


@pytest.fixture
def second_page(browser: Any) -> Iterator[Any]:
    """Another browser (its own cookies), as on a second device."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_f5_the_sign_in_form_says_when_to_try_again(page: Any, live_server: LiveServer) -> None:
    # an address with no account: no demo user is locked out by this test
    for attempt in range(6):
        page.goto(f"{live_server.url}/login")
        page.get_by_label("Email address").fill("intruder@demo.dualuse.eu")
        page.get_by_label("Password").fill(f"guess number {attempt}")
        page.get_by_role("button", name="Sign in").click()
        alert = page.get_by_role("alert").inner_text()
        if attempt < 5:
            assert "not right" in alert
    assert "Too many failed sign-in attempts" in alert
    assert "try again in 15 minutes" in alert


def test_f6_signing_out_other_sessions_from_the_account_page(
    page: Any, second_page: Any, live_server: LiveServer
) -> None:
    sign_in(page, live_server, DEMO_OFFICER)
    sign_in(second_page, live_server, DEMO_OFFICER)
    page.goto(f"{live_server.url}/account")
    sessions = page.get_by_test_id("sessions").inner_text()
    assert "this browser" in sessions
    page.get_by_role("button", name="Sign out your other sessions").click()
    assert "other session" in page.get_by_test_id("notice").inner_text()
    second_page.goto(f"{live_server.url}/account")
    assert second_page.url.startswith(f"{live_server.url}/login")  # and back to /account after sign-in
    page.goto(f"{live_server.url}/account")
    assert page.url == f"{live_server.url}/account"
