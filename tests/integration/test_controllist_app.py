"""The control list through the API, the CLI and the pages, against a real database."""

from __future__ import annotations

import re
import textwrap

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from dualuse.adapters.db import tables as t
from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.cli.main import app as cli
from dualuse.entrypoints.http.app import create_app
from tests.factories import make_organisation, make_person, token_for

AMENDMENT = textwrap.dedent(
    """
    kind: amendment
    version:
      id: "2026-06"
      title: "Test amendment"
      effective_from: 2026-06-01
      legal_source: "Commission Delegated Regulation (EU) 2026/999 (test)"
      verified: false
    add:
      - code: "5A001.k"
        title: "Test sub-item added by an amendment"
        summary: "Added to test imports."
        regime: eu
        source: "test"
        verified: false
    change:
      - code: "5A002.a"
        summary: "A changed summary for the test."
    remove: []
    """
)


@pytest.fixture
def world(container: Container) -> dict[str, str]:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    rival = make_organisation(container, OrganisationKind.EXPORTER, "Rival SAS", "FR", "FR222")
    commission = make_organisation(container, OrganisationKind.COMMISSION, "Commission", None)
    make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
    make_person(container, rival, Role.EXPORTER_ADMIN, "admin@rival.example")
    make_person(container, commission, Role.COMMISSION, "desk@commission.example")
    return {
        "acme": token_for(container, "admin@acme.example"),
        "rival": token_for(container, "admin@rival.example"),
        "commission": token_for(container, "desk@commission.example"),
    }


def api(container: Container, token: str | None = None) -> TestClient:
    client = TestClient(create_app(container=container))
    if token:
        client.headers["Authorization"] = f"Bearer {token}"
    return client


def test_versions_and_an_entry(container: Container) -> None:
    client = api(container)
    versions = client.get("/api/v1/control-list/versions").json()
    assert [v["id"] for v in versions] == [
        "2021-09",
        "2022-01",
        "2023-01",
        "2023-05",
        "2023-12",
        "2024-11",
        "2025-11",
    ]
    entry = client.get("/api/v1/control-list/entries/5a001f1").json()
    assert entry["code"] == "5A001.f.1"
    assert entry["flags"]["cyber_surveillance"] is True
    assert [b["code"] for b in entry["breadcrumbs"]] == ["5A001", "5A001.f", "5A001.f.1"]
    crypto = client.get("/api/v1/control-list/entries/5A002.a").json()
    assert crypto["flags"]["information_security"] is True
    assert crypto["flags"]["cyber_surveillance"] is False


def test_an_entry_not_yet_in_force_is_404_on_that_date(container: Container) -> None:
    client = api(container)
    assert client.get("/api/v1/control-list/entries/4A506", params={"as_of": "2025-11-15"}).status_code == 200
    response = client.get("/api/v1/control-list/entries/4A506", params={"as_of": "2025-10-01"})
    assert response.status_code == 404
    assert "2024-11" in response.json()["detail"]


def test_a_garbage_code_is_a_clear_422(container: Container) -> None:
    response = api(container).get("/api/v1/control-list/entries/5X001")
    assert response.status_code == 422
    assert "product group" in response.json()["detail"]


def test_search_finds_an_imsi_catcher(container: Container) -> None:
    hits = api(container).get("/api/v1/control-list/search", params={"q": "IMSI catcher"}).json()
    assert hits[0]["code"].startswith("5A001.f")
    assert hits[0]["cyber_surveillance"] is True
    assert hits[0]["why"]


def test_classify_suggests_encryption_for_an_aes_module(container: Container) -> None:
    response = api(container).post(
        "/api/v1/control-list/classify",
        json={"description": "AES-256 encryption module", "parameters": {"symmetric_key_bits": 256}},
    )
    assert response.status_code == 200
    assert "5A002.a" in [c["code"] for c in response.json()[:3]]


def test_diff_between_the_shipped_versions(container: Container) -> None:
    body = api(container).get("/api/v1/control-list/diff", params={"from": "2024-11", "to": "2025-11"}).json()
    added = {e["code"] for e in body["added"]}
    assert {"4A506", "3A501"} <= added
    assert body["changed"]


