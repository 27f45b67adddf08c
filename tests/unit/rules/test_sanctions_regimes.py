"""Sanctions regimes on items (``sanctions_regimes.yaml``), table-driven: each case names the act and the
article it exercises, on dates before and after entry into force, for government and other end-users.
The rules are the shipped data files; the control list is an in-memory fake."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.domain.rules import EU_MEMBER_STATES, Outcome, determine

from .fakes import FakeListSource, facts, shipped_rulebook

LICENCE = Outcome.LICENCE_REQUIRED
NONE = Outcome.NO_LICENCE_REQUIRED
PROHIBITED = Outcome.PROHIBITED
MONITORING = ["monitoring_interception_equipment"]
TODAY = date(2026, 12, 1)
STATES = sorted(EU_MEMBER_STATES)


@dataclass(frozen=True)
class Case:
    id: str
    outcome: Outcome
    basis: str | None
    facts: dict[str, Any] = field(default_factory=dict)


def case(id: str, outcome: Outcome, basis: str | None = None, **kwargs: Any) -> Any:
    return pytest.param(Case(id, outcome, basis, kwargs), id=id)


VE = "Council Regulation (EU) 2017/2063, "
IR_HR = "Council Regulation (EU) No 359/2011, "
MM = "Council Regulation (EU) No 401/2013, "
SY = "Council Regulation (EU) No 36/2012, "
BY = "Council Regulation (EC) No 765/2006, "
IR = "Council Regulation (EU) No 267/2012, "
RU = "Council Regulation (EU) No 833/2014, "
KP = "Council Regulation (EU) 2017/1509, "
REG = "Regulation (EU) 2021/821, "

CASES = [
    # --- Venezuela, Reg. (EU) 2017/2063 Art. 6 (in force 14.11.2017) -----------------------------------
    case("Reg.2017/2063 Art.6 IP monitoring system for the VE government today", LICENCE, VE + "Art. 6(1)",
         code=None, destination="VE", end_user_type="government", item_kinds=MONITORING),
    case("Reg.2017/2063 Art.6 monitoring equipment for a VE company today", LICENCE, VE + "Art. 6(1)",
         code=None, destination="VE", end_user_type="commercial", item_kinds=MONITORING),
    case("Reg.2017/2063 Art.6 not before 14.11.2017 (13.11.2017)", NONE, REG + "Art. 3(2)",
         code=None, destination="VE", end_user_type="government", item_kinds=MONITORING, day=date(2017, 11, 13)),
    case("Reg.2017/2063 Art.6 from 14.11.2017", LICENCE, VE + "Art. 6(1)",
         code=None, destination="VE", end_user_type="government", item_kinds=MONITORING, day=date(2017, 11, 14)),
    case("Reg.2017/2063 Art.6 for use in VE via CO", LICENCE, VE + "Art. 6(1)",
         code=None, destination="CO", end_user_country="VE", item_kinds=MONITORING),
    case("Reg.2017/2063 Art.6 Annex II excludes Annex I items: 5A001.f is Art.3(1)", LICENCE, REG + "Art. 3(1)",
         code="5A001.f", destination="VE", item_kinds=MONITORING),
    case("Reg.2017/2063 Art.6 other kinds of item: Art.3(2)", NONE, REG + "Art. 3(2)",
         code=None, destination="VE", item_kinds=[]),
    case("Reg.2017/2063 Art.6 kind not stated: held at licence required with a question", LICENCE,
         VE + "Art. 6(1)", code=None, destination="VE", end_user_type="government"),
    case("Reg.2017/2063 Art.7(a) brokering monitoring equipment for VE", LICENCE, VE + "Art. 7(a)",
         activity="brokering", code=None, destination="VE", item_kinds=MONITORING),
    # --- Iran (human rights), Reg. (EU) No 359/2011 Art. 1b ---------------------------------------------
    case("Reg.359/2011 Art.1b monitoring equipment for the IR government", LICENCE, IR_HR + "Art. 1b(1)",
         code=None, destination="IR", end_user_type="government", item_kinds=MONITORING),
    case("Reg.359/2011 Art.1b monitoring equipment for an IR company", LICENCE, IR_HR + "Art. 1b(1)",
         code=None, destination="IR", end_user_type="commercial", item_kinds=MONITORING),
    case("Reg.359/2011 Art.1b not before 24.3.2012", NONE, REG + "Art. 3(2)",
         code=None, destination="IR", item_kinds=MONITORING, day=date(2012, 3, 1)),
    case("Reg.359/2011 Art.1a internal repression equipment to IR", PROHIBITED, IR_HR + "Art. 1a(1)",
         code=None, destination="IR", item_kinds=["internal_repression_equipment"]),
    # --- Myanmar/Burma, Reg. (EU) No 401/2013 Art. 3b (from 27.4.2018) -----------------------------------
    case("Reg.401/2013 Art.3b monitoring equipment for the MM government", LICENCE, MM + "Art. 3b(1)",
         code=None, destination="MM", end_user_type="government", item_kinds=MONITORING),
    case("Reg.401/2013 Art.3b monitoring equipment for an MM company", LICENCE, MM + "Art. 3b(1)",
         code=None, destination="MM", end_user_type="commercial", item_kinds=MONITORING),
    case("Reg.401/2013 Art.3b not before 27.4.2018", NONE, REG + "Art. 3(2)",
         code=None, destination="MM", item_kinds=MONITORING, day=date(2018, 4, 26)),
    case("Reg.401/2013 Art.3a Annex I item for the MM military", PROHIBITED, MM + "Art. 3a(1)",
         destination="MM", end_user_type="military"),
    case("Reg.401/2013 Art.3a Annex I item for an MM company: Art.3(1)", LICENCE, REG + "Art. 3(1)",
         destination="MM", end_user_type="commercial"),
    # --- Syria, Reg. (EU) No 36/2012 Art. 4 (left in force by Reg. (EU) 2025/1098) ------------------------
    case("Reg.36/2012 Art.4 monitoring equipment for the SY government, after 2025/1098", LICENCE,
         SY + "Art. 4(1)", code=None, destination="SY", end_user_type="government", item_kinds=MONITORING),
    case("Reg.36/2012 Art.4 monitoring equipment for an SY company", LICENCE, SY + "Art. 4(1)",
         code=None, destination="SY", end_user_type="commercial", item_kinds=MONITORING),
    case("Reg.36/2012 Art.4 not before 19.1.2012", NONE, REG + "Art. 3(2)",
         code=None, destination="SY", item_kinds=MONITORING, day=date(2011, 12, 1)),
    # --- Belarus, Reg. (EC) No 765/2006 (monitoring equipment from Reg. (EU) 2021/1030, in force 25.6.2021) ---
    case("Reg.765/2006 Art.1c monitoring equipment for the BY authorities: prohibited", PROHIBITED,
         BY + "Art. 1c(1)", code=None, destination="BY", end_user_type="government", item_kinds=MONITORING),
    case("Reg.765/2006 Art.1c monitoring equipment for a BY company: authorisation", LICENCE, BY + "Art. 1c(1)",
         code=None, destination="BY", end_user_type="commercial", item_kinds=MONITORING),
    case("Reg.765/2006 Art.1c end-user type unknown: held at licence required", LICENCE, BY + "Art. 1c(1)",
         code=None, destination="BY", end_user_type="unknown", item_kinds=MONITORING),
    case("Reg.765/2006 Art.1c not before 25.6.2021", NONE, REG + "Art. 3(2)",
         code=None, destination="BY", end_user_type="government", item_kinds=MONITORING, day=date(2021, 6, 24)),
    case("Reg.765/2006 Art.1f Annex Va goods to BY", PROHIBITED, BY + "Art. 1f(1)",
         code=None, destination="BY", item_kinds=["advanced_technology"]),
    case("Reg.765/2006 Art.1f not before 2.3.2022", NONE, REG + "Art. 3(2)",
         code=None, destination="BY", item_kinds=["advanced_technology"], day=date(2022, 3, 1)),
    case("Reg.765/2006 Art.1e Annex I item for a listed BY entity in 2021", PROHIBITED, BY + "Art. 1e(1)",
         destination="BY", listed_in=["by_765_annex_v"], day=date(2021, 12, 1)),
    case("Reg.765/2006 Art.1e Annex I item for an unlisted BY company in 2021: Art.3(1)", LICENCE,
         REG + "Art. 3(1)", destination="BY", listed_in=[], day=date(2021, 12, 1)),
    # --- Iran, Reg. (EU) No 267/2012 as re-applied by Reg. (EU) 2025/1975 (in force 30.9.2025) -----------
    case("Reg.267/2012 Art.2 machine tool 2B001 to IR on 10.1.2026: prohibited", PROHIBITED, IR + "Art. 2(1)",
         destination="IR", day=date(2026, 1, 10)),
    case("Reg.267/2012 Art.2 machine tool 2B001 to the IR government on 10.1.2026", PROHIBITED,
         IR + "Art. 2(1)", destination="IR", end_user_type="government", day=date(2026, 1, 10)),
    case("Reg.267/2012 Art.2 on 30.9.2025, the day Reg. 2025/1975 entered into force", PROHIBITED,
         IR + "Art. 2(1)", destination="IR", day=date(2025, 9, 30)),
    case("Reg.267/2012 Art.2a on 29.9.2025, before re-application: authorisation", LICENCE, None,
         destination="IR", day=date(2025, 9, 29)),
    case("Reg.267/2012 Art.2a on 1.9.2025, the pre-snapback answer", LICENCE, None,
         destination="IR", day=date(2025, 9, 1)),
    case("Reg.267/2012 Art.2 in 2014, before the JCPOA", PROHIBITED, IR + "Art. 2(1)",
         destination="IR", day=date(2014, 6, 1)),
    case("Reg.267/2012 Art.2 for use in IR via AE", PROHIBITED, IR + "Art. 2(1)",
         destination="AE", end_user_country="IR", day=date(2026, 1, 10)),
    case("Reg.267/2012 Art.5(1) brokering 2B001 for IR in 2026", PROHIBITED, IR + "Art. 5(1)(a)",
         activity="brokering", destination="IR", day=date(2026, 1, 10)),
    # --- Russia, Reg. (EU) No 833/2014 beyond Art. 2 ----------------------------------------------------
    case("Reg.833/2014 Art.2a Annex VII goods to RU", PROHIBITED, RU + "Art. 2a(1)",
         code=None, destination="RU", item_kinds=["advanced_technology"]),
    case("Reg.833/2014 Art.2a not before 26.2.2022", NONE, REG + "Art. 3(2)",
         code=None, destination="RU", item_kinds=["advanced_technology"], day=date(2022, 2, 1)),
    case("Reg.833/2014 Art.3k Annex XXIII goods to a RU company", PROHIBITED, RU + "Art. 3k(1)",
         code=None, destination="RU", end_user_type="commercial", item_kinds=["industrial_goods"]),
    case("Reg.833/2014 Art.2b Annex I item for an Annex IV entity in CN", PROHIBITED, RU + "Art. 2b(1)",
         destination="CN", listed_in=["ru_833_annex_iv"]),
    case("Reg.833/2014 Art.2b Annex VII goods for an Annex IV entity in HK", PROHIBITED, RU + "Art. 2b(1)",
         code=None, destination="HK", listed_in=["ru_833_annex_iv"], item_kinds=["advanced_technology"]),
    case("Reg.833/2014 Art.2b screened, not listed: Art.3(1)", LICENCE, REG + "Art. 3(1)",
         destination="CN", listed_in=[]),
    case("Reg.833/2014 Art.12g CHP item to KZ: no licence, a duty", NONE, REG + "Art. 3(2)",
         code=None, destination="KZ", item_kinds=["common_high_priority"]),
    # --- North Korea, Reg. (EU) 2017/1509 ---------------------------------------------------------------
    case("Reg.2017/1509 Art.5 any item for the KP armed forces", PROHIBITED, KP + "Art. 5(a)",
         code=None, destination="KP", end_user_type="military", item_kinds=[]),
    case("Reg.2017/1509 Art.5 not for a KP civilian end-user", NONE, REG + "Art. 3(2)",
         code=None, destination="KP", end_user_type="commercial", item_kinds=[]),
    case("Reg.2017/1509 Art.3(1)(a) Annex I item to the KP government", PROHIBITED, KP + "Art. 3(1)(a)",
         destination="KP", end_user_type="government"),
]  # fmt: skip


def test_every_regime_of_the_brief_is_in_the_table() -> None:
    named = " ".join(param.id for param in CASES)
    for article in ("Reg.2017/2063 Art.6", "Reg.359/2011 Art.1b", "Reg.401/2013 Art.3b", "Reg.36/2012 Art.4",
                    "Reg.765/2006 Art.1c", "Reg.765/2006 Art.1f", "Reg.765/2006 Art.1e", "Reg.267/2012 Art.2",
                    "Reg.833/2014 Art.2a", "Reg.833/2014 Art.2b", "Reg.833/2014 Art.3k",
                    "Reg.833/2014 Art.12g", "Reg.2017/1509 Art.5"):  # fmt: skip
        assert article in named, article


@pytest.mark.parametrize("c", CASES)
def test_sanctions_regime(c: Case) -> None:
    facts_ = facts(**{"day": TODAY, **c.facts})
    item = determine(facts_, shipped_rulebook(), FakeListSource()).items[0]
    assert item.outcome is c.outcome, item.explanation
    if c.basis is not None:
        assert c.basis in item.legal_basis, item.legal_basis
    assert item.outcome is not Outcome.GENERAL_AUTHORISATION_AVAILABLE


def test_f1_venezuela_government_ip_monitoring_is_not_no_licence_required() -> None:
    """Issue #17: a non-listed IP-monitoring system for the government of Venezuela was answered "no licence
    required, declare Y901"; Reg. (EU) 2017/2063 Art. 6 requires prior authorisation."""
    determination = determine(
        facts(code=None, destination="VE", end_user_type="government", item_kinds=MONITORING),
        shipped_rulebook(),
        FakeListSource(),
    )
    item = determination.items[0]
    assert item.outcome is LICENCE
    assert "Y901" not in item.customs_codes
    assert "Council Regulation (EU) 2017/2063, Art. 6(1)" in item.legal_basis
    assert "government" in item.explanation  # the refusal ground for government use is named


