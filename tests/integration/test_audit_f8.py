"""F8 (issue 11), the audit trail's part: refused accesses, document downloads (above all of another
organisation's documents) and the Commission's reads are recorded; command-line actions name their operator;
and the trail can be read — `dualuse audit list` for operators, `/audit` and `GET /api/v1/audit/events` for an
exporter's administrator (its own organisation's events) and an authority's senior officer (its member
state's). On SQLite and PostgreSQL."""

from __future__ import annotations

import getpass
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dualuse.bootstrap import Container
from dualuse.domain import licensing as lic
from dualuse.domain.audit import AuditEvent
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.cli.main import app as cli
from dualuse.entrypoints.http.app import create_app
from tests.factories import PASSWORD, make_organisation, make_person, token_for

runner = CliRunner()
NUMBER = "DE-2026-000001"


@pytest.fixture
def world(container: Container) -> dict[str, int]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    other = make_organisation(container, OrganisationKind.EXPORTER, "Other BV", "NL", "NL222")
    de = make_organisation(container, OrganisationKind.AUTHORITY, "Authority DE", "DE")
    nl = make_organisation(container, OrganisationKind.AUTHORITY, "Authority NL", "NL")
    commission = make_organisation(container, OrganisationKind.COMMISSION, "Commission", None)
    make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
    make_person(container, acme, Role.EXPORTER_USER, "user@acme.example")
    make_person(container, other, Role.EXPORTER_ADMIN, "admin@other.example")
    make_person(container, de, Role.AUTHORITY_OFFICER, "officer@de.example")
    make_person(container, de, Role.AUTHORITY_SENIOR, "senior@de.example")
    make_person(container, nl, Role.AUTHORITY_SENIOR, "senior@nl.example")
    make_person(container, commission, Role.COMMISSION, "reader@commission.example")
    item = lic.ApplicationItem("5A001.j", "probe", Decimal("1"), "pieces", Decimal("1000"))
    party = lic.Party("Operator SA", lic.PartyRole.END_USER, "BR", lic.PartyType.COMMERCIAL)
    with container.uow() as uow:
        stored = uow.licensing.add_case(
            organisation_id=acme.id,
            member_state="DE",
            build=lambda i: lic.new_case(
                str(i),
                lic.Application(
                    str(i), str(acme.id), lic.ApplicationType.INDIVIDUAL, (item,), (party,), ("BR",), "x"
                ),
            ),
        )
        uow.licensing.add_licence(
            case_id=stored.id,
            member_state="DE",
            licence=lic.issue_licence(
                number=NUMBER,
                case_id=str(stored.id),
                holder_id=str(acme.id),
                licence_type=lic.ApplicationType.INDIVIDUAL,
                valid_from=date(2026, 1, 2),
                valid_until=date(2027, 12, 31),
                items=(lic.LicensedItem(1, "5A001.j", "probe", "pieces", Decimal("1"), Decimal("1000")),),
            ),
            check_code="ABCDEFGH",
        )
        uow.commit()
    return {"acme": acme.id, "other": other.id}


def bearer(container: Container, email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(container, email)}"}


def sign_in(client: TestClient, email: str) -> None:
    form = client.get("/login")
    token = re.search(r'name="csrftoken" value="([^"]+)"', form.text)
    assert token, "the login form carries a CSRF token"
    signed_in = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrftoken": token.group(1)},
        follow_redirects=False,
    )
    assert signed_in.status_code in (302, 303), signed_in.text[:300]


def events(container: Container, action: str) -> list[AuditEvent]:
    with container.uow() as uow:
        return [e for e in uow.audit.all() if e.action == action]


