"""Web forms take numbers as the API does (issue #11, F18) and a licence starts near its grant (F19), on
SQLite and PostgreSQL: the same domain checks behind both entry points, errors shown on the form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dualuse.adapters.db import tables as t
from dualuse.bootstrap import Container
from dualuse.domain import licensing as lic
from dualuse.domain.identity import OrganisationKind, Principal, Role
from dualuse.entrypoints.http.app import create_app
from dualuse.services import licensing as svc
from dualuse.services.clock import today_in_brussels
from tests.factories import PASSWORD, make_organisation, make_person, token_for

# Numbers the API's schemas refuse: negative, not a number, infinite, too large, finer than allowed.
BAD_QUANTITIES = ["-1", "0", "NaN", "Infinity", "1e999", "1e13", "0.0000001"]
BAD_VALUES = ["-5", "NaN", "-Infinity", "1e17", "0.001"]


@dataclass(frozen=True)
class Cast:
    exporter: Principal
    officer: Principal
    senior: Principal


@pytest.fixture
def cast(container: Container) -> Cast:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    bafa = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    return Cast(
        make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example").principal,
        make_person(container, bafa, Role.AUTHORITY_OFFICER, "officer@bafa.example").principal,
        make_person(container, bafa, Role.AUTHORITY_SENIOR, "senior@bafa.example").principal,
    )


def browser(container: Container, email: str) -> tuple[TestClient, str]:
    client = TestClient(create_app(container=container), follow_redirects=False)
    token = _csrf(client)
    signed = client.post("/login", data={"email": email, "password": PASSWORD, "csrftoken": token})
    assert signed.status_code == 303
    return client, _csrf(client)


def _csrf(client: TestClient) -> str:
    match = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/login").text)
    assert match
    return match.group(1)


def bearer(container: Container, email: str) -> TestClient:
    client = TestClient(create_app(container=container))
    client.headers["authorization"] = f"Bearer {token_for(container, email)}"
    return client


def count(container: Container, table: t.Table) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def recommended(container: Container, cast: Cast) -> int:
    """An application for 10 pieces worth 100,000 euro, recommended for a grant; its case id."""
    content = svc.ApplicationContent(
        application_type="individual",
        items=(
            lic.ApplicationItem("5A001.j", "IP surveillance system", Decimal(10), "pieces", Decimal(100000)),
        ),
        parties=(lic.Party("Operator SA", lic.PartyRole.END_USER, "BR", lic.PartyType.COMMERCIAL),),
        destinations=("BR",),
        end_use="Lawful interception",
    )
    with container.uow() as uow:
        case_id = svc.create_application(uow, cast.exporter, content).id
        svc.submit(uow, cast.exporter, case_id, declaration=svc.APPLICANT_DECLARATION)
        stored = svc.case_action(uow, cast.officer, case_id, "start_assessment", expected_version=None)
        findings = [lic.Finding(c.id, False, "") for c in lic.CRITERIA]
        stored = svc.record_assessment(
            uow, cast.officer, case_id, findings, expected_version=stored.case.version
        )
        svc.recommend(
            uow, cast.officer, case_id, kind="grant", reasoning="fine", expected_version=stored.case.version
        )
    return case_id


def granted(container: Container, cast: Cast) -> tuple[int, str]:
    case_id = recommended(container, cast)
    with container.uow() as uow:
        version = svc.get_application(uow, cast.senior, case_id).case.version
        _, licence = svc.decide(
            uow,
            cast.senior,
            case_id,
            outcome="granted",
            expected_version=version,
            secret=svc.check_code_secret(container.settings.secret_key),
        )
    assert licence is not None
    return case_id, licence.licence.number


# --- F18 ---------------------------------------------------------------------------------------------------
ITEM_FORM = {
    "control_code": "5A001.j",
    "description": "IP surveillance system",
    "quantity": "10",
    "unit": "pieces",
    "value_eur": "100000",
}


def draft(client: TestClient, token: str) -> str:
    """A new draft application's address (the item form is one of its parts)."""
    started = client.post("/applications/new", data={"application_type": "individual", "csrftoken": token})
    assert started.status_code == 303
    return str(started.headers["location"])


def item_count(container: Container) -> int:
    with container.uow() as uow:
        return sum(len(c.case.current_application.items) for c in uow.licensing.cases())


@pytest.mark.parametrize(
    ("field", "bad"), [("quantity", q) for q in BAD_QUANTITIES] + [("value_eur", v) for v in BAD_VALUES]
)
def test_f18_the_application_form_refuses_what_the_api_refuses(
    container: Container, cast: Cast, field: str, bad: str
) -> None:
    client, token = browser(container, "admin@acme.example")
    case = draft(client, token)
    page = client.post(f"{case}/items", data=ITEM_FORM | {field: bad, "csrftoken": token})
    assert page.status_code == 400
    assert f'href="#{field}"' in page.text  # the error summary points at the field
    assert f'value="{bad}"' in page.text  # what was typed stays in the form
    api = bearer(container, "admin@acme.example").post(
        "/api/v1/applications",
        json={
            "items": [
                {
                    "control_code": "5A001.j",
                    "description": "IP surveillance system",
                    "unit": "pieces",
                    "quantity": "10",
                    "value_eur": "100000",
                }
                | {field: bad}
            ],
            "parties": [{"name": "Operator SA", "role": "end_user", "country": "BR"}],
            "destinations": ["BR"],
        },
    )
    assert api.status_code == 422
    assert count(container, t.licensing_cases) == 1  # the web's draft alone
    assert item_count(container) == 0


