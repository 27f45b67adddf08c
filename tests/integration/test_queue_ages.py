"""Queue age as a chart with its table (issue #13): the authority's open cases by days since submission,
counted by the database, moving into older bands as the clock moves on."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container, load_demo_world, load_reference_data
from dualuse.domain.licensing import ApplicationStatus
from dualuse.entrypoints.http.app import create_app
from tests.factories import manual_clock
from tests.integration.test_homes import sign_in

OPEN = {
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_ASSESSMENT,
    ApplicationStatus.AWAITING_EXPORTER,
    ApplicationStatus.RECOMMENDED,
}


@pytest.fixture
def demo(container: Container) -> tuple[Container, TestClient, dict[str, str]]:
    load_reference_data(container)
    logins = {login.email: login.password for login in load_demo_world(container)}
    return container, TestClient(create_app(container=container)), logins


def bands(html: str) -> dict[str, int]:
    table = html.split('data-table="ages"')[1].split("</table>")[0]
    return {label: int(n) for label, n in re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td></tr>", table)}


def test_the_queue_shows_how_long_the_open_cases_have_waited(
    demo: tuple[Container, TestClient, dict[str, str]],
) -> None:
    container, web, logins = demo
    clock = manual_clock(container)
    email = "officer-de@demo.dualuse.eu"
    sign_in(web, email, logins[email])
    with container.uow() as uow:
        open_de = [c for c in uow.licensing.cases() if c.member_state == "DE" and c.case.status in OPEN]
    assert open_de
    page = web.get("/authority/cases")
    assert page.status_code == 200
    assert "How long the open cases have waited" in page.text
    assert 'role="img"' in page.text
    now = bands(page.text)
    assert sum(now.values()) == len(open_de)
    assert now["under 10 days"] == len(open_de)  # the demo's cases were all submitted just now
    clock.set(clock.now() + timedelta(days=35))
    sign_in(web, email, logins[email])  # the session ended while the clock moved on
    later = bands(web.get("/authority/cases").text)
    assert later["30 to 59 days"] == len(open_de)
    assert later["under 10 days"] == 0
