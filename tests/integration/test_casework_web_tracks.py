"""After the decision on the web (issue 19, point 5), on SQLite and PostgreSQL: the holder asks for an
extension from its licence; the officer recommends, the senior returns it once and then decides (four eyes),
and only then does the licence run longer; the applicant appeals a refusal on a form that shows its state's
appeal route; an enquiry is answered with a "no licence required" ruling whose letter is in the state's
wording. Nothing is preselected, and the officer's name stays with the authority."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pypdf
import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container
from tests.factories import Person
from tests.integration.casework_web import api, decided, licence_number, ok, web, world

pytestmark = pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning")


def _version(page: str) -> str:
    return re.findall(r'name="version" value="(\d+)"', page)[0]


def _post(client: TestClient, token: str, url: str, **data: str) -> Any:
    return client.post(url, data={"csrftoken": token, **data}, follow_redirects=False)


def _shorten(container: Container, people: dict[str, Person], number: str) -> date:
    """Test set-up: bring the licence's expiry well inside the Art. 12(3) maximum, so it can be extended."""
    officer = api(container, people["officer"])
    licence = ok(officer.get(f"/api/v1/licences/{number}"))
    shorter = date.fromisoformat(licence["valid_until"]) - timedelta(days=60)
    ok(
        officer.post(
            f"/api/v1/licences/{number}/actions/amend",
            json={
                "reason": "set-up",
                "valid_until": shorter.isoformat(),
                "expected_version": licence["version"],
            },
        )
    )
    return shorter


def test_an_extension_asked_on_the_web_is_decided_with_four_eyes(container: Container) -> None:
    people = world(container)
    case = decided(container, people)
    number = licence_number(case)
    shorter = _shorten(container, people, number)
    exporter, token = web(container, people["acme"])
    assert f"/licences/{number}/change" in exporter.get(f"/applications/{case['id']}").text
    form = exporter.get(f"/licences/{number}/change")
    assert form.status_code == 200
    assert " checked" not in form.text  # nothing preselected
    empty = _post(exporter, token, f"/licences/{number}/change", kind="extension", valid_until="", reason="")
    assert empty.status_code == 400
    assert "Enter the new expiry date" in empty.text
    assert "Say why you ask for the change" in empty.text
    wanted = (shorter + timedelta(days=30)).isoformat()
    sent = _post(
        exporter,
        token,
        f"/licences/{number}/change",
        kind="extension",
        valid_until=wanted,
        reason="Port strike",
    )
    assert sent.status_code == 303, sent.text
    track_url = sent.headers["location"]

    officer, officer_token = web(container, people["officer"])
    page = officer.get(track_url)
    assert "Recommend" in page.text
    assert 'value="grant"' in page.text
    assert " checked" not in page.text
    assert (
        _post(officer, officer_token, f"{track_url}/recommendation", version=_version(page.text)).status_code
        == 400
    )
    done = _post(
        officer,
        officer_token,
        f"{track_url}/recommendation",
        version=_version(page.text),
        outcome="grant",
        reasoning="Delay outside the exporter's control",
    )
    assert done.status_code == 303, done.text
    # the officer cannot decide; the senior sees the recommendation, returns it once
    assert (
        _post(officer, officer_token, f"{track_url}/decision", outcome="grant", reasoning="x").status_code
        == 403
    )
    senior, senior_token = web(container, people["senior"])
    page = senior.get(track_url)
    assert "Delay outside the exporter&#39;s control" in page.text
    back = _post(
        senior,
        senior_token,
        f"{track_url}/return",
        version=_version(page.text),
        reasoning="Attach the notice",
    )
    assert back.status_code == 303
    page = officer.get(track_url)
    _post(
        officer,
        officer_token,
        f"{track_url}/recommendation",
        version=_version(page.text),
        outcome="grant",
        reasoning="Notice of the port attached",
    )
    exporter_api = api(container, people["acme"])
    assert ok(exporter_api.get(f"/api/v1/licences/{number}"))["valid_until"] == shorter.isoformat()  # not yet
    page = senior.get(track_url)
    decided_now = _post(
        senior,
        senior_token,
        f"{track_url}/decision",
        version=_version(page.text),
        outcome="grant",
        reasoning="Agreed",
    )
    assert decided_now.status_code == 303
    assert ok(exporter_api.get(f"/api/v1/licences/{number}"))["valid_until"] == wanted
    mine = exporter.get(track_url).text
    assert "Agreed" in mine
    assert "officer@bafa.example" not in mine  # the exporter sees the decision, not who advised it
    assert "Notice of the port attached" not in mine
    assert track_url in exporter.get("/requests").text


