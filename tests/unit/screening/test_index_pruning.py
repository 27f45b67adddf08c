"""Candidate generation prunes, but never loses a name that could pass (Hypothesis).

Small random indexes are made of real-looking name parts, with the spelling variants lists carry
(Mohammed / Muhammad / Mohamad, Ali / Aly). The pruned search (`CandidateIndex.candidates`) must give
every name the unpruned one gives, that is every name whose bound reaches the floor when each listed
name is looked at; and the engine must return every entity the scorer puts at or above the threshold
among those the unpruned search proposes. Lower bands of spelling frequency than the index uses,
and no least number of names to split or weigh, make small indexes take every path.
"""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from dualuse.domain.screening import ListSnapshot, ScreeningEngine, ScreeningQuery
from dualuse.domain.screening import index as index_module
from dualuse.domain.screening.engine import DEFAULT_THRESHOLD
from dualuse.domain.screening.normalise import name_form
from dualuse.domain.screening.scoring import MAX_FACT_BONUS, explain_name, name_similarity
from tests.unit.screening.factories import organisation, person

GIVEN = [
    "Mohammed",
    "Muhammad",
    "Mohamad",
    "Ali",
    "Aly",
    "Ahmad",
    "Ahmed",
    "Omar",
    "Umar",
    "Amir",
    "Ivan",
    "Olga",
]
MIDDLE = ["bin", "Abdul", "Hassan", "Hasan", "Saeed", "Said", "Sergeyevich", "al", "M", "A"]
FAMILY = [
    "Tikriti",
    "Mosuli",
    "Kocak",
    "Jadhran",
    "Salim",
    "Salameh",
    "Petrov",
    "Petrow",
    "Akbari",
    "Ibrahim",
]
WORDS = ["Trading", "Company", "Co", "Shipping", "Leasing", "Petro", "Gas", "Industrial", "Group", "Sharg"]

PERSON_NAMES = st.builds(
    lambda parts: " ".join(parts),
    st.tuples(st.sampled_from(GIVEN), st.sampled_from(MIDDLE), st.sampled_from(FAMILY)).flatmap(
        lambda t: st.sampled_from([(t[0], t[2]), t, (t[2], t[0])])
    ),
)
ORGANISATION_NAMES = st.lists(st.sampled_from(WORDS), min_size=2, max_size=4).map(" ".join)
ENTITIES = st.lists(
    st.one_of(PERSON_NAMES.map(person), ORGANISATION_NAMES.map(organisation)), min_size=1, max_size=60
)


@st.composite
def typos(draw: st.DrawFn, names: st.SearchStrategy[str]) -> str:
    """A name, perhaps with one letter dropped (a typo)."""
    name = draw(names)
    if len(name) > 6 and draw(st.booleans()):
        at = draw(st.integers(min_value=1, max_value=len(name) - 2))
        name = name[:at] + name[at + 1 :]
    return name


QUERIES = typos(st.one_of(PERSON_NAMES, ORGANISATION_NAMES))
#: the bands of frequency of spellings: down to one name, so that small indexes split lookups
RARE_POSTINGS = st.sampled_from([(1,), (2,), (1, 3), (2, 4), index_module._TIER_POSTINGS])


#: the most lookups sets are formed of: down to one, so that queries of a few parts are counted as long ones are
SUBSET_LOOKUPS = st.sampled_from([1, 2, 3, index_module._MAX_SUBSET_LOOKUPS])
#: the most names a lookup left out of the sets may reach to have them all taken: none, so that it is
#: counted as reaching every name, up to all
FEW_NAMES = st.sampled_from([0, 2, index_module._FEW_NAMES])


def assert_pruned_holds_unpruned(index: index_module.CandidateIndex, query: str, floor: float) -> None:
    """The pruned search gives every name the unpruned one keeps, with a bound no lower."""
    tokens = name_form(query, None).tokens
    # a name sharing nothing with the query has bound 0 and is no candidate, even at floor 0
    unpruned = {n: b for n, b in index.unpruned_bounds(tokens, floor).items() if b > 0.0}
    pruned = dict(index.candidates(tokens, limit=len(index.names) + 1, floor=floor))
    assert set(unpruned) <= set(pruned)
    for name_no, bound in unpruned.items():
        assert pruned[name_no] >= bound - 1e-9


