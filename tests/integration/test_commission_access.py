"""The Commission's access as the Regulation gives it (issue #18, item 5; F15): it reads figures and notices
(Art. 5(4) requirements, notices counted per state, licences counted per state, type and status, enforcement
figures; Arts. 4, 5(4), 23(2)(a), 26(2)), never an exporter's application, case, licence, ICP, due-diligence
case or compliance visit, on the web or the API; each read it makes is audited."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from dualuse.adapters.db import tables as t
from dualuse.bootstrap import Container, load_demo_world
from dualuse.entrypoints.http.app import create_app
from tests.factories import token_for
from tests.integration.test_homes import sign_in

COMMISSION = "commission@demo.dualuse.eu"
EXPORTER_NAMES = re.compile(r"Rheinland Sensorik|Lumi[eè]re R[eé]seaux|DE123456789012345")
LICENCE_NUMBER = re.compile(r"\b[A-Z]{2}-\d{4}-\d{6}\b")
MISSING = "999999"


@dataclass
class World:
    container: Container
    web: TestClient  # signed in as the Commission
    api: TestClient  # the Commission's bearer token
    ids: dict[str, str]


@pytest.fixture
def world(container: Container) -> World:
    logins = {login.email: login.password for login in load_demo_world(container)}
    app = create_app(container=container)
    web = TestClient(app)
    sign_in(web, COMMISSION, logins[COMMISSION])
    api = TestClient(app, headers={"authorization": f"Bearer {token_for(container, COMMISSION)}"})
    with container.uow() as uow:
        exporter = uow.users.by_email("exporter@demo.dualuse.eu")
        assert exporter is not None
        org = exporter.organisation_id
        case = uow.licensing.cases(organisation_id=org)[0]
        licence = uow.licensing.licences(organisation_id=org)[0]
        dd_case = uow.duediligence.cases(org)[0]
    ids = {"org": str(org), "case": str(case.id), "number": licence.licence.number, "dd": str(dd_case.id)}
    return World(container, web, api, ids)


def _reads(container: Container) -> list[str]:
    with container.engine.connect() as conn:
        rows = conn.execute(
            select(t.audit_events.c.entity_type).where(
                t.audit_events.c.action == "commission.read", t.audit_events.c.actor == COMMISSION
            )
        ).all()
    return [r.entity_type for r in rows]


API_REFUSED = (
    "/api/v1/applications",
    "/api/v1/applications/{case}",
    "/api/v1/applications/{case}/messages",
    "/api/v1/cases",
    "/api/v1/cases/{case}",
    "/api/v1/cases/{case}/evidence",
    "/api/v1/licences",
    "/api/v1/licences/{number}",
    "/api/v1/licences/{number}/remaining",
    "/api/v1/organisations/{org}/icp",
    "/api/v1/organisations/{org}/compliance-visits",
    "/api/v1/organisations/{org}/records",
    "/api/v1/due-diligence/cases/{dd}",
    "/api/v1/due-diligence/cases/{dd}/report.pdf",
)
WEB_REFUSED = (
    "/applications",
    "/applications/{case}",
    "/authority/cases",
    "/licences/{number}.pdf",
    "/icp",
    "/due-diligence",
    "/due-diligence/{dd}",
    "/authority/enforcement",
)


def _missing(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: "DE-2026-999999" if m.group(1) == "number" else MISSING, path)


@pytest.mark.parametrize("path", API_REFUSED)
def test_the_api_refuses_the_commission_an_exporters_files(world: World, path: str) -> None:
    answer = world.api.get(path.format(**world.ids))
    assert answer.status_code in (403, 404), answer.text[:200]
    assert not EXPORTER_NAMES.search(answer.text)
    if "{" in path:  # F16: an existing file answers as a missing one
        missing = world.api.get(_missing(path))
        assert (missing.status_code, missing.json().get("detail")) == (
            answer.status_code,
            answer.json().get("detail"),
        )


@pytest.mark.parametrize("path", WEB_REFUSED)
def test_the_web_refuses_the_commission_an_exporters_files(world: World, path: str) -> None:
    asked = path.format(**world.ids)
    answer = world.web.get(asked, follow_redirects=False)
    assert answer.status_code in (403, 404), answer.text[:200]
    told = answer.text.replace(asked, "")  # the problem names the path asked for; nothing more
    assert not EXPORTER_NAMES.search(told)
    assert not LICENCE_NUMBER.search(told)


def test_the_commissions_home_shows_figures_and_notices_without_exporters(world: World) -> None:
    home = world.web.get("/")
    assert home.status_code == 200
    html = home.text
    for section in ("denials", "notices", "licences", "enforcement"):
        assert f'data-section="{section}"' in html
    assert not EXPORTER_NAMES.search(html)
    assert not LICENCE_NUMBER.search(html)
    with world.container.uow() as uow:
        licences = uow.licensing.licences()
        notices = uow.notices.issued_by_state("DE")
    licence_part = html.split('data-section="licences"')[1].split("</section>")[0]
    shown = [int(n) for n in re.findall(r'data-label="Licences">(\d+)<', licence_part)]
    assert sum(shown) == len(licences) > 0  # every licence counted, none named
    notice_part = html.split('data-section="notices"')[1].split("</section>")[0]
    assert re.search(
        r'>DE</th><td data-label="Article">Art\. 4\(1\)</td><td data-label="Issued">' + str(len(notices)),
        notice_part,
    )
    enforcement_part = html.split('data-section="enforcement"')[1].split("</section>")[0]
    assert ">DE</th>" in enforcement_part
    assert ">FR</th>" in enforcement_part
    assert '<a href="/penalties">' in html
    denial_part = html.split('data-section="denials"')[1].split("</section>")[0]
    assert re.search(
        r'>FR</th><td data-label="Kind">denial</td><td data-label="Status">in force</td>', denial_part
    )
    assert {"licence_figures", "notice_figures", "enforcement_case", "denial_figures"} <= set(
        _reads(world.container)
    )


def test_the_commission_reads_requirements_enforcement_and_penalties_audited(world: World) -> None:
    before = _reads(world.container)
    assert world.api.get("/api/v1/art5-requirements").status_code == 200
    cases = world.api.get("/api/v1/enforcement/cases")
    assert cases.status_code == 200
    assert cases.json()
    assert all("organisation_id" not in c and "summary" not in c for c in cases.json())
    assert world.api.get("/api/v1/enforcement/statistics").status_code == 200
    assert world.api.get("/api/v1/penalties").status_code == 200
    after = _reads(world.container)
    assert after.count("art5_requirement") == before.count("art5_requirement") + 1
    assert after.count("enforcement_case") == before.count("enforcement_case") + 2
    assert world.web.get("/requirements").status_code == 200
    assert world.web.get("/penalties").status_code == 200


def test_a_refused_commission_read_is_recorded_too(world: World) -> None:
    world.api.get(f"/api/v1/licences/{world.ids['number']}")
    with world.container.engine.connect() as conn:
        refused = conn.execute(
            select(t.audit_events.c.entity_id).where(
                t.audit_events.c.action == "access.refused", t.audit_events.c.actor == COMMISSION
            )
        ).all()
    assert any("/api/v1/licences/" in r.entity_id for r in refused)


def test_the_api_gives_the_commission_the_same_figures_and_no_one_else(world: World) -> None:
    answer = world.api.get("/api/v1/commission/figures")
    assert answer.status_code == 200
    assert not EXPORTER_NAMES.search(answer.text)
    assert not LICENCE_NUMBER.search(answer.text)
    figures = answer.json()
    with world.container.uow() as uow:
        assert sum(f["count"] for f in figures["licences"]) == len(uow.licensing.licences())
    assert {"member_state": "DE", "article": "4(1)", "issued": 1, "in_force": 1} in figures["notices"]
    assert {e["member_state"] for e in figures["enforcement"]} == {"DE", "FR"}
    assert {"licence_figures", "notice_figures"} <= set(_reads(world.container))
    officer = TestClient(
        world.api.app,
        headers={"authorization": f"Bearer {token_for(world.container, 'officer-de@demo.dualuse.eu')}"},
    )
    assert officer.get("/api/v1/commission/figures").status_code == 403
