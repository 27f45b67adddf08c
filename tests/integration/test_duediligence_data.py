"""The shipped due-diligence data (dualuse/data/duediligence) loads, every flag carries its source and a
verified mark, each working step has a key flag, and bad data is refused naming the file and the flag."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from dualuse.adapters.sources.duediligence import (
    RED_FLAGS_FILE,
    RISK_SEED_FILE,
    load_red_flags,
    load_risk_seed,
    shipped_duediligence_dir,
)
from dualuse.domain.duediligence import (
    INTERNAL_REPRESSION,
    Conclusion,
    FlagAnswer,
    RiskLevel,
    Step,
    check_conclusion,
    suggested_conclusion,
)
from dualuse.domain.errors import ImportFailedError


def _raw(name: str) -> Any:
    return yaml.safe_load((shipped_duediligence_dir() / name).read_text(encoding="utf-8"))


def _write(tmp_path: Path, name: str, document: Any) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_red_flags_load_with_a_version() -> None:
    flags = load_red_flags()
    assert flags.version == _raw(RED_FLAGS_FILE)["version"]
    assert 12 <= len(flags.flags) <= 20
    assert load_red_flags() is flags  # read once per process


def test_every_flag_has_a_source_and_a_verified_mark() -> None:
    for entry in _raw(RED_FLAGS_FILE)["flags"]:
        assert isinstance(entry.get("source"), str), entry["id"]
        assert entry["source"].strip(), entry["id"]
        assert isinstance(entry.get("verified"), bool), entry["id"]
        assert entry["text"].rstrip().endswith("?"), entry["id"]


def test_flags_from_the_unretrieved_red_flag_list_are_not_marked_verified() -> None:
    for flag in load_red_flags().flags:
        if "[M" in flag.source or "OECD" in flag.source:
            assert not flag.verified, flag.id


@pytest.mark.parametrize("step", [Step.MISUSE, Step.STAKEHOLDERS, Step.MITIGATION])
def test_each_working_step_has_a_key_flag(step: Step) -> None:
    assert any(flag.key for flag in load_red_flags().for_step(step))


def test_no_flag_is_answered_at_the_conclusion() -> None:
    assert load_red_flags().for_step(Step.CONCLUSION) == ()


def test_repression_flags_exist_and_are_key() -> None:
    repression = [f for f in load_red_flags().flags if f.points_to == INTERNAL_REPRESSION]
    assert len(repression) >= 2
    assert all(f.key for f in repression)


def test_the_shipped_flags_work_with_the_conclusion_rules() -> None:
    flags = load_red_flags()
    all_no = {f.id: FlagAnswer.NO for f in flags.flags}
    assert suggested_conclusion(flags, all_no) is Conclusion.PROCEED
    check_conclusion(Conclusion.PROCEED, flags, all_no)
    assert suggested_conclusion(flags, {**all_no, "stk-repression-record": FlagAnswer.YES}) is (
        Conclusion.NOTIFY_AUTHORITY
    )


def test_the_seed_profiles_load_and_carry_no_rating() -> None:
    profiles = load_risk_seed()
    assert profiles
    assert all(p.level is RiskLevel.UNKNOWN and not p.verified for p in profiles)
    assert all(p.sources and all(s.url.startswith("http") for s in p.sources) for p in profiles)
    assert {p.subject for p in profiles} >= {"RU", "BY", "KP"}


def test_a_flag_without_a_source_is_refused_naming_file_and_flag(tmp_path: Path) -> None:
    document = _raw(RED_FLAGS_FILE)
    del document["flags"][2]["source"]
    flag_id = document["flags"][2]["id"]
    with pytest.raises(ImportFailedError) as raised:
        load_red_flags(_write(tmp_path, RED_FLAGS_FILE, document))
    assert RED_FLAGS_FILE in raised.value.detail
    assert flag_id in raised.value.detail
    assert "source" in raised.value.detail


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"step": "conclusion"}, "step"),
        ({"step": "aftercare"}, "step"),
        ({"key": "yes"}, "key"),
        ({"verified": None}, "verified"),
        ({"points_to": "weather"}, "points_to"),
        ({"text": ""}, "text"),
    ],
)
def test_bad_flags_are_refused(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    document = _raw(RED_FLAGS_FILE)
    document["flags"][0].update(change)
    with pytest.raises(ImportFailedError, match=message) as raised:
        load_red_flags(_write(tmp_path, RED_FLAGS_FILE, document))
    assert document["flags"][0]["id"] in raised.value.detail


def test_duplicate_flags_and_missing_version_are_refused(tmp_path: Path) -> None:
    document = _raw(RED_FLAGS_FILE)
    document["flags"].append(copy.deepcopy(document["flags"][0]))  # the same flag, written out (no alias)
    with pytest.raises(ImportFailedError, match="twice"):
        load_red_flags(_write(tmp_path, RED_FLAGS_FILE, document))
    document = _raw(RED_FLAGS_FILE)
    del document["version"]
    with pytest.raises(ImportFailedError, match="version"):
        load_red_flags(_write(tmp_path, RED_FLAGS_FILE, document))


def test_broken_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / RED_FLAGS_FILE).write_text("flags: [unclosed", encoding="utf-8")
    with pytest.raises(ImportFailedError, match="YAML"):
        load_red_flags(tmp_path / RED_FLAGS_FILE)
    with pytest.raises(ImportFailedError, match="missing"):
        load_risk_seed(tmp_path / "absent.yaml")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"level": "high"}, "dated source"),
        ({"sources": []}, "source"),
        ({"level": "dire"}, "level"),
        ({"subject": "Russia"}, "subject"),
    ],
)
def test_bad_profiles_are_refused_naming_the_profile(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    document = _raw(RISK_SEED_FILE)
    document["profiles"][3].update(change)  # the undated one
    with pytest.raises(ImportFailedError, match=message) as raised:
        load_risk_seed(_write(tmp_path, RISK_SEED_FILE, document))
    assert RISK_SEED_FILE in raised.value.detail