@settings(max_examples=200, deadline=None)
@given(
    ENTITIES,
    QUERIES,
    RARE_POSTINGS,
    st.sampled_from([0.0, 0.4, DEFAULT_THRESHOLD - MAX_FACT_BONUS, 0.8]),
    SUBSET_LOOKUPS,
    FEW_NAMES,
    st.sampled_from([1, index_module._MANY_REACHED]),
)
def test_pruned_candidates_hold_every_name_the_unpruned_search_keeps(
    entities: list,
    query: str,
    rare: tuple[int, ...],
    floor: float,
    subset_lookups: int,
    few_names: int,
    many_reached: int,
) -> None:
    with (
        patch.object(index_module, "_TIER_POSTINGS", rare),
        patch.object(index_module, "_MIN_SPLIT_NAMES", 1),
        patch.object(index_module, "_MIN_WEIGHED_NAMES", 1),
        patch.object(index_module, "_MAX_SUBSET_LOOKUPS", subset_lookups),
        patch.object(index_module, "_FEW_NAMES", few_names),
        patch.object(index_module, "_MANY_REACHED", many_reached),
        patch.object(index_module, "_MOST_REACHED", many_reached),
    ):
        assert_pruned_holds_unpruned(index_module.CandidateIndex(entities), query, floor)


#: a query of many parts: its sets of lookups are too many to form, and the names it reaches are counted
LONG_QUERIES = typos(st.lists(st.sampled_from(GIVEN + MIDDLE + FAMILY), min_size=3, max_size=7).map(" ".join))


@settings(max_examples=200, deadline=None)
@given(
    ENTITIES,
    LONG_QUERIES,
    st.sampled_from([0.4, DEFAULT_THRESHOLD - MAX_FACT_BONUS, 0.8]),
    st.integers(1, 2),
    FEW_NAMES,
)
def test_names_counted_for_a_long_query_hold_every_name_the_unpruned_search_keeps(
    entities: list, query: str, floor: float, subset_lookups: int, few_names: int
) -> None:
    with (
        patch.object(index_module, "_MIN_WEIGHED_NAMES", 1),
        patch.object(index_module, "_MAX_SUBSET_LOOKUPS", subset_lookups),
        patch.object(index_module, "_FEW_NAMES", few_names),
        patch.object(index_module, "_MANY_REACHED", 1),
        patch.object(index_module, "_MOST_REACHED", 1),
    ):
        assert_pruned_holds_unpruned(index_module.CandidateIndex(entities), query, floor)


@settings(max_examples=150, deadline=None)
@given(ENTITIES, QUERIES, RARE_POSTINGS)
def test_screening_finds_every_entity_the_scorer_puts_above_the_threshold(
    entities: list, query: str, rare: tuple[int, ...]
) -> None:
    with (
        patch.object(index_module, "_TIER_POSTINGS", rare),
        patch.object(index_module, "_MIN_SPLIT_NAMES", 1),
        patch.object(index_module, "_MIN_WEIGHED_NAMES", 1),
    ):
        engine = ScreeningEngine(
            [ListSnapshot("test", "1", tuple(entities))], candidates=len(entities) * 4 + 10
        )
        index = engine.index
        tokens = name_form(query, None).tokens
        # unpruned: every listed name whose bound reaches the floor, each looked at, then scored (names
        # whose parts no blocking key reaches are candidate generation's recall, which the bench counts)
        floor = DEFAULT_THRESHOLD - MAX_FACT_BONUS
        unpruned = index.unpruned_bounds(tokens, floor)
        expected = {
            entity.key
            for entity_no, entity in enumerate(entities)
            if any(
                n in unpruned
                and name_similarity(tokens, index.names[n][1].tokens, index.weight) >= DEFAULT_THRESHOLD
                for n in index.entity_names[entity_no]
            )
        }
        found = {m.entity.key for m in engine.screen(ScreeningQuery(name=query), limit=len(entities) + 1)}
    assert expected <= found


