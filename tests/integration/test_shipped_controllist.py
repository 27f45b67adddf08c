"""The control list shipped in the package: it loads, it is sound, and plain words find the right entries.

Relevance rule: a query passes if one of its top three hits is an expected entry *or an entry below it*
(for "IMSI catcher" both 5A001.f and its sub-item 5A001.f.2 are right answers: the person reads the
branch either way, and the data may or may not break 5A001.f down).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from dualuse.adapters.sources.annex_i import dump_version, load_history, load_synonyms
from dualuse.domain.controllist import ControlCode, ControlList, ControlListHistory, validate_list
from dualuse.domain.controllist.classify import classify
from dualuse.domain.controllist.search import SearchIndex


@functools.cache
def shipped() -> ControlListHistory:
    return load_history()


@functools.cache
def current() -> ControlList:
    return shipped().get_version("2025-11")


@functools.cache
def index() -> SearchIndex:
    return SearchIndex.build(current(), load_synonyms())


def test_the_history_has_both_versions_in_order() -> None:
    ids = [v.id for v in shipped().versions]
    assert ids.index("2024-11") < ids.index("2025-11")
    assert shipped().get_version("2024-11").version.effective_from < current().version.effective_from


def test_every_version_is_sound() -> None:
    for control_list in shipped().lists:
        assert validate_list(control_list) == [], control_list.version_id


def test_every_entry_names_its_source() -> None:
    assert all(entry.source.strip() for entry in current())


def test_all_ten_categories_are_present() -> None:
    assert current().categories == tuple(range(10))


def test_the_current_list_has_at_least_300_top_level_entries() -> None:
    assert len(current().top_level_entries) >= 300


def test_encryption_is_information_security_not_cyber_surveillance() -> None:
    flags = current().effective_flags("5A002")
    assert flags.information_security
    assert not flags.cyber_surveillance
    assert not current().effective_flags("5A002.a").cyber_surveillance


@pytest.mark.parametrize("code", ["5A001.f", "5A001.j", "4A005", "4D004", "5D001.e", "5A004.b"])
def test_cyber_surveillance_entries_are_flagged(code: str) -> None:
    assert current().get(code) is not None, f"{code} is not shipped as an entry"
    assert current().effective_flags(code).cyber_surveillance  # Art. 2(20)


def test_the_2025_amendment_adds_quantum_computers() -> None:
    diff = shipped().diff("2024-11", "2025-11")
    added = {str(entry.code) for entry in diff.added}
    assert "4A506" in added
    assert shipped().get_version("2024-11").get("4A506") is None


def test_the_crypto_thresholds_are_data() -> None:
    candidates = classify("encryption module", {"symmetric_key_bits": 256}, index(), current())
    assert any(str(c.entry.code) == "5A002.a" for c in candidates[:3])


RELEVANCE: list[tuple[str, tuple[str, ...]]] = [
    # cyber-surveillance and information security (Art. 2(20), Category 5 Part 2)
    ("IMSI catcher", ("5A001.f",)),
    ("IMSI cacher", ("5A001.f",)),
    ("system to deliver intrusion software", ("4A005",)),
    ("intrusoin software command and control", ("4A005", "4D004")),
    ("tool that bypasses a phone's lock screen to extract its data", ("5A004.b",)),
    ("carrier-grade IP interception with hard-selector search", ("5A001.j",)),
    ("law enforcement monitoring software for handover interface data", ("5D001.e",)),
    ("mobile phone jammer", ("5A001.f",)),
    ("AES-256 encryption module", ("5A002.a", "5A002")),
    ("cryptanalytic equipment to break encryption", ("5A004.a", "5A004")),
    # computers and electronics
    ("quantum computer", ("4A506",)),
    ("analogue-to-digital converter integrated circuit", ("3A001", "3A101")),  # both control ADCs
    ("EUV lithography equipment for semiconductor wafers", ("3B001",)),
    ("digital computer", ("4A003", "4A001")),
    # nuclear
    ("nuclear reactor", ("0A001",)),
    ("gas centrifuge for uranium enrichment", ("0B001",)),
    ("heavy water", ("0C003", "0B004")),
    ("uranium hexafluoride conversion plant", ("0B003",)),
    ("frequency changer for centrifuges", ("3A225", "0B001")),
    ("tritium", ("1C235", "0C002", "1A225")),
    # materials, chemical and biological
    ("nerve agent precursor chemicals", ("1C350",)),
    ("human pathogens viruses and bacteria", ("1C351",)),
    ("ricin toxin", ("1C351",)),
    ("fermenter for growing micro-organisms", ("2B352",)),
    ("corrosion resistant chemical reaction vessels", ("2B350",)),
    ("carbon fibre composite material", ("1C010", "1A002", "1C210")),
    ("maraging steel", ("1C116", "1C216")),
    ("body armour", ("1A005",)),
    # processing, sensors, navigation, marine, aerospace
    ("five-axis numerically controlled milling machine", ("2B001",)),
    ("hot isostatic press", ("2B004", "2B204")),
    ("night vision image intensifier tubes", ("6A002",)),
    ("thermal imaging camera", ("6A003", "6A002")),
    ("high power laser", ("6A005",)),
    ("magnetometer", ("6A006",)),
    ("gravimeter", ("6A007", "6A107")),
    ("radar", ("6A008", "6A108")),
    ("sonar underwater acoustic system", ("6A001",)),
    ("inertial navigation gyro", ("7A003", "7A002", "7A103", "7A102")),
    ("accelerometer", ("7A001", "7A101")),
    ("satellite navigation receiver", ("7A005", "7A105")),
    ("unmanned submersible vehicle", ("8A001",)),
    ("aero gas turbine engine", ("9A001",)),
    ("solid rocket motor", ("9A007", "9A008", "9A108")),
    ("drone", ("9A012", "9A112", "9A120")),
    ("satellites and spacecraft", ("9A004",)),
]


def _hits_expected(query: str, expected: tuple[str, ...]) -> bool:
    wanted = [ControlCode.parse(code) for code in expected]
    for hit in index().search(query, limit=3):
        code = hit.entry.code
        if any(code == w or w.is_ancestor_of(code) for w in wanted):
            return True
    return False


@pytest.mark.parametrize(("query", "expected"), RELEVANCE, ids=[q for q, _ in RELEVANCE])
def test_plain_language_finds_the_entry_in_the_top_three(query: str, expected: tuple[str, ...]) -> None:
    found = [str(hit.entry.code) for hit in index().search(query, limit=3)]
    assert _hits_expected(query, expected), f"{query!r}: expected {expected}, got {found}"


def test_the_relevance_table_is_large_enough() -> None:
    assert len(RELEVANCE) >= 30


@pytest.mark.parametrize(
    ("query", "first"), [("5a001f", "5A001.f"), ("4A005", "4A005"), ("5A002.a", "5A002.a")]
)
def test_a_code_comes_first(query: str, first: str) -> None:
    assert str(index().search(query, limit=1)[0].entry.code) == first


def test_the_shipped_version_exports_and_loads_back(tmp_path: Path) -> None:
    (tmp_path / "versions").mkdir()
    (tmp_path / "versions" / "001-2025-11.yaml").write_text(dump_version(current()), encoding="utf-8")
    reloaded = load_history(tmp_path).latest
    assert reloaded.version == current().version
    assert list(reloaded) == list(current())


def test_every_synonym_names_a_listed_entry() -> None:
    unlisted = sorted(
        f"{phrase} → {code}"
        for phrase, codes in load_synonyms().items()
        for code in codes
        if current().get(code) is None
    )
    assert unlisted == []
