"""Search over the control list and classification suggestions, on a small fixture list."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.adapters.sources.annex_i import load_history, load_synonyms
from dualuse.domain.controllist import ControlList
from dualuse.domain.controllist.classify import classify
from dualuse.domain.controllist.search import SearchIndex
from dualuse.domain.controllist.text import stem, words

from .factories import BASE_DATE, make_entry, make_version

FIXTURES = Path(__file__).parents[2] / "fixtures" / "controllist"


@functools.cache
def fixture_list() -> ControlList:
    return load_history(FIXTURES).get_version("2025-11")


@functools.cache
def fixture_index() -> SearchIndex:
    return SearchIndex.build(fixture_list(), load_synonyms(FIXTURES / "synonyms.yaml"))


def codes(query: str, limit: int = 3) -> list[str]:
    return [str(hit.entry.code) for hit in fixture_index().search(query, limit=limit)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("IMSI catcher", "5A001.f.2"),  # synonym
        ("IMSI cacher", "5A001.f.2"),  # synonym with a typo
        ("stingray", "5A001.f"),
        ("system to deliver intrusion software", "4A005"),
        ("intrusoin software", "4A005"),  # typo in the vocabulary, not the entries
        ("tool that bypasses a phone's lock screen to extract its data", "5A004.b"),
        ("carrier-grade IP interception with hard-selector search", "5A001.j"),
        ("AES-256 encryption module", "5A002.a"),
        ("quantum computer", "4A506"),
        ("quantm computers", "4A506"),
        ("gas centrifuge", "0B001"),
        ("nuclear reactor", "0A001"),
        ("night vision", "6A003"),
        ("thermal imaging cameras", "6A003"),
        ("jamming mobile networks", "5A001.f"),
    ],
)
def test_plain_language_finds_the_entry(query: str, expected: str) -> None:
    assert expected in codes(query)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("5a001f", "5A001.f"),
        ("5A001.f.1", "5A001.f.1"),
        ("5A001 f 1", "5A001.f.1"),
        ("interception 5A001.j", "5A001.j"),
        ("5A001.f.2.a", "5A001.f.2"),  # deeper than the list goes: the nearest listed entry
        ("5A00", "5A001"),
        ("5a", "5A001"),
    ],
)
def test_a_code_in_the_query_comes_first(query: str, first: str) -> None:
    assert codes(query)[0] == first


def test_entries_below_a_code_follow_it() -> None:
    assert codes("5A001.f", limit=3) == ["5A001.f", "5A001.f.1", "5A001.f.2"]


def test_hits_say_why() -> None:
    (hit,) = fixture_index().search("IMSI cacher", limit=1)
    assert 'synonym "IMSI catcher"' in hit.why
    (hit,) = fixture_index().search("5a001f", limit=1)
    assert hit.why[0] == "code 5A001.f"
    below = fixture_index().search("5A001.f", limit=2)[1]
    assert below.why == ("code prefix 5A001.f",)
    top = fixture_index().search("intrusoin software", limit=1)[0]
    assert any('"intrusoin" read as "intrusion"' in reason for reason in top.why)
    assert any(reason.startswith('title matches "software"') for reason in top.why)


def test_ranking_is_by_score_and_respects_the_limit() -> None:
    hits = fixture_index().search("software", limit=4)
    assert len(hits) == 4
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert fixture_index().search("software", limit=0) == []


@pytest.mark.parametrize("query", ["", "   ", "the of and", "zzzzqqqq", "3d printer"])
def test_queries_with_nothing_to_find_find_nothing(query: str) -> None:
    assert fixture_index().search(query) == []


@settings(max_examples=200)
@given(st.text(max_size=60))
def test_search_never_fails_on_any_text(query: str) -> None:
    hits = fixture_index().search(query, limit=5)
    assert len(hits) <= 5
    assert all(hit.why for hit in hits)


def test_stemming_folds_the_forms_people_type() -> None:
    assert stem("jammers") == stem("jammer")
    assert stem("jamming") == stem("jam")
    assert stem("interception") == stem("intercept")
    assert stem("centrifuges") == stem("centrifuge")
    assert stem("frequencies") == stem("frequency")
    assert stem("string") == "string"
    assert words("The IMSI-catcher, of Kühlung") == ["imsi", "catcher", "kuhlung"]


# -- classification suggestions -----------------------------------------------------------------------


def test_classify_boosts_an_entry_whose_threshold_is_met() -> None:
    candidates = classify("encryption module", {"symmetric_key_bits": 256}, fixture_index(), fixture_list())
    first = candidates[0]
    assert str(first.entry.code) == "5A002.a"
    assert "symmetric key 256 bits > 56" in first.reasons
    assert "information security (Category 5 Part 2)" in first.reasons
    assert "cyber-surveillance item (Art. 2(20))" not in first.reasons


def test_classify_lowers_an_entry_whose_thresholds_are_all_missed() -> None:
    met = classify("encryption module", {"symmetric_key_bits": 256}, fixture_index(), fixture_list())
    missed = classify("encryption module", {"symmetric_key_bits": 40}, fixture_index(), fixture_list())
    score = {str(c.entry.code): c.score for c in missed}["5A002.a"]
    assert score < met[0].score
    reasons = next(c.reasons for c in missed if str(c.entry.code) == "5A002.a")
    assert "symmetric key 40 bits ≤ 56: outside this entry's threshold" in reasons


def test_classify_finds_an_entry_by_its_parameters_alone() -> None:
    candidates = classify("a box", {"rsa_modulus_bits": "2048"}, fixture_index(), fixture_list())
    assert [str(c.entry.code) for c in candidates] == ["5A002.a"]
    assert "rsa modulus 2048 bits > 512" in candidates[0].reasons


def test_classify_names_the_cyber_surveillance_flag() -> None:
    candidates = classify("IMSI catcher", {}, fixture_index(), fixture_list(), limit=2)
    assert str(candidates[0].entry.code) == "5A001.f.2"
    assert "cyber-surveillance item (Art. 2(20))" in candidates[0].reasons  # inherited from 5A001.f


def test_classify_with_nothing_suggests_nothing() -> None:
    assert classify("", {}, fixture_index(), fixture_list()) == []
    assert classify("encryption", {}, fixture_index(), fixture_list(), limit=0) == []


def _parameter_list() -> tuple[ControlList, SearchIndex]:
    entries = [
        make_entry("4A506", "Quantum computers"),
        make_entry(
            "4A506.a",
            "Quantum computers by qubit count and error rate",
            parameters={
                "tiers": [
                    {"physical_qubits_ge": 34, "physical_qubits_lt": 100, "cnot_error_le": 0.0001},
                    {"physical_qubits_ge": 100, "physical_qubits_lt": 200, "cnot_error_le": 0.001},
                ]
            },
        ),
        make_entry(
            "3A501", "Cryogenic amplifiers", parameters={"frequency_ghz_min": 2, "frequency_ghz_max": 15}
        ),
        make_entry("5A002", "Cryptography", parameters={"post_quantum": True}),
    ]
    control_list = ControlList(make_version("t", BASE_DATE), entries)
    return control_list, SearchIndex.build(control_list, {})


@pytest.mark.parametrize(
    ("parameters", "reason"),
    [
        ({"physical_qubits": 150, "cnot_error": 0.0005}, "tiers 2: physical qubits 150 ≥ 100 and < 200"),
        ({"physical_qubits": 150, "cnot_error": 0.01}, "no tiers option is fully met by the values given"),
        ({"frequency_ghz": 8}, "frequency 8 ghz ≥ 2 and ≤ 15"),
        ({"frequency_ghz": 20}, "frequency 20 ghz > 15: outside this entry's threshold"),
        ({"post_quantum": True}, "post quantum yes"),
    ],
)
def test_classify_reads_tiers_ranges_and_flags_in_parameters(
    parameters: dict[str, object], reason: str
) -> None:
    control_list, index = _parameter_list()
    candidates = classify(
        "quantum computers cryogenic amplifiers cryptography", parameters, index, control_list
    )
    reasons = [r for c in candidates for r in c.reasons]
    assert any(r.startswith(reason) for r in reasons), reasons


def test_a_met_tier_puts_the_sub_item_above_its_heading() -> None:
    control_list, index = _parameter_list()
    met = classify("quantum computer", {"physical_qubits": 150, "cnot_error": 0.0005}, index, control_list)
    assert str(met[0].entry.code) == "4A506.a"
    missed = classify("quantum computer", {"physical_qubits": 20, "cnot_error": 0.0005}, index, control_list)
    assert str(missed[0].entry.code) == "4A506"