@settings(max_examples=150, deadline=None)
@given(ENTITIES, QUERIES, st.sampled_from([0.0, 0.4, DEFAULT_THRESHOLD - MAX_FACT_BONUS]))
def test_bounds_on_arrays_are_those_worked_out_name_by_name(entities: list, query: str, floor: float) -> None:
    index = index_module.CandidateIndex(entities)
    tokens = name_form(query, None).tokens
    lookups, query_weight = index._lookups(tokens)
    if not lookups:
        return
    every = list(range(len(index.names)))
    by_name = dict(index._bounds_one_by_one(every, lookups, len(lookups), query_weight, len(tokens), floor))
    on_arrays = dict(index._bounds_by_arrays(every, lookups, query_weight, len(tokens), floor))
    # the same names, but for a bound within a rounding error of the floor
    assert {n for n, b in by_name.items() if b >= floor + 1e-9} <= set(on_arrays)
    assert {n for n, b in on_arrays.items() if b >= floor + 1e-9} <= set(by_name)
    for name_no in set(by_name) & set(on_arrays):
        assert on_arrays[name_no] == (
            by_name[name_no]
            if by_name[name_no] == float("inf")
            else pytest.approx(by_name[name_no], rel=1e-9)
        )


#: parts of names for a query whose part ("Mode") starts a listed part ("Modesto") that, written together with
#: the next ("Mode Co"), it is also two letters off
STARTS = ["Barza", "Style", "Mode", "Co", "Janat", "Modesto", "Trading", "Group"]


# the failing region is small: at 200 examples Hypothesis missed it, at 1,000 it found it unaided in 3 of 3 seeds
@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(STARTS), min_size=1, max_size=3).map(" ".join), min_size=1, max_size=8),
    st.sampled_from(["Barza Style Mode Co", "Style Mode Co Trading", "Mode Co Group"]),
    st.sampled_from([0.4, DEFAULT_THRESHOLD - MAX_FACT_BONUS, 0.65, 0.7, 0.8]),
    st.integers(1, 6),
)
@example(["Janat Modesto", "Co Mode Trading", "Janat Co", "Co"], "Barza Style Mode Co", 0.65, 1).via(
    "a listed part reached twice, as a joined pair's spelling and by the start of one of them"
)
def test_names_left_before_the_last_lookups_are_those_no_lookup_would_lift_to_the_floor(
    names: list[str], query: str, floor: float, essential: int
) -> None:
    """A name is left without looking up the lookups after the essential ones where what they could add at
    most keeps it below the floor: whatever the number of essential lookups, the names kept are those kept
    when every lookup is looked up. ("Janat Modesto" for "Barza Style Mode Co": "mode" and "modeco" both
    reach "modesto", whose weight counted twice reaches the whole name's, so that the name's one-sided
    bound counts; with "co" it would cover the whole query and have none.)"""
    index = index_module.CandidateIndex([person(names[0]), *map(organisation, names[1:])])
    tokens = name_form(query, None).tokens
    lookups, query_weight = index._lookups(tokens)
    assume(len(lookups) >= 2)
    lookups.sort(key=lambda e: -e.gain)
    every = list(range(len(index.names)))
    all_looked_up = index._bounds_one_by_one(every, lookups, len(lookups), query_weight, len(tokens), floor)
    essential = min(essential, len(lookups) - 1)
    assert (
        index._bounds_one_by_one(every, lookups, essential, query_weight, len(tokens), floor) == all_looked_up
    )


#: rare spellings of the parts the other names are made of, each one letter off ("Alii" for "Ali"): a lookup
#: of the common spelling reaches names through spellings of different frequency
RARE_SPELLINGS = st.lists(
    st.sampled_from(["Alii Tikriti", "Omarr Salim", "Hasaan Petrov", "Mohammedd Kocak", "Ahmadd al Mosuli"]),
    min_size=1,
    max_size=4,
).map(lambda names: [person(name, entity_id=f"rare{number}") for number, name in enumerate(names)])


