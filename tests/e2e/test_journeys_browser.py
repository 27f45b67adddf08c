"""Each role's main journey in Chromium at 1280 and 375 px wide (issue #13): one deliberate mistake per form
(the error summary lists every error, the input is kept), no page wider than the window, a screenshot of
every step saved under ``test-output/e2e/<width>/`` (``DUALUSE_TEST_OUTPUT`` moves it)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import LiveServer, page_shows, started_application

pytestmark = pytest.mark.browser

WIDTHS = [1280, 375]
OUTPUT = Path(os.environ.get("DUALUSE_TEST_OUTPUT", "test-output")) / "e2e"


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def sized(browser: Any, request: pytest.FixtureRequest) -> Any:
    width: int = request.param
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.width = width  # for ``step``
    yield page
    context.close()


def step(page: Any, name: str) -> None:
    """The page as it is now: not wider than the window, and a screenshot of it."""
    page.wait_for_load_state("load")
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= page.width, f"{name}: the page is {wide} px wide in a {page.width} px window"
    folder = OUTPUT / str(page.width)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def errors_listed(page: Any) -> list[str]:
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    return [a.get_attribute("href") for a in summary.locator("a").all()]


def sign_in(page: Any, server: LiveServer, email: str, then: str = "/") -> None:
    page.goto(f"{server.url}/login?next={then}")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(server.logins[email])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}{then}")


def todo_count(page: Any, key: str) -> int:
    return int(page.locator(f'[data-todo-key="{key}"]').get_attribute("data-count"))


def test_the_public_checks_a_shipment_and_a_licence(sized: Any, live_server: LiveServer) -> None:
    page = sized
    page.goto(live_server.url)
    step(page, "public-01-home")
    if page.width < 700:  # the menu is one button on a phone, and opens without leaving the page
        menu_link = page.get_by_role("navigation").get_by_role("link", name="Control list", exact=True)
        assert not menu_link.is_visible()
        page.locator("summary.menu-button").click()
        menu_link.wait_for()
        step(page, "public-02-menu-open")
    page.goto(f"{live_server.url}/determinations/new")
    page.get_by_label("Description").first.fill("Network encryptor, kept")
    page.get_by_label("Control code").fill("5A002.a")
    page.get_by_label("Quantity").fill("many")
    page.get_by_role("button", name="Get the answer").click()
    assert errors_listed(page) == ["#destination", "#quantity"]
    assert page.get_by_label("Control code").input_value() == "5A002.a"
    assert page.locator("#destination").get_attribute("aria-invalid") == "true"
    step(page, "public-03-licence-check-mistake")
    page.get_by_label("Destination country").fill("United States")
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Get the answer").click()
    assert (
        "general authorisation"
        in page.get_by_role("heading", level=2, name=re.compile("export")).first.inner_text()
    )
    assert page.get_by_text("What you can use instead of a licence").is_visible()
    assert page.locator('a[href="https://eur-lex.europa.eu/eli/reg/2021/821/oj"]').first.is_visible()
    assert "[M]" not in page.content()
    page.get_by_text("About this data").click()
    step(page, "public-04-licence-check-answer")
    page.goto(f"{live_server.url}/verify")
    page.get_by_role("button", name="Check the licence").click()
    assert errors_listed(page) == ["#number", "#code"]
    step(page, "public-05-verify-mistake")
    page.goto(f"{live_server.url}/control-list/5A002.a")
    step(page, "public-06-control-list-entry")
    page.goto(f"{live_server.url}/control-list/changes")
    step(page, "public-07-list-changes")


def test_an_ngo_reports_with_its_sources_protected(sized: Any, live_server: LiveServer) -> None:
    page = sized
    page.goto(f"{live_server.url}/submissions/new")
    assert page.get_by_role("heading", name="Your privacy and your sources").is_visible()
    page.get_by_label("What happened").fill("Kept: the unit was seen at a protest.")
    page.get_by_role("button", name="Send").click()
    assert errors_listed(page) == ["#organisation_name", "#subject", "#sources"]
    assert page.get_by_label("What happened").input_value() == "Kept: the unit was seen at a protest."
    step(page, "ngo-01-report-mistake")
    page.get_by_label("Your organisation").fill("Digital Rights Watch (test)")
    page.get_by_label("Which end-user or country").fill("Example Security Bureau")
    page.get_by_label("Sources (one per line: links or references)").fill("https://example.org/report")
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Report sent").wait_for()
    step(page, "ngo-02-report-sent")


def test_the_exporter_works_through_its_todo_list(sized: Any, live_server: LiveServer) -> None:
    page = sized
    page.goto(f"{live_server.url}/screening/hits")
    assert "/login?next=/screening/hits" in page.url
    step(page, "exporter-01-sign-in-asked")
    page.get_by_label("Email address").fill("clerk@demo.dualuse.eu")
    page.get_by_label("Password").fill(live_server.logins["clerk@demo.dualuse.eu"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/screening/hits")  # back to the page asked for
    step(page, "exporter-02-hits")
    card = page.locator("section.card").first
    card.get_by_role("button", name="Record decision").click()
    listed = errors_listed(page)
    assert len(listed) == 2
    assert listed[0].startswith("#decision-")
    assert listed[1].startswith("#reason-")
    step(page, "exporter-03-hit-mistake")
    page.goto(live_server.url)
    assert todo_count(page, "review") == 1
    assert todo_count(page, "used_up") == 1
    step(page, "exporter-04-home")
    page.goto(f"{live_server.url}/screening")
    page.get_by_label("Date of birth (YYYY-MM-DD)").fill("31.12.1970")
    page.get_by_label("Country").fill("Atlantis")
    page.get_by_role("button", name="Screen").click()
    assert errors_listed(page) == ["#name", "#country", "#birth_date"]
    assert page.get_by_label("Country").input_value() == "Atlantis"
    step(page, "exporter-05-screening-mistake")
    page.goto(f"{live_server.url}/applications/new")
    page.get_by_role("button", name="Start the application").click()
    assert errors_listed(page) == ["#application_type-individual"]
    page.get_by_label("Global", exact=True).check()
    page.get_by_role("button", name="Start the application").click()
    page_shows(page, "You have completed 1 of 4 parts.")
    step(page, "exporter-06-application-tasks")
    page.get_by_role("link", name="Items", exact=True).click()
    page.get_by_role("link", name="Add an item").click()
    page.get_by_label("Item description").fill("Kept: network encryptor")
    page.get_by_label("Value in EUR").fill("ten thousand")
    page.get_by_role("button", name="Save the item").click()
    assert errors_listed(page) == ["#control_code", "#quantity", "#value_eur"]
    assert page.get_by_label("Item description").input_value() == "Kept: network encryptor"
    step(page, "exporter-06-application-mistake")
    page.get_by_label("Control code of the item").fill("5A002.a")
    page.get_by_label("Quantity").fill("20")
    page.get_by_label("Value in EUR").fill("10000")
    page.get_by_role("button", name="Save the item").click()
    step(page, "exporter-06-application-items")
    page.goto(page.url.replace("/items", "/check"))
    assert "Add the end-user" in page.content()  # what is still missing, linked to its part
    step(page, "exporter-06-application-check")
    page.get_by_role("link", name="Back to the application").click()
    page.get_by_role("link", name="Withdraw this draft").click()
    step(page, "exporter-06-application-withdraw")
    page.get_by_role("button", name="Withdraw the application").click()
    page_shows(page, "withdrawn")
    page.goto(f"{live_server.url}/applications")
    step(page, "exporter-07-applications")
    page.goto(f"{live_server.url}/classifications")
    step(page, "exporter-08-classifications")
    page.goto(f"{live_server.url}/general-authorisations")
    step(page, "exporter-09-general-authorisations")
    page.goto(f"{live_server.url}/due-diligence")
    page.get_by_role("button", name="Open the case").click()
    assert errors_listed(page) == ["#title", "#destination", "#end_user_name", "#item_description"]
    step(page, "exporter-10-due-diligence-mistake")


def test_the_officer_and_the_senior_work_their_cases(sized: Any, live_server: LiveServer) -> None:
    page = sized
    sign_in(page, live_server, "officer-de@demo.dualuse.eu")
    assert todo_count(page, "awaiting_exporter") >= 1
    step(page, "officer-01-home")
    page.goto(f"{live_server.url}/authority/cases")
    step(page, "officer-02-queue")
    page.goto(f"{live_server.url}/authority/notices")
    page.get_by_role("button", name="Issue the notice").click()
    assert errors_listed(page) == ["#organisation_id", "#reason", "#destination"]
    step(page, "officer-03-notice-mistake")
    page.goto(f"{live_server.url}/authority/notifications")
    page.get_by_role("button", name="Record the profile").click()
    assert errors_listed(page) == ["#rp-subject", "#rp-summary", "#rp-source"]
    step(page, "officer-04-profile-mistake")
    page.context.clear_cookies()
    sign_in(page, live_server, "senior-de@demo.dualuse.eu")
    assert page.locator('[data-todo-key="countersign"]').count() == 1
    step(page, "senior-01-home")


def test_the_officer_assesses_a_case_and_keeps_every_answer(page: Any, live_server: LiveServer) -> None:
    page.width = 1280
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server, "officer-de@demo.dualuse.eu", "/authority/cases?status=submitted")
    page.locator("main table a").first.click()
    page.get_by_role("button", name="Start the assessment").click()
    page.get_by_role("button", name="Request information").click()
    assert errors_listed(page) == ["#question"]
    notes = page.get_by_label("Note")
    for i in range(notes.count()):
        notes.nth(i).fill(f"kept note {i}")
    page.get_by_label("Deny, relying on the concerns marked").check()
    page.get_by_role("button", name="Record the assessment and recommend").click()
    assert errors_listed(page) == ["#kind-grant", "#reasoning"]
    for i in range(notes.count()):
        assert page.get_by_label("Note").nth(i).input_value() == f"kept note {i}"
    assert page.get_by_label("Deny, relying on the concerns marked").is_checked()
    step(page, "officer-05-assessment-mistake")


def test_the_commission_sees_what_awaits_it(sized: Any, live_server: LiveServer) -> None:
    page = sized
    sign_in(page, live_server, "commission@demo.dualuse.eu")
    assert page.locator('[data-todo-key="requirements"]').count() == 1
    step(page, "commission-01-home")


def test_no_page_scrolls_sideways_on_a_phone(browser: Any, live_server: LiveServer) -> None:
    """Every page of the accessibility sweep, 375 px wide, signed in as whoever may see it."""
    from tests.e2e.test_accessibility import AUTHORITY, EXPORTER, PUBLIC

    for who, paths in (
        (None, PUBLIC),
        ("exporter@demo.dualuse.eu", EXPORTER),
        ("officer-de@demo.dualuse.eu", AUTHORITY),
    ):
        context = browser.new_context(viewport={"width": 375, "height": 800})
        page = context.new_page()
        page.width = 375
        if who:
            sign_in(page, live_server, who)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
            step(page, f"sweep-{'public' if who is None else who.split('@')[0]}-{name}")
        context.close()


def test_a_draft_application_reads_well_on_a_phone(browser: Any, live_server: LiveServer) -> None:
    """Every part page of a draft with an item and a party, 375 px wide: nothing scrolls sideways."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.width = 375
    sign_in(page, live_server, "exporter@demo.dualuse.eu")
    page.goto(f"{live_server.url}/applications/new")
    page.get_by_label("Large project", exact=True).check()
    page.get_by_role("button", name="Start the application").click()
    case = started_application(page)
    page.goto(f"{case}/items/new")
    page.get_by_label("Control code of the item").fill("5A001.f.1")
    page.get_by_label("Item description").fill(
        "Mobile telecommunications interception equipment, model X-900"
    )
    page.get_by_label("CN code (8 digits, optional)").fill("85176200")
    page.get_by_label("Quantity").fill("1")
    page.get_by_label("Value in EUR").fill("1200000")
    page.get_by_role("button", name="Save the item").click()
    page.goto(f"{case}/parties/new")
    page.get_by_label("Name of the party").fill(
        "Ministério da Justiça e Segurança Pública, Diretoria de Inteligência"
    )
    page.get_by_label("Country", exact=True).fill("Brazil")
    page.get_by_label("What kind of body is it?").select_option("government")
    page.get_by_role("button", name="Save the party").click()
    for part in (
        "",
        "/type",
        "/items",
        "/items/1",
        "/parties",
        "/parties/1",
        "/end-use",
        "/check",
        "/withdraw",
    ):
        page.goto(f"{case}{part}")
        step(page, f"draft-{part.strip('/').replace('/', '-') or 'tasks'}")
    page.get_by_role("button", name="Withdraw the application").click()
    context.close()