def test_f8_refused_access_is_audited(container: Container, world: dict[str, int]) -> None:
    client = TestClient(create_app(container=container))
    nosy = bearer(container, "admin@other.example")
    # another exporter's records: answered as not found (its existence does not leak), recorded as refused
    hidden = client.get(f"/api/v1/organisations/{world['acme']}/records", headers=nosy)
    assert hidden.status_code == 404
    # another state's authority: answered as not found too (F16), and recorded
    forbidden = client.get(
        f"/api/v1/organisations/{world['acme']}/records", headers=bearer(container, "senior@nl.example")
    )
    assert forbidden.status_code == 404
    # anonymous requests name nobody and anyone could send millions: not recorded
    assert client.get(f"/api/v1/organisations/{world['acme']}/records").status_code == 401
    assert client.get("/due-diligence/1/report.pdf").status_code in (303, 401, 403, 404)
    refused = events(container, "access.refused")
    assert [(e.actor, e.entity_id, e.after and e.after["status"]) for e in refused] == [
        ("admin@other.example", f"GET /api/v1/organisations/{world['acme']}/records", 404),
        ("senior@nl.example", f"GET /api/v1/organisations/{world['acme']}/records", 404),
    ]
    assert refused[0].organisation_id == world["other"]
    assert refused[1].member_state == "NL"
    with container.uow() as uow:  # still one intact, anchored trail
        assert uow.audit.anchors()[-1].head_sequence == refused[-1].sequence


@pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning")  # WeasyPrint on machines without it
def test_f8_downloads_are_audited_with_whose_document_it_is(
    container: Container, world: dict[str, int]
) -> None:
    client = TestClient(create_app(container=container))
    own = client.get(
        f"/api/v1/organisations/{world['acme']}/records", headers=bearer(container, "user@acme.example")
    )
    assert own.status_code == 200
    foreign = client.get(
        f"/api/v1/organisations/{world['acme']}/records", headers=bearer(container, "officer@de.example")
    )
    assert foreign.status_code == 200
    sign_in(client, "user@acme.example")
    pdf = client.get(f"/licences/{NUMBER}.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    downloads = events(container, "document.downloaded")
    assert [(e.actor, e.entity_type, e.entity_id, e.after) for e in downloads] == [
        (
            "user@acme.example",
            "records_export",
            str(world["acme"]),
            {"owner_organisation_id": world["acme"], "other_organisation": False},
        ),
        (
            "officer@de.example",
            "records_export",
            str(world["acme"]),
            {"owner_organisation_id": world["acme"], "other_organisation": True},
        ),
        (
            "user@acme.example",
            "licence_pdf",
            NUMBER,
            {"owner_organisation_id": world["acme"], "other_organisation": False},
        ),
    ]


def test_f8_commission_reads_are_audited(container: Container, world: dict[str, int]) -> None:
    client = TestClient(create_app(container=container))
    commission = bearer(container, "reader@commission.example")
    # issue #18: the Commission reads figures, not licences
    assert client.get(f"/api/v1/licences/{NUMBER}", headers=commission).status_code == 403
    read = client.get("/api/v1/enforcement/cases", headers=commission)
    assert read.status_code == 200
    own = client.get("/api/v1/enforcement/cases", headers=bearer(container, "user@acme.example"))
    assert own.status_code == 200
    reads = events(container, "commission.read")
    assert [(e.actor, e.entity_type, e.entity_id, e.after) for e in reads] == [
        (
            "reader@commission.example",
            "enforcement_case",
            "*",
            {"legal_basis": "Art. 26(2)", "owner_organisation_id": None},
        )
    ]


@pytest.fixture
def cli_env(container: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    monkeypatch.setenv("DUALUSE_SECRET_KEY", container.settings.secret_key)
    monkeypatch.delenv("DUALUSE_OPERATOR", raising=False)
    return container


def create_org(name: str, *options: str) -> None:
    result = runner.invoke(
        cli,
        [*options, "organisations", "create", "--kind", "exporter", "--name", name, "--member-state", "DE"],
    )
    assert result.exit_code == 0, result.output


def test_f8_cli_actions_name_the_operator(cli_env: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    create_org("Named BV", "--operator", "alice")
    monkeypatch.setenv("DUALUSE_OPERATOR", "bob")
    create_org("From the environment BV")
    monkeypatch.delenv("DUALUSE_OPERATOR")
    create_org("Logged-in user BV")
    created = events(cli_env, "organisation.created")
    assert [e.actor for e in created] == ["cli:alice", "cli:bob", f"cli:{getpass.getuser()}"]
    assert runner.invoke(cli, ["--operator", "  ", "audit", "list"]).exit_code == 2


def test_f8_audit_list_reads_and_filters_the_trail(cli_env: Container, world: dict[str, int]) -> None:
    create_org("Listed BV", "--operator", "carol")
    everything = runner.invoke(cli, ["audit", "list", "--json", "--limit", "500"])
    assert everything.exit_code == 0, everything.output
    rows = [json.loads(line) for line in everything.output.splitlines()]
    assert [r["sequence"] for r in rows] == sorted((r["sequence"] for r in rows), reverse=True)
    assert rows[0]["actor"] == "cli:carol"
    by_actor = runner.invoke(cli, ["audit", "list", "--json", "--actor", "cli:carol"])
    assert [json.loads(line)["action"] for line in by_actor.output.splitlines()] == ["organisation.created"]
    by_action = runner.invoke(cli, ["audit", "list", "--json", "--action", "user.created", "--limit", "2"])
    assert [json.loads(line)["action"] for line in by_action.output.splitlines()] == ["user.created"] * 2
    recent = runner.invoke(
        cli, ["audit", "list", "--json", "--since", "2000-01-01T00:00+00:00", "--limit", "500"]
    )
    assert len(recent.output.splitlines()) == len(rows)
    future = runner.invoke(cli, ["audit", "list", "--since", "2999-01-01"])
    assert "No event matches." in future.output
    table = runner.invoke(cli, ["audit", "list", "--limit", "3"])
    assert table.exit_code == 0
    assert "cli:carol" in table.output
    bad = runner.invoke(cli, ["audit", "list", "--since", "yesterday"])
    assert bad.exit_code == 2
    assert "--since" in bad.output


def test_f8_who_reads_which_part_of_the_trail(container: Container, world: dict[str, int]) -> None:
    client = TestClient(create_app(container=container))
    client.get(
        f"/api/v1/organisations/{world['acme']}/records", headers=bearer(container, "admin@other.example")
    )
    client.get(
        f"/api/v1/organisations/{world['acme']}/records", headers=bearer(container, "officer@de.example")
    )
    client.get(
        f"/api/v1/organisations/{world['acme']}/records", headers=bearer(container, "user@acme.example")
    )

    def trail(email: str) -> list[dict[str, object]]:
        response = client.get("/api/v1/audit/events?limit=500", headers=bearer(container, email))
        assert response.status_code == 200, response.text
        return list(response.json())

    # an exporter's administrator: what its own people did, nothing of others
    acme = trail("admin@acme.example")
    assert acme
    assert {e["organisation_id"] for e in acme} == {world["acme"]}
    other = trail("admin@other.example")
    assert {e["actor"] for e in other} == {"admin@other.example"}
    assert "access.refused" in {e["action"] for e in other}
    # an authority's senior officer: its member state's events (its officers', its exporters')
    de = trail("senior@de.example")
    assert {e["member_state"] for e in de} == {"DE"}
    assert {"officer@de.example", "user@acme.example"} <= {str(e["actor"]) for e in de}
    assert "admin@other.example" not in {e["actor"] for e in de}
    # officers, exporter users and the Commission read no trail; nor does the public
    for email in ("officer@de.example", "user@acme.example", "reader@commission.example"):
        refused = client.get("/api/v1/audit/events", headers=bearer(container, email))
        assert refused.status_code == 403, email
    assert client.get("/api/v1/audit/events").status_code == 401
    filtered = client.get(
        "/api/v1/audit/events?action=document.downloaded", headers=bearer(container, "senior@de.example")
    ).json()
    assert [(e["actor"], e["entity_type"]) for e in filtered] == [
        ("user@acme.example", "records_export"),
        ("officer@de.example", "records_export"),
    ]


def test_f8_the_audit_page_shows_the_state_s_events_read_only(
    container: Container, world: dict[str, int]
) -> None:
    client = TestClient(create_app(container=container))
    client.get(
        f"/api/v1/organisations/{world['acme']}/records", headers=bearer(container, "user@acme.example")
    )
    client.get(
        f"/api/v1/organisations/{world['acme']}/records", headers=bearer(container, "admin@other.example")
    )
    sign_in(client, "senior@de.example")
    home = client.get("/", headers={"Accept": "text/html"})
    assert '<a href="/audit">Audit trail</a>' in home.text
    page = client.get("/audit", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Audit trail" in page.text
    assert "user@acme.example" in page.text
    assert "admin@other.example" not in page.text
    assert '<form method="get"' in page.text  # a filter, no form that changes anything
    assert 'method="post"' not in page.text.split("<main", 1)[-1]
    bad = client.get("/audit?since=yesterday", headers={"Accept": "text/html"})
    assert bad.status_code == 422