def test_a_refusal_is_appealed_on_the_web_with_the_states_appeal_route(container: Container) -> None:
    people = world(container)
    case = decided(container, people, kind="deny")
    exporter, token = web(container, people["acme"])
    assert f"/applications/{case['id']}/appeal" in exporter.get(f"/applications/{case['id']}").text
    form = exporter.get(f"/applications/{case['id']}/appeal")
    assert "Widerspruch" in form.text
    assert "VwGO" in form.text
    assert "not yet verified" in form.text
    empty = _post(exporter, token, f"/applications/{case['id']}/appeal", grounds=" ")
    assert empty.status_code == 400
    assert "Give your grounds for the appeal" in empty.text
    sent = _post(exporter, token, f"/applications/{case['id']}/appeal", grounds="The buyer is a bank")
    assert sent.status_code == 303
    again = _post(exporter, token, f"/applications/{case['id']}/appeal", grounds="Once more")
    assert again.status_code == 400
    assert "already appealed" in again.text
    rival, rival_token = web(container, people["rival"])
    assert rival.get(f"/applications/{case['id']}/appeal").status_code == 404
    assert _post(rival, rival_token, f"/applications/{case['id']}/appeal", grounds="x").status_code == 404
    # the authority finds the appeal on a track of its own
    senior, _ = web(container, people["senior"])
    page = senior.get(sent.headers["location"])
    assert page.status_code == 200
    assert "Appeal against a refusal" in page.text


def test_the_refusal_letter_is_in_the_states_wording_with_its_appeal_route(container: Container) -> None:
    people = world(container)
    case = decided(container, people, kind="deny")
    exporter, _ = web(container, people["acme"])
    pdf = exporter.get(f"/applications/{case['id']}/refusal.pdf")
    assert pdf.status_code == 200
    text = " ".join(
        " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "Ablehnung Ihres Antrags" in text
    assert "Art. 15 Abs. 1" in text
    assert "Rechtsbehelfsbelehrung" in text
    assert "VwGO" in text
    assert "Bundesamt für Wirtschaft und Ausfuhrkontrolle" in text  # where the appeal goes


def test_an_enquiry_asked_and_answered_on_the_web_gives_a_no_licence_required_letter(
    container: Container,
) -> None:
    people = world(container)
    exporter, exporter_token = web(container, people["acme"])
    assert 'href="/enquiries/new"' in exporter.get("/requests").text
    empty = _post(exporter, exporter_token, "/enquiries/new", question=" ")
    assert empty.status_code == 400
    assert "Enter your question" in empty.text
    bad = _post(exporter, exporter_token, "/enquiries/new", question="Listed?", destination="N0")
    assert bad.status_code == 400
    assert "ISO 3166-1 alpha-2" in bad.text
    asked = _post(
        exporter,
        exporter_token,
        "/enquiries/new",
        question="Is our router listed?",
        description="Home router",
        destination="no",
    )
    assert asked.status_code == 303, asked.text
    url = asked.headers["location"]
    assert "Enquiry before applying" in exporter.get(url).text
    officer, token = web(container, people["officer"])
    page = officer.get(url)
    assert "Answer the enquiry" in page.text
    missing = _post(
        officer, token, f"{url}/ruling", version=_version(page.text), outcome="no_licence_required"
    )
    assert missing.status_code == 400
    assert "Say whether the ruling binds the authority" in missing.text
    sent = _post(
        officer,
        token,
        f"{url}/ruling",
        version=_version(page.text),
        outcome="no_licence_required",
        binding="yes",
        answer="A home router is not listed.",
        legal_basis="Art. 3(1) and Annex I, 5A002 note",
    )
    assert sent.status_code == 303, sent.text
    pdf = exporter.get(f"{url}/ruling.pdf")
    text = " ".join(
        " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "Nullbescheid" in text
    assert "keiner Genehmigung" in text
    assert "Art. 3(1) Reg. (EU) 2021/821" in text  # the legal basis of "no licence required"
    assert "Art. 3(1) and Annex I, 5A002 note" in text


def test_only_exporters_and_their_authority_use_the_requests_pages(container: Container) -> None:
    people = world(container)
    case = decided(container, people)
    number = licence_number(case)
    for person, status in (("officer", 403), ("customs", 403), ("commission", 403), ("rival", 404)):
        client, _ = web(container, people[person])
        assert client.get(f"/licences/{number}/change").status_code == status, person
    customs, _ = web(container, people["customs"])
    assert customs.get("/requests").status_code == 403
