"""Licensing domain objects stored as JSON read back equal (Decimals as strings, dates ISO, enums by value),
through the codecs alone and through SQLite and PostgreSQL; the version check is done in SQL."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from dualuse.adapters.db import licensing_repo as codec
from dualuse.bootstrap import Container
from dualuse.domain import licensing as lic
from dualuse.domain.errors import ConflictError
from dualuse.domain.identity import OrganisationKind
from tests.factories import make_organisation

ITEM = lic.ApplicationItem("5A001.j", "surveillance system", Decimal("10.5"), "pieces", Decimal("1234.56"))
PARTY = lic.Party("Operator SA", lic.PartyRole.END_USER, "BR", lic.PartyType.COMMERCIAL)


def application(case_id: str) -> lic.Application:
    return lic.Application(
        case_id, "7", lic.ApplicationType.INDIVIDUAL, (ITEM,), (PARTY,), ("BR",), "lawful interception"
    )


def decided_case(case_id: str = "1") -> lic.Case:
    case, _ = lic.transition(lic.new_case(case_id, application(case_id)), "submit", lic.Actor.EXPORTER, "7")
    amended = replace(application(case_id), end_use="lawful interception, amended")
    case, _ = lic.amend_application(case, amended, actor_id="7", reason="clarified")
    case, _ = lic.transition(case, "start_assessment", lic.Actor.OFFICER, "o@x")
    findings = tuple(
        lic.Finding(c.id, c.id == "cp.7", "diversion risk" if c.id == "cp.7" else "") for c in lic.CRITERIA
    )
    recommendation = lic.Recommendation(
        lic.RecommendationKind.GRANT_WITH_CONDITIONS,
        "o@x",
        lic.Assessment("o@x", findings),
        "acceptable with an end-use check",
        conditions=("post-shipment verification",),
    )
    case, _ = lic.recommend(case, recommendation)
    decision = lic.countersign(
        recommendation,
        outcome=lic.DecisionOutcome.GRANTED,
        countersigner_id="s@x",
        countersigner_roles={lic.Actor.SENIOR},
        case_version=case.version,
    )
    case, _ = lic.decide(case, decision)
    return case


def licence() -> lic.Licence:
    return lic.issue_licence(
        number="DE-2026-000042",
        case_id="1",
        holder_id="7",
        licence_type=lic.ApplicationType.INDIVIDUAL,
        valid_from=date(2026, 12, 2),
        valid_until=date(2028, 12, 1),
        items=(
            lic.LicensedItem(
                1, "5A001.j", "surveillance system", "pieces", Decimal("10.5"), Decimal("1234.56")
            ),
        ),
        conditions=("post-shipment verification",),
    )


def through_json(data: dict[str, object]) -> dict[str, object]:
    return json.loads(json.dumps(data))  # type: ignore[no-any-return]


def test_codecs_round_trip() -> None:
    case = decided_case()
    assert codec.case_from_json(through_json(codec.case_to_json(case))) == case
    assert codec.licence_from_json(through_json(codec.licence_to_json(licence()))) == licence()
    shipment = lic.Shipment("DE-2026-000042", 1, Decimal("0.5"), Decimal("10.00"), date(2027, 1, 5), "24DE1")
    assert codec.shipment_from_json(through_json(codec.shipment_to_json(shipment))) == shipment
    assert codec.case_to_json(case)["application"]["items"][0]["value_eur"] == "1234.56"  # type: ignore[index]


def test_stored_case_reads_back_and_a_stale_write_is_refused(container: Container) -> None:
    org = make_organisation(container, OrganisationKind.EXPORTER, "Acme", "DE", "DE1")
    with container.uow() as uow:
        stored = uow.licensing.add_case(
            organisation_id=org.id,
            member_state="DE",
            build=lambda i: lic.new_case(str(i), application(str(i))),
        )
        uow.commit()
    case = replace(decided_case(str(stored.id)), version=stored.case.version + 1)
    with container.uow() as uow:
        uow.licensing.save_case(replace(stored, case=case), expected_version=stored.case.version)
        with pytest.raises(ConflictError, match="changed meanwhile"):
            uow.licensing.save_case(replace(stored, case=case), expected_version=stored.case.version)
        uow.licensing.add_licence(
            case_id=stored.id, member_state="DE", licence=licence(), check_code="ABCDEFGH"
        )
        uow.commit()
    with container.uow() as uow:
        again = uow.licensing.case(stored.id)
        assert again is not None
        assert again.case == case
        found = uow.licensing.licence("DE-2026-000042")
        assert found is not None
        assert found.licence == licence()
        assert uow.licensing.issued_numbers("DE") == ["DE-2026-000042"]
        with pytest.raises(ConflictError, match="issued meanwhile"):
            uow.licensing.add_licence(case_id=stored.id, member_state="DE", licence=licence(), check_code="X")
