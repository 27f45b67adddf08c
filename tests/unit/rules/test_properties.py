"""Properties of determination (hypothesis): more knowledge never loosens an answer; a plain non-listed item
needs nothing; a transfer of a non-Annex IV item within the Union never needs an authorisation."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.domain.rules import EU_MEMBER_STATES, Knowledge, determine
from dualuse.domain.rules.facts import Circumstance

from .fakes import FakeListSource, facts, shipped_rulebook

RULEBOOK = shipped_rulebook()
LIST = FakeListSource()
CODES = [None, "0B001", "1A001", "1C350", "2B001", "2E001", "4A005", "5A001.f", "5A001.b.2", "5A002.a",
         "5A004.a", "5D001.e", "5D002", "9A009.a"]  # fmt: skip
NON_ANNEX_IV = [c for c in CODES if c not in ("0B001", "5A004.a")]
THIRD_COUNTRIES = ["CN", "US", "GB", "JP", "IN", "BR", "SG", "TR", "ZA", "RU", "BY", "KP", "IR", "SY", "VE", "IQ",
                   "AE", "AR", "CH", "NO", "UA"]  # fmt: skip
STATES = sorted(EU_MEMBER_STATES)
knowledge = st.frozensets(st.sampled_from([k.value for k in Knowledge]))
days = st.dates(min_value=date(2005, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def transactions(draw: st.DrawFn) -> dict[str, object]:
    activity = draw(st.sampled_from(["export", "transfer", "brokering", "technical_assistance", "transit"]))
    member_state = draw(st.sampled_from(STATES))
    if activity == "transfer":
        destination = draw(st.sampled_from([s for s in STATES if s != member_state]))
    else:
        destination = draw(st.sampled_from(THIRD_COUNTRIES))
    return {
        "activity": activity,
        "member_state": member_state,
        "destination": destination,
        "end_user_country": draw(st.sampled_from([destination, *THIRD_COUNTRIES]))
        if activity != "transfer"
        else destination,
        "end_user_type": draw(st.sampled_from(["government", "commercial", "military", "unknown"])),
        "code": draw(st.sampled_from(CODES)),
        "cyber": draw(st.booleans()),
        "day": draw(days),
        "circumstances": draw(st.frozensets(st.sampled_from([c.value for c in Circumstance]))),
    }


@settings(max_examples=300, deadline=None)
@given(transactions(), knowledge, knowledge, knowledge, knowledge)
def test_more_knowledge_never_loosens_the_outcome(
    base: dict[str, object],
    informed: frozenset[str],
    aware: frozenset[str],
    more_informed: frozenset[str],
    more_aware: frozenset[str],
) -> None:
    less = determine(facts(**base, informed=informed, aware=aware), RULEBOOK, LIST)  # type: ignore[arg-type]
    more = determine(
        facts(**base, informed=informed | more_informed, aware=aware | more_aware),  # type: ignore[arg-type]
        RULEBOOK,
        LIST,
    )
    assert more.outcome.severity >= less.outcome.severity
    assert more.items[0].outcome.severity >= less.items[0].outcome.severity


@settings(max_examples=200, deadline=None)
@given(transactions())
def test_a_plain_non_listed_item_needs_nothing(base: dict[str, object]) -> None:
    # a plain item: not listed, not cyber-surveillance, none of the sanctions item kinds (stated), an
    # end-user known not to be the DPRK's armed forces (Reg. 2017/1509 Art. 5 reaches any item for them)
    plain = {**base, "code": None, "cyber": False, "item_kinds": []}
    if "KP" in (base["destination"], base["end_user_country"]):
        plain["end_user_type"] = "commercial"
    determination = determine(facts(**plain), RULEBOOK, LIST)  # type: ignore[arg-type]
    assert determination.outcome.value == "no_licence_required"


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(STATES),
    st.sampled_from(STATES),
    st.sampled_from(NON_ANNEX_IV),
    st.booleans(),
    knowledge,
    knowledge,
    days,
)
def test_a_transfer_of_a_non_annex_iv_item_never_needs_an_authorisation(
    origin: str,
    destination: str,
    code: str | None,
    cyber: bool,
    informed: frozenset[str],
    aware: frozenset[str],
    day: date,
) -> None:
    if origin == destination:
        destination = STATES[(STATES.index(origin) + 1) % len(STATES)]
    determination = determine(
        facts(
            activity="transfer",
            member_state=origin,
            destination=destination,
            code=code,
            cyber=cyber,
            informed=informed,
            aware=aware,
            day=day,
        ),
        RULEBOOK,
        LIST,
    )
    assert determination.outcome.value == "no_licence_required"
