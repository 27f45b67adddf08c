"""The annual report (Art. 26(2)) from the demo world, on SQLite and PostgreSQL: the figures counted by hand
from ``services/demo.py``, the DE part the demo submits, the Union report composed of it, the public portal
(charts with their tables, filters, the cyber-surveillance page), the open data (CSV, JSON against its schema)
with the confidentiality rule applied, the authority's submission, and general-authorisation reports with
item lines (old ones still readable)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from dualuse.adapters.db import tables as t
from dualuse.bootstrap import Container, bootstrap, load_demo_world
from dualuse.config import Settings
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.http.app import create_app
from dualuse.services.clock import today_in_brussels
from dualuse.services.transparency import annual_report, opendata
from tests.factories import PASSWORD, make_organisation, make_person, token_for

YEAR = today_in_brussels().year
# The demo world, read off services/demo.py: every demo application is one item worth 200 000 euro
# (``_demo_application``); the DE authority grants the AES encryptor (5A002.a) to IN and refuses the IMSI
# catcher (5A001.f.1, cyber-surveillance) to EG; the DE exporter reports 36 000 euro of use of EU002 in two
# category-5 items; submitted DE cases: the cell-site simulator (5A001.f.2), the granted encryptor, the VPN
# gateway awaiting the exporter, the listed end-user's platform (5A001.j), the refused catcher and the
# platform for "NORDWIND SURVEILANCE" (5A001.j) that matches France's denial (``load_demo_denials``).
ITEM = Decimal(200000)
EU002_USE = Decimal(25000) + Decimal(11000)


@dataclass
class World:
    container: Container
    logins: dict[str, str]
    open: Container  # the same database, with a rule that withholds nothing (to read the figures through)


@pytest.fixture
def world(container: Container, settings: Settings) -> Iterator[World]:
    logins = {login.email: login.password for login in load_demo_world(container)}
    lenient = bootstrap(
        settings.model_copy(update={"transparency_min_exporters": 1, "transparency_dominance_percent": 100})
    )
    yield World(container, logins, lenient)
    lenient.engine.dispose()


def sign_in(container: Container, email: str, password: str) -> tuple[TestClient, str]:
    web = TestClient(create_app(container=container))
    token = re.search(r'name="csrftoken" value="([^"]+)"', web.get("/login").text)
    assert token
    answer = web.post(
        "/login",
        data={"email": email, "password": password, "csrftoken": token.group(1)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return web, token.group(1)


def cyber(container: Container) -> annual_report.IsCyber:
    return annual_report.cyber_surveillance_in(container.list_view_today())


def test_the_demo_worlds_report_matches_the_figures_counted_by_hand(world: World) -> None:
    with world.container.uow() as uow:
        live = annual_report.compute(uow, YEAR, cyber(world.container))
        union = annual_report.union_report(uow, YEAR)
    types = live.table("licence_types")
    assert types.cell("DE", "individual").count == 1
    assert types.cell("DE", "individual").value_eur == ITEM
    assert types.cell("DE", "union_general").value_eur == EU002_USE
    assert live.table("decisions").cell("DE", "granted").count == 1
    assert live.table("decisions").cell("DE", "denied").count == 1
    assert live.table("destinations").cell("DE", "IN").value_eur == ITEM
    assert live.table("categories").cell("DE", "5").value_eur == ITEM
    assert live.table("denials").cell("DE", "EG").value_eur == ITEM
    assert live.table("registered_users").cell("DE", "EU002").count == 1
    assert live.table("general_use").cell("DE", "EU002").value_eur == EU002_USE
    assert live.table("general_use_categories").cell("DE", "5").value_eur == EU002_USE
    cyber_items = live.table("cyber_applications")
    assert {c for (r, c) in cyber_items.cells if r == "DE"} == {"5A001.f.1", "5A001.f.2", "5A001.j"}
    assert live.table("cyber_decisions").cell("DE", "denied").count == 1
    assert live.table("cyber_decisions").cell("DE", "granted").empty  # encryption is not cyber-surveillance
    assert live.table("cyber_destinations").cell("DE", "EG").count == 1
    admin = live.table("administration")
    assert admin.cell("DE", "authority_staff").count == 2  # Olaf Officer and Sabine Senior
    assert admin.cell("DE", "applications_received").count == 6
    assert admin.cell("DE", "decisions").count == 2
    assert admin.cell("DE", "notices_issued").count == 1
    assert live.table("licence_types").row_total("FR").empty
    # the demo's DE authority submitted its part: the Union report carries it, frozen, and no other state
    assert union.member_states == ("DE",)
    assert "FR" in union.not_submitted
    assert len(union.not_submitted) == 26
    assert union.table("licence_types").cell("DE", "individual") == types.cell("DE", "individual")


def test_a_submitted_part_is_frozen_and_cannot_be_submitted_again(world: World) -> None:
    officer = "officer-fr@demo.dualuse.eu"
    web, csrf = sign_in(world.container, officer, world.logins[officer])
    draft = web.get("/authority/annual-report")
    assert draft.status_code == 200
    assert "Draft" in draft.text
    assert "Submit the part of FR" in draft.text
    sent = web.post(
        "/authority/annual-report", data={"year": str(YEAR), "csrftoken": csrf}, follow_redirects=False
    )
    assert sent.status_code == 303
    again = web.post("/authority/annual-report", data={"year": str(YEAR), "csrftoken": csrf})
    assert again.status_code == 400
    assert "already submitted" in again.text or "cannot become submitted" in again.text
    # a decision made after the submission does not change the figures submitted
    with world.container.uow() as uow:
        before = annual_report.union_report(uow, YEAR).table("administration").cell("FR", "authority_staff")
        uow.execute(delete(t.users).where(t.users.c.email == "senior-fr@demo.dualuse.eu"))
        uow.commit()
    with world.container.uow() as uow:
        after = annual_report.union_report(uow, YEAR).table("administration").cell("FR", "authority_staff")
        live = annual_report.compute(uow, YEAR, cyber(world.container)).table("administration")
    assert before == after
    assert after.count == 2
    assert live.cell("FR", "authority_staff").count == 1
    api = TestClient(create_app(container=world.container))
    api.headers["Authorization"] = f"Bearer {token_for(world.container, officer)}"
    part = api.get("/api/v1/authority/annual-report", params={"year": YEAR}).json()
    assert part["status"] == "submitted"
    assert part["member_state"] == "FR"
    assert api.post("/api/v1/authority/annual-report", json={"year": YEAR}).status_code == 409
    commission = TestClient(create_app(container=world.container))
    commission.headers["Authorization"] = f"Bearer {token_for(world.container, 'commission@demo.dualuse.eu')}"
    union = commission.get("/api/v1/commission/annual-report", params={"year": YEAR}).json()
    assert {s["member_state"] for s in union["submitted"]} == {"DE", "FR"}
    assert "NL" in union["not_submitted"]


def test_the_portal_shows_charts_with_their_tables_and_withholds_one_exporters_trade(world: World) -> None:
    public = TestClient(create_app(container=world.container))
    page = public.get("/transparency")
    assert page.status_code == 200
    svgs = re.findall(r"<svg[^>]*>", page.text)
    assert svgs
    assert all('role="img"' in s and "viewBox" in s and 'width="100%"' in s for s in svgs)
    assert page.text.count("<title id=") == len(svgs) == page.text.count("<desc id=")
    assert page.text.count("<table") >= len(svgs)
    assert "Not yet submitted" in page.text
    assert "FR" in page.text
    # one demo exporter per state: its figures are withheld from the public under the default rule
    assert "withheld" in page.text
    assert "200,000" not in page.text
    # the same figures with a rule that withholds nothing
    shown = TestClient(create_app(container=world.open)).get("/transparency", params={"state": "DE"})
    assert "€200,000" in shown.text
    assert public.get("/transparency", params={"state": "XX"}).status_code == 400
    assert public.get("/transparency", params={"year": "1999"}).status_code == 400
    assert public.get("/transparency", params={"destination": "IN, BR", "category": "5"}).status_code == 200
    cyber_page = TestClient(create_app(container=world.open)).get("/transparency/cyber-surveillance")
    assert cyber_page.status_code == 200
    assert "5A001.f.1" in cyber_page.text
    assert "EG" in cyber_page.text
    assert "5A002.a" not in cyber_page.text


def test_the_open_data_follows_its_schema_and_licence(world: World) -> None:
    public = TestClient(create_app(container=world.container))
    document = public.get("/transparency/data.json").json()
    schema = public.get("/transparency/schema.json").json()
    assert schema == public.get("/api/v1/transparency/schema").json()
    jsonschema_rs.validate(schema, document)
    assert document["licence"] == "CC BY 4.0"
    assert document["year"] == YEAR
    assert "FR" in document["not_submitted"]
    individual = [
        r for r in document["records"] if r["table"] == "licence_types" and r["column"] == "individual"
    ]
    assert individual
    assert all(r["suppressed"] and r["count"] is None for r in individual)
    assert document == public.get("/api/v1/transparency/report").json()
    answer = public.get("/transparency/data.csv")
    assert answer.headers["content-type"].startswith("text/csv")
    assert "license" in answer.headers["link"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert tuple(rows[0]) == opendata.CSV_FIELDS
    assert len(rows) == len(document["records"])
    # read through the lenient rule, the figures are those counted by hand
    opened = TestClient(create_app(container=world.open)).get("/transparency/data.csv")
    by_key = {
        (r["table"], r["member_state"], r["column"]): r for r in csv.DictReader(io.StringIO(opened.text))
    }
    assert by_key[("licence_types", "DE", "individual")]["value_eur"] == f"{ITEM:.2f}"
    assert by_key[("denials", "EU", "EG")]["count"] == "1"
    assert by_key[("general_use", "DE", "EU002")]["value_eur"] == f"{EU002_USE:.2f}"
    assert public.get("/transparency/schema").status_code == 200
    assert "CC BY 4.0" in public.get("/transparency/schema").text


def test_a_report_of_use_carries_item_lines_checked_against_the_list(world: World) -> None:
    container = world.container
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme Reports GmbH", "DE", "DE999")
    make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme-reports.example")
    api = TestClient(create_app(container=container))
    api.headers["Authorization"] = f"Bearer {token_for(container, 'admin@acme-reports.example')}"
    assert (
        api.post("/api/v1/general-authorisations/registrations", json={"eugea_id": "EU003"}).status_code
        == 201
    )
    today = today_in_brussels().isoformat()
    base = {
        "eugea_id": "EU003",
        "period_start": today,
        "period_end": today,
        "shipments": 1,
        "destinations": ["JP"],
    }
    unlisted = api.post(
        "/api/v1/general-authorisations/reports",
        json={
            **base,
            "value_eur": "100",
            "items": [{"control_code": "9Z999", "quantity": "1", "unit": "pieces", "value_eur": "100"}],
        },
    )
    assert unlisted.status_code == 422
    assert "9Z999" in unlisted.text
    mismatch = api.post(
        "/api/v1/general-authorisations/reports",
        json={
            **base,
            "value_eur": "150",
            "items": [{"control_code": "5A002.a", "quantity": "1", "unit": "pieces", "value_eur": "100"}],
        },
    )
    assert mismatch.status_code == 422
    assert "add up" in mismatch.text
    good = api.post(
        "/api/v1/general-authorisations/reports",
        json={
            **base,
            "value_eur": "100",
            "items": [{"control_code": "5A002.a", "quantity": "2", "unit": "pieces", "value_eur": "100"}],
        },
    )
    assert good.status_code == 201, good.text
    assert good.json()["items"] == [
        {"line": 1, "control_code": "5A002.a", "quantity": "2", "unit": "pieces", "value_eur": "100.00"}
    ]
    # an older report, made before items were asked, reads back with none
    with container.uow() as uow:
        uow.general_authorisations.add_report(
            organisation_id=acme.id,
            eugea_id="EU003",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 1),
            shipments=1,
            value_eur=Decimal(7),
            destinations=["JP"],
            by="old",
        )
        uow.commit()
    listed = api.get("/api/v1/general-authorisations/reports").json()
    assert sorted(len(r["items"]) for r in listed) == [0, 1]
    # the web form takes the items one a line (under another authorisation: the periods must not overlap)
    assert (
        api.post("/api/v1/general-authorisations/registrations", json={"eugea_id": "EU004"}).status_code
        == 201
    )
    web, csrf = sign_in(container, "admin@acme-reports.example", PASSWORD)
    form = {
        "eugea_id": "EU004",
        "period_start": today,
        "period_end": today,
        "shipments": "1",
        "value_eur": "30",
        "destinations": "US",
        "items": "5A002.a; 3; pieces; 30",
        "csrftoken": csrf,
    }
    bad = web.post("/general-authorisations/reports", data={**form, "items": "5A002.a; 3; pieces"})
    assert bad.status_code == 400
    assert "code; quantity; unit; value" in bad.text
    good_form = web.post("/general-authorisations/reports", data=form, follow_redirects=False)
    assert good_form.status_code == 303
    with container.uow() as uow:
        lines = [r["items"] for r in uow.general_authorisations.reports(organisation_id=acme.id)]
    assert [
        {"line": 1, "control_code": "5A002.a", "quantity": "3", "unit": "pieces", "value_eur": "30.00"}
    ] in lines
