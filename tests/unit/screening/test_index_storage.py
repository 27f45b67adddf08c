"""The index keeps what queries read in buffers, not in objects (Hypothesis).

Forked workers share the index; reading an object writes its reference count, which copies the page it
sits on into the worker. So the index keeps the listed entities packed as bytes, its tokens in one text
buffer found by hash, and its blocking keys in hash tables. These tests hold that each buffer gives back
exactly what was put in, and that the index holds no reference to the entity objects it was built from.
"""

from __future__ import annotations

import dataclasses
import sys
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.domain.screening import (
    EntityFilter,
    EntitySchema,
    Identifier,
    ListedEntity,
    ListSnapshot,
    ScreeningEngine,
    ScreeningQuery,
)
from dualuse.domain.screening import index as index_module
from tests.unit.screening.factories import organisation, person

texts = st.text(min_size=1, max_size=12)
small_tuples = st.lists(texts, max_size=3).map(tuple)
identifiers = st.builds(Identifier, kind=texts, number=texts, country=st.none() | texts)
entities = st.builds(
    ListedEntity,
    source=st.sampled_from(["ofac", "un-sc", "eu-fsf"]),
    entity_id=texts,
    schema=st.sampled_from(list(EntitySchema)),
    names=st.lists(st.text(alphabet="abcdefghij ", min_size=1, max_size=20), min_size=1, max_size=3).map(
        tuple
    ),
    birth_dates=small_tuples,
    countries=small_tuples,
    identifiers=st.lists(identifiers, max_size=2).map(tuple),
    programs=small_tuples,
    listed_on=st.none() | st.dates(min_value=date(1, 1, 2)),
)


def test_every_field_of_a_listed_entity_is_packed() -> None:
    # a field added to ListedEntity must be packed too (`_PackedEntities.append` and `__getitem__`)
    assert [f.name for f in dataclasses.fields(ListedEntity)] == [
        "source",
        "entity_id",
        "schema",
        "names",
        "birth_dates",
        "countries",
        "identifiers",
        "programs",
        "listed_on",
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(entities, max_size=8))
def test_packed_entities_read_back_equal(listed: list[ListedEntity]) -> None:
    index = index_module.CandidateIndex(listed)
    assert len(index) == len(listed)
    assert [index.entities[n] for n in range(len(listed))] == listed


def test_the_index_keeps_no_reference_to_the_entities_it_was_built_from() -> None:
    listed = [person("Ivan Petrov", dob="1970-01-01", passport="AB123456"), organisation("Acme Trading LLC")]
    before = [sys.getrefcount(e) for e in listed]
    index = index_module.CandidateIndex(listed)
    assert [sys.getrefcount(e) for e in listed] == before
    assert index.entities[0] == listed[0]
    assert index.entities[1] == listed[1]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=10), unique=True, max_size=40), st.text(max_size=10))
def test_vocabulary_numbers_tokens_and_gives_their_text_back(tokens: list[str], other: str) -> None:
    vocabulary = index_module._Vocabulary(tokens)
    assert len(vocabulary) == len(tokens)
    for number, token in enumerate(tokens):
        assert vocabulary.number(token) == number
        assert vocabulary.text(number) == token
    assert vocabulary.number(other) == (tokens.index(other) if other in tokens else -1)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.text(max_size=6), st.integers(0, 50)), max_size=60),
    st.text(max_size=6),
)
def test_key_table_gives_every_token_filed_under_a_key(pairs: list[tuple[str, int]], other: str) -> None:
    table = index_module._KeyTable(pairs)
    filed: dict[str, set[int]] = {}
    for key, number in pairs:
        filed.setdefault(key, set()).add(number)
    for key, numbers in filed.items():
        found = table.get(key)
        assert found is not None
        # equal unless two keys share a 64-bit hash, when each gets the other's tokens as well
        assert numbers <= set(found)
        assert len(found) == len(set(found))
    if other not in filed:
        assert table.get(other) is None or set(table.get(other) or ()) <= {n for _, n in pairs}


NAMES = ["Ivan Petrov", "Ivan Petrova", "Olga Petrova", "Acme Trading", "Acme Holdings", "Petrov Shipping"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(NAMES), st.sampled_from(["ofac", "un-sc", "eu-fsf"]), st.booleans()),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(NAMES),
    st.none() | st.frozensets(st.sampled_from(["ofac", "un-sc", "eu-fsf", "uk"]), max_size=2),
    st.frozensets(st.sampled_from(["ofac", "un-sc"]), max_size=1),
    st.frozensets(st.sampled_from([EntitySchema.PERSON, EntitySchema.ORGANIZATION]), max_size=1),
    st.integers(0, 11),
    st.integers(1, 4),
)
def test_a_filter_leaves_out_what_it_excludes_and_nothing_it_takes(
    made: list[tuple[str, str, bool]],
    query: str,
    sources: frozenset[str] | None,
    exclude_sources: frozenset[str],
    exclude_schemata: frozenset[EntitySchema],
    excluded_one: int,
    limit: int,
) -> None:
    listed = [
        (person if is_person else organisation)(name, source=source, entity_id=f"e{number}")
        for number, (name, source, is_person) in enumerate(made)
    ]
    by_source: dict[str, list[ListedEntity]] = {}
    for entity in listed:
        by_source.setdefault(entity.source, []).append(entity)
    engine = ScreeningEngine([ListSnapshot(source, "1", tuple(e)) for source, e in by_source.items()])
    keys = frozenset({listed[excluded_one % len(listed)].key})
    only = EntityFilter(sources, exclude_sources, exclude_schemata, keys)
    everything = engine.screen(ScreeningQuery(query), threshold=0.5, limit=len(listed))
    expected = [m for m in everything if only.accepts(m.entity)][:limit]
    assert engine.screen(ScreeningQuery(query), threshold=0.5, limit=limit, only=only) == expected