@settings(max_examples=200, deadline=None)
@given(
    ENTITIES,
    RARE_SPELLINGS,
    QUERIES,
    st.sampled_from([(1,), (2,), (1, 3)]),
    st.sampled_from([0.4, DEFAULT_THRESHOLD - MAX_FACT_BONUS, 0.8]),
    FEW_NAMES,
)
def test_names_weighed_band_by_band_hold_every_name_the_unpruned_search_keeps(
    entities: list, rare_spellings: list, query: str, rare: tuple[int, ...], floor: float, few_names: int
) -> None:
    """The names reached through a set of lookups alone are weighed by what the set allows, band by band
    of a lookup's spellings where the index split its names by band when it was built: a query whose
    lookups are not split (as one of many parts) takes that path on every set."""
    with (
        patch.object(index_module, "_TIER_POSTINGS", rare),
        patch.object(index_module, "_MIN_SPLIT_NAMES", 1),
    ):
        index = index_module.CandidateIndex(entities + rare_spellings)
    with (
        patch.object(index_module, "_TIER_POSTINGS", rare),
        patch.object(index_module, "_MIN_SPLIT_NAMES", 10**9),  # the query's lookups stay whole
        patch.object(index_module, "_MIN_WEIGHED_NAMES", 1),
        patch.object(index_module, "_MANY_REACHED", 1),
        patch.object(index_module, "_MOST_REACHED", 1),
        patch.object(index_module, "_FEW_NAMES", few_names),
    ):
        assert_pruned_holds_unpruned(index, query, floor)


SPELLINGS = st.sampled_from(
    [("Mohammad", "Mohammed"), ("Ali", "Aly"), ("Fatih", "Fathi"), ("Nasser", "Naser")]
)


@settings(max_examples=100, deadline=None)
@given(
    SPELLINGS,
    st.sampled_from(["Omar", "Karim", "Salim"]),
    st.lists(st.booleans(), min_size=5, max_size=40),
    st.integers(min_value=0, max_value=40),
)
def test_names_of_one_part_two_query_spellings_reach_do_not_crowd_out_the_name_itself(
    spellings: tuple[str, str], other: str, decoys: list[bool], at: int
) -> None:
    """A query holding two spellings of one name ("Fatih Fathi Omar") reaches a listed name of that one
    part ("Fathi") through both; the part aligns with one of them only, so such names are no better
    candidates than the listed name the query spells out, which is found with few candidates."""
    query = f"{spellings[0]} {spellings[1]} {other}"
    entities = [person(spellings[1] if second else spellings[0]) for second in decoys]
    entities.insert(min(at, len(entities)), person(query, entity_id="target"))
    engine = ScreeningEngine([ListSnapshot("test", "1", tuple(entities))], candidates=5)
    found = {m.entity.entity_id: m.score for m in engine.screen(ScreeningQuery(name=query), limit=50)}
    assert found.get("target") == 1.0


def test_a_listed_part_reached_by_two_query_parts_counts_once_in_its_bound() -> None:
    index = index_module.CandidateIndex([person("Fathi"), person("Fatih Fathi Omar"), person("Karim Salim")])
    tokens = name_form("Fatih Fathi Omar", None).tokens
    bounds = dict(index.candidates(tokens, limit=10, floor=0.0))
    one_part, whole = index.entity_names[0][0], index.entity_names[1][0]
    assert bounds[one_part] < bounds[whole]
    lookups, query_weight = index._lookups(tokens)
    by_name = dict(
        index._bounds_one_by_one([one_part], lookups, len(lookups), query_weight, len(tokens), 0.0)
    )
    on_arrays = dict(index._bounds_by_arrays([one_part], lookups, query_weight, len(tokens), 0.0))
    assert by_name[one_part] == pytest.approx(on_arrays[one_part])
    # as the better of the two spellings alone: the listed part aligns with one of them, not both
    alone = []
    for left_out in ("fatih", "fathi"):
        one_spelling = [lookup for lookup in lookups if lookup.token != left_out]
        bound = dict(
            index._bounds_one_by_one(
                [one_part], one_spelling, len(one_spelling), query_weight, len(tokens), 0.0
            )
        )
        alone.append(bound[one_part])
    assert by_name[one_part] == pytest.approx(max(alone))


