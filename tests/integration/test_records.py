"""The exporter's records (Art. 27): the export holds its licence, the licence's shipments and its
classifications, each with the day it must be kept until; who may download it; and which records are
past their retention period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container
from dualuse.domain import licensing as lic
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.http.app import create_app
from dualuse.services import records
from dualuse.services.clock import today_in_brussels
from tests.factories import make_organisation, make_person, token_for

ITEM = lic.ApplicationItem("5A001.j", "surveillance system", Decimal("10"), "pieces", Decimal("100000"))
PARTY = lic.Party("Operator SA", lic.PartyRole.END_USER, "BR", lic.PartyType.COMMERCIAL)


def licence(number: str, holder: str) -> lic.Licence:
    return lic.issue_licence(
        number=number,
        case_id="1",
        holder_id=holder,
        licence_type=lic.ApplicationType.INDIVIDUAL,
        valid_from=date(2019, 1, 2),
        valid_until=date(2020, 12, 31),
        items=(
            lic.LicensedItem(1, "5A001.j", "surveillance system", "pieces", Decimal("10"), Decimal("100000")),
        ),
    )


def shipment(number: str, shipped_on: date) -> lic.Shipment:
    return lic.Shipment(
        number, 1, Decimal("1"), Decimal("10000"), shipped_on, f"MRN-{shipped_on.isoformat()}"
    )


@pytest.fixture
def world(container: Container) -> dict[str, object]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    other = make_organisation(container, OrganisationKind.EXPORTER, "Other BV", "NL", "NL222")
    make_person(container, acme, Role.EXPORTER_USER, "user@acme.example")
    make_person(container, other, Role.EXPORTER_ADMIN, "admin@other.example")
    for state in ("DE", "FR"):
        org = make_organisation(container, OrganisationKind.AUTHORITY, f"Authority {state}", state)
        make_person(container, org, Role.AUTHORITY_OFFICER, f"officer@{state.lower()}.example")
    number = "DE-2019-000001"
    with container.uow() as uow:
        stored = uow.licensing.add_case(
            organisation_id=acme.id,
            member_state="DE",
            build=lambda i: lic.new_case(
                str(i),
                lic.Application(
                    str(i), str(acme.id), lic.ApplicationType.INDIVIDUAL, (ITEM,), (PARTY,), ("BR",), "lawful"
                ),
            ),
        )
        licence_id = uow.licensing.add_licence(
            case_id=stored.id, member_state="DE", licence=licence(number, str(acme.id)), check_code="ABCDEFGH"
        )
        for day in (date(2019, 6, 1), date(2020, 12, 31), date(2021, 12, 31)):
            uow.licensing.add_shipment(licence_id=licence_id, shipment=shipment(number, day))
        uow.classifications.add(
            organisation_id=acme.id,
            product_name="Interception probe",
            description="lawful interception probe",
            parameters={},
            control_code="5A001.j",
            rationale="IP network surveillance system",
            list_version="2025",
            created_by="user@acme.example",
        )
        uow.commit()
    return {"acme": acme.id, "other": other.id, "number": number}


def client(container: Container, email: str) -> TestClient:
    c = TestClient(create_app(container=container))
    c.headers["Authorization"] = f"Bearer {token_for(container, email)}"
    return c


def test_the_export_holds_the_licence_its_shipments_and_a_classification(
    container: Container, world: dict[str, object]
) -> None:
    response = client(container, "user@acme.example").get(f"/api/v1/organisations/{world['acme']}/records")
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["content-disposition"]
    body = response.json()
    assert body["organisation"]["name"] == "Acme GmbH"
    [case] = body["licensing_cases"]
    assert case["application"]["items"][0]["control_code"] == "5A001.j"
    assert case["status"] == "draft"
    [licence_record] = body["licences"]
    assert licence_record["number"] == world["number"]
    # a licence is kept from its last use: here its issue (today) is later than every shipment
    issued = date.fromisoformat(licence_record["date"])
    assert abs(issued - today_in_brussels()).days <= 1
    assert licence_record["retain_until"] == date(issued.year + 5, 12, 31).isoformat()
    shipped = {s["shipped_on"]: s["retain_until"] for s in licence_record["shipments"]}
    assert shipped == {"2019-06-01": "2024-12-31", "2020-12-31": "2025-12-31", "2021-12-31": "2026-12-31"}
    [classification] = body["classifications"]
    assert classification["control_code"] == "5A001.j"
    classified = date.fromisoformat(classification["date"])
    assert abs(classified - today_in_brussels()).days <= 1
    assert classification["retain_until"] == date(classified.year + 5, 12, 31).isoformat()
    assert body["eugea_registrations"] == []
    assert body["due_diligence_cases"] == []


def test_who_may_download_the_records(container: Container, world: dict[str, object]) -> None:
    path = f"/api/v1/organisations/{world['acme']}/records"
    assert client(container, "officer@de.example").get(path).status_code == 200
    assert client(container, "officer@fr.example").get(path).status_code == 404  # F16
    assert client(container, "admin@other.example").get(path).status_code == 404
    assert (
        client(container, "user@acme.example")
        .get(f"/api/v1/organisations/{world['other']}/records")
        .status_code
        == 404
    )
    assert (
        client(container, "officer@de.example").get("/api/v1/organisations/999999/records").status_code == 404
    )


def test_retention_rule() -> None:
    assert lic.retention_until(date(2021, 12, 31)) == date(2026, 12, 31)
    assert lic.may_delete(date(2019, 6, 1), date(2026, 12, 2))
    assert not lic.may_delete(date(2021, 12, 31), date(2026, 12, 2))
    assert not lic.may_delete(date(2020, 12, 31), date(2025, 12, 31))
    assert lic.may_delete(date(2020, 12, 31), date(2026, 1, 1))


def test_purgeable_lists_records_past_retention_and_deletes_nothing(
    container: Container, world: dict[str, object]
) -> None:
    with container.uow() as uow:
        on_2026_12_02 = records.purgeable(uow, date(2026, 12, 2))
        before_2026 = records.purgeable(uow, date(2025, 12, 31))
        from_2026 = records.purgeable(uow, date(2026, 1, 1))
    shipments = {d for kind, _, d in on_2026_12_02 if kind == "shipment"}
    assert shipments == {date(2019, 6, 1), date(2020, 12, 31)}  # 2021-12-31 is kept until 2026-12-31
    assert {d for kind, _, d in before_2026 if kind == "shipment"} == {date(2019, 6, 1)}
    assert {d for kind, _, d in from_2026 if kind == "shipment"} == {date(2019, 6, 1), date(2020, 12, 31)}
    # the licence and the classification were written today: kept for five more calendar years
    assert not any(kind in {"licence", "classification"} for kind, _, _ in on_2026_12_02)
    with container.uow() as uow:
        much_later = records.purgeable(uow, date(today_in_brussels().year + 6, 1, 1))
        # nothing was deleted
        assert len(uow.licensing.shipments(uow.licensing.licences()[0].id)) == 3
    assert {"licensing_case", "licence", "shipment", "classification"} <= {kind for kind, _, _ in much_later}
