"""Determination against the shipped control list (dualuse/data/controllist), not a fake."""

from __future__ import annotations

from datetime import date

import pytest

from dualuse.adapters.sources.annex_i import load_history
from dualuse.adapters.sources.controllist_view import shipped_list_source, shipped_official_codes
from dualuse.adapters.sources.rulebook import load_rulebook
from dualuse.domain.errors import ValidationError
from dualuse.domain.rules import Outcome, determine
from dualuse.services.determination import DeterminationInputs, determine_case
from tests.unit.rules.fakes import facts


def test_5a001f_to_china_needs_an_individual_authorisation() -> None:
    item = determine(facts(code="5A001.f", destination="CN"), load_rulebook(), shipped_list_source()).items[0]
    assert item.outcome is Outcome.LICENCE_REQUIRED
    assert item.customs_codes == ("X060",)
    assert item.cyber_surveillance_item is True


def test_5a002a_to_the_united_states_may_use_eu001() -> None:
    item = determine(facts(code="5A002.a", destination="US"), load_rulebook(), shipped_list_source()).items[0]
    assert item.outcome is Outcome.GENERAL_AUTHORISATION_AVAILABLE
    assert item.general_authorisations == ("EU001",)
    assert item.customs_codes == ("X061",)


def test_a_2025_11_code_before_it_was_listed_is_an_error_naming_the_code() -> None:
    before = facts(code="4A506", destination="US", day=date(2025, 10, 1))
    with pytest.raises(ValidationError) as raised:
        determine(before, load_rulebook(), shipped_list_source())
    assert raised.value.field == "items[0].control_code"
    after = facts(code="4A506", destination="US", day=date(2025, 12, 1))
    assert determine(after, load_rulebook(), shipped_list_source()).items[0].control_code == "4A506"


def test_a_date_before_the_first_list_version_names_the_date() -> None:
    with pytest.raises(ValidationError) as raised:
        determine(facts(day=date(2020, 1, 1)), load_rulebook(), shipped_list_source())
    assert raised.value.field == "date"


@pytest.mark.parametrize(("code", "section_i"), [("1C450", "1C450.a.1, 1C450.a.2"), ("9A009", "9A009.a")])
def test_f2_eu001_is_not_offered_for_an_entry_whose_sub_items_annex_ii_section_i_lists(
    code: str, section_i: str
) -> None:
    """Reg. (EU) 2021/821 Art. 12(6)(a) and Annex II Section I (1C450.a.1, 1C450.a.2, 9A009.a): EU001 covers
    1C450 and 9A009 only outside those sub-items, so the whole entry needs a licence until the code is given."""
    item = determine(facts(code=code, destination="US"), load_rulebook(), shipped_list_source()).items[0]
    assert item.outcome is Outcome.LICENCE_REQUIRED
    assert section_i in " ".join(item.advice)


# --- f3: real codes deeper than the shipped list data ----------------------------------------------------
def _case(code: str, destination: str, day: str = "2026-12-01") -> dict[str, object]:
    return {
        "date": day,
        "exporter": {"name": "Acme", "member_state": "DE"},
        "destination": destination,
        "items": [{"id": "1", "control_code": code, "cyber_surveillance": False}],
    }


def _inputs() -> DeterminationInputs:
    return DeterminationInputs(load_rulebook(), shipped_list_source())


@pytest.mark.parametrize(
    ("code", "listed_under"),
    [("2B001.a", "2B001.a"), ("3A001.a.1.a", "3A001.a.1.a"), ("5A002.a.1", "5A002.a.1")],
)
def test_f3_a_real_annex_i_code_deeper_than_the_list_data_is_determined_under_its_entry(
    code: str, listed_under: str
) -> None:
    """Reg. (EU) 2021/821 Art. 3(1) and Annex I (consolidated 2025-11-15): 2B001.a and 3A001.a.1.a are
    codes of the official text; they are listed, so the answer is the entry's, and it says under which.
    Since the list data carries every leaf sub-item of the consolidated text (data/controllist/annex_i/),
    they are entries themselves."""
    answer = determine_case(_inputs(), _case(code, "CN"))
    item = answer.determination.items[0]
    assert item.outcome is Outcome.LICENCE_REQUIRED
    assert item.control_code == code
    if code != listed_under:
        assert f"listed here under {listed_under}" in answer.titles["1"]


def test_f3_a_deep_code_inherits_the_cyber_surveillance_flag_of_its_entry() -> None:
    """Art. 2(20): 5A001.j.1 lies below 5A001.j, a cyber-surveillance item; EU007 excludes it (Annex II
    Section G Part 1), and a code deeper than the list data must keep that."""
    answer = determine_case(_inputs(), _case("5A001.j.1", "US"))
    assert answer.determination.items[0].cyber_surveillance_item is True


