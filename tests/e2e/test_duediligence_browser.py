"""End to end in headless Chromium: due diligence leads to a notification, the DE authority imposes an
authorisation requirement, FR and NL agree, it is published, and another exporter's essentially identical
transaction now needs a licence under Art. 5(1)/(6)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from dualuse.adapters.sources.duediligence import load_red_flags
from dualuse.domain.duediligence import STEPS, Step
from tests.e2e.conftest import LiveServer, page_shows
from tests.e2e.test_browser import sign_in

pytestmark = pytest.mark.browser

END_USER = "State Security Monitoring Directorate"
ITEM = "Monitoring centre software"


@pytest.fixture
def session_of(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_as(email: str) -> Any:
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        sign_in(page, live_server, email)
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_notification_to_union_wide_requirement(session_of: Any, live_server: LiveServer) -> None:
    flags = load_red_flags()
    exporter = session_of("exporter@demo.dualuse.eu")
    exporter.goto(f"{live_server.url}/due-diligence")
    exporter.get_by_label("Title").fill("Monitoring centre for the security directorate")
    exporter.get_by_label("Destination", exact=True).fill("EG")
    exporter.get_by_label("End-user", exact=True).fill(END_USER)
    exporter.get_by_label("Kind of end-user").select_option("government")
    exporter.get_by_label("The item").fill(ITEM)
    exporter.get_by_role("button", name="Open the case").click()
    exporter.get_by_role("link", name="Continue: classification").click()
    serious = [
        v for v in Axe().run(exporter).response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, [(v["id"], v["help"]) for v in serious]
    for step in STEPS:
        if step is Step.CONCLUSION:
            continue
        assert f"/steps/{step.value}" in exporter.url
        for flag in flags.for_step(step):
            exporter.check(f"#{flag.id}-{'yes' if flag.points_to == 'internal_repression' else 'no'}")
        exporter.get_by_label("What you found at this step").fill(f"{step.value}: checked")
        exporter.get_by_role("button", name="Save and continue").click()
    assert exporter.get_by_label("Notify the authority (Art. 5(2))").is_checked()
    exporter.get_by_label("Why").fill("The end-user has a record of repression")
    exporter.get_by_role("button", name="Record the conclusion").click()
    exporter.get_by_role("button", name="Notify the authority of DE").click()
    page_shows(exporter, "submitted")

    officer_de = session_of("officer-de@demo.dualuse.eu")
    officer_de.get_by_role("link", name="Notifications").click()
    officer_de.get_by_label("Yes, require an authorisation").check()
    officer_de.get_by_label("Why").fill("Security service with a record of repression")
    officer_de.get_by_role("button", name="Record the decision").click()
    page_shows(officer_de, "authorisation required")

    for email in ("officer-fr@demo.dualuse.eu", "officer-nl@demo.dualuse.eu"):
        officer = session_of(email)
        officer.goto(f"{live_server.url}/authority/notifications")
        assert (
            "Monitoring centre for the security directorate" not in officer.content()
        )  # not addressed to them
        officer.get_by_label("Agree", exact=True).check()
        officer.get_by_label("Reason").fill("We share the assessment")
        officer.get_by_role("button", name="Record our view").click()

    public = exporter.context.browser.new_context().new_page()
    public.goto(f"{live_server.url}/requirements")
    assert END_USER in public.content()
    public.context.close()

    other = session_of("exporter-fr@demo.dualuse.eu")
    other.goto(f"{live_server.url}/due-diligence/1")
    assert "Not found" in other.content()
    other.goto(f"{live_server.url}/determinations/new")
    other.get_by_label("Your member state").select_option("FR")
    other.get_by_label("Destination country", exact=True).fill("EG")
    other.get_by_label("End-user (optional)").fill(END_USER.upper())
    other.get_by_label("Kind of end-user").select_option("government")
    other.get_by_label("Item description").fill(ITEM.lower())
    other.get_by_role("button", name="Get the answer").click()
    other.get_by_role("heading", name="You need a licence for this export").wait_for()
    text = other.content()
    assert "Art. 5(1)" in text
    assert "Art. 5(6)" in text
