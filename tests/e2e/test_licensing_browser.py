"""End to end in headless Chromium: apply, a question and its answer, recommendation, countersignature,
the PDF licence, shipments until the licence is used up, a refused further shipment; the FR authority
never sees the DE case."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import LiveServer, apply_for, page_shows
from tests.e2e.test_browser import sign_in

pytestmark = pytest.mark.browser


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


def test_apply_to_exhausted_licence(session_of: Any, live_server: LiveServer) -> None:
    exporter = session_of("exporter@demo.dualuse.eu")
    case_url = apply_for(
        exporter,
        live_server,
        code="5A001.j",
        description="Carrier-grade IP surveillance system",
        quantity="2",
        value="300000",
        end_user="Brasil Telecom Operadora SA",
        destination="BR",
        end_use="Lawful interception for a licensed public network",
    )
    case_path = case_url.removeprefix(live_server.url)
    assert "submitted" in exporter.content()

    french = session_of("officer-fr@demo.dualuse.eu")
    french.goto(f"{live_server.url}/authority/cases")
    # FR's queue does not list DE's case (other tests of the run may leave FR cases of their own with 5A001.j)
    assert f'href="{case_path}"' not in french.content()
    assert french.goto(f"{live_server.url}{case_path}").status == 404  # F16: as if it did not exist

    officer = session_of("officer-de@demo.dualuse.eu")
    officer.get_by_role("link", name="Cases", exact=True).first.click()
    officer.get_by_role("link", name=case_path.rsplit("/", 1)[1], exact=True).click()
    officer.get_by_role("button", name="Start the assessment").click()
    officer.get_by_label("Question").fill("Who operates the monitoring centre?")
    officer.get_by_role("button", name="Request information").click()

    exporter.goto(case_url)
    assert "The authority asks for information" in exporter.content()
    exporter.get_by_label("Message").fill("The operator's own lawful-interception team, under court orders.")
    exporter.get_by_role("button", name="Send").click()

    officer.goto(case_url)
    assert "under assessment" in officer.content()
    officer.get_by_label("Grant", exact=True).check()  # nothing is preselected (issue 19)
    officer.get_by_label("Reasoning").fill("Court-ordered interception by a licensed operator; no concerns")
    officer.get_by_role("button", name="Record the assessment and recommend").click()
    page_shows(officer, "Recommendation: grant")
    assert french.goto(f"{live_server.url}{case_path}").status == 404

    senior = session_of("senior-de@demo.dualuse.eu")
    senior.goto(case_url)
    senior.get_by_label("granted").check()
    senior.get_by_role("button", name="Countersign").click()
    page_shows(senior, "Decision: granted")

    exporter.goto(case_url)
    with exporter.expect_download() as download:
        exporter.get_by_role("link", name="Download the licence (PDF)").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    for reference in ("MRN-0001", "MRN-0002"):
        exporter.get_by_label("Quantity shipped").fill("1")
        exporter.get_by_label("Value shipped (EUR)").fill("150000")
        exporter.get_by_label("Customs reference").fill(reference)
        exporter.get_by_role("button", name="Report the shipment").click()
    page_shows(exporter, "exhausted")
    exporter.get_by_label("Quantity shipped").fill("1")
    exporter.get_by_label("Value shipped (EUR)").fill("1")
    exporter.get_by_label("Customs reference").fill("MRN-0003")
    exporter.get_by_role("button", name="Report the shipment").click()
    page_shows(exporter, "exhausted")
    page_shows(exporter, re.compile("Conflict|refused", re.IGNORECASE))
