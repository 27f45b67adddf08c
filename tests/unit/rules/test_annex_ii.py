"""Annex II (Union general export authorisations EU001-EU008) as shipped, checked case by case: each
authorisation's destinations and exclusions as the consolidated text (CELEX 02021R0821-20251115) has them,
and the rule on notifying the first use for exporters of member states with different choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
import yaml

from dualuse.adapters.sources.rulebook import load_rulebook, shipped_rules_dir
from dualuse.domain.rules import Outcome, determine
from dualuse.domain.rules.engine import ItemFlags
from dualuse.domain.rules.first_use import first_use_timing
from dualuse.domain.rules.rulebook import GeneralAuthorisation

from .fakes import facts

GA = Outcome.GENERAL_AUTHORISATION_AVAILABLE
LICENCE = Outcome.LICENCE_REQUIRED
PROHIBITED = Outcome.PROHIBITED

# The list entries these cases use; a sub-item inherits the flags of its nearest listed ancestor.
_FLAGS: dict[str, ItemFlags] = {
    "1A002": ItemFlags(),
    "1C002": ItemFlags(),
    "1C003": ItemFlags(),
    "1C010": ItemFlags(),
    "1C350": ItemFlags(),
    "1C450": ItemFlags(),
    "1C450.a.1": ItemFlags(eugea_excluded=True),
    "1C450.a.2": ItemFlags(eugea_excluded=True),
    "2B001": ItemFlags(),
    "2E001": ItemFlags(),
    "3A001": ItemFlags(),
    "3A002": ItemFlags(),
    "4E001": ItemFlags(),
    "4E001.c": ItemFlags(cyber_surveillance=True),
    "5A001": ItemFlags(),
    "5A002": ItemFlags(information_security=True),
    "5D002": ItemFlags(information_security=True),
    "6A001": ItemFlags(),
    "6A002": ItemFlags(),
}


class _View:
    version_id = "2025-11"

    def flags_for(self, code: str) -> ItemFlags | None:
        while code not in _FLAGS:
            if "." not in code:
                return None
            code = code.rsplit(".", 1)[0]
        return _FLAGS[code]

    def flagged_below(self, code: str) -> dict[str, ItemFlags]:
        own = self.flags_for(code)
        return {c: f for c, f in _FLAGS.items() if c.startswith(code + ".") and f != own}


class _Source:
    def as_of(self, day: date) -> _View:
        assert day >= date(2025, 11, 15), "the cases are about the list in force since 15.11.2025"
        return _View()


@dataclass(frozen=True)
class Case:
    id: str
    outcome: Outcome
    ga: tuple[str, ...]
    facts: dict[str, Any]


def case(id: str, outcome: Outcome, ga: tuple[str, ...] = (), **kwargs: Any) -> Any:
    return pytest.param(Case(id, outcome, ga, kwargs), id=id)


REPAIR = ["repair_replacement"]
FAIR = ["exhibition"]
GROUP = ["intra_group"]

CASES = [
    # --- EU002 (Section B): the listed sub-items only -------------------------------------------------
    case("EU002 1C003.b to ZA", GA, ("EU002",), code="1C003.b", destination="ZA"),
    case("EU002 not 1C003.a (only 1C003.b and .c)", LICENCE, code="1C003.a", destination="ZA"),
    case("EU002 3A001.a.3 to KR", GA, ("EU002",), code="3A001.a.3", destination="KR"),
    case("EU002 not 3A002.a.5 (3A002.c-.f only)", LICENCE, code="3A002.a.5", destination="KR"),
    case("EU002 3A002.c to AR", GA, ("EU002",), code="3A002.c", destination="AR"),
    case("EU002 not to CN", LICENCE, code="1C003.b", destination="CN"),
    # --- EU003 (Section C) and EU004 (Section D): North Macedonia, and EU004's own exclusions -------------
    case(
        "EU003 2B001 back to North Macedonia after repair",
        GA,
        ("EU003",),
        destination="MK",
        circumstances=REPAIR,
    ),
    case("EU004 2B001 to a fair in North Macedonia", GA, ("EU004",), destination="MK", circumstances=FAIR),
    case(
        "EU003 2B001 back to French Polynesia after repair",
        GA,
        ("EU003",),
        destination="PF",
        circumstances=REPAIR,
    ),
    case(
        "EU003 covers 6A001.a.1 (it excludes only 6A001.a.2.a.1 and .a.2.a.5)",
        GA,
        ("EU003",),
        code="6A001.a.1",
        destination="MK",
        circumstances=REPAIR,
    ),
    case("EU004 excludes all of 6A001", LICENCE, code="6A001.a.1", destination="MK", circumstances=FAIR),
    case("EU003 covers 1C010.a", GA, ("EU003",), code="1C010.a", destination="IN", circumstances=REPAIR),
    case("EU004 excludes 1C010", LICENCE, code="1C010.a", destination="IN", circumstances=FAIR),
    case(
        "EU003 covers 6A002.a.2 (it excludes only 6A002.a.1.c)",
        GA,
        ("EU003",),
        code="6A002.a.2",
        destination="BR",
        circumstances=REPAIR,
    ),
    case("EU004 excludes all of 6A002.a", LICENCE, code="6A002.a.2", destination="BR", circumstances=FAIR),
    case("EU004 excludes 1C002.b.4", LICENCE, code="1C002.b.4", destination="BR", circumstances=FAIR),
    case("EU003 excludes 1A002.a", LICENCE, code="1A002.a", destination="BR", circumstances=REPAIR),
    case(
        "EU003 to RU: Reg. 833/2014 prohibits though Annex II names Russia",
        PROHIBITED,
        destination="RU",
        circumstances=REPAIR,
    ),
    # --- EU005 (Section E) -----------------------------------------------------------------------------
    case("EU005 5A001.b.2 to UA", GA, ("EU005",), code="5A001.b.2", destination="UA"),
    case("EU005 not 5A001.b.5", LICENCE, code="5A001.b.5", destination="UA"),
    # --- EU006 (Section F): points of 1C350 and 1C450, to four destinations ------------------------------
    case("EU006 1C350.1 to UA", GA, ("EU006",), code="1C350.1", destination="UA"),
    case("EU006 not 1C350.4 (not among its points)", LICENCE, code="1C350.4", destination="TR"),
    case("EU006 1C450.a.4 phosgene to AR", GA, ("EU006",), code="1C450.a.4", destination="AR"),
    case("EU006 never Section I 1C450.a.1", LICENCE, code="1C450.a.1", destination="AR"),
    case("EU006 not to Iceland (EU001 covers it there)", GA, ("EU001",), code="1C350.1", destination="IS"),
    # --- EU007 (Section G) -------------------------------------------------------------------------------
    case(
        "EU007 2E001 to a subsidiary in Jordan",
        GA,
        ("EU007",),
        code="2E001",
        destination="JO",
        circumstances=GROUP,
    ),
    case("EU007 not to North Macedonia", LICENCE, code="2E001", destination="MK", circumstances=GROUP),
    case("EU007 excludes 4E001.c", LICENCE, code="4E001.c", destination="BR", circumstances=GROUP),
    case(
        "EU007 unusable when aware of a human-rights violation",
        LICENCE,
        code="2E001",
        destination="BR",
        circumstances=GROUP,
        aware=["internal_repression"],
    ),
    # --- EU008 (Section H): everywhere but the EU001 countries, Part 2(b) and embargoed destinations ------
    case("EU008 5A002.a.2 to Brazil", GA, ("EU008",), code="5A002.a.2", destination="BR"),
    case("EU008 5D002.c.1 to Kosovo", GA, ("EU008",), code="5D002.c.1", destination="XK"),
    case("EU008 not to Egypt (Part 2(b))", LICENCE, code="5A002.a.2", destination="EG"),
    case("EU008 not to Hong Kong (China incl. HK and Macao)", LICENCE, code="5A002.a.2", destination="HK"),
    case(
        "EU008 not to the US (an EU001 destination: EU001 instead)",
        GA,
        ("EU001",),
        code="5A002.a.2",
        destination="US",
    ),
    case("EU008 not 5A002.a.1", LICENCE, code="5A002.a.1", destination="BR"),
    # --- a whole entry some of whose sub-items Annex II names: the answer depends on the sub-item -----------
    case(
        "f1 EU003 not for the whole of 5A002 (Annex II Section C Part 1 point 2(c) excludes 5A002.c-.e)",
        LICENCE,
        code="5A002",
        destination="MK",
        circumstances=REPAIR,
    ),
    case(
        "f1 EU004 not for the whole of 5A002 (Annex II Section D Part 1(c) excludes 5A002.c-.e)",
        LICENCE,
        code="5A002",
        destination="MK",
        circumstances=FAIR,
    ),
    case(
        "f2 EU001 not for the whole of 1C450 (Annex II Section I lists 1C450.a.1 and .a.2)",
        LICENCE,
        code="1C450",
        destination="US",
    ),
    case("f2 EU001 covers 1C450.b to the US", GA, ("EU001",), code="1C450.b", destination="US"),
    case(
        "f1 EU003 still covers 5A002.a after repair",
        GA,
        ("EU003",),
        code="5A002.a",
        destination="MK",
        circumstances=REPAIR,
    ),
]


@pytest.mark.parametrize("c", CASES)
def test_annex_ii_destinations_and_exclusions(c: Case) -> None:
    item = determine(facts(**c.facts), load_rulebook(), _Source()).items[0]
    assert item.outcome is c.outcome, item.explanation
    assert item.general_authorisations == c.ga, item.explanation


def test_eu004_exclusions_are_not_a_copy_of_eu003s() -> None:
    by_id = {g.id: g for g in load_rulebook().general_authorisations}
    eu003, eu004 = by_id["EU003"].items.excluded_codes, by_id["EU004"].items.excluded_codes
    assert eu003 != eu004
    assert {"1C002.b.4", "1C010", "6A001", "6A002.a"} <= eu004 - eu003
    assert {"6A001.a.2.a.1", "6A001.a.2.a.5", "6A002.a.1.c"} <= eu003 - eu004


def test_eu003_and_eu004_reach_north_macedonia() -> None:
    by_id = {g.id: g for g in load_rulebook().general_authorisations}
    assert "MK" in by_id["EU003"].destinations
    assert "MK" in by_id["EU004"].destinations


def test_every_aspect_of_every_union_authorisation_is_verified() -> None:
    union = [g for g in load_rulebook().general_authorisations if not g.is_national]
    assert [g.id for g in union] == [f"EU00{n}" for n in range(1, 9)]
    assert {g.id: g.unverified for g in union} == {g.id: () for g in union}
    assert all("02021R0821-20251115" in g.source for g in union)


# --- the first use: when the exporter tells its authority ------------------------------------------------
def _timing(authorisation: str, state: str) -> Any:
    rulebook = load_rulebook()
    found: GeneralAuthorisation = next(g for g in rulebook.general_authorisations if g.id == authorisation)
    return first_use_timing(found, rulebook.settings_of(state))


NOTIFIED = date(2026, 6, 30)


@pytest.mark.parametrize("authorisation", ["EU001", "EU002", "EU003", "EU004", "EU005", "EU006"])
def test_eu001_to_eu006_in_denmark_notify_within_30_days_after_the_first_export(authorisation: str) -> None:
    timing = _timing(authorisation, "DK")
    assert timing.earliest_export(NOTIFIED) == NOTIFIED - timedelta(days=30)
    assert timing.notice_after_export
    assert not timing.check_with_authority
    assert "within 30 days after the first export" in timing.rule


@pytest.mark.parametrize("state", ["IE", "FR"])
def test_states_requiring_registration_before_first_use(state: str) -> None:
    timing = _timing("EU001", state)
    assert timing.earliest_export(NOTIFIED) == NOTIFIED
    assert not timing.check_with_authority
    assert "before the first use" in timing.rule


@pytest.mark.parametrize("state", ["DE", "AT", "MT"])
def test_an_unverified_choice_takes_the_safe_reading_and_says_to_check(state: str) -> None:
    timing = _timing("EU001", state)
    assert timing.earliest_export(NOTIFIED) == NOTIFIED
    assert timing.check_with_authority
    assert "check with your competent authority" in timing.rule


@pytest.mark.parametrize(("authorisation", "days"), [("EU007", 30), ("EU008", 10)])
@pytest.mark.parametrize("state", ["DK", "IE", "DE"])
def test_eu007_and_eu008_wait_after_the_notice_whatever_the_state(
    authorisation: str, days: int, state: str
) -> None:
    timing = _timing(authorisation, state)
    assert timing.earliest_export(NOTIFIED) == NOTIFIED + timedelta(days=days)
    assert not timing.check_with_authority
    assert f"at least {days} days before the first export" in timing.rule


def test_the_determination_states_the_first_use_rule() -> None:
    item = determine(facts(destination="US", member_state="DK"), load_rulebook(), _Source()).items[0]
    assert item.general_authorisations == ("EU001",)
    assert "within 30 days after the first export" in item.explanation
    assert "no later than 30 days after the first export" in item.explanation  # Denmark's own guidance
    eu007 = determine(
        facts(code="2E001", destination="BR", circumstances=GROUP), load_rulebook(), _Source()
    ).items[0]
    assert "at least 30 days before the first export" in eu007.explanation


def test_no_rule_or_state_condition_names_a_superseded_customs_code() -> None:
    superseded = yaml.safe_load((shipped_rules_dir() / "customs_codes.yaml").read_text())["superseded"]
    assert "X002" in superseded
    rulebook = load_rulebook()
    texts = [
        *(c for s in rulebook.member_states.values() for c in s.general_authorisation_conditions),
        *(c for g in rulebook.general_authorisations for c in g.conditions),
        *(g.customs_code for g in rulebook.general_authorisations),
        *(c for r in rulebook.rules for c in r.customs_codes),
    ]
    for code in superseded:
        assert code not in rulebook.customs_codes
        assert not [t for t in texts if code in t]
    malta = rulebook.settings_of("MT")
    assert not malta.first_use.verified
    assert "X002" in malta.first_use.source  # the reason it is not verified


def test_f1_a_whole_entry_whose_sub_items_annex_ii_names_says_which_decide() -> None:
    """Reg. (EU) 2021/821 Annex II Section C Part 1 point 2(c): EU003 excludes 5A002.c, .d and .e, so for
    "5A002" without its sub-item the answer is a licence, with advice naming the sub-items that decide."""
    item = determine(
        facts(code="5A002", destination="MK", circumstances=REPAIR), load_rulebook(), _Source()
    ).items[0]
    assert item.outcome is LICENCE
    assert item.general_authorisations == ()
    text = item.explanation + " ".join(item.advice)
    assert "EU003" in text
    assert "5A002.c, 5A002.d, 5A002.e" in text


def test_f1_eu005_may_cover_sub_items_of_5a001() -> None:
    """Annex II Section E Part 1(a)(i): EU005 covers 5A001.b.2, .c and .d; for "5A001" the answer says so."""
    item = determine(facts(code="5A001", destination="CN"), load_rulebook(), _Source()).items[0]
    assert item.outcome is LICENCE
    text = item.explanation + " ".join(item.advice)
    assert "EU005" in text
    assert "5A001.b.2, 5A001.c, 5A001.d" in text


def test_f2_a_whole_entry_with_section_i_sub_items_names_them() -> None:
    """Reg. (EU) 2021/821 Annex II Section I lists 1C450.a.1 and 1C450.a.2 (excluded from EU001, Art.
    12(6)(a)): for "1C450" the answer is a licence, naming the sub-items that decide."""
    item = determine(facts(code="1C450", destination="US"), load_rulebook(), _Source()).items[0]
    assert item.outcome is LICENCE
    text = item.explanation + " ".join(item.advice)
    assert "EU001" in text
    assert "1C450.a.1, 1C450.a.2" in text


def test_f4_eu005_blocked_by_internal_repression_does_not_call_it_an_art_4_1_use() -> None:
    """Annex II Section E Part 3 point 1(a)(iv) bars EU005 for use in violating human rights through
    interception or monitoring; that is not a use of Art. 4(1) of Reg. (EU) 2021/821 (WMD, military end-use
    under an arms embargo, parts of illegally exported military items), and the answer must not say so."""
    item = determine(
        facts(code="5A001.c", destination="IN", aware=["internal_repression"]), load_rulebook(), _Source()
    ).items[0]
    assert item.outcome is LICENCE
    assert "Art. 4(1) use" not in item.explanation
    assert "EU005 would cover this export" in item.explanation
    assert "internal_repression" in item.explanation