def test_a_two_letter_query_part_reaches_the_listed_part_it_is_the_consonant_skeleton_of() -> None:
    """ "GS" is "GAS" without its vowel: the scorer aligns the two, so the index reaches one from the
    other, among other names of the same first part."""
    others = [organisation(f"{word} {other}") for word in WORDS for other in WORDS if word != other]
    listed = [organisation("OCEANUS GAS"), organisation("OCEANUS SHIPPING"), organisation("OCEANUS PETRO")]
    engine = ScreeningEngine([ListSnapshot("test", "1", (*listed, *others))])
    found = {m.matched_name: m.score for m in engine.screen(ScreeningQuery(name="OCEANUS GS"), limit=10)}
    assert found.get("OCEANUS GAS", 0.0) >= DEFAULT_THRESHOLD


def test_a_query_part_that_a_rare_listed_part_starts_reaches_it() -> None:
    """ "AIRLINES" starts with the listed "AIR": the scorer reads a shortened name, but no blocking key of
    one meets the other, so "Mahan Airlines" never reached "MAHAN AIR". A common listed part that starts a
    query part ("NORD" / "NORDSTROM") is not looked up so: on a long list it reaches names by the thousand."""
    others = [organisation(f"{word} {other}") for word in WORDS for other in WORDS if word != other]
    common = [organisation(f"NORD {word} {other}") for word in WORDS for other in WORDS if word != other]
    listed = [organisation("MAHAN AIR"), organisation("MAHAN SHIPPING"), organisation("KISH AIR")]
    engine = ScreeningEngine([ListSnapshot("test", "1", (*listed, *others, *common))])
    found = {m.matched_name: m.score for m in engine.screen(ScreeningQuery(name="Mahan Airlines"), limit=10)}
    assert found.get("MAHAN AIR", 0.0) >= DEFAULT_THRESHOLD
    index = engine.index
    assert "air" in {index.tokens_of(n)[-1] for n, _ in index.candidates(("airlines",), floor=0.0)}
    assert "air" not in {text for text, _ in index.expand("airlines")}  # a start is no spelling of it
    assert not index.candidates(("nordstrom",), floor=0.0)  # "nord": in 90 names of 183


