"""Licence usage with its shipment history, as a chart with the table behind it (issue #13): the demo's
licence of which three of four pieces were shipped."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container, load_demo_world, load_reference_data
from dualuse.entrypoints.http.app import create_app
from dualuse.services import identity, licensing
from tests.integration.test_homes import sign_in


@pytest.fixture
def demo(container: Container) -> tuple[Container, TestClient, dict[str, str]]:
    load_reference_data(container)
    logins = {login.email: login.password for login in load_demo_world(container)}
    return container, TestClient(create_app(container=container)), logins


def test_the_licence_page_charts_each_lines_use_and_lists_the_shipments(
    demo: tuple[Container, TestClient, dict[str, str]],
) -> None:
    container, web, logins = demo
    email = "exporter@demo.dualuse.eu"
    sign_in(web, email, logins[email])
    with container.uow() as uow:
        exporter = identity.principal_for(uow, uow.users.by_email(email))  # type: ignore[arg-type]
        used = []
        for stored in licensing.licences(uow, exporter):
            shipments = licensing.shipment_history(uow, exporter, stored.licence.number)
            if shipments:
                used.append((stored, shipments))
    assert used, "the demo world has a licence with shipments"
    stored, shipments = used[0]
    page = web.get(f"/applications/{stored.case_id}")
    assert page.status_code == 200
    assert f"How much of licence {stored.licence.number} is used" in page.text
    with container.uow() as uow:
        _, left = licensing.remaining(uow, exporter, stored.licence.number)
    for item in stored.licence.items:
        share = (item.quantity - left[item.line].quantity) * 100 / item.quantity
        assert f"{share:.0f} % used" in page.text
    table = page.text.split('data-table="shipments"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td data-label=\"Date\">([\d-]+)</td>", table)
    assert rows == sorted(rows)
    assert len(rows) == len(shipments)
    for shipment in shipments:
        assert shipment.customs_reference in table