def test_f1_kind_not_stated_asks_the_question_instead_of_no_licence_required() -> None:
    determination = determine(facts(code=None, destination="VE"), shipped_rulebook(), FakeListSource())
    item = determination.items[0]
    assert item.outcome is LICENCE
    assert [q.field for q in item.questions] == ["items[0].item_kinds"]
    assert "deep packet inspection" in item.questions[0].text
    assert determination.to_dict()["questions"][0]["field"] == "items[0].item_kinds"  # type: ignore[index]


def test_f1_no_question_where_no_regime_reaches_the_destination() -> None:
    item = determine(facts(code=None, destination="JP"), shipped_rulebook(), FakeListSource()).items[0]
    assert item.outcome is NONE
    assert item.questions == ()


def test_f2_iran_2b001_in_2026_is_prohibited_not_x060() -> None:
    """Issue #17: 2B001 to Iran in 2026 was "licence required, X060"; Reg. 267/2012 Art. 2 applies again."""
    item = determine(
        facts(destination="IR", day=date(2026, 1, 10)), shipped_rulebook(), FakeListSource()
    ).items[0]
    assert item.outcome is PROHIBITED
    assert item.customs_codes == ()
    assert "30.9.2025" in item.explanation


def test_annex_iv_listing_not_stated_is_asked_outside_partner_countries() -> None:
    item = determine(facts(destination="CN"), shipped_rulebook(), FakeListSource()).items[0]
    assert item.outcome is LICENCE
    assert "end_user.listed_in" in [q.field for q in item.questions]
    partner = determine(facts(destination="US"), shipped_rulebook(), FakeListSource()).items[0]
    assert partner.questions == ()


