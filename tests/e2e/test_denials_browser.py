"""Denials between member states in headless Chromium (issue 18): an FR officer and senior deny a 5A001.j
export to an end-user (a denial notified to every state and the Commission, Art. 16(1)); a DE officer
assessing an application for the same end-user spelled otherwise sees the match and why; the DE senior
cannot decide before FR has been consulted (Art. 16(5)); the DE officer consults FR, the FR officer answers;
the DE senior grants anyway with reasons, and the other states (NL, FR) and the Commission are told."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import LiveServer, page_shows
from tests.e2e.test_browser import sign_in
from tests.e2e.test_casework_browser import apply, recommend

pytestmark = pytest.mark.browser
DENIED = "Caspian Interception Systems LLC"
SPELLED_OTHERWISE = "CASPIAN INTERCEPTON SYSTEMS"
REASONS = "Contract limited to the licensed civil operator; on-site end-use checks agreed"


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


def test_a_denial_in_france_holds_an_essentially_identical_german_case_until_consulted(
    session_of: Any, live_server: LiveServer
) -> None:
    # FR denies a 5A001.j export to the end-user
    fr_exporter = session_of("exporter-fr@demo.dualuse.eu")
    fr_case = apply(fr_exporter, live_server, DENIED, "AZ", "5A001.j")
    fr_officer = session_of("officer-fr@demo.dualuse.eu")
    fr_officer.goto(fr_case)
    fr_officer.get_by_role("button", name="Start the assessment").click()
    recommend(
        fr_officer, "Deny, relying on the concerns marked", "Documented repression of journalists", "cp.2"
    )
    fr_senior = session_of("senior-fr@demo.dualuse.eu")
    fr_senior.goto(fr_case)
    fr_senior.get_by_label("denied").check()
    fr_senior.get_by_role("button", name="Countersign").click()
    page_shows(fr_senior, "Decision: denied")

    # DE's officer sees the FR denial in the register, and on the case for the same end-user spelled otherwise
    de_exporter = session_of("exporter@demo.dualuse.eu")
    de_case = apply(de_exporter, live_server, SPELLED_OTHERWISE, "AZ", "5A001")
    de_officer = session_of("officer-de@demo.dualuse.eu")
    de_officer.goto(f"{live_server.url}/authority/denials?state=FR")
    register = de_officer.locator("#denials").inner_text()
    assert DENIED in register
    de_officer.goto(de_case)
    section = de_officer.locator("#denials")
    reasons = section.inner_text()
    assert "Denials in force from other states" in reasons
    assert "control code 5A001.J overlaps 5A001" in reasons
    assert f"'{DENIED}'" in reasons
    assert "name score" in reasons
    assert "The case cannot be decided until the denying state has been consulted" in reasons
    assert "Consultation: not yet opened." in reasons
    assert "Denial in force from FR" in de_officer.locator("#casework").inner_text()  # the blocking flag
    de_officer.get_by_role("button", name="Start the assessment").click()
    recommend(de_officer, "Grant", "Civil network operator")

    # the DE senior cannot decide before FR has been consulted
    de_senior = session_of("senior-de@demo.dualuse.eu")
    de_senior.goto(de_case)
    assert "The decision waits for the consultation" in de_senior.locator("#decision-held").inner_text()
    assert de_senior.get_by_role("button", name="Countersign").count() == 0

    de_officer.goto(de_case)
    de_officer.locator("#denials textarea").first.fill("Does your denial still stand for this operator?")
    de_officer.locator("#denials").get_by_role("button", name="Consult FR").first.click()
    assert "Consultation of FR: open" in de_officer.locator("#denials").inner_text()

    # FR answers
    fr_officer.goto(f"{live_server.url}/authority/consultations")
    card = fr_officer.locator("section.card", has_text="Does your denial still stand for this operator?")
    card.get_by_label("objects").check()
    card.get_by_label("Reasons (required with an objection)").fill("Our denial stands: diversion risk")
    card.get_by_role("button", name="Send the answer").click()
    assert "Your answer: objects — Our denial stands: diversion risk" in card.inner_text()

    # the DE senior grants anyway, with the reasons the other states and the Commission are told
    de_senior.goto(de_case)
    assert "FR objects: Our denial stands: diversion risk" in de_senior.locator("#denials").inner_text()
    de_senior.get_by_label("granted").check()
    de_senior.get_by_role("button", name="Countersign").click()
    page_shows(de_senior, re.compile("say why you grant anyway", re.IGNORECASE))
    de_senior.get_by_label("Why you grant although a denial of another state is in force").fill(REASONS)
    de_senior.get_by_label("granted").check()
    de_senior.get_by_role("button", name="Countersign").click()
    page_shows(de_senior, "Decision: granted")

    for email, register_url in (
        ("officer-nl@demo.dualuse.eu", "/authority/denials"),
        ("officer-fr@demo.dualuse.eu", "/authority/denials"),
        ("commission@demo.dualuse.eu", "/commission/denials"),
    ):
        reader = session_of(email)
        reader.goto(f"{live_server.url}{register_url}")
        notices = reader.locator("#notices").inner_text()
        assert "from DE" in notices, email
        assert "despite denial FR-DEN-" in notices, email
        assert REASONS in notices, email