def test_f18_good_numbers_still_pass_the_form(container: Container, cast: Cast) -> None:
    client, token = browser(container, "admin@acme.example")
    case = draft(client, token)
    form = ITEM_FORM | {"quantity": "2.5", "value_eur": "1250.50", "csrftoken": token}
    assert client.post(f"{case}/items", data=form).status_code == 303
    assert item_count(container) == 1


@pytest.mark.parametrize(
    ("field", "bad"),
    [("quantity", q) for q in BAD_QUANTITIES]
    + [("value_eur", v) for v in BAD_VALUES]
    + [("item_line", "-1"), ("item_line", "1.5"), ("customs_reference", "x" * 101), ("shipped_on", "soon")],
)
def test_f18_the_shipment_form_refuses_what_the_api_refuses(
    container: Container, cast: Cast, field: str, bad: str
) -> None:
    case_id, number = granted(container, cast)
    good = {"item_line": "1", "quantity": "1", "value_eur": "100", "customs_reference": "26DE0000000001"}
    good["shipped_on"] = today_in_brussels().isoformat()
    client, token = browser(container, "admin@acme.example")
    page = client.post(
        f"/licences/{number}/shipments", data=good | {field: bad, "case_id": str(case_id), "csrftoken": token}
    )
    assert page.status_code == 400
    assert "There is a problem" in page.text  # on the case page, beside the form
    field_id = {"quantity": "ship_quantity", "value_eur": "ship_value"}.get(field, field)
    assert f'href="#{field_id}"' in page.text
    api_body: dict[str, object] = {
        "item_line": 1,
        "quantity": "1",
        "value_eur": "100",
        "customs_reference": "26DE0000000002",
        "shipped_on": good["shipped_on"],
    } | {field: bad}
    api = bearer(container, "admin@acme.example").post(f"/api/v1/licences/{number}/shipments", json=api_body)
    assert api.status_code == 422
    assert count(container, t.shipments) == 0


@pytest.mark.parametrize("bad", ["inf", "-1", "nan"])
def test_f18_the_licence_check_form_refuses_what_the_api_refuses(container: Container, bad: str) -> None:
    client = TestClient(create_app(container=container))
    token = _csrf(client)
    form = {"activity": "export", "member_state": "DE", "destination": "BR", "control_code": "5A001.j"}
    page = client.post("/determinations/new", data=form | {"quantity": bad, "csrftoken": token})
    assert page.status_code == 400
    assert 'href="#quantity"' in page.text
    number = {"inf": "Infinity", "nan": "NaN"}.get(bad, bad)  # Python's JSON reader takes both
    case = (
        '{"activity": "export", "exporter": {"name": "api", "member_state": "DE"}, "destination": "BR", '
        f'"items": [{{"id": "1", "control_code": "5A001.j", "quantity": {number}}}]}}'
    )
    api = TestClient(create_app(container=container)).post(
        "/api/v1/determinations", content=case, headers={"content-type": "application/json"}
    )
    assert api.status_code == 422


# --- F19 ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("days", "ok"),
    [(-400, False), (-2, False), (0, True), (30, True), (183, True), (184, False), (27000, False)],
)
def test_f19_a_licence_takes_effect_between_its_grant_and_six_months_later(
    container: Container, cast: Cast, days: int, ok: bool
) -> None:
    case_id = recommended(container, cast)
    with container.uow() as uow:
        version = svc.get_application(uow, cast.senior, case_id).case.version
    start = today_in_brussels() + timedelta(days=days)
    response = bearer(container, "senior@bafa.example").post(
        f"/api/v1/cases/{case_id}/decision",
        json={"expected_version": version, "outcome": "granted", "valid_from": start.isoformat()},
    )
    if ok:
        assert response.status_code == 200, response.text
        assert response.json()["issued"]["valid_from"] == start.isoformat()
    else:
        assert response.status_code == 422
        assert response.json()["field"] == "valid_from"
        assert count(container, t.licences) == 0
        with container.uow() as uow:  # nothing decided: the case still waits for its countersignature
            assert svc.get_application(uow, cast.senior, case_id).case.decision is None


def test_f19_validity_stays_within_art_12_3(container: Container, cast: Cast) -> None:
    case_id = recommended(container, cast)
    with container.uow() as uow:
        version = svc.get_application(uow, cast.senior, case_id).case.version
    start = today_in_brussels()
    response = bearer(container, "senior@bafa.example").post(
        f"/api/v1/cases/{case_id}/decision",
        json={
            "expected_version": version,
            "outcome": "granted",
            "valid_from": start.isoformat(),
            "valid_until": (start + timedelta(days=3 * 365)).isoformat(),
        },
    )
    assert response.status_code == 422
    assert "Art. 12(3)" in response.json()["detail"]
