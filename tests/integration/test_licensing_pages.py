"""The public verification page and the licence PDF, on a licence issued through the services."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container
from dualuse.domain import licensing as lic
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.http.app import create_app
from dualuse.services import licensing as svc
from dualuse.services.clock import today_in_brussels
from tests.factories import PASSWORD, make_organisation, make_person


def test_verify_page_and_pdf(container: Container) -> None:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    de = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    exporter = make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example").principal
    officer = make_person(container, de, Role.AUTHORITY_OFFICER, "officer@bafa.example").principal
    senior = make_person(container, de, Role.AUTHORITY_SENIOR, "senior@bafa.example").principal
    secret = svc.check_code_secret(container.settings.secret_key)
    content = svc.ApplicationContent(
        application_type="individual",
        items=(
            lic.ApplicationItem("5A001.j", "IP surveillance system", Decimal(1), "pieces", Decimal(1000)),
        ),
        parties=(lic.Party("Operator SA", lic.PartyRole.END_USER, "BR", lic.PartyType.COMMERCIAL),),
        destinations=("BR",),
        end_use="Lawful interception",
    )
    with container.uow() as uow:
        case_id = svc.create_application(uow, exporter, content).id
        svc.submit(uow, exporter, case_id, declaration=svc.APPLICANT_DECLARATION)
        stored = svc.case_action(uow, officer, case_id, "start_assessment", expected_version=None)
        findings = [lic.Finding(c.id, False, "") for c in lic.CRITERIA]
        stored = svc.record_assessment(uow, officer, case_id, findings, expected_version=stored.case.version)
        stored = svc.recommend(
            uow, officer, case_id, kind="grant", reasoning="fine", expected_version=stored.case.version
        )
        _case, licence = svc.decide(
            uow, senior, case_id, outcome="granted", expected_version=stored.case.version, secret=secret
        )
    assert licence is not None
    web = TestClient(create_app(container=container))
    number = licence.licence.number
    genuine = web.get(f"/verify/{number}", params={"code": licence.check_code})
    assert genuine.status_code == 200
    assert "Genuine" in genuine.text
    assert "IP surveillance system" not in genuine.text  # no commercial content
    forged = web.get(f"/verify/{number}", params={"code": "AAAAAAAAAAAA"})
    assert "Not genuine" in forged.text


def test_the_queue_filters_cyber_surveillance_items(container: Container) -> None:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    de = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    exporter = make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example").principal
    officer = make_person(container, de, Role.AUTHORITY_OFFICER, "officer@bafa.example").principal
    for code, description in (("5A001.j", "IP surveillance system"), ("2B001", "Machine tool")):
        content = svc.ApplicationContent(
            application_type="individual",
            items=(lic.ApplicationItem(code, description, Decimal(1), "pieces", Decimal(1000)),),
            parties=(lic.Party("Buyer SA", lic.PartyRole.END_USER, "BR", lic.PartyType.COMMERCIAL),),
            destinations=("BR",),
            end_use="Production",
        )
        with container.uow() as uow:
            svc.submit(
                uow,
                exporter,
                svc.create_application(uow, exporter, content).id,
                declaration=svc.APPLICANT_DECLARATION,
            )
    view = container.list_source().as_of(today_in_brussels())
    with container.uow() as uow:
        everything = svc.queue(uow, officer)
        cyber = svc.queue(uow, officer, cyber_surveillance=True, list_view=view)
    assert (everything.total, len(everything.cases)) == (2, 2)
    assert [s.control_codes for s in cyber.cases] == [("5A001.j",)]
    assert cyber.total == 1


def test_the_queue_page_pages(container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    """Oldest submission first, a page at a time, with the filters kept in the page links."""
    monkeypatch.setattr(svc, "QUEUE_PAGE_SIZE", 2)
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    de = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    exporter = make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example").principal
    make_person(container, de, Role.AUTHORITY_OFFICER, "officer@bafa.example")
    submitted = []
    for n in range(3):
        content = svc.ApplicationContent(
            application_type="individual",
            items=(lic.ApplicationItem("2B001", f"Machine tool {n}", Decimal(1), "pieces", Decimal(1000)),),
            parties=(lic.Party("Buyer SA", lic.PartyRole.END_USER, "BR", lic.PartyType.COMMERCIAL),),
            destinations=("BR",),
            end_use="Production",
        )
        with container.uow() as uow:
            submitted.append(
                svc.submit(
                    uow,
                    exporter,
                    svc.create_application(uow, exporter, content).id,
                    declaration=svc.APPLICANT_DECLARATION,
                ).id
            )
    web = TestClient(create_app(container=container))
    token = re.search(r'name="csrftoken" value="([^"]+)"', web.get("/login").text)
    assert token is not None
    web.post("/login", data={"email": "officer@bafa.example", "password": PASSWORD, "csrftoken": token[1]})
    first = web.get("/authority/cases", params={"destination": "BR"})
    assert first.status_code == 200
    assert "Cases 1–2 of 3" in first.text
    assert [f'href="/applications/{i}"' in first.text for i in submitted] == [True, True, False]
    assert (
        'href="/authority/cases?status=&amp;destination=BR&amp;cyber=&amp;older_than_days=&amp;page=2"'
        in first.text
    )
    second = web.get("/authority/cases", params={"destination": "BR", "page": 2})
    assert "Cases 3–3 of 3" in second.text
    assert f'href="/applications/{submitted[2]}"' in second.text
    assert 'rel="prev"' in second.text
    assert 'rel="next"' not in second.text
    assert "No case matches" in web.get("/authority/cases", params={"destination": "CN"}).text


def test_i12_the_assessment_form_labels_the_common_position_under_art15_1_c(container: Container) -> None:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    de = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    exporter = make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example").principal
    officer = make_person(container, de, Role.AUTHORITY_OFFICER, "officer@bafa.example").principal
    content = svc.ApplicationContent(
        application_type="individual",
        items=(lic.ApplicationItem("2B001", "Machine tool", Decimal(1), "pieces", Decimal(1000)),),
        parties=(lic.Party("Buyer SA", lic.PartyRole.END_USER, "BR", lic.PartyType.COMMERCIAL),),
        destinations=("BR",),
        end_use="Production",
    )
    with container.uow() as uow:
        case_id = svc.create_application(uow, exporter, content).id
        svc.submit(uow, exporter, case_id, declaration=svc.APPLICANT_DECLARATION)
        svc.case_action(uow, officer, case_id, "start_assessment", expected_version=None)
    web = TestClient(create_app(container=container))
    token = re.search(r'name="csrftoken" value="([^"]+)"', web.get("/login").text)
    assert token is not None
    web.post("/login", data={"email": "officer@bafa.example", "password": PASSWORD, "csrftoken": token[1]})
    page = web.get(f"/applications/{case_id}").text
    assert "Assessment (Art. 15(1) considerations)" in page
    assert "None of them is an automatic" in page
    assert page.count("Art. 15(1)(c), a matter covered by Common Position 2008/944/CFSP, criterion") == 8
    assert "Art. 15(1)(d): The intended end use and the risk of diversion" in page
    assert "mandatory" not in page.lower()
