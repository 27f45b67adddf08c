"""Authority notices as records (Reg. (EU) 2021/821 Art. 4(1), 5(1), 6(1), 7, 8(1)): issued by an officer of
the party's member state, binding the party's determinations until withdrawn, seen by both sides, audited."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from dualuse.adapters.db import tables as t
from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.http.app import create_app
from tests.factories import PASSWORD, make_organisation, make_person, token_for

END_USER = "Northern Institute of Applied Physics"


@pytest.fixture
def people(container: Container) -> dict[str, Any]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    beta = make_organisation(container, OrganisationKind.EXPORTER, "Beta GmbH", "DE", "DE222")
    gaul = make_organisation(container, OrganisationKind.EXPORTER, "Gaul SA", "FR", "FR333")
    emails = {"acme": "a@acme.example", "beta": "b@beta.example", "gaul": "g@gaul.example"}
    for key, org in (("acme", acme), ("beta", beta), ("gaul", gaul)):
        make_person(container, org, Role.EXPORTER_ADMIN, emails[key])
    for state in ("DE", "FR"):
        authority = make_organisation(container, OrganisationKind.AUTHORITY, f"Authority {state}", state)
        emails[state] = f"officer@{state.lower()}.example"
        make_person(container, authority, Role.AUTHORITY_OFFICER, emails[state])
    clients = {}
    for key, email in emails.items():
        client = TestClient(create_app(container=container))
        client.headers["Authorization"] = f"Bearer {token_for(container, email)}"
        clients[key] = client
    return {"clients": clients, "ids": {"acme": acme.id, "beta": beta.id, "gaul": gaul.id}, "emails": emails}


def notice(organisation_id: int, **overrides: Any) -> dict[str, Any]:
    body = {
        "organisation_id": organisation_id,
        "article": "4(1)",
        "scope": "end_user",
        "destination": "IN",
        "end_user": END_USER,
        "reason": "the end-user develops missile guidance",
    }
    return body | overrides


def case(**overrides: Any) -> dict[str, Any]:
    body = {
        "exporter": {"name": "x", "member_state": "DE"},
        "destination": "IN",
        "end_user": {"name": "NORTHERN INSTITUTE OF APPLIED PHYSICS", "country": "IN", "type": "research"},
        "items": [{"id": "1", "description": "vacuum pump", "control_code": None}],
    }
    return body | overrides


def determine(client: TestClient, **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/determinations", json=case(**overrides))
    assert response.status_code == 200, response.text
    return response.json()


def audit_count(container: Container, action: str) -> int:
    with container.engine.connect() as connection:
        query = select(func.count()).select_from(t.audit_events).where(t.audit_events.c.action == action)
        return int(connection.execute(query).scalar_one())


def test_f17_a_notice_binds_the_exporter_until_it_is_withdrawn(
    container: Container, people: dict[str, Any]
) -> None:
    c, ids = people["clients"], people["ids"]
    assert determine(c["acme"])["outcome"] == "no_licence_required"
    issued = c["DE"].post("/api/v1/authority-notices", json=notice(ids["acme"]))
    assert issued.status_code == 201, issued.text
    number = issued.json()["number"]
    bound = determine(c["acme"])
    item = bound["items"][0]
    assert bound["outcome"] == "licence_required"
    assert "Regulation (EU) 2021/821, Art. 4(1)" in item["legal_basis"]
    assert any(number in basis for basis in item["legal_basis"])
    assert item["customs_codes"] == ["X060"]
    assert [b["id"] for b in bound["bound_by"]] == [f"notice-{number}"]
    # the notice binds its addressee only, and only for what it is about
    assert determine(c["beta"])["outcome"] == "no_licence_required"
    assert determine(c["acme"], destination="BR", end_user=None)["outcome"] == "no_licence_required"
    withdrawn = c["DE"].post(
        f"/api/v1/authority-notices/{issued.json()['id']}/withdrawal", json={"reason": "end-user vetted"}
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "withdrawn"
    assert determine(c["acme"])["outcome"] == "no_licence_required"
    assert audit_count(container, "authority_notice.issued") == 1
    assert audit_count(container, "authority_notice.withdrawn") == 1
    again = c["DE"].post(f"/api/v1/authority-notices/{issued.json()['id']}/withdrawal", json={"reason": "x"})
    assert again.status_code == 409


def test_f17_an_art5_notice_reaches_the_engine_through_the_art5_facts(
    container: Container, people: dict[str, Any]
) -> None:
    c, ids = people["clients"], people["ids"]
    body = notice(ids["acme"], article="5(1)", scope="destination", destination="EG", end_user="")
    assert c["DE"].post("/api/v1/authority-notices", json=body).status_code == 201
    answer = determine(
        c["acme"],
        destination="EG",
        end_user=None,
        items=[{"id": "1", "description": "monitoring software", "control_code": None}],
    )
    item = answer["items"][0]
    assert answer["outcome"] == "licence_required"
    assert item["cyber_surveillance_item"] is True
    assert "art5-1-informed-cyber" in item["rules_applied"]  # the engine's own Art. 5(1) rule
    assert "Regulation (EU) 2021/821, Art. 5(1)" in item["legal_basis"]


def test_f17_only_an_officer_of_the_partys_state_issues_or_withdraws(
    container: Container, people: dict[str, Any]
) -> None:
    c, ids = people["clients"], people["ids"]
    # another state's party is answered as a missing one (F16); an exporter may not issue at all
    assert c["FR"].post("/api/v1/authority-notices", json=notice(ids["acme"])).status_code == 404
    assert c["acme"].post("/api/v1/authority-notices", json=notice(ids["beta"])).status_code == 403
    assert c["DE"].post("/api/v1/authority-notices", json=notice(ids["gaul"])).status_code == 404
    issued = c["DE"].post("/api/v1/authority-notices", json=notice(ids["acme"])).json()
    refused = c["FR"].post(f"/api/v1/authority-notices/{issued['id']}/withdrawal", json={"reason": "x"})
    assert refused.status_code in (403, 404)
    assert audit_count(container, "authority_notice.issued") == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"article": "9(1)"}, "article"),
        ({"scope": "everything"}, "scope"),
        ({"destination": "XX"}, "destination"),
        ({"end_user": " "}, "end_user"),
        ({"scope": "transaction", "item": ""}, "item"),
        ({"reason": ""}, "reason"),
    ],
)
def test_f17_a_bad_notice_is_refused_and_changes_nothing(
    container: Container, people: dict[str, Any], overrides: dict[str, Any], field: str
) -> None:
    c, ids = people["clients"], people["ids"]
    response = c["DE"].post("/api/v1/authority-notices", json=notice(ids["acme"], **overrides))
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert c["DE"].get("/api/v1/authority-notices").json() == []
    assert audit_count(container, "authority_notice.issued") == 0


def test_f17_both_sides_see_the_notice_on_their_pages(container: Container, people: dict[str, Any]) -> None:
    c, ids, emails = people["clients"], people["ids"], people["emails"]
    web = TestClient(create_app(container=container))
    token = web.get("/login").text.split('name="csrftoken" value="')[1].split('"')[0]
    web.post("/login", data={"email": emails["DE"], "password": PASSWORD, "csrftoken": token})
    page = web.get("/authority/notices")
    assert page.status_code == 200
    assert "Acme GmbH" in page.text  # a party of DE to choose
    assert "Gaul SA" not in page.text  # not a party of DE
    sent = web.post(
        "/authority/notices",
        data={
            "csrftoken": token,
            "organisation_id": str(ids["acme"]),
            "article": "4(1)",
            "scope": "end_user",
            "destination": "India",
            "end_user": END_USER,
            "reason": "missile guidance",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    [issued] = c["DE"].get("/api/v1/authority-notices").json()
    assert issued["destination"] == "IN"
    assert issued["number"] in web.get("/authority/notices").text
    # the party sees it (API and page); another party does not
    assert [n["number"] for n in c["acme"].get("/api/v1/authority-notices").json()] == [issued["number"]]
    assert c["beta"].get("/api/v1/authority-notices").json() == []
    exporter = TestClient(create_app(container=container))
    token_e = exporter.get("/login").text.split('name="csrftoken" value="')[1].split('"')[0]
    exporter.post("/login", data={"email": emails["acme"], "password": PASSWORD, "csrftoken": token_e})
    received = exporter.get("/notices")
    assert issued["number"] in received.text
    assert "in force" in received.text
    withdrawn = web.post(
        f"/authority/notices/{issued['id']}/withdraw",
        data={"csrftoken": token, "reason": "vetted"},
        follow_redirects=False,
    )
    assert withdrawn.status_code == 303
    assert "withdrawn" in exporter.get("/notices").text
    refused = web.post("/authority/notices", data={"csrftoken": token, "organisation_id": str(ids["acme"])})
    assert refused.status_code == 400