def test_a_query_part_that_starts_a_rare_listed_part_reaches_it() -> None:
    """The other way round: "TECH" starts the listed "TECHNOLOGY", which the scorer reads as shortened
    ("Web3 Tech" / "WEB3 TECHNOLOGY"), but no blocking key of one meets the other. Listed parts that a
    query part starts and that are common ("SHIP" / "SHIPPING", in every other name) are not looked up so."""
    others = [organisation(f"{word} {other}") for word in WORDS for other in WORDS if word != other]
    common = [organisation(f"{word} SHIPPING {other}") for word in WORDS for other in WORDS if word != other]
    listed = [
        organisation("WEB3 TECHNOLOGY"),
        organisation("NAMGANG TECHNOLOGY"),
        person("Ivan Igorevich Sechin"),
    ]
    engine = ScreeningEngine([ListSnapshot("test", "1", (*listed, *others, *common))])
    found = {m.matched_name: m.score for m in engine.screen(ScreeningQuery(name="Web3 Tech"), limit=10)}
    assert found.get("WEB3 TECHNOLOGY", 0.0) >= DEFAULT_THRESHOLD
    assert "NAMGANG TECHNOLOGY" not in found
    sechin = engine.screen(ScreeningQuery(name="Sechin, Igor Ivanovich"), limit=3)
    assert [m.matched_name for m in sechin] == ["Ivan Igorevich Sechin"]
    index = engine.index
    assert "technology" in {index.tokens_of(n)[-1] for n, _ in index.candidates(("tech",), floor=0.0)}
    assert "technology" not in {text for text, _ in index.expand("tech")}  # no spelling of it
    reached = {t for n, _ in index.candidates(("ship",), floor=0.0) for t in index.tokens_of(n)}
    assert "shipping" not in reached  # in 90 names of 184


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(GIVEN), min_size=2, max_size=2, unique=True),
    st.sampled_from(FAMILY),
    st.lists(st.integers(min_value=0, max_value=2), min_size=8, max_size=40),
    st.integers(min_value=0, max_value=40),
)
def test_the_listed_name_the_query_spells_out_is_not_crowded_out_by_names_the_query_holds(
    given_names: list[str], family: str, decoys: list[int], at: int
) -> None:
    """Names listed with only some parts of the query ("Amir Ali" for "Amir Ali Chaudry") cannot be
    ruled out by their bound, as the query could be a fuller form of them; but they score less than the
    listed name the query spells out, which no such crowd may push out of the candidates (on a list of a
    million names there are thousands)."""
    query = f"{given_names[0]} {given_names[1]} {family}"
    held = [
        f"{given_names[0]} {given_names[1]}",
        f"{given_names[1]} {given_names[0]}",
        f"{given_names[0]} {family}",
    ]
    entities = [person(held[kind]) for kind in decoys]
    entities.insert(min(at, len(entities)), person(query, entity_id="target"))
    engine = ScreeningEngine([ListSnapshot("test", "1", tuple(entities))], candidates=5)
    found = {m.entity.entity_id: m.score for m in engine.screen(ScreeningQuery(name=query), limit=1)}
    assert found == {"target": 1.0}


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(GIVEN + MIDDLE + FAMILY), min_size=3, max_size=5, unique=True),
    st.data(),
    ENTITIES,
)
def test_the_bound_of_a_name_holding_some_of_the_query_parts_is_no_less_than_its_score(
    parts: list[str], data: st.DataObject, others: list
) -> None:
    """A listed name whose every part the query holds, the query having more ("Amir Ali" for "Amir Ali
    Chaudry"): the scorer weighs the query's parts left over at `QUERY_EXTRA_WEIGHT`, and the bound that
    says how high it could score must be at least what it scores."""
    held = data.draw(st.lists(st.sampled_from(parts), min_size=2, max_size=len(parts) - 1, unique=True))
    index = index_module.CandidateIndex([person(" ".join(held), entity_id="held"), *others])
    tokens = name_form(" ".join(parts), None).tokens
    name_no = index.entity_names[0][0]
    listed = index.names[name_no][1].tokens
    score, note = explain_name(tokens, listed, index.weight)
    # the names compared written together ("mohammedtikritial" / "mohammedtikriti") are another route
    assume(note != "parts joined or split differently")
    assert index.unpruned_bounds(tokens, 0.0)[name_no] >= score - 1e-9


def test_the_name_sets_a_worker_keeps_stay_within_their_budget_and_change_no_candidate() -> None:
    """The names a query part no listed name holds reaches (a misspelt part, two parts written
    together) are kept for the next queries, the sets used longest ago making room; what they hold
    together stays within the budget. (Those of listed parts are worked out when the index is built.)"""
    entities = [person(f"{g} {m} {f}") for g in GIVEN for m in MIDDLE[:4] for f in FAMILY]
    # each part misspelt: a letter left out
    queries = [name_form(f"{g[:2]}{g[3:]} {f[:-2]}{f[-1]}", None).tokens for g in GIVEN for f in FAMILY[::3]]
    kept_all = index_module.CandidateIndex(entities)
    with patch.object(index_module, "_NAME_SET_BUDGET", 100):
        within = index_module.CandidateIndex(entities)
        for tokens in queries:
            assert within.candidates(tokens, floor=0.5) == kept_all.candidates(tokens, floor=0.5)
            held = [len(names) for names in within._name_sets.values()]
            assert sum(held) <= 100 or len(held) == 1
    assert len(kept_all._name_sets) > len(within._name_sets) >= 1


