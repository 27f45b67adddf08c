"""An exporter saves a determination as a dated record (issue #13, "save this determination"): the answer
is worked out again when it is saved, kept with its list and rules versions, listed for the organisation
only, and reads the same after the rules move on."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container, load_demo_world, load_reference_data
from dualuse.entrypoints.http.app import create_app
from tests.integration.test_homes import sign_in


@pytest.fixture
def demo(container: Container) -> tuple[Container, TestClient, dict[str, str]]:
    load_reference_data(container)
    logins = {login.email: login.password for login in load_demo_world(container)}
    return container, TestClient(create_app(container=container)), logins


def csrf(html: str) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', html)
    assert found
    return found.group(1)


def ask(web: TestClient, **fields: str) -> str:
    form = web.get("/determinations/new")
    data = {"csrftoken": csrf(form.text), "activity": "export", "member_state": "DE", **fields}
    answer = web.post("/determinations/new", data=data)
    assert answer.status_code == 200, answer.text
    return answer.text


def test_an_exporter_saves_the_answer_and_finds_it_dated_in_its_records(
    demo: tuple[Container, TestClient, dict[str, str]],
) -> None:
    container, web, logins = demo
    sign_in(web, "exporter@demo.dualuse.eu", logins["exporter@demo.dualuse.eu"])
    page = ask(web, destination="CN", control_code="5A001.j", description="IP network surveillance system")
    assert "Save this determination" in page
    case = re.search(r'name="case" value="([^"]+)"', page)
    assert case
    sent = json.loads(case.group(1).replace("&#34;", '"').replace("&quot;", '"'))
    # what the browser sends back is a question, never an answer: a case carrying an outcome is refused
    forged = web.post(
        "/determinations/saved",
        data={"csrftoken": csrf(page), "case": json.dumps({**sent, "outcome": "no_licence_required"})},
    )
    assert forged.status_code in (400, 422)
    saved = web.post(
        "/determinations/saved",
        data={"csrftoken": csrf(page), "case": json.dumps(sent)},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    record_page = web.get(saved.headers["location"])
    assert record_page.status_code == 200
    reference = re.search(r"DET-\d{4}-\d{6}", record_page.text)
    assert reference
    assert "Determination saved" in record_page.text
    assert 'data-outcome="licence_required"' in record_page.text
    assert "5A001.j" in record_page.text
    listing = web.get("/determinations/saved")
    assert reference.group(0) in listing.text
    with container.uow() as uow:
        organisation = uow.users.by_email("exporter@demo.dualuse.eu").organisation_id  # type: ignore[union-attr]
        kept = uow.saved_determinations.of_organisation(organisation)
    assert len(kept) == 1
    assert kept[0].case["date"] == kept[0].answer["understood"]["date"]  # type: ignore[index]
    assert kept[0].answer["list_version"]


def test_another_exporter_neither_lists_nor_reads_the_record(
    demo: tuple[Container, TestClient, dict[str, str]],
) -> None:
    _container, web, logins = demo
    sign_in(web, "exporter@demo.dualuse.eu", logins["exporter@demo.dualuse.eu"])
    page = ask(web, destination="CN", control_code="5A001.j")
    case = re.search(r'name="case" value="([^"]+)"', page)
    assert case
    saved = web.post(
        "/determinations/saved",
        data={"csrftoken": csrf(page), "case": case.group(1).replace("&#34;", '"').replace("&quot;", '"')},
        follow_redirects=False,
    )
    location = saved.headers["location"].split("?")[0]
    other = TestClient(web.app)
    sign_in(other, "exporter-fr@demo.dualuse.eu", logins["exporter-fr@demo.dualuse.eu"])
    assert other.get(location).status_code == 404
    assert "DET-" not in other.get("/determinations/saved").text


def test_a_broken_case_is_refused_and_nothing_is_kept(
    demo: tuple[Container, TestClient, dict[str, str]],
) -> None:
    container, web, logins = demo
    sign_in(web, "exporter@demo.dualuse.eu", logins["exporter@demo.dualuse.eu"])
    page = web.get("/determinations/new")
    for bad in ("not json", json.dumps(["a list"]), json.dumps({"destination": "Narnia", "items": []})):
        answer = web.post("/determinations/saved", data={"csrftoken": csrf(page.text), "case": bad})
        assert answer.status_code in (400, 422), answer.text
    with container.uow() as uow:
        organisation = uow.users.by_email("exporter@demo.dualuse.eu").organisation_id  # type: ignore[union-attr]
        assert list(uow.saved_determinations.of_organisation(organisation)) == []


def test_the_save_button_is_offered_to_signed_in_exporters_only(
    demo: tuple[Container, TestClient, dict[str, str]],
) -> None:
    _container, web, _logins = demo
    assert "Save this determination" not in ask(web, destination="CN", control_code="5A001.j")
