"""Annex I down to its leaf sub-items in the shipped data, assessing an item on its parameters, and the
verification report — through the loader, the API, the CLI and the pages, against a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dualuse.adapters.sources.annex_i import load_cryptography_note, load_history
from dualuse.adapters.sources.annex_i_text import load_annex_text
from dualuse.adapters.sources.rulebook import load_rulebook
from dualuse.bootstrap import Container
from dualuse.domain.controllist import ControlCode
from dualuse.domain.errors import ImportFailedError
from dualuse.entrypoints.cli.main import app as cli
from dualuse.entrypoints.http.app import create_app
from dualuse.services.verification import status

CELEX = "02021R0821-20251115"


def test_the_shipped_list_has_every_leaf_sub_item_with_its_thresholds() -> None:
    latest = load_history().latest
    entry = latest.get("5A002.d.1")
    assert entry is not None
    assert dict(entry.parameters) == {"bandwidth_mhz_gt": 500}
    assert entry.verified
    assert CELEX in entry.source
    assert "eur-lex.europa.eu" in entry.source
    text = load_annex_text()
    for code, provision in text.provisions.items():
        if code.category in (3, 4, 5, 6) and not provision.not_used:
            assert latest.get(code) is not None, f"{code} is in the consolidated text but not in the list"


def test_notes_are_attached_to_the_path_they_apply_to() -> None:
    text = load_annex_text()
    note = text.get(ControlCode.parse("5A002.a"))
    assert note is not None
    kinds = {n.kind.value for n in note.notes}
    assert {"technical_note", "note"} <= kinds
    key_length = [t for n in note.notes for t in n.thresholds if t.unit == "bits" and t.threshold == 56]
    assert key_length, "the 56-bit symmetric key length of 5A002.a Technical Note 2.a"
    decontrol = text.get(ControlCode.parse("5A001.f"))
    assert decontrol is not None
    assert any(n.kind.value == "decontrol" for n in decontrol.notes)


def test_defined_terms_are_linked_where_used() -> None:
    text = load_annex_text()
    assert "information security" in text.terms
    assert text.terms["information security"].defined_in == "Annex I, definitions"
    assert text.terms["cyber-surveillance items"].defined_in == "Art. 2(20)"
    top = text.get(ControlCode.parse("5A002"))
    assert top is not None
    assert "information security" in top.terms


def test_a_broken_provisions_file_names_itself(tmp_path: Path) -> None:
    (tmp_path / "versions").mkdir()
    (tmp_path / "versions" / "001-x.yaml").write_text(
        'kind: base\nversion: {id: "x", title: t, effective_from: 2025-11-15, legal_source: s}\n'
        'entries:\n  - {code: "5A002", title: t}\n',
        encoding="utf-8",
    )
    (tmp_path / "annex_i").mkdir()
    (tmp_path / "annex_i" / "x.json").write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(ImportFailedError, match="expected format") as raised:
        load_history(tmp_path)
    assert raised.value.location == "x.json"


def test_the_report_counts_from_the_data_and_meets_the_target() -> None:
    history = load_history()
    report = status.report(
        history.latest, load_annex_text(), load_rulebook(), load_cryptography_note(), history.versions
    )
    target = report.area("annex-i-3-6")
    assert target.total == sum(report.area(f"annex-i-{c}").total for c in (3, 4, 5, 6))
    assert target.share >= 0.9
    cyber = report.area("cyber-surveillance")
    assert cyber.total >= 11
    assert cyber.verified == cyber.total
    assert len(target.pending) == target.total - target.verified
    assert status.meets_target(report)
    annex_ii = report.area("annex-ii")
    assert annex_ii.total == 8


def test_the_report_cites_each_checked_fact_and_says_why_the_rest_is_unverified() -> None:
    history = load_history()
    report = status.report(
        history.latest, load_annex_text(), load_rulebook(), load_cryptography_note(), history.versions
    )
    crypto = report.area("cryptography-note")
    assert crypto.total == 8
    assert crypto.verified == crypto.total
    assert all(CELEX in source for source in crypto.sources)
    versions = report.area("list-versions")
    assert versions.verified == versions.total == 7
    assert any("OJ L, 2025/2003, 14.11.2025" in s for s in versions.sources)
    national = report.area("rules-national-measures")
    settings = [p for p in national.pending if p.id.startswith("settings-")]
    assert settings
    assert all("Information Note C/2024/5881" in p.why for p in settings)
    assert all(p.why != "not checked in a named source" for p in report.area("rules-annex-i").pending)


def test_assess_and_status_over_the_api(container: Container) -> None:
    client = TestClient(create_app(container=container))
    listed = client.post(
        "/api/v1/control-list/assess", json={"code": "5A002.d", "parameters": {"bandwidth": "0.6 GHz"}}
    )
    assert listed.status_code == 200, listed.text
    assert listed.json()["outcome"] == "listed"
    assert listed.json()["listed_under"] == ["5A002.d.1"]
    asked = client.post(
        "/api/v1/control-list/assess", json={"code": "5A002.d", "parameters": {"bandwidth": 100}}
    )
    assert asked.json()["outcome"] == "undecided"
    assert [q["key"] for q in asked.json()["needed"]] == ["fractional_bandwidth"]
    wrong = client.post(
        "/api/v1/control-list/assess", json={"code": "5A002.d", "parameters": {"bandwidth": "3 W"}}
    )
    assert wrong.status_code == 422
    provision = client.get("/api/v1/control-list/provisions/5A002.d.1").json()
    assert provision["parameters"] == [
        {"quantity": "bandwidth", "comparison": "gt", "threshold": 500.0, "unit": "MHz"}
    ]
    assert provision["verified"] is True
    report = client.get("/api/v1/reference/status").json()
    assert report["target_met"] is True
    assert {a["key"] for a in report["areas"]} >= {
        "annex-i-3",
        "cyber-surveillance",
        "annex-ii",
        "rules-sanctions-regimes",
    }
    suggested = client.post(
        "/api/v1/control-list/classify",
        json={"description": "spread spectrum radio", "parameters": {"bandwidth": 600}},
    ).json()
    assessed = [c for c in suggested if c["assessment"]]
    assert assessed, suggested


def test_status_and_entry_pages(container: Container) -> None:
    client = TestClient(create_app(container=container))
    page = client.get("/reference/status")
    assert page.status_code == 200
    assert "Cyber-surveillance entries" in page.text
    assert "Categories 3-6" in page.text
    entry = client.get("/control-list/5A002.d", params={"parameters": "bandwidth = 600"})
    assert entry.status_code == 200
    assert "5A002.d.1" in entry.text
    assert "listed" in entry.text
    bad = client.get("/control-list/5A002.d", params={"parameters": "bandwidth"})
    assert bad.status_code == 400
    assert "KEY=VALUE" in bad.text


def test_cli_status_assess_and_classify(
    container: Container, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    runner = CliRunner()
    shown = runner.invoke(cli, ["reference", "status", "--json"])
    assert shown.exit_code == 0, shown.output
    document = json.loads(shown.output)
    assert document["target_met"] is True
    table = runner.invoke(cli, ["reference", "status"])
    assert "Not yet verified" in table.output
    assessed = runner.invoke(
        cli, ["list", "assess", "5A002.d", "-p", "bandwidth=100", "-p", "fractional_bandwidth=5"]
    )
    assert assessed.exit_code == 0, assessed.output
    assert "not listed under 5A002.d" in assessed.output
    asked = runner.invoke(cli, ["list", "assess", "5A002.d"])
    assert "needed: bandwidth" in asked.output
    bad = runner.invoke(cli, ["list", "assess", "5A002.d", "-p", "bandwidth"])
    assert bad.exit_code != 0
    classified = runner.invoke(cli, ["list", "classify", "encryption module", "-p", "symmetric_key_bits=256"])
    assert classified.exit_code == 0, classified.output
    assert "5A002" in classified.output
