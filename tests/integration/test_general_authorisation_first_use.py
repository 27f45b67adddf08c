"""Issue 12, Annex II: the first use of a Union general export authorisation is notified as Annex II Part 3
and the exporter's member state require. EU001-EU006: within 30 days after the first export (Denmark),
or before the first use where the state requires it (Ireland), or, where the state's choice is not
verified (Germany here), before the first export on the safe reading; EU007: at least 30 days and EU008 at
least 10 days before the first export. Through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.http.app import create_app
from dualuse.services.clock import today_in_brussels
from dualuse.services.generalauth import registered_on
from tests.factories import PASSWORD, make_organisation, make_person, manual_clock, token_for

REGISTRATIONS = "/api/v1/general-authorisations/registrations"
REPORTS = "/api/v1/general-authorisations/reports"


@pytest.fixture
def exporters(container: Container) -> dict[str, TestClient]:
    clients = {}
    for state in ("DK", "DE", "IE"):
        org = make_organisation(container, OrganisationKind.EXPORTER, f"Exporter {state}", state, f"{state}1")
        email = f"admin@{state.lower()}.example"
        make_person(container, org, Role.EXPORTER_ADMIN, email)
        web = TestClient(create_app(container=container))
        web.headers["Authorization"] = f"Bearer {token_for(container, email)}"
        clients[state] = web
    return clients


def report(eugea_id: str, start: date, end: date) -> dict[str, object]:
    return {
        "eugea_id": eugea_id,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "shipments": 1,
        "value_eur": "1000.00",
        "destinations": ["US"] if eugea_id == "EU001" else ["BR"],
    }


def stored_reports(container: Container) -> int:
    with container.uow() as uow:
        return len(uow.general_authorisations.reports())


def test_i12_eu001_use_notified_10_days_after_the_first_export_is_accepted_in_denmark(
    container: Container, exporters: dict[str, TestClient]
) -> None:
    denmark = exporters["DK"]
    today = today_in_brussels()
    created = denmark.post(REGISTRATIONS, json={"eugea_id": "EU001"})
    assert created.status_code == 201, created.text
    assert created.json()["exports_covered_from"] == (today - timedelta(days=30)).isoformat()
    assert "within 30 days after the first export" in created.json()["first_use_rule"]
    assert created.json()["check_with_authority"] is False
    # the first export was made 10 days before the notification: covered
    first_export = today - timedelta(days=10)
    accepted = denmark.post(REPORTS, json=report("EU001", first_export, first_export))
    assert accepted.status_code == 201, accepted.text
    # an export more than 30 days before the notification is not
    late = today - timedelta(days=31)
    refused = denmark.post(REPORTS, json=report("EU001", late - timedelta(days=5), late))
    assert refused.status_code == 422, refused.text
    assert "30 days before the notice" in refused.json()["detail"]
    assert stored_reports(container) == 1


def test_i12_where_the_state_requires_notice_before_first_use_an_earlier_export_is_refused(
    container: Container, exporters: dict[str, TestClient]
) -> None:
    today = today_in_brussels()
    earlier = today - timedelta(days=10)
    for state, check in (("IE", False), ("DE", True)):
        web = exporters[state]
        created = web.post(REGISTRATIONS, json={"eugea_id": "EU001"})
        assert created.status_code == 201, created.text
        assert created.json()["exports_covered_from"] == today.isoformat()
        assert created.json()["check_with_authority"] is check
        refused = web.post(REPORTS, json=report("EU001", earlier, earlier))
        assert refused.status_code == 422, refused.text
        assert "after the period ended" in refused.json()["detail"]
        if check:  # Germany's choice is not verified here: the safe reading, and say so
            assert "check with your competent authority" in refused.json()["detail"]
        assert web.post(REPORTS, json=report("EU001", earlier, today)).status_code == 201
    assert stored_reports(container) == 2


@pytest.mark.parametrize(("eugea_id", "days"), [("EU007", 30), ("EU008", 10)])
def test_i12_eu007_and_eu008_first_export_before_the_waiting_period_is_refused(
    container: Container, exporters: dict[str, TestClient], eugea_id: str, days: int
) -> None:
    denmark = exporters["DK"]  # the state's choice for EU001-EU006 does not change EU007 or EU008
    clock = manual_clock(container)
    assert denmark.post(REGISTRATIONS, json={"eugea_id": eugea_id}).status_code == 201
    clock.advance(timedelta(days=days - 1))
    today = clock.today()
    [registration] = denmark.get(REGISTRATIONS).json()
    assert registration["exports_covered_from"] == (today + timedelta(days=1)).isoformat()
    assert f"at least {days} days before the first export" in registration["first_use_rule"]
    # a first export less than `days` days after the notice
    refused = denmark.post(REPORTS, json=report(eugea_id, today - timedelta(days=3), today))
    assert refused.status_code == 422, refused.text
    assert f"only {days} days after the notice" in refused.json()["detail"]
    assert stored_reports(container) == 0
    # once the waiting period has passed
    clock.advance(timedelta(days=1))
    today = clock.today()
    accepted = denmark.post(REPORTS, json=report(eugea_id, today - timedelta(days=3), today))
    assert accepted.status_code == 201, accepted.text
    assert stored_reports(container) == 1


def test_i12_the_exporter_page_says_when_to_notify_and_from_when_exports_are_covered(
    container: Container, exporters: dict[str, TestClient]
) -> None:
    assert exporters["DK"].post(REGISTRATIONS, json={"eugea_id": "EU001"}).status_code == 201
    web = TestClient(create_app(container=container))
    token = re.search(r'name="csrftoken" value="([^"]+)"', web.get("/login").text)
    assert token is not None
    web.post("/login", data={"email": "admin@dk.example", "password": PASSWORD, "csrftoken": token[1]})
    page = web.get("/general-authorisations").text
    assert "When to notify the first use" in page
    assert "within 30 days after the first export" in page
    assert "at least 30 days before the first export" in page  # EU007
    assert "at least 10 days before the first export" in page  # EU008
    covered = (today_in_brussels() - timedelta(days=30)).isoformat()
    assert f"exports covered from {covered}" in page
    assert "Check with your authority" not in page  # Denmark's choice is verified


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 12, 6, 23, 30, tzinfo=UTC),  # 00:30 on 7 December in Brussels (CET, UTC+1)
        datetime(2026, 7, 6, 22, 30, tzinfo=UTC),  # 00:30 on 7 July in Brussels (CEST, UTC+2)
    ],
    ids=["winter", "summer"],
)
def test_i12_a_notice_given_after_midnight_in_brussels_dates_from_that_day(
    container: Container, exporters: dict[str, TestClient], moment: datetime
) -> None:
    """The day of a notice is the Union's calendar day, the one the rest of the system calls today: late
    in the UTC evening it is already the next day in Brussels, and the waiting period counts from there."""
    clock = manual_clock(container)
    clock.set(moment)
    today = clock.today()
    assert today == moment.date() + timedelta(days=1)
    denmark = exporters["DK"]
    created = denmark.post(REGISTRATIONS, json={"eugea_id": "EU001"})
    assert created.status_code == 201, created.text
    assert created.json()["exports_covered_from"] == (today - timedelta(days=30)).isoformat()
    # an export 31 days before the Brussels day of the notice is not covered, though only 30 before its UTC day
    late = today - timedelta(days=31)
    refused = denmark.post(REPORTS, json=report("EU001", late - timedelta(days=5), late))
    assert refused.status_code == 422, refused.text
    waiting = denmark.post(REGISTRATIONS, json={"eugea_id": "EU008"})
    assert waiting.json()["exports_covered_from"] == (today + timedelta(days=10)).isoformat()
    with container.uow() as uow:
        [row, _] = uow.general_authorisations.registrations(member_state="DK")
    # what customs are told agrees with what the exporter was told
    assert registered_on(row) == today
