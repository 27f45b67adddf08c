"""The shipped Annex I provisions (``data/controllist/annex_i/2025-11.json``) against the consolidated text
as published on EUR-Lex (CELEX 02021R0821-20251115), read at test time from the machine-readable copy in
``../shared/reference/annex-i-eurlex`` (marker ``realdata``: skipped where the folder is absent, never in CI).

The shipped file must be what ``dualuse reference build-annex-i`` derives from that text today; every path
of the text must be a provision and no other; and the facts below, read by hand from the text and written
here independently of the parser, must be in the data. A provision marked verified must have each of its
thresholds' numbers and units in its own line of the text (a scan written here, not the parser's).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from dualuse.adapters.sources.annex_i_text import build, shipped_path
from dualuse.domain.controllist import ControlCode, InvalidControlCodeError

from ..conftest import SHARED_DATA

REFERENCE = Path(os.environ.get("DUALUSE_SHARED_REFERENCE") or SHARED_DATA.parent / "reference")
ANNEX = REFERENCE / "annex-i-eurlex" / "annex-i-2025-11-15.json"

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def official() -> dict[str, Any]:
    if not ANNEX.exists():
        pytest.skip(f"{ANNEX} is not here")
    return json.loads(ANNEX.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def shipped() -> dict[str, Any]:
    return json.loads(shipped_path().read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def lines(official: dict[str, Any]) -> dict[str, str]:
    """The first line of each path that opens a provision (notes left out), as the text has it."""
    found: dict[str, str] = {}
    for entry in official["entries"]:
        for raw in entry["verbatim_text"].splitlines():
            path, _, text = raw.partition(" ")
            if re.match(r"(?:Technical )?Notes?\s*\d*:|N\.B\.", text):
                continue
            found.setdefault(path, text)
    return found


def test_the_shipped_file_is_what_the_build_derives_today(shipped: dict[str, Any]) -> None:
    assert ANNEX.exists()
    assert build(ANNEX) == shipped, "run: dualuse reference build-annex-i --from " + str(ANNEX)


def test_every_path_of_the_text_is_a_provision_and_no_other(
    shipped: dict[str, Any], lines: dict[str, str]
) -> None:
    def is_code(path: str) -> bool:
        try:
            ControlCode.parse(path)
        except InvalidControlCodeError:
            return False
        return True

    official_codes = {p for p in lines if is_code(p)}
    assert {p["code"] for p in shipped["provisions"]} == official_codes
    assert shipped["celex"] == "02021R0821-20251115"
    assert shipped["valid_from"] == "2025-11-15"


# (code, comparison, threshold, unit), read by hand in the consolidated text
FACTS = [
    ("5A002.d.1", "gt", 500, "MHz"),  # a bandwidth exceeding 500 MHz
    ("5A002.d.2", "ge", 20, "%"),  # a fractional bandwidth of 20 % or more
    ("3A001.e.2.b.1", "ge", 5, "kV"),
    ("3A001.b.3.b.3", "gt", 40, "W"),
    ("3A001.b.3.b.3", "gt", 12, "GHz"),
    ("3A001.b.3.b.3", "le", 16, "GHz"),
    ("3A001.a.14.a.1", "ge", 8, "bit"),
    ("3A001.a.14.a.1", "lt", 10, "bit"),
    ("6A007.b.2", "lt", 0.7, "mGal"),
    ("6C002.a", "ge", 99.9995, "%"),
    ("6A203.a.2", "le", 50, "ns"),
    ("3A001.a.1.c", "ge", 5e13, "n/cm2"),
    ("6A005.d.1.b.2", "ge", 780, "nm"),
    ("6A005.d.1.b.2", "lt", 1100, "nm"),
    ("6A005.b.6.d.2.a", "gt", 1, "MW"),
    ("3B503.g", "gt", 21, "kV"),
    ("6B008", "le", 100, "ns"),
    ("3A001.b.8.a", "gt", 3, "GHz"),
    ("6A004.d.3.c", "le", 200, "μrad"),
]


@pytest.mark.parametrize(("code", "comparison", "threshold", "unit"), FACTS)
def test_facts_read_by_hand_are_in_the_data(
    shipped: dict[str, Any], code: str, comparison: str, threshold: float, unit: str
) -> None:
    provision = next(p for p in shipped["provisions"] if p["code"] == code)
    found = [(t["comparison"], t["threshold"], t["unit"]) for t in provision.get("parameters", [])]
    assert (comparison, pytest.approx(threshold), unit) in found, found
    assert provision["verified"] is True


def test_the_56_bit_key_length_is_attached_to_5a002_a(shipped: dict[str, Any]) -> None:
    provision = next(p for p in shipped["provisions"] if p["code"] == "5A002.a")
    thresholds = [
        t for n in provision["notes"] if n["kind"] == "technical_note" for t in n.get("parameters", [])
    ]
    assert {"quantity": "key_length", "comparison": "gt", "threshold": 56.0, "unit": "bits"} in thresholds


def _numbers(text: str) -> list[float]:
    """Every number in a line as the Official Journal writes it (decimal comma, spaced thousands,
    '5 × 10 13' with the superscript lost) — a plain scan, independent of the parser."""
    flat = re.sub(r"(?<=\d)[\s  ](?=\d{3}(?!\d))", "", text).replace("−", "-")
    values: list[float] = []
    for m in re.finditer(r"(-?\d+(?:[,.]\d+)?)(?:\s*×\s*10\s?(-?\d{1,2}))?", flat):
        value = float(m.group(1).replace(",", "."))
        values.append(value)
        if m.group(2):
            values.append(value * 10 ** int(m.group(2)))
    return values


def test_every_verified_provision_has_its_thresholds_in_its_line(
    shipped: dict[str, Any], lines: dict[str, str]
) -> None:
    problems = []
    checked = 0
    for provision in shipped["provisions"]:
        if not provision["verified"]:
            continue
        line = lines[provision["code"]]
        numbers = _numbers(line)
        for t in provision.get("parameters", []):
            checked += 1
            if not any(abs(n - t["threshold"]) <= 1e-9 * max(1.0, abs(n)) for n in numbers):
                problems.append(f"{provision['code']}: {t['threshold']} not in {line[:120]!r}")
            if t["unit"] and t["unit"] not in line:
                problems.append(f"{provision['code']}: unit {t['unit']} not in {line[:120]!r}")
    assert checked > 1500
    assert problems == []


def test_target_of_issue_12(shipped: dict[str, Any]) -> None:
    """At least 90 % of the entries of Categories 3-6, each with every sub-item verified."""
    by_entry: dict[str, list[bool]] = {}
    for provision in shipped["provisions"]:
        code = provision["code"]
        if code[0] in "3456" and not provision.get("not_used"):
            by_entry.setdefault(code.split(".")[0], []).append(provision["verified"])
    complete = [entry for entry, marks in by_entry.items() if all(marks)]
    assert len(complete) / len(by_entry) >= 0.9
