"""Determination against the shipped control list (dualuse/data/controllist), not a fake."""

from __future__ import annotations

from datetime import date

import pytest

from dualuse.adapters.sources.controllist_view import shipped_list_source
from dualuse.adapters.sources.rulebook import load_rulebook
from dualuse.domain.errors import ValidationError
from dualuse.domain.rules import Outcome, determine
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
