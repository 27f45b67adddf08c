"""``dualuse records``: the operator exports one exporter's records (Art. 27) to a JSON file and lists the
records past their retention period on a day, against a real database; nothing is deleted."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dualuse.adapters.db.uow import SqlUnitOfWork
from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.cli.main import app
from dualuse.services import generalauth as ga
from dualuse.services.clock import ManualClock
from tests.factories import make_organisation, make_person

runner = CliRunner()
OLD = datetime(2019, 6, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def world(container: Container, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Acme registered for EU001 on 2019-06-01 (kept until 2024-12-31) and classified a product today;
    Other BV registered for EU003 today; and an authority."""
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    monkeypatch.setenv("DUALUSE_SECRET_KEY", container.settings.secret_key)
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    other = make_organisation(container, OrganisationKind.EXPORTER, "Other BV", "NL", "NL222")
    authority = make_organisation(container, OrganisationKind.AUTHORITY, "BAFA", "DE")
    acme_admin = make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example").principal
    other_admin = make_person(container, other, Role.EXPORTER_ADMIN, "admin@other.example").principal
    with SqlUnitOfWork(container.engine, container.anchor_key, ManualClock(OLD)) as uow:
        old_id = ga.register(uow, acme_admin, container.rulebook, "EU001")
    with container.uow() as uow:
        new_id = ga.register(uow, other_admin, container.rulebook, "EU003")
        uow.classifications.add(
            organisation_id=acme.id,
            product_name="Interception probe",
            description="lawful interception probe",
            parameters={},
            control_code="5A001.j",
            rationale="IP network surveillance system",
            list_version="2025",
            created_by="admin@acme.example",
        )
        uow.commit()
    return {
        "acme": acme.id,
        "other": other.id,
        "authority": authority.id,
        "old_registration": old_id,
        "new_registration": new_id,
    }


def rows_of(output: str, kind: str) -> list[list[str]]:
    """The cells of the table rows of one kind of record."""
    cells = ([c.strip() for c in line.split("│")] for line in output.splitlines())
    return [[c for c in row if c] for row in cells if kind in row]


def test_export_writes_the_exporters_records_as_json(
    container: Container, world: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "acme.json"
    result = runner.invoke(app, ["records", "export", str(world["acme"]), "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert "Acme GmbH" in result.output
    body = json.loads(target.read_text(encoding="utf-8"))
    assert body["legal_basis"] == "Regulation (EU) 2021/821, Art. 27"
    assert body["organisation"] == {
        "id": world["acme"],
        "name": "Acme GmbH",
        "member_state": "DE",
        "eori": "DE111",
    }
    [registration] = body["eugea_registrations"]
    assert registration["eugea_id"] == "EU001"  # not Other BV's EU003
    assert registration["date"] == "2019-06-01"
    assert registration["retain_until"] == "2024-12-31"
    [classification] = body["classifications"]
    assert classification["control_code"] == "5A001.j"
    assert body["licences"] == []


@pytest.mark.parametrize("which", ["authority", "missing"])
def test_export_of_no_exporter_fails_and_writes_nothing(
    container: Container, world: dict[str, int], tmp_path: Path, which: str
) -> None:
    target = tmp_path / "nothing.json"
    organisation_id = world["authority"] if which == "authority" else 999_999
    result = runner.invoke(app, ["records", "export", str(organisation_id), "-o", str(target)])
    assert result.exit_code == 2
    assert "no such exporter" in result.output
    assert not target.exists()


def test_purgeable_lists_records_past_retention_and_deletes_nothing(
    container: Container, world: dict[str, int]
) -> None:
    result = runner.invoke(app, ["records", "purgeable", "--as-of", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert rows_of(result.output, "eugea_registration") == [
        ["eugea_registration", str(world["old_registration"]), "2019-06-01", "2024-12-31"]
    ]
    assert rows_of(result.output, "classification") == []  # classified today: kept five more years
    assert "1 record(s) may be deleted; nothing was deleted" in result.output
    # a day earlier, the registration is still within its retention period
    earlier = runner.invoke(app, ["records", "purgeable", "--as-of", "2024-12-31"])
    assert earlier.exit_code == 0, earlier.output
    assert "No record is past its retention period on 2024-12-31" in earlier.output
    with container.uow() as uow:
        assert len(uow.general_authorisations.registrations()) == 2


def test_purgeable_defaults_to_today(container: Container, world: dict[str, int]) -> None:
    result = runner.invoke(app, ["records", "purgeable"])
    assert result.exit_code == 0, result.output
    assert [row[1] for row in rows_of(result.output, "eugea_registration")] == [
        str(world["old_registration"])
    ]


def test_purgeable_refuses_a_day_that_is_not_a_date(container: Container, world: dict[str, int]) -> None:
    result = runner.invoke(app, ["records", "purgeable", "--as-of", "31/12/2026"])
    assert result.exit_code == 2
    assert "--as-of must be a date" in result.output