def _aligned_as_reached(index: index_module.CandidateIndex, query: tuple[str, ...], note: str) -> bool:
    """Whether the scorer aligned the names part by part, each listed part one the query part reaches by
    its blocking keys, none standing for a longer one (an initial, or one that starts the other: "Ali" /
    "Al"): where candidate generation reaches a name, not whether it does."""
    if note == "parts joined or split differently" or not query:
        return False
    fuzzy = note.partition("fuzzy: ")[2].partition(";")[0]
    for pair in filter(None, fuzzy.split(", ")):
        a, b = pair.split("~")
        if len(a) == 1 or len(b) == 1 or a.startswith(b) or b.startswith(a):
            return False
        if b not in {listed for listed, _ in index.expand(a)}:
            return False
    return True


@settings(max_examples=300, deadline=None)
@given(ENTITIES, QUERIES)
def test_a_name_aligned_part_by_part_scores_no_more_than_its_bound(entities: list, query: str) -> None:
    """The bound is what a listed name could score at most: a name aligned part by part through the
    parts the query reaches never scores more, whatever the weights of the parts aligned (a query part
    rarer on the lists than the listed part it meets gains its own weight) and a part written twice.
    Else a floor that the bound is held to would lose matches."""
    index = index_module.CandidateIndex(entities)
    tokens = name_form(query, None).tokens
    bounds = index.unpruned_bounds(tokens, 0.0)
    for name_no in range(index.name_count):
        listed = index.tokens_of(name_no)
        score, note = explain_name(tokens, listed, index.weight)
        if score > 0.0 and _aligned_as_reached(index, tokens, note):
            assert bounds.get(name_no, 0.0) >= score - 1e-9, (tokens, listed, note)


def test_a_short_name_one_letter_off_written_together_is_found() -> None:
    """The scorer compares names written together ("RA-8239" / "RA-82039": one digit more, 0.77), where
    no part of one is a spelling of a part of the other: the query's common "RA" alone cannot lift the
    listed name to the floor, so the short listed names written together are looked up too, one letter
    off at most. A longer name is not, and a name two letters off is not proposed so."""
    fleet = [organisation(f"RA-{number}") for number in range(10_000, 10_300)]
    listed = [organisation("RA-82039"), organisation("AIR KORYO"), organisation("RA-82000")]
    engine = ScreeningEngine([ListSnapshot("test", "1", (*listed, *fleet))])
    found = {m.matched_name: m.score for m in engine.screen(ScreeningQuery(name="RA-8239"), limit=5)}
    assert found.get("RA-82039", 0.0) >= DEFAULT_THRESHOLD
    assert "RA-82000" not in found
    assert engine.screen(ScreeningQuery(name="AR KORYO"), limit=1)[0].matched_name == "AIR KORYO"
    index = engine.index
    together = dict(index._written_together(("ra", "8239"), 0.0, None))
    assert {index.tokens_of(n) for n in together} == {("ra", "82039")}
    assert index._written_together(("ra", "10001", "10002", "10003", "1"), 0.0, None) == []


def test_a_name_with_a_type_word_written_together_is_found_written_apart() -> None:
    """ "ROSOBORONEXPORT" and its transliteration "ROSOBORONEKSPORT" are found for "Rosoboron Export",
    whose "export" names write "exp": no part of one is a spelling of a part of the other, and among
    names of many parts written apart the query's "exp" alone lifts none to the floor."""
    others = [organisation(f"ROSOBORON {word} EXPORT") for word in WORDS]
    listed = [
        organisation("ROSOBORONEXPORT JSC", entity_id="jsc"),
        organisation("ROSOBORONEKSPORT OAO", entity_id="oao"),
    ]
    engine = ScreeningEngine([ListSnapshot("test", "1", (*listed, *others))])
    found = {
        m.entity.entity_id: m.score for m in engine.screen(ScreeningQuery(name="Rosoboron Export"), limit=3)
    }
    assert found.get("jsc", 0.0) == 1.0
    assert found.get("oao", 0.0) >= 0.9