def test_art_12g_duty_is_named_without_changing_the_outcome() -> None:
    item = determine(
        facts(code=None, destination="KZ", item_kinds=["common_high_priority"]),
        shipped_rulebook(),
        FakeListSource(),
    ).items[0]
    assert item.outcome is NONE
    assert any("Art. 12g" in duty and "re-export" in duty for duty in item.duties)
    partner = determine(
        facts(code=None, destination="NO", item_kinds=["common_high_priority"]),
        shipped_rulebook(),
        FakeListSource(),
    ).items[0]
    assert partner.duties == ()


def test_an_answer_resting_on_an_unverified_regime_says_so() -> None:
    item = determine(
        facts(code=None, destination="BY", item_kinds=MONITORING), shipped_rulebook(), FakeListSource()
    ).items[0]
    assert item.outcome is LICENCE
    assert any(entry.startswith("by-765-2006-monitoring (") for entry in item.unverified_basis)
    authorities = determine(
        facts(code=None, destination="BY", end_user_type="government", item_kinds=MONITORING),
        shipped_rulebook(),
        FakeListSource(),
    ).items[0]
    assert authorities.outcome is PROHIBITED
    assert authorities.unverified_basis == ("by-765-2006-monitoring-authorities (article)",)
    assert "Not yet verified" in item.explanation