def test_only_the_commission_imports_amendments(container: Container, world: dict[str, str]) -> None:
    response = api(container, world["acme"]).post(
        "/api/v1/control-list/amendments", json={"content": AMENDMENT}
    )
    assert response.status_code == 403


def test_import_flags_affected_classifications(container: Container, world: dict[str, str]) -> None:
    exporter = api(container, world["acme"])
    created = exporter.post(
        "/api/v1/classifications",
        json={
            "product_name": "CipherCore",
            "control_code": "5a002a",
            "rationale": "AES-256, not mass market",
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["control_code"] == "5A002.a"
    untouched = exporter.post(
        "/api/v1/classifications",
        json={"product_name": "Reactor pump", "control_code": "0A001", "rationale": "reactor component"},
    ).json()
    response = api(container, world["commission"]).post(
        "/api/v1/control-list/amendments", json={"filename": "2026-06.yaml", "content": AMENDMENT}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["version"] == "2026-06"
    assert [e["code"] for e in body["diff"]["added"]] == ["5A001.k"]
    assert body["classifications_flagged"] == 1
    impact = exporter.get("/api/v1/classifications", params={"review": True}).json()
    assert [r["product_name"] for r in impact] == ["CipherCore"]
    assert "5A002.a" in impact[0]["review_reason"]
    assert untouched["status"] == "current"
    versions = [v["id"] for v in api(container).get("/api/v1/control-list/versions").json()]
    assert versions[-1] == "2026-06"
    confirmed = exporter.post(f"/api/v1/classifications/{impact[0]['id']}/confirm", json={"note": "checked"})
    assert confirmed.json()["status"] == "current"


def amendment_count(container: Container) -> int:
    with container.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.control_list_amendments)).scalar_one())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (AMENDMENT.replace('"5A001.k"', '"5A0X1.k"'), "expected three digits"),
        (AMENDMENT.replace("2026-06-01", "2020-01-01"), "after"),
        (AMENDMENT.replace('code: "5A002.a"', 'code: "5A999"'), "5A999"),
        ("kind: amendment\nversion: [unclosed", "not valid YAML"),
    ],
)
def test_a_bad_amendment_changes_nothing(
    container: Container, world: dict[str, str], content: str, message: str
) -> None:
    response = api(container, world["commission"]).post(
        "/api/v1/control-list/amendments", json={"content": content}
    )
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert amendment_count(container) == 0


def test_exporters_never_see_each_others_classifications(container: Container, world: dict[str, str]) -> None:
    acme = api(container, world["acme"])
    record = acme.post(
        "/api/v1/classifications",
        json={"product_name": "Secret", "control_code": None, "rationale": "not listed"},
    ).json()
    rival = api(container, world["rival"])
    assert rival.get("/api/v1/classifications").json() == []
    assert rival.post(f"/api/v1/classifications/{record['id']}/confirm", json={}).status_code == 404


