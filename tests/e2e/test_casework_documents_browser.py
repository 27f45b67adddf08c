"""Documents, requests after the decision and customs in headless Chromium (issue 19): the exporter files a
contract with its application and the officer downloads it from the case page; the exporter downloads the
deciding state's end-user statement; the exporter asks to amend its licence and the authority sees the
request; customs look the licence up, write a declaration off and see what is left."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import LiveServer, page_shows
from tests.e2e.test_browser import sign_in
from tests.e2e.test_casework_browser import apply, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning")]
CONTRACT = b"%PDF-1.4 purchase order PO-2026-114"


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


def test_documents_requests_and_customs(session_of: Any, live_server: LiveServer, tmp_path: Path) -> None:
    exporter = session_of("exporter@demo.dualuse.eu")
    case_url = apply(exporter, live_server, "Harbour Logistics FZE", "AE", "5A002.a")
    exporter.get_by_role("link", name="Add a contract, specification or other document").click()
    exporter.get_by_role("button", name="Add the document").click()
    assert "Choose what kind of document this is" in exporter.locator(".error-summary").inner_text()
    contract = tmp_path / "order.pdf"
    contract.write_bytes(CONTRACT)
    exporter.get_by_label("Contract or order").check()
    exporter.get_by_label("Title (optional)").fill("Purchase order PO-2026-114")
    exporter.get_by_label("Upload a file").set_input_files(str(contract))
    exporter.get_by_role("button", name="Add the document").click()
    assert "Purchase order PO-2026-114" in exporter.locator("#documents").inner_text()
    with exporter.expect_download() as download:
        exporter.get_by_role("link", name=re.compile("end-user statement for this application")).click()
    assert "Endverbleibserklärung" in pdf_text(download)

    officer = session_of("officer-de@demo.dualuse.eu")
    officer.goto(case_url)
    with officer.expect_download() as download:
        officer.get_by_role("link", name="Purchase order PO-2026-114").click()
    assert download.value.path().read_bytes() == CONTRACT

    # the demo licence in use: the exporter asks to amend it; the authority finds the request
    exporter.goto(f"{live_server.url}/applications")
    number = re.findall(r"DE-\d{4}-\d{6}", exporter.content())[0]
    exporter.goto(f"{live_server.url}/licences/{number}/change")
    exporter.get_by_label("Amend the licence's conditions").check()
    exporter.get_by_label(re.compile("Conditions the licence should carry")).fill("Report each shipment")
    exporter.get_by_label("Why do you ask for the change?").fill("Our customer's bank asks for it")
    exporter.get_by_role("button", name="Send the request").click()
    page_shows(exporter, "Amendment of a licence")
    officer.goto(f"{live_server.url}/requests")
    officer.get_by_role("link", name=re.compile(r"^\d+$")).first.click()
    page_shows(officer, "Our customer's bank asks for it")
    assert officer.locator("input[name=outcome]:checked").count() == 0  # nothing preselected

    customs = session_of("customs-de@demo.dualuse.eu")
    customs.goto(f"{live_server.url}/customs")
    customs.get_by_label("Licence or registration number").fill(number)
    customs.get_by_role("button", name="Look up").click()
    found = customs.locator("#found-heading").inner_text()
    assert number in found
    assert "In force" in customs.content()
    customs.get_by_label("Licence line").fill("1")
    customs.get_by_label("Quantity declared").fill("1000000")
    customs.get_by_label("Value declared (EUR)").fill("1")
    customs.get_by_label("Declaration (MRN)", exact=True).first.fill("26DE000000000777")
    customs.get_by_label("Accepted on").fill("2026-12-01")
    customs.get_by_role("button", name="Write off").click()
    page_shows(customs, "There is a problem")  # an over-draw is refused