def test_every_regime_marks_every_element_and_names_its_source() -> None:
    for regime in shipped_rulebook().regimes:
        assert regime.source
        assert set(regime.verified) == {
            "article",
            "items",
            "destinations",
            "end_user",
            "dates",
            "consequence",
        }
        assert regime.items.annex
        assert regime.items.description


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["VE", "IR", "MM", "SY", "BY", "RU"]),
    st.sampled_from(["government", "commercial", "military", "unknown"]),
    st.dates(min_value=date(2022, 3, 2), max_value=date(2030, 12, 31)),
    st.sampled_from(STATES),
)
def test_a_regime_destination_with_the_item_kind_unstated_is_never_no_licence_required(
    destination: str, end_user_type: str, day: date, member_state: str
) -> None:
    """Where a regime reaches the destination but the exporter has not said what the item is, the answer asks
    (``questions``) and is never "no licence required"."""
    determination = determine(
        facts(
            code=None,
            destination=destination,
            end_user_type=end_user_type,
            day=day,
            member_state=member_state,
        ),
        shipped_rulebook(),
        FakeListSource(),
    )
    assert determination.outcome is not NONE
    assert any(q.field == "items[0].item_kinds" for q in determination.questions)


def test_a_stated_annex_iv_listing_applies_even_in_a_partner_country() -> None:
    item = determine(
        facts(destination="US", listed_in=["ru_833_annex_iv"]), shipped_rulebook(), FakeListSource()
    ).items[0]
    assert item.outcome is PROHIBITED
    assert RU + "Art. 2b(1)" in item.legal_basis


