"""``dualuse rules status``: per area, how many rules there are, how many verified, and their sources."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from dualuse.adapters.sources.rulebook import load_rulebook, shipped_rules_dir
from dualuse.entrypoints.cli.main import app

runner = CliRunner()
AREAS = ("Annex I", "General authorisations", "Arms embargoes", "Sanctions regimes", "Catch-alls",
         "National measures")  # fmt: skip


def test_rules_status_prints_every_area_with_counts_and_sources() -> None:
    result = runner.invoke(app, ["rules", "status"])
    assert result.exit_code == 0, result.output
    for area in AREAS:
        assert area in result.output
    assert "sanctions-regimes.md" in result.output or "SR " in result.output  # the sources are listed
    assert "ir-359-2011-art1b-monitoring" in result.output  # an unverified regime is named
    assert "rules verified." in result.output


def test_rules_status_json_counts_match_the_rulebook() -> None:
    result = runner.invoke(app, ["rules", "status", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rulebook = load_rulebook()
    assert data["rules_version"] == rulebook.version
    by_area = {area["area"].split(" (")[0]: area for area in data["areas"]}
    assert set(by_area) == set(AREAS)
    regimes = by_area["Sanctions regimes"]
    assert regimes["rules"] == len(rulebook.sanctions) + len(rulebook.regimes)
    assert regimes["verified"] == sum(p.verified for p in rulebook.sanctions) + sum(
        r.is_verified for r in rulebook.regimes
    )
    authorisations = by_area["General authorisations"]
    assert authorisations["verified"] == sum(g.verified for g in rulebook.general_authorisations)
    assert "EU001" not in authorisations["unverified"]
    assert by_area["Catch-alls"]["rules"] == by_area["Catch-alls"]["verified"]
    for area in data["areas"]:
        assert area["verified"] + len(area["unverified"]) == area["rules"]
        assert area["sources"]


def test_rules_status_names_a_bad_rules_file(tmp_path: Path) -> None:
    directory = tmp_path / "rules"
    shutil.copytree(shipped_rules_dir(), directory)
    path = directory / "sanctions_regimes.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("consequence: prohibited", "consequence: maybe", 1)
    )
    result = runner.invoke(app, ["rules", "status", "--rules-dir", str(directory)])
    assert result.exit_code == 2
    assert "sanctions_regimes.yaml" in result.output
