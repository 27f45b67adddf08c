"""One table of transactions through every path a determination is asked on — the API, the web form (with its
CSRF token), ``dualuse determine`` as JSON and as text, ``dualuse determine-batch`` and the due-diligence
page — each giving the same outcome and the same legal basis (issue 17: "one transaction, different answers
by path"). Includes a transaction covered by a requirement the Union published under Art. 5 (Art. 5(1),
citing Art. 5(6)) and one bound by a notice the authority gave the exporter."""

from __future__ import annotations

import csv
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dualuse.bootstrap import Container
from dualuse.domain.duediligence import Conclusion, FlagAnswer
from dualuse.domain.identity import OrganisationKind, Principal, Role
from dualuse.entrypoints.cli.main import app as cli
from dualuse.entrypoints.http.app import create_app
from dualuse.services import duediligence, notices
from tests.factories import PASSWORD, make_organisation, make_person, token_for

ART_3_1 = "Regulation (EU) 2021/821, Art. 3(1)"
ART_5_1 = "Regulation (EU) 2021/821, Art. 5(1)"
ART_5_6 = "Regulation (EU) 2021/821, Art. 5(6)"
ART_4_1 = "Regulation (EU) 2021/821, Art. 4(1)"
REPRESSION_END_USER = "Ministry of Interior Surveillance Directorate"
NOTICE_END_USER = "Northern Institute of Applied Physics"


@dataclass(frozen=True)
class Tx:
    name: str
    destination: str
    end_user: str
    end_user_type: str
    description: str
    control_code: str | None
    cyber_surveillance: bool
    outcome: str
    basis: tuple[str, ...]
    """Legal bases the answer must cite (every path must cite the same list)."""


TABLE = [
    Tx("listed cyber-surveillance item to China", "CN", "Provincial Bureau", "government",
       "IMSI catcher", "5A001.f", False, "licence_required", (ART_3_1,)),
    Tx("listed item to Russia", "RU", "Trading House", "commercial",
       "encryption module", "5A002.a", False, "prohibited", ("833/2014",)),
    Tx("non-listed ordinary item to the United States", "US", "Retailer Inc", "commercial",
       "office printer", None, False, "no_licence_required", ()),
    Tx("covered by a requirement the Union published (Art. 5(6))", "EG", REPRESSION_END_USER.upper() + ".",
       "government", "Monitoring centre software", None, True, "licence_required", (ART_5_1, ART_5_6)),
    Tx("bound by the authority's Art. 4(1) notice to the exporter", "IN", NOTICE_END_USER, "research",
       "vacuum pump", None, False, "licence_required", (ART_4_1, "Notice")),
    Tx("f3 a real code deeper than the list data (2B001.a) to Japan", "JP", "Maker KK", "commercial",
       "turning machine", "2B001.a", False, "general_authorisation_available", (ART_3_1, "Art. 12(1)(d)")),
    Tx("f2 a whole entry whose sub-items are in Annex II Section I (1C450)", "US", "Lab Inc", "commercial",
       "chemicals", "1C450", False, "licence_required", (ART_3_1,)),
]  # fmt: skip


@dataclass
class World:
    container: Container
    exporter_id: int
    exporter_email: str
    api: TestClient
    web: TestClient
    csrf: str
    tmp: Path


def _answer_every_step(
    container: Container, principal: Principal, case_id: int, yes: set[str] = frozenset()
) -> None:  # type: ignore[assignment]
    flags = container.red_flags
    for step in ("classification", "misuse", "stakeholders", "mitigation"):
        answers = {f.id: (FlagAnswer.YES if f.id in yes else FlagAnswer.NO, "") for f in flags.for_step(step)}
        with container.uow() as uow:
            duediligence.record_step(uow, principal, flags, case_id, step, answers=answers, note=step)


