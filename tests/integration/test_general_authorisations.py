"""Union general export authorisations through the API: an exporter registers for EU001 and reports its
use; unknown authorisations, double registrations, reports of periods before the registration and
overlapping periods are refused; other exporters and other states' authorities see nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.http.app import create_app
from dualuse.services.clock import today_in_brussels
from tests.factories import make_organisation, make_person, manual_clock, token_for

REGISTRATIONS = "/api/v1/general-authorisations/registrations"
REPORTS = "/api/v1/general-authorisations/reports"
AUTHORITY = "/api/v1/authority/general-authorisations"


@pytest.fixture
def people(container: Container) -> dict[str, str]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    other = make_organisation(container, OrganisationKind.EXPORTER, "Other BV", "NL", "NL222")
    emails = {
        "acme": "admin@acme.example",
        "acme_user": "user@acme.example",
        "other": "admin@other.example",
    }
    make_person(container, acme, Role.EXPORTER_ADMIN, emails["acme"])
    make_person(container, acme, Role.EXPORTER_USER, emails["acme_user"])
    make_person(container, other, Role.EXPORTER_ADMIN, emails["other"])
    for state in ("DE", "FR"):
        org = make_organisation(container, OrganisationKind.AUTHORITY, f"Authority {state}", state)
        emails[state] = f"officer@{state.lower()}.example"
        make_person(container, org, Role.AUTHORITY_OFFICER, emails[state])
    return {key: token_for(container, email) for key, email in emails.items()}


def client(container: Container, token: str) -> TestClient:
    c = TestClient(create_app(container=container))
    c.headers["Authorization"] = f"Bearer {token}"
    return c


def report(start: str, end: str, **changes: object) -> dict[str, object]:
    return {
        "eugea_id": "EU001",
        "period_start": start,
        "period_end": end,
        "shipments": 3,
        "value_eur": "12500.50",
        "destinations": ["us", "JP"],
        **changes,
    }


def test_register_eu001_then_report_use(container: Container, people: dict[str, str]) -> None:
    acme = client(container, people["acme"])
    created = acme.post(REGISTRATIONS, json={"eugea_id": "eu001"})
    assert created.status_code == 201, created.text
    assert created.json()["eugea_id"] == "EU001"
    assert created.json()["member_state"] == "DE"
    assert [r["eugea_id"] for r in acme.get(REGISTRATIONS).json()] == ["EU001"]
    today = today_in_brussels()
    reported = acme.post(REPORTS, json=report(today.replace(day=1).isoformat(), today.isoformat()))
    assert reported.status_code == 201, reported.text
    body = reported.json()
    assert body["destinations"] == ["JP", "US"]
    assert body["value_eur"] == "12500.50"
    assert body["shipments"] == 3
    assert len(acme.get(REPORTS).json()) == 1
    # an exporter's plain user reports too, but only the admin registers
    user = client(container, people["acme_user"])
    assert user.post(REGISTRATIONS, json={"eugea_id": "EU002"}).status_code == 403
    with container.uow() as uow:
        actions = [e.action for e in uow.audit.all()]
    assert "eugea.registered" in actions
    assert "eugea.use_reported" in actions


def test_unknown_eugea_is_422_and_a_second_registration_409(
    container: Container, people: dict[str, str]
) -> None:
    acme = client(container, people["acme"])
    assert acme.post(REGISTRATIONS, json={"eugea_id": "EU999"}).status_code == 422
    assert acme.post(REGISTRATIONS, json={"eugea_id": "EU003"}).status_code == 201
    again = acme.post(REGISTRATIONS, json={"eugea_id": "EU003"})
    assert again.status_code == 409, again.text
    assert len(acme.get(REGISTRATIONS).json()) == 1


def test_report_refusals(container: Container, people: dict[str, str]) -> None:
    acme = client(container, people["acme"])
    clock = manual_clock(container)
    # not registered at all
    assert acme.post(REPORTS, json=report("2026-01-01", "2026-03-31")).status_code == 422
    assert acme.post(REGISTRATIONS, json={"eugea_id": "EU001"}).status_code == 201
    registered = clock.today()
    clock.advance(timedelta(days=40))
    # a period that ended before the registration
    before = registered - timedelta(days=1)
    refused = acme.post(REPORTS, json=report((before - timedelta(days=30)).isoformat(), before.isoformat()))
    assert refused.status_code == 422, refused.text
    assert "after the period ended" in refused.json()["detail"]
    # the period in which the registration was made is fine
    start, end = registered - timedelta(days=5), registered + timedelta(days=10)
    assert acme.post(REPORTS, json=report(start.isoformat(), end.isoformat())).status_code == 201
    # overlapping the reported period
    overlap = acme.post(REPORTS, json=report(end.isoformat(), (end + timedelta(days=10)).isoformat()))
    assert overlap.status_code == 409, overlap.text
    # the next period is fine
    following = acme.post(
        REPORTS, json=report((end + timedelta(days=1)).isoformat(), (end + timedelta(days=20)).isoformat())
    )
    assert following.status_code == 201, following.text
    # a period that ends before it starts, negative numbers, a country that is not ISO
    assert acme.post(REPORTS, json=report("2026-03-31", "2026-01-01")).status_code == 422
    later = (end + timedelta(days=21)).isoformat(), (end + timedelta(days=29)).isoformat()  # ended, free
    assert acme.post(REPORTS, json=report(*later, shipments=-1)).status_code == 422
    assert acme.post(REPORTS, json=report(*later, value_eur="-1")).status_code == 422
    assert acme.post(REPORTS, json=report(*later, destinations=["USA"])).status_code == 422
    # a period that has not ended yet: the use of exports not yet made
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    future = acme.post(REPORTS, json=report(tomorrow, tomorrow))
    assert future.status_code == 422, future.text
    assert "after today" in future.json()["detail"]
    assert acme.post(REPORTS, json=report(*later, value_eur="1" + "0" * 16)).status_code == 422
    assert len(acme.get(REPORTS).json()) == 2
    assert acme.post(REPORTS, json=report(*later)).status_code == 201  # what was refused was the content


def test_other_exporters_and_other_states_see_nothing(container: Container, people: dict[str, str]) -> None:
    acme = client(container, people["acme"])
    assert acme.post(REGISTRATIONS, json={"eugea_id": "EU001"}).status_code == 201
    today = today_in_brussels()
    assert acme.post(REPORTS, json=report(today.isoformat(), today.isoformat())).status_code == 201
    other = client(container, people["other"])
    assert other.get(REGISTRATIONS).json() == []
    assert other.get(REPORTS).json() == []
    # another exporter cannot report on Acme's registration: it has none of its own
    assert other.post(REPORTS, json=report(today.isoformat(), today.isoformat())).status_code == 422
    assert other.get(AUTHORITY).status_code == 403
    fr = client(container, people["FR"]).get(AUTHORITY)
    assert fr.status_code == 200
    assert fr.json() == {"registrations": [], "reports": []}
    de = client(container, people["DE"]).get(AUTHORITY).json()
    assert [r["eugea_id"] for r in de["registrations"]] == ["EU001"]
    assert [r["shipments"] for r in de["reports"]] == [3]
    # an authority neither registers nor reports
    assert client(container, people["DE"]).post(REGISTRATIONS, json={"eugea_id": "EU001"}).status_code == 403
