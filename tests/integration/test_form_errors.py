"""One pattern for questions and errors on every form (issue #13): a mistake shows the form again with an
error summary listing every error, a message beside each field (aria-invalid), what was entered kept, plain
words (no internal field names) and nothing recorded."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container, load_demo_world, load_reference_data
from dualuse.entrypoints.http.app import create_app
from tests.integration.test_homes import sign_in

INTERNAL = re.compile(r"\b(control_code|value_eur|end_user|item_line|shipped_on|true_match|false_positive)\b")


@pytest.fixture
def world(container: Container) -> tuple[Container, dict[str, str]]:
    load_reference_data(container)
    return container, {login.email: login.password for login in load_demo_world(container)}


def client_for(world: tuple[Container, dict[str, str]], email: str) -> tuple[TestClient, str]:
    container, logins = world
    web = TestClient(create_app(container=container))
    sign_in(web, email, logins[email])
    token = re.search(r'name="csrftoken" value="([^"]+)"', web.get("/account").text)
    assert token
    return web, token.group(1)


def summary(html: str) -> list[tuple[str, str]]:
    box = html.split('class="error-summary-list"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', box)


def visible_text(html: str) -> str:
    """The page without its attribute values (ids and names may be internal; what people read may not)."""
    return re.sub(r"<[^>]+>", " ", html)


def test_a_mistaken_assessment_keeps_every_answer_and_records_nothing(
    world: tuple[Container, dict[str, str]],
) -> None:
    officer, token = client_for(world, "officer-de@demo.dualuse.eu")
    queue = officer.get("/authority/cases?status=submitted").text
    criteria: list[str] = []
    for found in dict.fromkeys(
        re.findall(r'href="/applications/(\d+)"', queue)
    ):  # the first case one may assess
        case_id = int(found)
        page = officer.get(f"/applications/{case_id}").text
        version = re.search(r"Version (\d+)\.", page).group(1)  # type: ignore[union-attr]  # the case's
        officer.post(
            f"/applications/{case_id}/actions/start_assessment", data={"csrftoken": token, "version": version}
        )
        page = officer.get(f"/applications/{case_id}").text
        criteria = re.findall(r'name="note-([\w.-]+)"', page)
        if criteria:
            version = re.search(r"Version (\d+)\.", page).group(1)  # type: ignore[union-attr]
            break
    assert len(criteria) >= 8
    sent = {
        "csrftoken": token,
        "version": version,
        "kind": "deny",
        "reasoning": "",
        "conditions": "keep records",
    }
    sent |= {f"note-{c}": f"note on {c}" for c in criteria}
    answer = officer.post(f"/applications/{case_id}/assessment", data=sent)
    assert answer.status_code == 400
    assert "<title>Error: " in answer.text
    errors = summary(answer.text)
    assert [field for field, _ in errors] == ["kind-grant", "reasoning", "conditions"]
    for c in criteria:  # twelve notes kept
        assert f'value="note on {c}"' in answer.text
    assert re.search(r'id="kind-deny"[^>]*checked', answer.text)
    assert 'aria-invalid="true"' in answer.text
    assert re.search(r'id="reasoning-error"', answer.text)
    after = officer.get(f"/applications/{case_id}").text
    assert "under assessment" in after
    assert "Recommendation:" not in after
    assert re.search(r"Version (\d+)\.", after).group(1) == version  # type: ignore[union-attr]  # nothing recorded


def test_an_empty_item_lists_every_missing_answer_in_the_order_of_the_form(
    world: tuple[Container, dict[str, str]],
) -> None:
    exporter, token = client_for(world, "exporter@demo.dualuse.eu")
    started = exporter.post(
        "/applications/new",
        data={"csrftoken": token, "application_type": "individual"},
        follow_redirects=False,
    )
    case = started.headers["location"]
    answer = exporter.post(
        f"{case}/items",
        data={"csrftoken": token, "quantity": "lots", "description": "Kept text", "cn_code": "85.17"},
    )
    assert answer.status_code == 400
    fields = [field for field, _ in summary(answer.text)]
    assert fields == ["control_code", "cn_code", "quantity", "value_eur"]
    assert 'value="Kept text"' in answer.text
    assert 'value="lots"' in answer.text
    assert not INTERNAL.search(visible_text(answer.text))


def test_a_mistaken_shipment_lists_every_error_and_keeps_the_input(
    world: tuple[Container, dict[str, str]],
) -> None:
    exporter, token = client_for(world, "exporter@demo.dualuse.eu")
    listing = exporter.get("/applications").text
    numbers = re.findall(r"(DE-\d{4}-\d+)", listing)
    assert numbers
    cases = re.findall(r'href="/applications/(\d+)"', listing)
    case_id = next(c for c in cases if "Report a shipment" in exporter.get(f"/applications/{c}").text)
    answer = exporter.post(
        f"/licences/{numbers[0]}/shipments",
        data={
            "csrftoken": token,
            "case_id": case_id,
            "item_line": "first",
            "quantity": "a few",
            "value_eur": "10",
            "shipped_on": "31/12/2026",
            "customs_reference": "MRN-KEPT",
        },
    )
    assert answer.status_code == 400
    fields = {field for field, _ in summary(answer.text)}
    assert fields == {"shipped_on", "item_line", "ship_quantity"}
    assert 'value="MRN-KEPT"' in answer.text
    assert 'value="31/12/2026"' in answer.text
    assert not INTERNAL.search(visible_text(answer.text))


def test_a_hit_decision_without_choice_or_reason_is_shown_beside_the_hit(
    world: tuple[Container, dict[str, str]],
) -> None:
    exporter, token = client_for(world, "exporter@demo.dualuse.eu")
    page = exporter.get("/screening/hits").text
    hit_id = re.search(r'action="/screening/hits/(\d+)"', page).group(1)  # type: ignore[union-attr]
    answer = exporter.post(f"/screening/hits/{hit_id}", data={"csrftoken": token, "reason": ""})
    assert answer.status_code == 400
    assert [f for f, _ in summary(answer.text)] == [f"decision-{hit_id}-true_match", f"reason-{hit_id}"]
    assert not INTERNAL.search(visible_text(answer.text))
    still = exporter.get("/screening/hits").text
    assert f'action="/screening/hits/{hit_id}"' in still  # nothing decided


def test_an_error_page_keeps_the_signed_in_header_and_speaks_plainly(
    world: tuple[Container, dict[str, str]],
) -> None:
    exporter, token = client_for(world, "exporter@demo.dualuse.eu")
    answer = exporter.post(
        "/applications/1/actions/withdraw",
        data={"csrftoken": token, "version": "not a number"},
        headers={"accept": "text/html"},
    )
    assert answer.status_code == 422
    assert "Sign out" in answer.text
    assert "Invalid input" not in answer.text
    assert "There is a problem" in answer.text


def test_the_verify_landing_page_asks_for_number_and_code(world: tuple[Container, dict[str, str]]) -> None:
    container, _ = world
    web = TestClient(create_app(container=container))
    assert web.get("/verify").status_code == 200
    missing = web.get("/verify", params={"check": "yes", "number": "", "code": ""})
    assert missing.status_code == 400
    assert [f for f, _ in summary(missing.text)] == ["number", "code"]
    go = web.get(
        "/verify", params={"check": "yes", "number": "de-2026-000001", "code": "AB"}, follow_redirects=False
    )
    assert go.headers["location"] == "/verify/DE-2026-000001?code=AB"


WORKING_NOTES = re.compile(r"\[M\]|from memory|third-party parse|\.json\b|\.md\b|\.ya?ml\b")


@pytest.mark.parametrize("code", ["5A002.a", "5A001.f", "3A001", "5D002"])
def test_public_entry_pages_keep_provenance_in_one_disclosure(
    world: tuple[Container, dict[str, str]], code: str
) -> None:
    container, _ = world
    page = TestClient(create_app(container=container)).get(f"/control-list/{code}")
    assert page.status_code == 200
    assert not WORKING_NOTES.search(page.text)
    assert page.text.count("About this data") == 1
    assert 'href="https://eur-lex.europa.eu/eli/reg/2021/821/oj"' in page.text


def test_a_screening_with_a_date_of_birth_that_is_no_date_says_why_and_keeps_the_answers(
    world: tuple[Container, dict[str, str]],
) -> None:
    exporter, token = client_for(world, "exporter@demo.dualuse.eu")
    for typed, words in [
        ("1999-13-45", "The month of the date of birth must be between 01 and 12"),
        ("1970-02-30", "Date of birth must be a real date: February 1970 has no day 30"),
        ("30/01/1970", "Enter the date of birth as year-month-day, e.g. 1970-05-31, or only the year"),
    ]:
        answer = exporter.post(
            "/screening",
            data={
                "csrftoken": token,
                "name": "Viktor Testov",
                "kind": "person",
                "birth_date": typed,
                "role": "end_user",
            },
        )
        assert answer.status_code == 400
        assert summary(answer.text) == [("birth_date", words)]
        assert f'value="{typed}"' in answer.text
        assert 'value="Viktor Testov"' in answer.text
        assert not INTERNAL.search(visible_text(answer.text))
