"""One way to read untrusted input (issue #16): the shared kit, and file errors with file, line and field."""

from __future__ import annotations

import shutil
from datetime import date
from enum import StrEnum
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.adapters.sources.duediligence import load_red_flags, shipped_duediligence_dir
from dualuse.adapters.sources.rulebook import load_rulebook, shipped_rules_dir
from dualuse.adapters.sources.yaml_files import line_of, load_yaml, located
from dualuse.domain.errors import ImportFailedError, ValidationError
from dualuse.services import reading


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


@given(st.one_of(st.none(), st.integers(), st.booleans(), st.lists(st.text()), st.text(), st.dates()))
def test_text_returns_collapsed_non_empty_text_or_names_the_field(value: object) -> None:
    if isinstance(value, str) and value.strip():
        assert reading.text({"name": value}, "name", path="party") == " ".join(value.split())
    else:
        with pytest.raises(ValidationError) as caught:
            reading.text({"name": value}, "name", path="party")
        assert caught.value.field == "party.name"


@given(st.one_of(st.none(), st.text(max_size=5), st.integers(), st.sampled_from(["red", "blue"])))
def test_choice_accepts_only_members(value: object) -> None:
    if value in ("red", "blue"):
        assert reading.choice({"colour": value}, "colour", Colour).value == value
    else:
        with pytest.raises(ValidationError, match="must be one of red, blue") as caught:
            reading.choice({"colour": value}, "colour", Colour)
        assert caught.value.field == "colour"


def test_choice_among_refuses_members_left_out() -> None:
    with pytest.raises(ValidationError, match="must be one of red"):
        reading.choice({"c": "blue"}, "c", Colour, among=[Colour.RED])


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("2025-11-15", date(2025, 11, 15)), (date(2021, 9, 9), date(2021, 9, 9))],
)
def test_day(value: object, expected: date | None) -> None:
    assert reading.day({"d": value}, "d") == expected


@pytest.mark.parametrize("value", ["15/11/2025", 20251115, True, "2025-13-01"])
def test_day_refuses_what_is_not_a_date(value: object) -> None:
    with pytest.raises(ValidationError, match="must be a date") as caught:
        reading.day({"d": value}, "d", path="rule")
    assert caught.value.field == "rule.d"


def test_flag_refuses_yes_and_one() -> None:
    for value in ("yes", 1, None):
        with pytest.raises(ValidationError, match="true or false"):
            reading.flag({"f": value}, "f")
    assert reading.flag({}, "f", default=False) is False


def test_unknown_keys_are_named_with_their_path() -> None:
    with pytest.raises(ValidationError, match="unknown field 'colur'") as caught:
        reading.no_unknown_keys({"colour": 1, "colur": 2}, {"colour"}, path="items[0]")
    assert caught.value.field == "items[0].colur"


def test_yaml_mappings_remember_their_lines() -> None:
    document = load_yaml("top: 1\nrules:\n  - id: A\n    title: x\n  - id: B\n    title: y\n", "f.yaml")
    second = document["rules"][1]
    assert line_of(second) == 5
    assert line_of(second, "title") == 6
    assert line_of({"plain": "dict"}) is None


def test_located_names_file_line_entry_and_field() -> None:
    entry = load_yaml("id: X\nsummary: ''\n", "x.yaml")
    with pytest.raises(ImportFailedError) as caught, located("x.yaml", entry, "rule X"):
        reading.text(entry, "summary")
    assert caught.value.location == "x.yaml, line 2: rule X (summary)"
    assert caught.value.field == "summary"


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def test_a_bad_rule_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    rules = _copy(shipped_rules_dir(), tmp_path / "rules")
    path = rules / "eugeas.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.strip().startswith("customs_code:"))
    lines[number] = lines[number].split(":")[0] + ": ''"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailedError) as caught:
        load_rulebook(rules)
    assert caught.value.location is not None
    assert caught.value.location.startswith(f"eugeas.yaml, line {number + 1}: ")
    assert caught.value.location.endswith("(customs_code)")


def test_a_bad_red_flag_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    folder = _copy(shipped_duediligence_dir(), tmp_path / "dd")
    path = folder / "red_flags.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.strip().startswith("key:"))
    lines[number] = lines[number].split(":")[0] + ": maybe"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailedError, match="`key` must be true or false") as caught:
        load_red_flags(path)
    assert caught.value.location is not None
    assert f"red_flags.yaml, line {number + 1}: flag " in caught.value.location


def test_a_document_read_with_lines_is_written_back_as_plain_yaml() -> None:
    import yaml

    document = load_yaml("a:\n  b: 1\n", "f.yaml")
    assert yaml.safe_dump(document) == "a:\n  b: 1\n"