def publish_requirement(container: Container) -> Principal:
    """Another exporter's case, notified, imposed by DE and agreed by FR: published for the Union."""
    other = make_organisation(container, OrganisationKind.EXPORTER, "Other GmbH", "DE", "DE999")
    exporter = make_person(container, other, Role.EXPORTER_ADMIN, "admin@other.example").principal
    de = make_organisation(container, OrganisationKind.AUTHORITY, "Authority DE", "DE")
    fr = make_organisation(container, OrganisationKind.AUTHORITY, "Authority FR", "FR")
    de_officer = make_person(container, de, Role.AUTHORITY_OFFICER, "officer@de.example").principal
    fr_officer = make_person(container, fr, Role.AUTHORITY_OFFICER, "officer@fr.example").principal
    flags = container.red_flags
    with container.uow() as uow:
        case_id = duediligence.open_case(
            uow,
            exporter,
            flags,
            title="Monitoring centre",
            transaction={
                "destination": "EG",
                "end_user": {"name": REPRESSION_END_USER, "type": "government"},
                "item": {"description": "Monitoring centre software", "cyber_surveillance": True},
            },
        )
    repression = {f.id for f in flags.flags if f.points_to == "internal_repression"}
    _answer_every_step(container, exporter, case_id, yes=repression)
    with container.uow() as uow:
        duediligence.conclude(uow, exporter, flags, case_id, Conclusion.NOTIFY_AUTHORITY, "repression")
    with container.uow() as uow:
        notification_id = duediligence.notify(uow, exporter, flags, case_id)
    with container.uow() as uow:
        requirement_id = duediligence.decide_notification(
            uow, de_officer, notification_id, required=True, reason="record", member_states=["DE", "FR"]
        )
    assert requirement_id is not None
    with container.uow() as uow:
        assert duediligence.record_view(uow, fr_officer, requirement_id, "agree", "same") == "published"
    return de_officer


def issue_notice(container: Container, officer: Principal, exporter_id: int) -> None:
    """The DE authority tells the exporter that exports to this end-user need an authorisation (Art. 4(1))."""
    with container.uow() as uow:
        notices.issue(
            uow,
            officer,
            organisation_id=exporter_id,
            article="4(1)",
            scope="end_user",
            destination="IN",
            end_user=NOTICE_END_USER,
            reason="the end-user works on missile guidance",
        )


@pytest.fixture
def world(container: Container, tmp_path: Path) -> World:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
    issue_notice(container, publish_requirement(container), acme.id)
    api = TestClient(create_app(container=container))
    api.headers["Authorization"] = f"Bearer {token_for(container, 'admin@acme.example')}"
    web = TestClient(create_app(container=container))
    csrf = web.get("/login").text.split('name="csrftoken" value="')[1].split('"')[0]
    web.post("/login", data={"email": "admin@acme.example", "password": PASSWORD, "csrftoken": csrf})
    return World(container, acme.id, "admin@acme.example", api, web, csrf, tmp_path)


def _case(tx: Tx) -> dict[str, Any]:
    return {
        "activity": "export",
        "exporter": {"name": "Acme GmbH", "member_state": "DE"},
        "destination": tx.destination,
        "end_user": {"name": tx.end_user, "country": tx.destination, "type": tx.end_user_type},
        "items": [
            {
                "id": "1",
                "description": tx.description,
                "control_code": tx.control_code,
                "cyber_surveillance": tx.cyber_surveillance,
            }
        ],
    }


def by_api(world: World, tx: Tx) -> tuple[str, str]:
    response = world.api.post("/api/v1/determinations", json=_case(tx))
    assert response.status_code == 200, response.text
    body = response.json()
    return body["outcome"], "; ".join(body["items"][0]["legal_basis"])


def _attribute(page: str, name: str) -> str:
    found = re.search(rf'{name}="([^"]*)"', page)
    assert found is not None, f"{name} not on the page"
    return html.unescape(found.group(1))


def by_web_form(world: World, tx: Tx) -> tuple[str, str]:
    token = world.web.get("/determinations/new").text.split('name="csrftoken" value="')[1].split('"')[0]
    data = {
        "csrftoken": token,
        "activity": "export",
        "member_state": "DE",
        "destination": tx.destination,
        "end_user_name": tx.end_user,
        "end_user_type": tx.end_user_type,
        "description": tx.description,
        "control_code": tx.control_code or "",
    }
    if tx.cyber_surveillance:
        data["cyber_surveillance"] = "yes"
    response = world.web.post("/determinations/new", data=data)
    assert response.status_code == 200, response.text
    return _attribute(response.text, "data-outcome"), _attribute(response.text, "data-legal-basis")