def test_dprk_with_the_end_user_type_unknown_asks_whether_it_is_the_armed_forces() -> None:
    item = determine(
        facts(code=None, destination="KP", end_user_type="unknown", item_kinds=[]),
        shipped_rulebook(),
        FakeListSource(),
    ).items[0]
    assert item.outcome is LICENCE
    assert [q.field for q in item.questions] == ["end_user.type"]
    assert "armed forces" in item.questions[0].text
    assert KP + "Art. 5(a)" in item.legal_basis


def test_f8_art_12g_duty_is_named_as_advice_while_the_item_kind_is_not_stated() -> None:
    """Reg. (EU) No 833/2014 Art. 12g(1): a sale of common high priority items to a non-partner country needs
    the "no re-export to Russia" clause. An exporter who has not said what the item is must still hear of it
    (advice, not a question: the outcome does not change); once it answers "none of them", no more."""
    unstated = determine(facts(code="3A001", destination="KZ"), shipped_rulebook(), FakeListSource()).items[0]
    assert any("Art. 12g" in line for line in unstated.advice), unstated.advice
    assert "item_kinds" in " ".join(unstated.advice)
    none = determine(
        facts(code="3A001", destination="KZ", item_kinds=[]), shipped_rulebook(), FakeListSource()
    ).items[0]
    assert not any("Art. 12g" in line for line in none.advice)
    partner = determine(facts(code="3A001", destination="NO"), shipped_rulebook(), FakeListSource()).items[0]
    assert not any("Art. 12g" in line for line in partner.advice)
