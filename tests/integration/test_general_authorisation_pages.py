"""Union general export authorisation pages: an exporter registers for EU001 and reports its use through
CSRF-protected forms; refused input is shown on the page and stores nothing; the authority of the
exporter's member state sees the registration and the authority of another state does not."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.http.app import create_app
from dualuse.services import generalauth as svc
from dualuse.services.clock import today_in_brussels
from tests.factories import PASSWORD, make_organisation, make_person, manual_clock

PAGE = "/general-authorisations"
AUTHORITY_PAGE = "/authority/general-authorisations"


@pytest.fixture
def people(container: Container) -> dict[str, int]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
    make_person(container, acme, Role.EXPORTER_USER, "user@acme.example")
    for state in ("DE", "FR"):
        org = make_organisation(container, OrganisationKind.AUTHORITY, f"Authority {state}", state)
        make_person(container, org, Role.AUTHORITY_OFFICER, f"officer@{state.lower()}.example")
    return {"acme": acme.id}


def token_on(page: str) -> str:
    match = re.search(r'name="csrftoken" value="([^"]+)"', page)
    assert match, "the page carries a CSRF token"
    return match.group(1)


def sign_in(container: Container, email: str) -> tuple[TestClient, str]:
    """A browser-like client signed in through the login form, and the CSRF token of its session."""
    web = TestClient(create_app(container=container))
    token = token_on(web.get("/login").text)
    signed_in = web.post(
        "/login", data={"email": email, "password": PASSWORD, "csrftoken": token}, follow_redirects=False
    )
    assert signed_in.status_code == 303, signed_in.text
    return web, token


def stored_registrations(container: Container) -> list[str]:
    with container.uow() as uow:
        return [r["eugea_id"] for r in uow.general_authorisations.registrations()]


def stored_reports(container: Container) -> list[tuple[str, int]]:
    with container.uow() as uow:
        return [(r["eugea_id"], r["shipments"]) for r in uow.general_authorisations.reports()]


def report_form(token: str, **changes: str) -> dict[str, str]:
    today = today_in_brussels()
    return {
        "csrftoken": token,
        "eugea_id": "EU001",
        "period_start": (today - timedelta(days=10)).isoformat(),
        "period_end": (today - timedelta(days=1)).isoformat(),
        "shipments": "3",
        "value_eur": "12500.50",
        "destinations": "us, JP",
        **changes,
    }


def register_eu001(
    web: TestClient, token: str, container: Container | None = None, *, days_ago: int = 0
) -> None:
    """Register for EU001 through the page; with ``days_ago``, the container's clock is turned back that
    many days for the registration (as if made back then), and on again."""
    clock = manual_clock(container) if container is not None else None
    if clock is not None:
        clock.advance(timedelta(days=-days_ago))
    done = web.post(f"{PAGE}/registrations", data={"csrftoken": token, "eugea_id": "EU001"})
    if clock is not None:
        clock.advance(timedelta(days=days_ago))
    assert done.status_code == 200, done.text  # followed the redirect back to the page


def test_the_exporter_registers_through_the_form_and_sees_it_listed(
    container: Container, people: dict[str, int]
) -> None:
    web, token = sign_in(container, "admin@acme.example")
    before = web.get(PAGE)
    assert before.status_code == 200
    for n in range(1, 9):
        assert f"EU00{n}" in before.text
    assert "Registered on" not in before.text
    posted = web.post(
        f"{PAGE}/registrations", data={"csrftoken": token, "eugea_id": "EU001"}, follow_redirects=False
    )
    assert posted.status_code == 303
    assert posted.headers["location"] == PAGE
    assert stored_registrations(container) == ["EU001"]
    with container.uow() as uow:
        [registration] = uow.general_authorisations.registrations()
    page = web.get(PAGE).text
    assert f"Registered on {svc.registered_on(registration).isoformat()}" in page
    assert page.count("Registered on") == 1
    # registering twice is refused on the page and stores nothing more
    again = web.post(f"{PAGE}/registrations", data={"csrftoken": token, "eugea_id": "EU001"})
    assert again.status_code == 400
    assert "There is a problem" in again.text
    assert "already registered for eu001" in again.text.lower()
    assert stored_registrations(container) == ["EU001"]


def test_reporting_use_before_registering_is_refused_and_stores_nothing(
    container: Container, people: dict[str, int]
) -> None:
    web, token = sign_in(container, "admin@acme.example")
    refused = web.post(f"{PAGE}/reports", data=report_form(token))
    assert refused.status_code == 400
    assert "There is a problem" in refused.text
    assert "register for eu001 before using it and reporting its use" in refused.text.lower()
    # what was typed is kept in the form
    assert 'value="12500.50"' in refused.text
    assert stored_reports(container) == []


def test_a_report_for_a_registered_authorisation_is_listed(
    container: Container, people: dict[str, int]
) -> None:
    web, token = sign_in(container, "admin@acme.example")
    register_eu001(web, token, container, days_ago=40)
    form = report_form(token)
    posted = web.post(f"{PAGE}/reports", data=form, follow_redirects=False)
    assert posted.status_code == 303, posted.text
    assert stored_reports(container) == [("EU001", 3)]
    page = web.get(PAGE).text
    assert f"{form['period_start']} to {form['period_end']}" in page
    assert "12500.50" in page
    assert "JP, US" in page
    # an overlapping period is refused on the page
    overlap = web.post(f"{PAGE}/reports", data=report_form(token, shipments="7"))
    assert overlap.status_code == 400
    assert "the periods overlap" in overlap.text.lower()
    assert stored_reports(container) == [("EU001", 3)]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period_start": "31/03/2026"}, "give the start of the period as a date"),
        ({"period_end": ""}, "give the end of the period as a date"),
        ({"period_start": "2026-02-01", "period_end": "2026-01-01"}, "the period ends before it starts"),
        ({"period_end": "2999-12-31"}, "report a period that has ended"),
        ({"shipments": "-1"}, "give the number of shipments as a non-negative whole number"),
        ({"shipments": "three"}, "give the number of shipments as a non-negative whole number"),
        ({"value_eur": "12,50"}, "give the value in euro as a number"),
        ({"value_eur": "-5"}, "the value in euro must be a non-negative number"),
        ({"value_eur": "1.001"}, "to the cent at most"),
        ({"value_eur": "1" * 30}, "the value in euro is too large"),
        ({"destinations": "USA"}, "is not an ISO 3166-1 alpha-2 country code"),
        ({"destinations": ""}, "name the destinations shipped to"),
        ({"eugea_id": "EU999"}, "is not a Union general export authorisation"),
    ],
)
def test_bad_report_input_is_shown_and_stores_nothing(
    container: Container, people: dict[str, int], changes: dict[str, str], message: str
) -> None:
    web, token = sign_in(container, "admin@acme.example")
    register_eu001(web, token, container, days_ago=40)
    refused = web.post(f"{PAGE}/reports", data=report_form(token, **changes))
    assert refused.status_code == 400
    assert "There is a problem" in refused.text
    assert message.lower() in refused.text.lower()
    assert stored_reports(container) == []


def test_only_the_exporters_administrator_registers(container: Container, people: dict[str, int]) -> None:
    web, token = sign_in(container, "user@acme.example")
    page = web.get(PAGE)
    assert page.status_code == 200
    assert f'action="{PAGE}/registrations"' not in page.text
    refused = web.post(
        f"{PAGE}/registrations",
        data={"csrftoken": token, "eugea_id": "EU001"},
        headers={"accept": "text/html"},
    )
    assert refused.status_code == 403  # a refusal, not a mistake in the form
    assert "only the exporter&#39;s administrator registers" in refused.text.lower()
    assert stored_registrations(container) == []


def test_only_the_authority_of_the_exporters_member_state_sees_its_registrations(
    container: Container, people: dict[str, int]
) -> None:
    web, token = sign_in(container, "admin@acme.example")
    register_eu001(web, token, container, days_ago=40)
    assert web.post(f"{PAGE}/reports", data=report_form(token), follow_redirects=False).status_code == 303
    france, _ = sign_in(container, "officer@fr.example")
    fr = france.get(AUTHORITY_PAGE)
    assert fr.status_code == 200
    assert "registered in FR" in fr.text
    assert "Acme GmbH" not in fr.text
    assert "No registrations yet." in fr.text
    assert "No reports of use yet." in fr.text
    germany, _ = sign_in(container, "officer@de.example")
    de = germany.get(AUTHORITY_PAGE)
    assert de.status_code == 200
    assert "Acme GmbH" in de.text
    assert "admin@acme.example" in de.text
    assert "No registrations yet." not in de.text
    assert "JP, US" in de.text
    # the authority has no exporter page, and the exporter no authority page
    assert germany.get(PAGE).status_code == 403
    assert web.get(AUTHORITY_PAGE).status_code == 403


def test_the_navigation_links_each_role_to_its_page(container: Container, people: dict[str, int]) -> None:
    exporter, _ = sign_in(container, "admin@acme.example")
    officer, _ = sign_in(container, "officer@de.example")
    exporter_page = exporter.get("/account").text
    officer_page = officer.get("/account").text
    assert f'href="{PAGE}"' in exporter_page
    assert f'href="{AUTHORITY_PAGE}"' not in exporter_page
    assert f'href="{AUTHORITY_PAGE}"' in officer_page
    assert f'href="{PAGE}"' not in officer_page


def test_an_anonymous_visitor_is_sent_to_sign_in(container: Container, people: dict[str, int]) -> None:
    web = TestClient(create_app(container=container))
    for path in (PAGE, AUTHORITY_PAGE):
        response = web.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login")  # with ?next= the page asked for
    posted = web.post(f"{PAGE}/registrations", data={"eugea_id": "EU001"}, follow_redirects=False)
    assert posted.status_code == 303
    assert posted.headers["location"] == "/login"
    assert web.post(f"{PAGE}/reports", data=report_form(""), follow_redirects=False).status_code == 303
    assert stored_registrations(container) == []
    assert stored_reports(container) == []


def test_a_post_without_the_csrf_token_is_refused(container: Container, people: dict[str, int]) -> None:
    web, token = sign_in(container, "admin@acme.example")
    missing = web.post(f"{PAGE}/registrations", data={"eugea_id": "EU001"})
    assert missing.status_code == 403
    forged = web.post(f"{PAGE}/registrations", data={"eugea_id": "EU001", "csrftoken": "forged"})
    assert forged.status_code == 403
    assert stored_registrations(container) == []
    register_eu001(web, token, container, days_ago=40)
    unsent = report_form(token)
    del unsent["csrftoken"]
    assert web.post(f"{PAGE}/reports", data=unsent).status_code == 403
    assert stored_reports(container) == []
