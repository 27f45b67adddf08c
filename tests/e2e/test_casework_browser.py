"""From application to decision in headless Chromium when a party is on a sanctions list (issue 19): the
case is flagged by the flagging rules and routed to the sanctions team, the officer assigns it, the
countersignature is refused while the blocking flag is active, the senior returns the case once, the
officer clears the flag with a reason and recommends again, the senior countersigns; the licence (Annex III
layout) and a refusal letter download and carry their fields."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pypdf
import pytest

from tests.e2e.conftest import LiveServer, apply_for, page_shows
from tests.e2e.test_browser import sign_in

pytestmark = pytest.mark.browser
SANCTIONED = "Meridian Lawful Intercept Solutions"


@pytest.fixture
def session_of(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_as(email: str) -> Any:
        context = browser.new_context(accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, live_server, email)
        return page

    yield open_as
    for context in contexts:
        context.close()


def apply(exporter: Any, server: LiveServer, end_user: str, destination: str, code: str) -> str:
    return apply_for(
        exporter,
        server,
        code=code,
        description="IP network interception platform",
        cn_code="85176200",
        quantity="2",
        value="250000",
        end_user=end_user,
        destination=destination,
        end_use="Lawful interception for a licensed public network",
    )


def pdf_text(download: Any) -> str:
    data = download.value.path().read_bytes()
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def recommend(officer: Any, kind: str, reasoning: str, concern: str | None = None) -> None:
    if concern:
        officer.locator(f"[id='concern-{concern}']").check()
        officer.locator(f"[id='note-{concern}']").fill("Documented surveillance of journalists")
    officer.get_by_label(kind, exact=True).check()
    officer.get_by_label("Reasoning").fill(reasoning)
    officer.get_by_role("button", name="Record the assessment and recommend").click()


def test_sanctions_hit_from_application_to_decision(session_of: Any, live_server: LiveServer) -> None:
    exporter = session_of("exporter@demo.dualuse.eu")
    case_url = apply(exporter, live_server, SANCTIONED, "AE", "5A001.j")
    case_id = case_url.rsplit("/", 1)[1]

    officer = session_of("officer-de@demo.dualuse.eu")
    officer.goto(f"{live_server.url}/authority/cases")
    row = officer.get_by_role("row").filter(has=officer.get_by_role("link", name=case_id, exact=True))
    assert "Sanctions and screening" in row.inner_text()  # routed by route-sanctions
    assert "blocking" in row.inner_text()
    assert "unassigned" in row.inner_text()
    assert "Demo Exporter" in row.inner_text() or "GmbH" in row.inner_text()  # the exporter's name
    row.get_by_role("link", name=case_id, exact=True).click()
    page_shows(officer, "Party with a sanctions hit")
    page = officer.content()
    assert "The case cannot be decided while a blocking flag is active" in page
    assert "score" in page  # the screening match, with its score and list version
    officer.get_by_label("Assign to (officer's e-mail)").fill("officer-de@demo.dualuse.eu")
    officer.get_by_role("button", name="Assign").click()
    assert "officer-de@demo.dualuse.eu" in officer.locator("#casework").inner_text()
    officer.get_by_role("button", name="Start the assessment").click()
    officer.locator("input[name=kind]").first.wait_for()
    assert officer.locator("input[name=kind]:checked").count() == 0  # nothing preselected
    recommend(officer, "Grant", "Lawful interception by a licensed operator")
    page_shows(officer, "Recommendation: grant")

    senior = session_of("senior-de@demo.dualuse.eu")
    senior.goto(case_url)
    assert "Findings" in senior.content()
    assert senior.locator("input[name=outcome]:checked").count() == 0
    senior.get_by_label("granted").check()
    with senior.expect_response(lambda r: r.url.endswith("/decision")) as refused:
        senior.get_by_role("button", name="Countersign").click()
    assert refused.value.status == 409
    page_shows(senior, "blocking flag")
    senior.goto(case_url)
    senior.get_by_label("Why you return it (refuse to countersign)").fill("Resolve the sanctions match first")
    senior.get_by_role("button", name="Return to the officer").click()
    page_shows(senior, "under assessment")

    officer.goto(case_url)
    assert (
        "Returned by the senior: Resolve the sanctions match first"
        in officer.locator("#returned").inner_text()
    )
    officer.get_by_label("Reason for clearing flag 1").fill(
        "Registry check: the end-user is a different company of the same name"
    )
    officer.get_by_role("button", name="Clear flag 1").click()
    casework = officer.locator("#casework").inner_text()
    assert "cleared by officer-de@demo.dualuse.eu" in casework
    assert "cannot be decided" not in casework
    recommend(officer, "Grant", "Match resolved as a false positive; licensed operator")

    senior.goto(case_url)
    senior.get_by_label("granted").check()
    senior.get_by_role("button", name="Countersign").click()
    page_shows(senior, "Decision: granted")

    exporter.goto(case_url)
    with exporter.expect_download() as download:
        exporter.get_by_role("link", name="Download the licence (PDF)").click()
    text = pdf_text(download)
    for expected in (
        "EUROPEAN UNION — EXPORT OF DUAL-USE ITEMS",
        "Consignee",
        f"{SANCTIONED}, AE",
        "Issuing authority",
        "End use",
        "Lawful interception for a licensed public network",
        "85176200",
        "5A001.j",
        "X060",
    ):
        assert expected in text, expected

    # a refusal, and its letter
    denied_url = apply(exporter, live_server, "Northgate Telecom Holdings", "AE", "5A001.j")
    officer.goto(denied_url)
    officer.get_by_role("button", name="Start the assessment").click()
    recommend(officer, "Deny, relying on the concerns marked", "Clear risk of monitoring journalists", "cp.2")
    page_shows(officer, "Recommendation: deny")
    senior.goto(denied_url)
    senior.get_by_label("denied").check()
    senior.get_by_role("button", name="Countersign").click()
    page_shows(senior, "Decision: denied")
    exporter.goto(denied_url)
    with exporter.expect_download() as download:
        exporter.get_by_role("link", name="Download the refusal letter (PDF)").click()
    text = pdf_text(download)
    for expected in (
        "Refusal of your application",
        "criterion 2",
        "Clear risk of monitoring journalists",
        "Art. 16(1)",
        "Widerspruch",
    ):
        assert expected in text, expected
