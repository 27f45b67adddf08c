"""The catch-alls as Art. 4 words them, and safe defaults: an unverified rule never yields "no licence
required" or "general authorisation available" (Arts. 4(1)(b), 4(1)(c), 4(2), 12(1)(d), Annex II Part 3)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.domain.rules import Outcome, determine
from dualuse.domain.rules.rulebook import REGIME_ASPECTS, Rulebook
from dualuse.services.determination import facts_from_dict

from .fakes import FakeListSource, facts, shipped_rulebook
from .test_properties import transactions

RULEBOOK = shipped_rulebook()
LIST = FakeListSource()
REG = "Regulation (EU) 2021/821, "


def _item(**kwargs: Any) -> Any:
    return determine(facts(**kwargs), RULEBOOK, LIST).items[0]


# --- Art. 4(1)(b): only where the purchasing country or country of destination is under an arms embargo ---
def test_f3_military_end_use_of_a_non_listed_item_to_japan_needs_no_art_4_1_b_authorisation() -> None:
    """Issue #17: awareness of a military end-use for a non-listed item to Japan gave "notify the authority
    (Art. 4(2))"; Art. 4(2) refers to the uses of para. 1, and (b) is a military end-use only where the
    purchasing country or country of destination is subject to an arms embargo. Japan is not."""
    aware = _item(code=None, destination="JP", aware=["military_end_use"])
    informed = _item(code=None, destination="JP", informed=["military_end_use"])
    for item in (aware, informed):
        assert item.outcome is Outcome.NO_LICENCE_REQUIRED
        assert item.legal_basis == (REG + "Art. 3(2)",)
        assert "arms embargo" in item.explanation
        assert "Japan (JP)" in item.explanation  # says why it does not apply


def test_f3_military_end_use_under_an_embargo_is_art_4_1_b_and_names_the_embargo() -> None:
    item = _item(code=None, destination="RU", informed=["military_end_use"], item_kinds=[])
    assert item.outcome is Outcome.LICENCE_REQUIRED
    assert item.legal_basis == (REG + "Art. 4(1)(b)",)
    assert "2014/512/CFSP" in item.explanation
    aware = _item(code=None, destination="BY", aware=["military_end_use"], item_kinds=[])
    assert aware.outcome is Outcome.NOTIFY_AUTHORITY
    assert aware.legal_basis == (REG + "Art. 4(2)",)


def test_f3_embargo_of_the_purchasing_country_counts_too() -> None:
    item = _item(
        code=None, destination="AE", end_user_country="RU", informed=["military_end_use"], item_kinds=[]
    )
    assert item.outcome is Outcome.LICENCE_REQUIRED
    assert REG + "Art. 4(1)(b)" in item.legal_basis


def test_f3_an_unverified_embargo_is_named_in_the_unverified_basis() -> None:
    item = _item(code=None, destination="SD", informed=["military_end_use"])
    assert item.outcome is Outcome.LICENCE_REQUIRED
    assert any(entry.startswith("arms embargo on SD") for entry in item.unverified_basis)


# --- Art. 4(1)(c): a fact of its own ------------------------------------------------------------------
def test_f4_military_end_use_for_a_us_military_end_user_is_not_art_4_1_c() -> None:
    """Issue #17: "informed: military_end_use" for a US military end-user gave Art. 4(1)(c); (c) is about
    parts or components of military items exported without authorisation."""
    item = _item(code=None, destination="US", end_user_type="military", informed=["military_end_use"])
    assert item.outcome is Outcome.NO_LICENCE_REQUIRED
    assert REG + "Art. 4(1)(c)" not in item.legal_basis


def test_f4_parts_of_illegally_exported_military_items_is_art_4_1_c_anywhere() -> None:
    for destination in ("US", "JP", "CN"):
        item = _item(
            code=None, destination=destination, informed=["parts_of_illegally_exported_military_items"]
        )
        assert item.outcome is Outcome.LICENCE_REQUIRED, destination
        assert item.legal_basis == (REG + "Art. 4(1)(c)",)
    aware = _item(code=None, destination="JP", aware=["parts_of_illegally_exported_military_items"])
    assert aware.outcome is Outcome.NOTIFY_AUTHORITY
    assert aware.legal_basis == (REG + "Art. 4(2)",)


def test_f4_the_json_reader_takes_the_new_fact_and_keeps_the_old_one() -> None:
    case = {
        "date": "2026-12-01",
        "exporter": {"member_state": "DE"},
        "destination": "VE",
        "end_user": {"country": "VE", "type": "government", "listed_in": []},
        "items": [{"id": "1", "item_kinds": ["monitoring_interception_equipment"], "cn_code": "8517 62 00"}],
        "knowledge": {"informed": ["parts_of_illegally_exported_military_items", "military_end_use"]},
    }
    read = facts_from_dict(case)
    assert read.items[0].cn_code == "85176200"
    assert read.end_user is not None
    assert read.end_user.listed_in == frozenset()
    determination = determine(read, RULEBOOK, LIST)
    assert determination.outcome is Outcome.LICENCE_REQUIRED
    basis = determination.items[0].legal_basis
    assert REG + "Art. 4(1)(b)" in basis
    assert REG + "Art. 4(1)(c)" in basis
    assert "Council Regulation (EU) 2017/2063, Art. 6(1)" in basis


# --- Art. 12(1)(d): an unverified general authorisation is never offered as usable ------------------------
def test_f8_unverified_general_authorisation_gives_licence_required_with_advice() -> None:
    """Issue #17: general-authorisation scopes marked unverified were offered as "general authorisation
    available"."""
    # EU006 is verified against Annex II now: mark an aspect unverified, as the data still does for others
    rulebook = dataclasses.replace(
        RULEBOOK,
        general_authorisations=tuple(
            dataclasses.replace(g, unverified=("items",)) if g.id == "EU006" else g
            for g in RULEBOOK.general_authorisations
        ),
    )
    assert _item(code="1C350.1", destination="TR").outcome is Outcome.GENERAL_AUTHORISATION_AVAILABLE
    item = determine(facts(code="1C350.1", destination="TR"), rulebook, LIST).items[0]
    assert item.outcome is Outcome.LICENCE_REQUIRED
    assert item.general_authorisations == ()
    assert item.customs_codes == ("X060",)
    assert any(
        a.startswith("EU006 may apply") and "not verified against the Official Journal" in a
        for a in item.advice
    )


