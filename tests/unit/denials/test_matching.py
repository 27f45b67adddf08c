"""Essentially identical transactions (Art. 2(22), verified): overlapping control codes, the same
destination, the same end-user or consignee by the screening engine's name matching."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.domain import denials as dn
from dualuse.domain.screening.pairwise import compare_names, same_party

CODE = st.from_regex(r"[0-9][A-E][0-9]{3}(\.[a-z](\.[0-9])?)?", fullmatch=True)
NAMES = st.sampled_from(
    [
        "Nordwind Surveillance GmbH",
        "NORD-WIND SURVEILANCE",
        "Nordwind Security GmbH",
        "Acme Systems Ltd",
        "ACME SYSTEMS",
        "Meridian Lawful Intercept Solutions",
        "Ministry of Interior",
    ]
)
WORDS = st.text(alphabet=st.characters(categories=("Lu", "Ll", "Zs")), min_size=1, max_size=30)


@pytest.mark.parametrize(
    ("first", "second", "overlap"),
    [
        ("5A001", "5A001.j", True),  # a code and its sub-item
        ("5A001.j", "5A001", True),
        ("5A001.f.1", "5A001.f", True),
        ("5a001.J", "5A001.j", True),
        ("5A001.f", "5A001.j", False),  # two sub-items of one entry
        ("5A001", "5A0011", False),  # not at an item boundary
        ("5A001", "5A002", False),
        ("", "5A001", False),
    ],
)
def test_codes_overlap(first: str, second: str, overlap: bool) -> None:
    assert dn.codes_overlap(first, second) is overlap


@given(CODE, CODE)
def test_code_overlap_is_symmetric(a: str, b: str) -> None:
    assert dn.codes_overlap(a, b) is dn.codes_overlap(b, a)


@given(CODE, st.sampled_from([".a", ".j", ".f.1", ".b.2"]))
def test_a_code_overlaps_each_of_its_sub_items(code: str, tail: str) -> None:
    assert dn.codes_overlap(code, code + tail)
    assert dn.codes_overlap(code, code)


@given(WORDS, WORDS)
def test_name_comparison_is_symmetric_and_bounded(a: str, b: str) -> None:
    score = compare_names(a, b).score
    assert score == compare_names(b, a).score
    assert 0.0 <= score <= 1.0


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Nordwind Surveillance GmbH", "NORD-WIND SURVEILANCE", True),  # hyphen, typo, legal form
        ("Nordwind Surveillance GmbH", "Nordwind Surveillance Ltd", True),
        ("Nordwind Surveillance GmbH", "Nordwind Security GmbH", False),
        ("Acme Systems GmbH", "Acme Security GmbH", False),
        ("Ministry of Interior", "Ministry of Defence", False),
    ],
)
def test_same_party_by_name(first: str, second: str, same: bool) -> None:
    assert same_party(first, second) is same


def tx(codes: tuple[str, ...], destination: str, *names: str) -> dn.Transaction:
    return dn.Transaction(
        codes, (destination,), tuple(dn.TransactionParty(n, "end_user", destination) for n in names)
    )


TX = st.builds(
    tx,
    st.lists(CODE, min_size=1, max_size=3).map(tuple),
    st.sampled_from(["AE", "CN", "RU"]),
    NAMES,
)


@given(TX, TX)
def test_matching_is_symmetric(a: dn.Transaction, b: dn.Transaction) -> None:
    assert (dn.match(a, b) is None) is (dn.match(b, a) is None)


@given(TX)
def test_a_transaction_matches_itself(a: dn.Transaction) -> None:
    found = dn.match(a, a)
    assert found is not None
    assert found.parties[0].score == 1.0


def test_match_reasons_name_the_overlap_and_the_score() -> None:
    found = dn.match(
        tx(("5A001.j",), "AE", "Nordwind Surveillance GmbH"), tx(("5A001",), "ae", "NORD-WIND SURVEILANCE")
    )
    assert found is not None
    assert found.reasons[0] == "control code 5A001.j overlaps 5A001"
    assert found.reasons[1] == "same destination AE"
    assert "name score 0.92" in found.reasons[2]


def test_no_match_without_the_same_destination_unless_asked_for_the_wider_check() -> None:
    a = tx(("5A001.j",), "AE", "Nordwind Surveillance GmbH")
    b = tx(("5A001.j",), "SA", "Nordwind Surveillance GmbH")
    assert dn.match(a, b) is None
    assert dn.match(a, b, same_destination=False) is not None


def denial(
    denial_id: int, state: str, name: str, status: dn.DenialStatus = dn.DenialStatus.IN_FORCE
) -> dn.Denial:
    made, _ = dn.new_denial(
        denial_id,
        kind="denial",
        issuing_state=state,
        items=[dn.DenialItem("5A001.j")],
        destination="AE",
        parties=[dn.DenialParty(name, "end_user", "AE")],
        considerations=["art15.1.d"],
        reasons="risk of diversion",
        decided_on=date(2026, 3, 1),
        case_reference=f"{state}/case/{denial_id}",
        actor_id="officer",
    )
    return made if status is dn.DenialStatus.IN_FORCE else dn.Denial(**{**made.__dict__, "status": status})


def test_find_matches_takes_other_states_denials_in_force_only_best_first() -> None:
    denials = [
        denial(1, "FR", "Nordwind Surveillance"),
        denial(2, "DE", "Nordwind Surveillance GmbH"),  # the assessing state's own
        denial(3, "IT", "Nordwind Surveillance GmbH", dn.DenialStatus.WITHDRAWN),
        denial(4, "NL", "Nordvind Surveilance GmbH"),
    ]
    found = dn.find_matches(denials, tx(("5A001",), "AE", "Nordwind Surveillance GmbH"), exclude_state="de")
    assert [m.denial.id for m in found] == [1, 4]