@pytest.mark.parametrize("code", ["5A001.j.9", "5A001.zz", "2B001.a.99"])
def test_f3_a_code_not_in_the_official_text_is_still_refused(code: str) -> None:
    with pytest.raises(ValidationError) as raised:
        determine_case(_inputs(), _case(code, "CN"))
    assert raised.value.field == "items[0].control_code"


def test_f3_before_the_consolidated_text_of_2025_11_15_a_deep_code_is_listed_but_unverified() -> None:
    """The sub-items shipped are those of the 2025-11-15 consolidation; the list in force before (2024-11)
    carries them back unverified (the safe side: the item is listed, the answer a licence), naming the
    later text as their source."""
    answer = determine_case(_inputs(), _case("2B001.a", "CN", day="2025-10-01"))
    assert answer.determination.items[0].outcome is Outcome.LICENCE_REQUIRED
    entry = load_history().as_of(date(2025, 10, 1)).get("2B001.a")
    assert entry is not None
    assert not entry.verified
    assert "carried back" in entry.source


def test_f3_before_the_consolidated_text_of_2025_11_15_a_deep_code_is_checked_against_the_derived_codes() -> (
    None
):
    """The official codes of the versions before 2025-11-15 are derived from that text through the acts
    (acts.yaml): a deep code of the 2024-11 list is determined under its entry, and the title says the codes
    are derived; a code that 2025/2003 added (2B352.j) is refused on that date."""
    answer = determine_case(_inputs(), _case("2B001.a", "CN", day="2025-10-01"))
    assert answer.determination.list_version == "2024-11"
    # the sub-item is carried back from the later text, unverified (the test above), not invented
    assert answer.determination.items[0].outcome is Outcome.LICENCE_REQUIRED
    with pytest.raises(ValidationError) as raised:
        determine_case(_inputs(), _case("2B352.j", "CN", day="2025-10-01"))
    assert "not in list version 2024-11" in raised.value.detail


def test_f3_every_entry_of_the_2025_11_list_data_is_a_code_of_the_official_text() -> None:
    """The official codes and the list data describe the same Annex I (consolidated 2025-11-15): an entry of
    the list data that the official text lacks would be a typo in one of them."""
    official = shipped_official_codes()["2025-11"]
    assert official.verified
    assert official.valid_from == date(2025, 11, 15)
    shipped = {str(entry.code) for entry in load_history().as_of(date(2026, 12, 1))}
    assert shipped - official.codes == set()


@pytest.mark.parametrize(("code", "flagged"), [("5D001", "5D001.e"), ("5E001", "5E001.a")])
def test_f5_eu007_is_not_offered_for_an_entry_with_cyber_surveillance_sub_items(
    code: str, flagged: str
) -> None:
    """Reg. (EU) 2021/821 Annex II Section G Part 1: EU007 excludes software and technology related to
    5A001.f and 5A001.j; 5D001.e and 5E001.a are those (cyber-surveillance, Art. 2(20)), so "5D001" or
    "5E001" without the sub-item cannot be answered "EU007 available"."""
    case = facts(code=code, destination="JO", circumstances=["intra_group"])
    item = determine(case, load_rulebook(), shipped_list_source()).items[0]
    assert item.outcome is Outcome.LICENCE_REQUIRED
    assert flagged in " ".join(item.advice)


def test_f6_a_date_before_the_regulation_says_which_law_applied() -> None:
    """Reg. (EU) 2021/821 is in force from 9 Sep 2021, Reg. (EC) No 428/2009 before; a transaction
    dated before it is refused, saying why."""
    with pytest.raises(ValidationError) as raised:
        determine_case(_inputs(), _case("2B001", "CN", day="2021-09-08"))
    assert raised.value.field == "date"
    assert "Regulation (EC) No 428/2009" in raised.value.detail


@pytest.mark.parametrize(
    ("day", "version"),
    [
        ("2021-09-09", "2021-09"),
        ("2023-05-01", "2023-01"),
        ("2023-05-26", "2023-05"),
        ("2025-11-14", "2024-11"),
    ],
)
def test_f6_every_day_since_the_regulation_applied_has_its_list_version(day: str, version: str) -> None:
    """Annex I as amended by each delegated act applies from the day after the act's publication
    (Art. 17(1)); the answer names the version in force on the transaction's date."""
    answer = determine_case(_inputs(), _case("2B001", "CN", day=day))
    assert answer.determination.list_version == version


def test_f7_a_refused_code_suggests_the_real_sub_items_of_its_nearest_entry() -> None:
    """5A001.j has sub-items .j.1 and .j.2 in the official Annex I (consolidated 2025-11-15), not .j.9: the
    "did you mean" offers the real ones first."""
    with pytest.raises(ValidationError) as raised:
        determine_case(_inputs(), _case("5A001.j.9", "CN"))
    assert "did you mean 5A001.j, 5A001.j.1, 5A001.j.2" in raised.value.detail