def _case_file(world: World, tx: Tx) -> Path:
    path = world.tmp / f"case-{abs(hash(tx.name))}.json"
    path.write_text(json.dumps(_case(tx)), encoding="utf-8")
    return path


def _cli(world: World, *args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--organisation-id", str(world.exporter_id)])
    assert result.exit_code == 0, result.output
    return result.stdout


def by_cli_json(world: World, tx: Tx) -> tuple[str, str]:
    body = json.loads(_cli(world, "determine", str(_case_file(world, tx))))
    return body["outcome"], "; ".join(body["items"][0]["legal_basis"])


def by_cli_text(world: World, tx: Tx) -> tuple[str, str]:
    text = _cli(world, "determine", str(_case_file(world, tx)), "--format", "text")
    outcome = re.search(r"^Outcome: (\S+)$", text, re.MULTILINE)
    basis = re.search(r"^  Legal basis: (.*)$", text, re.MULTILINE)
    assert outcome is not None, text
    assert basis is not None, text
    return outcome.group(1), "" if basis.group(1) == "-" else basis.group(1)


def by_batch(world: World, tx: Tx) -> tuple[str, str]:
    orders, results = world.tmp / "orders.csv", world.tmp / "results.csv"
    with orders.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["order_id", "exporter_member_state", "destination", "end_user_name", "end_user_country",
             "end_user_type", "item_id", "description", "control_code", "cyber_surveillance"]
        )  # fmt: skip
        writer.writerow(
            ["A", "DE", tx.destination, tx.end_user, tx.destination, tx.end_user_type, "1", tx.description,
             tx.control_code or "", "true" if tx.cyber_surveillance else "false"]
        )  # fmt: skip
    _cli(world, "determine-batch", str(orders), "-o", str(results))
    with results.open(newline="", encoding="utf-8") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["error"] == "", row
    return row["outcome"], row["legal_basis"]


def by_due_diligence_page(world: World, tx: Tx) -> tuple[str, str]:
    opened = world.api.post(
        "/api/v1/due-diligence/cases",
        json={
            "title": tx.name,
            "destination": tx.destination,
            "end_user": {"name": tx.end_user, "type": tx.end_user_type},
            "item": {
                "description": tx.description,
                "control_code": tx.control_code,
                "cyber_surveillance": tx.cyber_surveillance,
            },
        },
    )
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["case"]["id"]
    for step in ("classification", "misuse", "stakeholders", "mitigation"):
        answers = {f.id: {"answer": "no", "note": ""} for f in world.container.red_flags.for_step(step)}
        sent = world.api.post(
            f"/api/v1/due-diligence/cases/{case_id}/steps/{step}", json={"answers": answers, "note": step}
        )
        assert sent.status_code == 200, sent.text
    concluded = world.api.post(
        f"/api/v1/due-diligence/cases/{case_id}/conclusion", json={"conclusion": "proceed"}
    )
    assert concluded.status_code == 200, concluded.text
    page = world.web.get(f"/due-diligence/{case_id}")
    assert page.status_code == 200
    return _attribute(page.text, "data-outcome"), _attribute(page.text, "data-legal-basis")


PATHS: dict[str, Callable[[World, Tx], tuple[str, str]]] = {
    "api": by_api,
    "web form": by_web_form,
    "determine (json)": by_cli_json,
    "determine (text)": by_cli_text,
    "determine-batch": by_batch,
    "due-diligence page": by_due_diligence_page,
}


@pytest.mark.parametrize("tx", TABLE, ids=[tx.name for tx in TABLE])
def test_f17_one_transaction_one_answer_on_every_path(
    world: World, tx: Tx, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", world.container.settings.database_url)
    answers = {name: path(world, tx) for name, path in PATHS.items()}
    outcome, basis = answers["api"]
    assert outcome == tx.outcome, answers
    for cited in tx.basis:
        assert cited in basis, (cited, basis)
    assert answers == dict.fromkeys(PATHS, (outcome, basis)), answers
