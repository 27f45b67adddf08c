"""Screening end to end against a real database: list versions and deltas, re-screening with alerts,
remembered false positives, thresholds, the yente-compatible API, the CLI and the pages."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from dualuse.adapters.db import tables as t
from dualuse.adapters.sources.sanctions_formats import parse
from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.domain.screening.delta import diff_snapshots
from dualuse.domain.screening.model import EntitySchema
from dualuse.entrypoints.cli.main import app as cli
from dualuse.entrypoints.http.app import create_app
from tests.factories import make_organisation, make_person, token_for

runner = CliRunner()


def ftm_line(entity_id: str, schema: str, names: list[str], **props: list[str]) -> str:
    return json.dumps({"id": entity_id, "schema": schema, "properties": {"name": names, **props}})


def write_list(folder: Path, lines: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "testlist.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


ACME_FRONT = ftm_line("t-1", "Company", ["Crimson Harbour Trading LLC"], program=["TEST"])
PERSON = ftm_line(
    "t-2", "Person", ["Viktor Aleksandrovich Testov"], birthDate=["1970-01-02"], nationality=["ru"]
)
NEWCOMER = ftm_line("t-3", "Company", ["Blue Lantern Surveillance Systems"], program=["TEST"])


@pytest.fixture
def cli_env(container: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    return container


@pytest.fixture
def world(container: Container) -> dict[str, str]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    rival = make_organisation(container, OrganisationKind.EXPORTER, "Rival SAS", "FR", "FR222")
    make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
    make_person(container, acme, Role.EXPORTER_USER, "clerk@acme.example")
    make_person(container, rival, Role.EXPORTER_ADMIN, "admin@rival.example")
    return {
        "acme": token_for(container, "admin@acme.example"),
        "clerk": token_for(container, "clerk@acme.example"),
        "rival": token_for(container, "admin@rival.example"),
    }


def api(container: Container, token: str | None) -> TestClient:
    client = TestClient(create_app(container=container))
    if token:
        client.headers["Authorization"] = f"Bearer {token}"
    return client


def import_file(fmt: str, path: Path) -> Any:
    return runner.invoke(cli, ["lists", "import", fmt, str(path)])


def count(container: Container, table: Any) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_rescreening_raises_an_alert_only_for_a_new_listing(
    cli_env: Container, world: dict[str, str], tmp_path: Path
) -> None:
    assert import_file("ftm", write_list(tmp_path / "v1", [ACME_FRONT, PERSON])).exit_code == 0
    acme = api(cli_env, world["acme"])
    saved = acme.post(
        "/api/v1/screening/parties",
        json={"name": "Blue Lantern Surveillance Systems Ltd", "schema": "organization"},
    )
    assert saved.status_code == 201, saved.text
    assert saved.json()["screening"]["matches"] == []
    result = import_file("ftm", write_list(tmp_path / "v2", [ACME_FRONT, PERSON, NEWCOMER]))
    assert result.exit_code == 0, result.output
    assert "1 added, 0 removed, 0 changed" in result.output
    assert "1 new alert" in result.output
    alerts = acme.get("/api/v1/screening/hits", params={"alerts": True}).json()
    assert [a["entity_name"] for a in alerts] == ["Blue Lantern Surveillance Systems"]
    assert alerts[0]["explanation"]["name"]["note"]
    # nobody else's data moved
    assert api(cli_env, world["rival"]).get("/api/v1/screening/hits").json() == []


def test_a_false_positive_stays_quiet_until_the_entity_changes(
    cli_env: Container, world: dict[str, str], tmp_path: Path
) -> None:
    import_file("ftm", write_list(tmp_path / "v1", [ACME_FRONT]))
    acme = api(cli_env, world["acme"])
    body = acme.post(
        "/api/v1/screening/parties", json={"name": "Crimson Harbor Trading", "role": "consignee"}
    ).json()
    assert [m["entity_id"] for m in body["screening"]["matches"]] == ["t-1"]
    hit = acme.get("/api/v1/screening/hits", params={"status": "open"}).json()[0]
    bad = acme.post(
        f"/api/v1/screening/hits/{hit['id']}/decision", json={"decision": "false_positive", "reason": " "}
    )
    assert bad.status_code == 422
    decided = acme.post(
        f"/api/v1/screening/hits/{hit['id']}/decision",
        json={"decision": "false_positive", "reason": "our consignee is a Hamburg freight firm of that name"},
    )
    assert decided.json()["status"] == "false_positive"
    again = acme.post("/api/v1/screening/screen", json={"name": "Crimson Harbor Trading"}).json()
    assert again["matches"] == []
    assert again["suppressed_false_positives"] == 1
    import_file("ftm", write_list(tmp_path / "v2", [ACME_FRONT, NEWCOMER]))  # t-1 unchanged: still quiet
    assert acme.get("/api/v1/screening/hits", params={"status": "open"}).json() == []
    changed = ftm_line("t-1", "Company", ["Crimson Harbour Trading LLC"], alias=["CHT"], program=["TEST"])
    result = import_file("ftm", write_list(tmp_path / "v3", [changed, NEWCOMER]))
    assert "0 added, 0 removed, 1 changed" in result.output
    reopened = acme.get("/api/v1/screening/hits", params={"status": "open"}).json()
    assert [(h["entity_id"], h["alert"]) for h in reopened] == [("t-1", True)]


def test_a_malformed_file_leaves_the_previous_version(cli_env: Container, tmp_path: Path) -> None:
    assert import_file("ftm", write_list(tmp_path / "v1", [ACME_FRONT])).exit_code == 0
    broken = write_list(tmp_path / "v2", [ACME_FRONT, '{"id": "t-9", "schema": "Person", "properties": '])
    result = import_file("ftm", broken)
    assert result.exit_code == 2
    assert "testlist.jsonl:line 2" in result.output
    assert count(cli_env, t.sanctions_list_versions) == 1
    assert count(cli_env, t.listed_entities) == 1
    assert import_file("no-such-format", broken).exit_code == 2


def test_every_screening_is_logged_with_versions_algorithm_and_threshold(
    cli_env: Container, world: dict[str, str], tmp_path: Path
) -> None:
    import_file("ftm", write_list(tmp_path / "v1", [PERSON]))
    api(cli_env, world["acme"]).post(
        "/api/v1/screening/screen", json={"name": "Viktor Testov", "schema": "person"}
    )
    with cli_env.engine.connect() as conn:
        row = conn.execute(select(t.screenings)).mappings().one()
    assert row["algorithm"] == "dualuse-screening-1"
    assert row["threshold"] == pytest.approx(0.7)
    assert row["list_versions"] == {"ftm:testlist": row["list_versions"]["ftm:testlist"]}
    assert row["hits"] == 1


def test_threshold_per_organisation(cli_env: Container, world: dict[str, str], tmp_path: Path) -> None:
    import_file("ftm", write_list(tmp_path / "v1", [PERSON]))
    acme = api(cli_env, world["acme"])
    query = {"name": "Viktor Testov", "schema": "person"}
    assert len(acme.post("/api/v1/screening/screen", json=query).json()["matches"]) == 1
    assert (
        api(cli_env, world["clerk"]).put("/api/v1/screening/settings", json={"threshold": 0.99}).status_code
        == 403
    )
    assert acme.put("/api/v1/screening/settings", json={"threshold": 0.2}).status_code == 422
    assert acme.put("/api/v1/screening/settings", json={"threshold": 0.99}).json() == {"threshold": 0.99}
    strict = acme.post("/api/v1/screening/screen", json=query).json()
    assert strict["threshold"] == 0.99
    assert strict["matches"] == []
    rival = api(cli_env, world["rival"]).post("/api/v1/screening/screen", json=query).json()
    assert len(rival["matches"]) == 1


def test_hits_are_isolated_between_organisations(
    cli_env: Container, world: dict[str, str], tmp_path: Path
) -> None:
    import_file("ftm", write_list(tmp_path / "v1", [ACME_FRONT]))
    acme = api(cli_env, world["acme"])
    acme.post("/api/v1/screening/parties", json={"name": "Crimson Harbour Trading"})
    hit = acme.get("/api/v1/screening/hits").json()[0]
    rival = api(cli_env, world["rival"])
    response = rival.post(
        f"/api/v1/screening/hits/{hit['id']}/decision", json={"decision": "true_match", "reason": "x"}
    )
    assert response.status_code == 404
    assert rival.get("/api/v1/screening/parties").json() == []


def test_yente_compatible_match(cli_env: Container, world: dict[str, str], tmp_path: Path) -> None:
    import_file("ftm", write_list(tmp_path / "v1", [ACME_FRONT, PERSON]))
    client = api(cli_env, world["acme"])
    body = {
        "queries": {
            "q1": {
                "schema": "Person",
                "properties": {"name": ["Testov Viktor"], "birthDate": ["1970-01-02"]},
            },
            "q2": {"schema": "Company", "properties": {"name": ["Totally Unrelated Bakery"]}},
        }
    }
    response = client.post("/match/default", json=body, params={"limit": 3})
    assert response.status_code == 200, response.text
    q1 = response.json()["responses"]["q1"]
    assert q1["status"] == 200
    top = q1["results"][0]
    assert top["id"] == "ftm:testlist-t-2"
    assert top["caption"] == "Viktor Aleksandrovich Testov"
    assert top["schema"] == "Person"
    assert top["match"] is True
    assert 0.7 <= top["score"] <= 1.0
    assert "name" in top["features"]
    # yente's total: the matches found, here one
    assert (
        q1["total"]
        == {"value": sum(r["match"] for r in q1["results"]), "relation": "eq"}
        == {
            "value": 1,
            "relation": "eq",
        }
    )
    assert response.json()["responses"]["q2"]["results"] == []
    assert client.post("/match/ofac-sdn", json=body).status_code == 404
    # refused as yente refuses what it cannot parse (400): a query needs a name
    assert (
        client.post(
            "/match/default", json={"queries": {"q": {"schema": "Person", "properties": {}}}}
        ).status_code
        == 400
    )
    assert api(cli_env, None).post("/match/default", json=body).status_code == 401


def test_cli_screen_writes_the_documented_columns(cli_env: Container, tmp_path: Path) -> None:
    import_file("ftm", write_list(tmp_path / "v1", [ACME_FRONT, PERSON]))
    parties = tmp_path / "parties.csv"
    parties.write_text(
        "name,schema,birth_date,country,identifiers\n"
        "Crimson Harbour Trading,organization,,,\n"
        "Nobody In Particular,person,,,\n"
        ",person,,,\n"
        "Viktor Testov,spaceship,,,\n"
        "Viktor Testov,person,1999-13-45,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "hits.csv"
    result = runner.invoke(cli, ["screen", str(parties), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "row",
        "name",
        "rank",
        "score",
        "source",
        "entity_id",
        "listed_name",
        "matched_name",
        "programs",
        "explanation",
        "error",
    ]
    assert (rows[0]["row"], rows[0]["rank"], rows[0]["entity_id"]) == ("2", "1", "t-1")
    assert (rows[1]["row"], rows[1]["rank"], rows[1]["error"]) == ("3", "", "")
    assert rows[2]["error"] == "a screening query needs a name"
    assert "schema" in rows[3]["error"]
    # a date that is no date is refused on its row, not read as the year 1999
    assert rows[4]["error"] == "birth_date: The month of the date of birth must be between 01 and 12"


def test_a_party_with_a_date_of_birth_that_is_no_date_is_refused_and_nothing_is_kept(
    cli_env: Container, world: dict[str, str], tmp_path: Path
) -> None:
    import_file("ftm", write_list(tmp_path / "v1", [PERSON]))
    acme = api(cli_env, world["acme"])
    before = count(cli_env, t.parties)
    for text, words in [("1999-13-45", "month"), ("1970-02-30", "February 1970 has no day 30")]:
        for path in ("/api/v1/screening/parties", "/api/v1/screening/screen"):
            answer = acme.post(path, json={"name": "Viktor Testov", "birth_date": text, "role": "end_user"})
            assert answer.status_code == 422, answer.text
            assert words in json.dumps(answer.json())
    assert count(cli_env, t.parties) == before
    found = acme.post("/api/v1/screening/screen", json={"name": "Viktor Testov", "birth_date": "1970-01-02"})
    assert found.status_code == 200
    assert found.json()["matches"][0]["explanation"]["birth_date"]["value"] > 0


def test_list_status_and_pages(cli_env: Container, world: dict[str, str], tmp_path: Path) -> None:
    import_file("ftm", write_list(tmp_path / "v1", [ACME_FRONT]))
    status = runner.invoke(cli, ["lists", "status"])
    assert "ftm:testlist" in status.output
    client = api(cli_env, None)
    assert client.get("/api/v1/screening/lists").json()[0]["entity_count"] == 1
    page = client.get("/screening/lists")
    assert page.status_code == 200
    assert "ftm:testlist" in page.text
    # the freshness chart, drawn on the server, and the table behind it (issue #13)
    assert 'role="img"' in page.text
    assert "How old each list is" in page.text
    freshness = page.text.split('data-table="freshness"')[1].split("</table>")[0]
    assert "ftm:testlist" in freshness


@pytest.mark.realdata
def test_the_sdn_update_of_2024_05_03_alerts_a_saved_party(
    cli_env: Container, world: dict[str, str], shared_data: Path
) -> None:
    folder = shared_data / "sanctions" / "ofac_sdn_csv_2024"
    older, newer = folder / "sdn_2024-04-26.csv", folder / "sdn_2024-05-03.csv"
    added = diff_snapshots(parse("ofac-sdn-csv", older), parse("ofac-sdn-csv", newer)).added
    target = next(e for e in added if e.schema is EntitySchema.ORGANIZATION)
    assert import_file("ofac-sdn-csv", older).exit_code == 0
    acme = api(cli_env, world["acme"])
    saved = acme.post(
        "/api/v1/screening/parties", json={"name": target.primary_name, "schema": "organization"}
    )
    assert saved.json()["screening"]["matches"] == [] or all(
        m["entity_id"] != target.entity_id for m in saved.json()["screening"]["matches"]
    )
    result = import_file("ofac-sdn-csv", newer)
    assert "305 added, 8 removed" in result.output, result.output
    alerts = acme.get("/api/v1/screening/hits", params={"alerts": True}).json()
    assert target.entity_id in {a["entity_id"] for a in alerts}
    with cli_env.engine.connect() as conn:
        changes = conn.execute(
            select(t.sanctions_deltas.c.change, func.count()).group_by(t.sanctions_deltas.c.change)
        ).all()
    assert dict(changes)["added"] == 14668 + 305


# --- F3: a list only moves forward, and re-imports are idempotent -------------------------------------------
def _versions(container: Container) -> list[tuple[str, str]]:
    with container.engine.connect() as conn:
        v = t.sanctions_list_versions
        return [(r.source, r.version) for r in conn.execute(select(v.c.source, v.c.version).order_by(v.c.id))]


def test_f3_an_older_sdn_file_after_a_newer_one_is_refused(
    cli_env: Container, world: dict[str, str], shared_data: Path
) -> None:
    folder = shared_data / "sanctions" / "ofac_sdn_csv_2024"
    older, newer = folder / "sdn_2024-04-26.csv", folder / "sdn_2024-05-03.csv"
    added = diff_snapshots(parse("ofac-sdn-csv", older), parse("ofac-sdn-csv", newer)).added
    target = next(e for e in added if e.schema is EntitySchema.ORGANIZATION)
    assert import_file("ofac-sdn-csv", newer).exit_code == 0
    entities = count(cli_env, t.listed_entities)
    refused = import_file("ofac-sdn-csv", older)
    assert refused.exit_code == 2, refused.output
    assert "older than the version 2024-05-03" in refused.output
    assert _versions(cli_env) == [("ofac-sdn", "2024-05-03")]
    assert count(cli_env, t.listed_entities) == entities
    # the party designated on 2024-05-03 is still a hit
    screened = api(cli_env, world["acme"]).post(
        "/api/v1/screening/screen", json={"name": target.primary_name, "schema": "organization"}
    )
    assert target.entity_id in {m["entity_id"] for m in screened.json()["matches"]}, screened.text


def test_f3_a_copy_cut_at_a_line_end_does_not_replace_the_list(
    cli_env: Container, shared_data: Path, tmp_path: Path
) -> None:
    whole = shared_data / "sanctions" / "ofac_sdn_csv_2024" / "sdn_2024-05-03.csv"
    assert import_file("ofac-sdn-csv", whole).exit_code == 0
    entities = count(cli_env, t.listed_entities)
    # the same file, same name and date, cut at a line end half-way: it parses, but would delist thousands
    data = whole.read_bytes()
    cut = tmp_path / "cut" / "sdn_2024-05-03.csv"
    cut.parent.mkdir()
    cut.write_bytes(data[: data.index(b"\r\n", len(data) // 2) + 2])
    refused = import_file("ofac-sdn-csv", cut)
    assert refused.exit_code == 2, refused.output
    assert "would remove" in refused.output
    assert _versions(cli_env) == [("ofac-sdn", "2024-05-03")]
    assert count(cli_env, t.listed_entities) == entities
    forced = runner.invoke(
        cli,
        ["lists", "import", "ofac-sdn-csv", str(cut), "--force", "--reason", "a partial list, on purpose"],
    )
    assert forced.exit_code == 0, forced.output
    assert len(_versions(cli_env)) == 2


def test_f3_re_importing_the_same_file_stores_nothing(cli_env: Container, shared_data: Path) -> None:
    newer = shared_data / "sanctions" / "ofac_sdn_csv_2024" / "sdn_2024-05-03.csv"
    assert import_file("ofac-sdn-csv", newer).exit_code == 0
    entities, deltas = count(cli_env, t.listed_entities), count(cli_env, t.sanctions_deltas)
    again = import_file("ofac-sdn-csv", newer)
    assert again.exit_code == 0, again.output
    assert "already imported" in again.output
    assert (count(cli_env, t.listed_entities), count(cli_env, t.sanctions_deltas)) == (entities, deltas)
    assert _versions(cli_env) == [("ofac-sdn", "2024-05-03")]


def test_f3_a_forced_older_import_needs_and_records_a_reason(cli_env: Container, tmp_path: Path) -> None:
    newer = tmp_path / "new" / "sdn_2024-05-03.csv"
    older = tmp_path / "old" / "sdn_2024-04-26.csv"
    for path, extra in (
        (newer, '2,"SECOND CO",-0-,"[SDGT]",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\r\n'),
        (older, ""),
    ):
        path.parent.mkdir()
        path.write_bytes(
            ('1,"FIRST CO",-0-,"[SDGT]",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\r\n' + extra + "\x1a").encode()
        )
    assert import_file("ofac-sdn-csv", newer).exit_code == 0
    no_reason = runner.invoke(cli, ["lists", "import", "ofac-sdn-csv", str(older), "--force"])
    assert no_reason.exit_code == 2
    assert "--reason" in no_reason.output
    forced = runner.invoke(
        cli,
        ["lists", "import", "ofac-sdn-csv", str(older), "--force", "--reason", "the 05-03 file was corrupt"],
    )
    assert forced.exit_code == 0, forced.output
    assert _versions(cli_env) == [("ofac-sdn", "2024-05-03"), ("ofac-sdn", "2024-04-26")]
    with cli_env.engine.connect() as conn:
        a = t.audit_events
        reason = conn.execute(
            select(a.c.reason).where(a.c.action == "sanctions_list.imported_by_force")
        ).scalar_one()
    assert "the 05-03 file was corrupt" in reason


def test_f3_an_undated_file_after_a_dated_version_is_refused(cli_env: Container, tmp_path: Path) -> None:
    dated = write_list(tmp_path / "a", [ACME_FRONT])
    assert import_file("ftm", dated).exit_code == 0  # ftm files carry no date: the first version is accepted
    v = t.sanctions_list_versions
    with cli_env.engine.begin() as conn:  # as if the publisher had dated the version held
        conn.execute(v.update().values(version="2026-01-05"))
    undated = import_file("ftm", write_list(tmp_path / "b", [ACME_FRONT, NEWCOMER]))
    assert undated.exit_code == 2
    assert "has no date" in undated.output