@settings(max_examples=500, deadline=None)
@given(
    st.floats(0.0, 30.0),
    st.floats(0.0, 30.0),
    st.integers(1, 6),
    st.floats(0.5, 40.0),
    st.integers(1, 6),
    st.sampled_from([0.3, DEFAULT_THRESHOLD - MAX_FACT_BONUS, 0.8]),
    st.floats(0.0, 60.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
)
def test_a_set_lets_through_every_weight_of_name_it_could_lift_to_the_floor(
    gained: float,
    reached: float,
    covered: int,
    query_weight: float,
    size: int,
    floor: float,
    weight: float,
    gained_share: float,
    reached_share: float,
) -> None:
    """A name reached through a set of lookups gains and reaches no more than the set, and covers no more
    query parts: if its bound reaches the floor, its weight lies in the span the set lets through."""
    assume(gained < query_weight)
    name_bound = index_module._score_bound(
        gained * gained_share, reached * reached_share, min(covered, size), weight, query_weight, size
    )
    span = index_module._set_span(gained, reached, covered, query_weight, size, floor)
    if name_bound >= floor:
        assert span is not None
        assert span[0] <= weight <= span[1]
    if span is not None and span[0] > 0.0:
        # and no heavier than it must: a name of the least weight it lets through, gaining and reaching
        # what the set does, reaches the floor
        lightest = max(
            index_module._score_bound(gained, reached, parts, span[0], query_weight, size)
            for parts in range(1, min(covered, size) + 1)
        )
        assert lightest >= floor - 1e-6


#: a share of what some lookups gain or reach together: all of it most often, where the bounds meet
SHARES = st.one_of(st.just(1.0), st.floats(0.0, 1.0))
LOOKUP_FIGURES = st.lists(
    st.tuples(st.floats(0.0, 15.0), st.floats(0.0, 15.0), st.integers(1, 2)), min_size=1, max_size=5
)


@settings(max_examples=500, deadline=None)
@given(
    LOOKUP_FIGURES,
    st.floats(0.5, 40.0),
    st.integers(1, 6),
    SHARES,
    SHARES,
    st.integers(0, 6),
    st.one_of(st.just(1.0), st.floats(0.0, 2.0)),
)
# two query parts joined and one of them alone cover the whole query, a name holding the joined parts alone
# covers two of three
@example([(1.0, 1.0, 2), (1.0, 1.0, 1)], 10.0, 3, 1.0, 1.0, 2, 1.0)
def test_no_name_reached_through_some_lookups_bounds_above_what_they_allow_together(
    figures: list[tuple[float, float, int]],
    query_weight: float,
    size: int,
    gained_share: float,
    reached_share: float,
    covered: int,
    weight_share: float,
) -> None:
    """`_bound` of some lookups (what MaxScore and the count of lookups a name needs rest on) is no less than
    the bound of any name they reach: one that gains, reaches and covers no more than they do together,
    covering fewer query parts than they do, as a name reached through two query parts joined and one of
    them alone may."""
    lookups = [
        index_module._Lookup(str(n), gain, reach, cover, np.zeros(0, dtype=np.int32), np.zeros(0), cover > 1)
        for n, (gain, reach, cover) in enumerate(figures)
    ]
    gained = sum(gain for gain, _, _ in figures)
    reached = sum(reach for _, reach, _ in figures)
    assume(covered <= min(sum(cover for _, _, cover in figures), size))
    # a name of every weight: those weighing what they reach (every listed part found) bound the most
    weight = reached * reached_share * weight_share
    name_bound = index_module._score_bound(
        gained * gained_share, reached * reached_share, covered, weight, query_weight, size
    )
    assert index_module._bound(lookups, query_weight, size) >= name_bound - 1e-12
