"""Every Union general export authorisation in our data against the consolidated Annex II as published on
EUR-Lex (CELEX 02021R0821-20251115), read at test time from the machine-readable copy in
``../shared/reference/annex-i-eurlex`` (marker ``realdata``: skipped where the folder is absent, never in CI).

Destinations are parsed from each section's Part 2 and named countries mapped to ISO codes here; EU002's
items, EU003's and EU004's exclusions, EU006's points and the first-use days are parsed from Parts 1 and 3.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from dualuse.adapters.sources.rulebook import load_rulebook
from dualuse.domain.rules.rulebook import FirstUseNotice, GeneralAuthorisation
from dualuse.domain.union import EU_MEMBER_STATES

from ..conftest import SHARED_DATA

REFERENCE = Path(os.environ.get("DUALUSE_SHARED_REFERENCE") or SHARED_DATA.parent / "reference")
ANNEX = REFERENCE / "annex-i-eurlex" / "annex-i-2025-11-15.json"

pytestmark = pytest.mark.realdata

# The names Annex II uses, as ISO 3166-1 codes. A name not here fails the test: a new destination in a
# later text is noticed, not skipped. "French overseas territories" is our reading (country_groups.yaml).
NAMES: dict[str, set[str]] = {
    "Afghanistan": {"AF"}, "Albania": {"AL"}, "Argentina": {"AR"}, "Armenia": {"AM"}, "Australia": {"AU"},
    "Azerbaijan": {"AZ"}, "Belarus": {"BY"}, "Bosnia and Herzegovina": {"BA"}, "Brazil": {"BR"},
    "Cambodia": {"KH"}, "Canada": {"CA"}, "Central African Republic": {"CF"}, "Chile": {"CL"},
    "China (including Hong Kong and Macao)": {"CN", "HK", "MO"}, "Congo": {"CG"},
    "Democratic Republic of the Congo": {"CD"}, "Egypt": {"EG"}, "Eritrea": {"ER"},
    "French overseas territories": {"PF", "NC", "WF", "PM", "TF", "BL"}, "Georgia": {"GE"},
    "Iceland": {"IS"}, "India": {"IN"}, "Indonesia": {"ID"}, "Iran": {"IR"}, "Iraq": {"IQ"}, "Israel": {"IL"},
    "Japan": {"JP"}, "Jordan": {"JO"}, "Kazakhstan": {"KZ"}, "Kyrgyzstan": {"KG"}, "Lebanon": {"LB"},
    "Libya": {"LY"}, "Malaysia": {"MY"}, "Mali": {"ML"}, "Mauritius": {"MU"}, "Mexico": {"MX"},
    "Mongolia": {"MN"}, "Montenegro": {"ME"}, "Morocco": {"MA"}, "Myanmar/Burma": {"MM"},
    "New Zealand": {"NZ"}, "North Korea": {"KP"}, "North Macedonia": {"MK"}, "Norway": {"NO"}, "Oman": {"OM"},
    "Pakistan": {"PK"}, "Philippines": {"PH"}, "Qatar": {"QA"}, "Russia": {"RU"}, "Saudi Arabia": {"SA"},
    "Serbia": {"RS"}, "Singapore": {"SG"}, "Somalia": {"SO"}, "South Africa": {"ZA"}, "South Korea": {"KR"},
    "South Sudan": {"SS"}, "Sudan": {"SD"}, "Switzerland, including Liechtenstein": {"CH", "LI"},
    "Syria": {"SY"}, "Tajikistan": {"TJ"}, "Thailand": {"TH"}, "Tunisia": {"TN"}, "Turkey": {"TR"},
    "Turkmenistan": {"TM"}, "Ukraine": {"UA"}, "United Arab Emirates": {"AE"}, "United Kingdom": {"GB"},
    "United States": {"US"}, "Uzbekistan": {"UZ"}, "Venezuela": {"VE"}, "Yemen": {"YE"}, "Zimbabwe": {"ZW"},
}  # fmt: skip


@pytest.fixture(scope="module")
def sections() -> dict[str, str]:
    if not ANNEX.is_file():
        pytest.skip(f"the EUR-Lex Annex II copy is absent at {ANNEX} (set DUALUSE_SHARED_REFERENCE)")
    data: dict[str, Any] = json.loads(ANNEX.read_text(encoding="utf-8"))
    assert data["corpus_version"] == "02021R0821-20251115"
    return {g["id"]: " ".join(g["verbatim_text"].split()) for g in data["geas"]}


@pytest.fixture(scope="module")
def ours() -> dict[str, GeneralAuthorisation]:
    return {g.id: g for g in load_rulebook().general_authorisations if not g.is_national}


def _countries(names: str) -> set[str]:
    # drop the parenthesis on Northern Ireland after "United Kingdom", keep "(including Hong Kong ...)"
    names = re.sub(r"United Kingdom \(without prejudice.*?Protocol\)", "United Kingdom", names)
    found: set[str] = set()
    rest = names
    for name in sorted(NAMES, key=len, reverse=True):  # longest first: "South Sudan" before "Sudan"
        if re.search(rf"(?<![\w/]){re.escape(name)}(?![\w/])", rest):
            found |= NAMES[name]
            rest = re.sub(rf"(?<![\w/]){re.escape(name)}(?![\w/])", "", rest)
    leftover = [w for w in re.split(r"[,;:.]|\band\b|\(\w\)", rest) if re.search(r"[A-Z][a-z]", w)]
    assert not leftover, f"country names not mapped: {leftover}"
    return found


def _part2(text: str) -> str:
    match = re.search(r"Part 2 [–—-] Destinations (.*?) Part 3", text)
    assert match, text[:200]
    return match.group(1)


def _listed_destinations(text: str) -> set[str]:
    part2 = _part2(text)
    names = part2.split("following destinations:", 1)[1]
    return _countries(names)


@pytest.mark.parametrize("eugea_id", ["EU001", "EU002", "EU003", "EU004", "EU005", "EU006", "EU007"])
def test_destinations_match_the_official_text(
    sections: dict[str, str], ours: dict[str, GeneralAuthorisation], eugea_id: str
) -> None:
    assert set(ours[eugea_id].destinations) == _listed_destinations(sections[eugea_id])


def test_eu008_destinations_are_all_but_the_excluded(
    sections: dict[str, str], ours: dict[str, GeneralAuthorisation]
) -> None:
    part2 = _part2(sections["EU008"])
    excluded_b = _countries(part2.split("(b)", 1)[1].split("(c)", 1)[0])
    eu001 = _listed_destinations(sections["EU001"])
    rulebook = load_rulebook()
    embargoed = {e.country for e in rulebook.embargoes}
    sanctioned = {c for s in rulebook.sanctions for c in s.countries}
    eu008 = ours["EU008"].destinations
    assert not eu008 & (excluded_b | eu001 | embargoed | sanctioned | EU_MEMBER_STATES)
    assert {"BR", "IN", "SG", "ZA", "KR", "TR", "UA", "MK", "XK"} <= eu008
    assert len(eu008) > 150  # "all destinations" but those


def _codes(text: str) -> set[str]:
    return {c.rstrip(".") for c in re.findall(r"\b\d[A-E]\d{3}(?:\.[a-z0-9]+)*\.?", text)}


def test_eu002_items_match(sections: dict[str, str], ours: dict[str, GeneralAuthorisation]) -> None:
    part1 = sections["EU002"].split("Part 1", 1)[1].split("Part 2", 1)[0]
    assert set(ours["EU002"].items.codes) == _codes(part1)


@pytest.mark.parametrize("eugea_id", ["EU003", "EU004"])
def test_eu003_and_eu004_exclusions_match(
    sections: dict[str, str], ours: dict[str, GeneralAuthorisation], eugea_id: str
) -> None:
    part1 = sections[eugea_id].split("Part 1", 1)[1].split("Part 2", 1)[0]
    listed = part1.split("following items specified in Annex I:", 1)[1]
    scope = ours[eugea_id].items
    assert set(scope.excluded_codes) == _codes(listed)
    assert scope.exclude_section_i
    assert set(scope.excluded_groups) == {"D", "E"}


def test_eu006_points_match(sections: dict[str, str], ours: dict[str, GeneralAuthorisation]) -> None:
    part1 = sections["EU006"].split("Part 1", 1)[1].split("Part 2", 1)[0]
    wanted: set[str] = set()
    for entry, body in re.findall(r"(1C\d{3}(?:\.[a-z])?)\.?: (.*?)(?=1C\d{3}(?:\.[a-z])?\.?:|$)", part1):
        wanted |= {f"{entry}.{n}" for n in re.findall(r"(?:^|[;.] )(\d{1,2})\. ", body)}
    assert len(wanted) > 70
    assert set(ours["EU006"].items.codes) == wanted


@pytest.mark.parametrize(
    ("eugea_id", "notice", "days"),
    [
        *((f"EU00{n}", FirstUseNotice.AFTER_FIRST_EXPORT, 30) for n in range(1, 7)),
        ("EU007", FirstUseNotice.BEFORE_FIRST_EXPORT, 30),
        ("EU008", FirstUseNotice.BEFORE_FIRST_EXPORT, 10),
    ],
)
def test_first_use_rule_matches(
    sections: dict[str, str],
    ours: dict[str, GeneralAuthorisation],
    eugea_id: str,
    notice: FirstUseNotice,
    days: int,
) -> None:
    text = sections[eugea_id]
    rule = ours[eugea_id].first_use
    assert rule is not None
    assert (rule.notice, rule.days) == (notice, days)
    if notice is FirstUseNotice.AFTER_FIRST_EXPORT:
        assert f"within {days} days from the date when the first export took place" in text
        assert "prior to the first use" in text
        assert rule.member_state_may_require_before
    else:
        assert re.search(rf"no later than {days} days (prior to|before) the date of the first export", text)
        assert "shall register prior to the first use" in text


def _part1(text: str) -> str:
    return re.split(r"Part 2 [–—-] Destinations", text.split("Part 1", 1)[1], maxsplit=1)[0]


def test_eu005_items_match(sections: dict[str, str], ours: dict[str, GeneralAuthorisation]) -> None:
    assert set(ours["EU005"].items.codes) == _codes(_part1(sections["EU005"]))


def test_eu008_items_match(sections: dict[str, str], ours: dict[str, GeneralAuthorisation]) -> None:
    # "5A002.a." is named only as what the covered tokens and software refer to ("as above")
    named = _codes(_part1(sections["EU008"].split("2. This authorisation shall be valid only", 1)[0]))
    assert set(ours["EU008"].items.codes) == named - {"5A002.a"}
    assert ours["EU008"].items.information_security_only


def test_eu007_items_match(sections: dict[str, str], ours: dict[str, GeneralAuthorisation]) -> None:
    part1 = _part1(sections["EU007"])
    assert "all technology and software specified in Annex I, except those listed in Section I" in part1
    scope = ours["EU007"].items
    assert set(scope.groups) == {"D", "E"}
    assert scope.exclude_section_i
    related = _codes(part1.split("related to items under", 1)[1])
    assert related == {"4A005", "4D004", "4E001.c", "5A001.f", "5A001.j"}
    # the software and technology entries themselves by code; the rest by the cyber-surveillance flag,
    # which the control list sets on 4A005, 5A001.f and 5A001.j and what belongs to them
    assert {c for c in related if c[1] in "DE"} <= set(scope.excluded_codes)
    assert scope.exclude_cyber_surveillance