def test_a_code_not_in_force_cannot_be_recorded(container: Container, world: dict[str, str]) -> None:
    response = api(container, world["acme"]).post(
        "/api/v1/classifications", json={"product_name": "X", "control_code": "9E999", "rationale": "r"}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "control_code"


def test_export_round_trips_a_version(container: Container) -> None:
    text = api(container).get("/api/v1/control-list/export", params={"version": "2024-11"}).text
    assert "kind: base" in text
    assert "5A001.f" in text


@pytest.mark.parametrize(
    "path",
    ["/control-list", "/control-list/5A001.f", "/control-list/changes", "/control-list/search?q=spyware"],
)
def test_public_pages_render(container: Container, path: str) -> None:
    response = api(container).get(path)
    assert response.status_code == 200
    assert "<main" in response.text


def test_cli_list_commands(container: Container, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    runner = CliRunner()
    shown = runner.invoke(cli, ["list", "show", "5A001.j"])
    assert shown.exit_code == 0, shown.output
    assert "cyber_surveillance" in shown.output
    before = runner.invoke(cli, ["list", "show", "4A506", "--as-of", "2025-10-01"])
    assert before.exit_code == 2
    assert "not in list version 2024-11" in before.output
    found = runner.invoke(cli, ["list", "search", "quantum computer"])
    assert "4A506" in found.output
    diff = runner.invoke(cli, ["list", "diff", "2024-11", "2025-11"])
    assert "+ 4A506" in diff.output
    path = tmp_path / "2026-06.yaml"
    path.write_text(AMENDMENT)
    imported = runner.invoke(cli, ["list", "import", str(path)])
    assert imported.exit_code == 0, imported.output
    assert "2026-06" in runner.invoke(cli, ["list", "versions"]).output
    again = runner.invoke(cli, ["list", "import", str(path)])
    assert again.exit_code == 2
    exported = runner.invoke(
        cli, ["list", "export", "--version", "2026-06", "-o", str(tmp_path / "out.yaml")]
    )
    assert exported.exit_code == 0
    assert "5A001.k" in (tmp_path / "out.yaml").read_text()


def test_the_diff_names_the_acts_and_the_official_codes(container: Container) -> None:
    """API and page: 2024-11 → 2025-11 is Del. Reg. (EU) 2025/2003 (OJ L, 2025/2003, 14.11.2025), with the
    codes it added below the entries (2B352.j, peptide synthesisers) and each change's source."""
    client = api(container)
    diff = client.get("/api/v1/control-list/diff", params={"from": "2024-11", "to": "2025-11"}).json()
    assert [a["celex"] for a in diff["acts"]] == ["32025R2003"]
    assert {"1C002.c.2.i", "2B352.j"} <= set(diff["codes_added"])
    assert all(ch["source"] for ch in diff["acts"][0]["changes"])
    older = client.get("/api/v1/control-list/diff", params={"from": "2021-09", "to": "2023-05"}).json()
    assert [a["celex"] for a in older["acts"]] == ["32022R0001", "32023R0066", "32023R0996"]
    assert "1C351.d.20" in older["codes_added"]
    page = client.get("/control-list/changes", params={"from": "2021-09", "to": "2025-11"})
    assert page.status_code == 200
    assert "Commission Delegated Regulation (EU) 2023/996" in page.text
    assert "not every change of the act is itemised" in page.text
    # the changes per category as a chart drawn on the server, with its table (issue #13): 2025/2003 added
    # 1C002.c.2.i and 2B352.j, so categories 1 and 2 are there
    recent = client.get("/control-list/changes", params={"from": "2024-11", "to": "2025-11"}).text
    assert 'role="img"' in recent
    assert "Changes per category, 2024-11 to 2025-11" in recent
    table = recent.split('data-table="categories"')[1].split("</table>")[0]
    categories = re.findall(r'<th scope="row">(\d)</th>', table)
    assert {"1", "2"} <= set(categories)
    assert categories == sorted(categories)


def test_a_record_made_against_an_older_version_is_flagged_citing_the_act(
    container: Container, world: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Art. 3(1) applies the list in force: a classification recorded against list version 2024-11 under
    2B352 is flagged once reviewed against 2025-11, the reason naming Del. Reg. (EU) 2025/2003 (peptide
    synthesisers added as 2B352.j); one under an entry no act touched stays current."""
    exporter = api(container, world["acme"])
    made = [
        exporter.post(
            "/api/v1/classifications",
            json={"product_name": name, "control_code": code, "rationale": "recorded before the update"},
        ).json()
        for name, code in (("Biofermenter", "2B352"), ("Reactor pump", "0A001"))
    ]
    with container.engine.begin() as conn:
        conn.execute(t.classifications.update().values(list_version="2024-11"))
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    result = CliRunner().invoke(cli, ["list", "review"])
    assert result.exit_code == 0, result.output
    assert "1 classification record(s) flagged" in result.output
    impact = exporter.get("/api/v1/classifications", params={"review": True}).json()
    assert [r["id"] for r in impact] == [made[0]["id"]]
    assert "Del. Reg. (EU) 2025/2003" in impact[0]["review_reason"]