def test_f8_a_verified_general_authorisation_made_unverified_is_no_longer_offered() -> None:
    rulebook = dataclasses.replace(
        RULEBOOK,
        general_authorisations=tuple(
            dataclasses.replace(g, unverified=("destinations",)) if g.id == "EU001" else g
            for g in RULEBOOK.general_authorisations
        ),
    )
    verified = determine(facts(destination="US"), RULEBOOK, LIST).items[0]
    unverified = determine(facts(destination="US"), rulebook, LIST).items[0]
    assert verified.outcome is Outcome.GENERAL_AUTHORISATION_AVAILABLE
    assert unverified.outcome is Outcome.LICENCE_REQUIRED
    assert unverified.advice


def _all_unverified(rulebook: Rulebook) -> Rulebook:
    return dataclasses.replace(
        rulebook,
        rules=tuple(dataclasses.replace(r, verified=False) for r in rulebook.rules),
        sanctions=tuple(dataclasses.replace(s, verified=False) for s in rulebook.sanctions),
        general_authorisations=tuple(
            dataclasses.replace(g, unverified=("items",)) for g in rulebook.general_authorisations
        ),
        regimes=tuple(
            dataclasses.replace(r, verified=dict.fromkeys(REGIME_ASPECTS, False)) for r in rulebook.regimes
        ),
    )


UNVERIFIED = _all_unverified(RULEBOOK)
SAFE = {Outcome.NO_LICENCE_REQUIRED, Outcome.GENERAL_AUTHORISATION_AVAILABLE}
kinds = st.one_of(st.none(), st.frozensets(st.sampled_from(["monitoring_interception_equipment", "advanced_technology",
                                                             "industrial_goods", "common_high_priority"])))  # fmt: skip
knowledge = st.frozensets(
    st.sampled_from(
        ["wmd", "military_end_use", "parts_of_illegally_exported_military_items", "internal_repression"]
    )
)


@settings(max_examples=300, deadline=None)
@given(transactions(), kinds, knowledge, knowledge)
def test_an_unverified_rule_never_yields_no_licence_required_or_a_general_authorisation(
    base: dict[str, object],
    item_kinds: frozenset[str] | None,
    informed: frozenset[str],
    aware: frozenset[str],
) -> None:
    case = {**base, "item_kinds": item_kinds, "informed": informed, "aware": aware}
    # every rule of the rulebook marked unverified: no answer may be "no licence" or "general authorisation"
    determination = determine(facts(**case), UNVERIFIED, LIST)  # type: ignore[arg-type]
    assert determination.outcome not in SAFE
    assert determination.unverified_basis
    # the shipped rulebook: a "no licence" or "general authorisation" answer rests on verified rules only
    shipped = determine(facts(**case), RULEBOOK, LIST)  # type: ignore[arg-type]
    for item in shipped.items:
        if item.outcome in SAFE:
            assert item.unverified_basis == (), item.explanation


def test_the_transfer_of_a_non_annex_iv_item_rests_on_a_verified_art_11_rule() -> None:
    item = _item(activity="transfer", code="2B001", destination="FR", day=date(2026, 1, 1))
    assert item.outcome is Outcome.NO_LICENCE_REQUIRED
    assert item.unverified_basis == ()


def test_no_licence_says_when_the_exporters_national_measures_are_not_verified() -> None:
    """A "no authorisation" answer covers the regulation; where the exporter's member state's own measures
    (Art. 9 list, Art. 10, extended catch-alls) are not verified here, the answer says so (right or silent)."""
    assert not RULEBOOK.settings_of("AT").verified
    assert RULEBOOK.settings_of("FR").verified
    austria = _item(code=None, destination="BR", member_state="AT", item_kinds=[])
    france = _item(code=None, destination="BR", member_state="FR", item_kinds=[])
    assert austria.outcome is france.outcome is Outcome.NO_LICENCE_REQUIRED
    [caveat] = [a for a in austria.advice if "national measures of Austria" in a]
    assert "Art. 9" in caveat
    assert "competent authority of Austria" in caveat
    assert "not verified here" in austria.summary
    assert not any("national measures of" in a for a in france.advice)
    listed = _item(code="2B001", destination="CN", member_state="AT")
    assert listed.outcome is not Outcome.NO_LICENCE_REQUIRED
    assert not any("national measures of" in a for a in listed.advice)  # only a "no" answer needs it
