"""The screening engine: a party against the current versions of the sanctions lists.

Screening checks each party of a transaction (end-user, consignee, intermediary) against the lists;
the hits it finds above the threshold go to a reviewer for a hit decision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from dualuse.domain.errors import ValidationError
from dualuse.domain.screening.index import CandidateIndex
from dualuse.domain.screening.model import (
    EntityFilter,
    EntitySchema,
    ListedEntity,
    ListSnapshot,
    Match,
    ScreeningQuery,
)
from dualuse.domain.screening.normalise import (
    forget_words,
    load_reference_data,
    may_be_organisation,
    name_form,
    normalise_country,
    normalise_date,
    normalise_identifier,
)
from dualuse.domain.screening.scoring import (
    MAX_FACT_BONUS,
    PreparedQuery,
    compact_forms,
    explain_name,
    fact_bonus,
    name_similarity,
    score_entity,
    token_similarity,
)

DEFAULT_THRESHOLD = 0.7
#: names scored per match asked for, at least: candidates are chosen by their bound, matches by their score,
#: and a family of names alike (a fleet of "FU YUAN YU <hull number>") bounds as high as its best member
CANDIDATES_PER_MATCH = 8

# a person is not a ship: these never match each other's names
_INCOMPATIBLE = {
    EntitySchema.PERSON: {EntitySchema.VESSEL, EntitySchema.AIRCRAFT},
    EntitySchema.VESSEL: {EntitySchema.PERSON},
    EntitySchema.AIRCRAFT: {EntitySchema.PERSON},
}


@dataclass(frozen=True, slots=True)
class _Scored:
    """A listed entity's best name scored against one name of the query, before it is explained."""

    score: float  # rounded as matches show it, so that ties are broken alike
    entity: ListedEntity
    name_no: int
    prepared: PreparedQuery
    reading: tuple[str, ...]
    name_score: float


class ScreeningEngine:
    """Screens parties against list snapshots; the index is rebuilt whenever a snapshot changes."""

    def __init__(self, snapshots: Iterable[ListSnapshot] = (), *, candidates: int = 40) -> None:
        """``candidates``: how many names (the best bounds) each name of a query scores, at least; a query
        asking for more matches scores `CANDIDATES_PER_MATCH` per match."""
        self._snapshots: dict[str, ListSnapshot] = {}
        self._candidates = candidates
        for snapshot in snapshots:
            self._snapshots[snapshot.source] = snapshot
        self.index = self._build()

    def _build(self) -> CandidateIndex:
        load_reference_data()
        index = CandidateIndex(e for s in self._snapshots.values() for e in s.entities)
        forget_words()  # what the build cached, the queries rarely need (see `forget_words`)
        token_similarity.cache_clear()
        compact_forms.cache_clear()  # the few names with a type word written together, keyed at the build
        return index

    @property
    def snapshots(self) -> tuple[ListSnapshot, ...]:
        return tuple(self._snapshots.values())

    def replace(self, snapshot: ListSnapshot) -> None:
        """Put a new version of a list in place of the previous one and rebuild the index."""
        snapshots = dict(self._snapshots)
        snapshots[snapshot.source] = snapshot
        self._snapshots = snapshots
        self.index = self._build()

    def prepare(self, query: ScreeningQuery) -> PreparedQuery:
        """Normalise the query's name and facts once."""
        return PreparedQuery(
            form=name_form(query.name, query.schema),
            schema=query.schema,
            birth_dates=tuple(dict.fromkeys(d for b in query.birth_dates if (d := normalise_date(b)))),
            countries=tuple(dict.fromkeys(c for n in query.countries if (c := normalise_country(n)))),
            identifiers=frozenset(n for i in query.identifiers if len(n := normalise_identifier(i)) >= 4),
        )

    def screen(
        self,
        query: ScreeningQuery,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 5,
        *,
        only: EntityFilter | None = None,
    ) -> list[Match]:
        """The listed entities that match the party with a score of at least ``threshold``, best first.

        Every name of the query is scored (its ``aliases`` too) and an entity keeps its best. ``only``
        narrows the entities looked at (say, to some lists) before candidates are counted, so a filter never
        hides an entity that would otherwise have been found. Each match carries its score and an
        explanation per feature (name, schema, birth_date, country, identifier).
        """
        return self.screen_counted(query, threshold, limit, only=only)[0]

    def screen_counted(
        self,
        query: ScreeningQuery,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 5,
        *,
        only: EntityFilter | None = None,
        count_from: float | None = None,
    ) -> tuple[list[Match], int]:
        """`screen`, and how many of the entities found, before the limit, score at least ``count_from``
        (``threshold`` if None): how many hits there are where a page of them is shown (yente's ``total``)."""
        if not 0.0 <= threshold <= 1.0:
            raise ValidationError("the threshold is a score between 0 and 1", field="threshold")
        if limit < 1:
            raise ValidationError("the limit must be at least 1", field="limit")
        index = self.index
        accept_name = index.name_filter(only) if only is not None and only.filters else None
        best: dict[tuple[str, str], _Scored] = {}
        # a query without a name (an identifier alone) is screened once, by its identifiers
        for name in query.names or ("",):
            one = replace(query, name=name, aliases=())
            for scored in self._screen_name(one, threshold, limit, accept_name):
                key = scored.entity.key
                if key not in best or scored.score > best[key].score:
                    best[key] = scored
        found = sorted(best.values(), key=lambda m: (-m.score, m.entity.source, m.entity.entity_id))
        counted_from = threshold if count_from is None else count_from
        counted = sum(1 for scored in found if scored.score >= counted_from)
        # how the names were aligned is worked out for the matches returned only
        return [self._explained(scored) for scored in found[:limit]], counted

    def _screen_name(
        self,
        query: ScreeningQuery,
        threshold: float,
        limit: int,
        accept_name: Callable[[int], bool] | None,
    ) -> list[_Scored]:
        prepared = self.prepare(query)
        tokens = prepared.form.tokens
        if not tokens and not prepared.identifiers:
            return []
        index = self.index
        # the best name of each candidate entity: entity number → (score, name number)
        best, reading_of = self._best_names(prepared, threshold, limit, accept_name) if tokens else ({}, {})
        # an entity listing one of the query's identifiers is scored whatever its names (a query by
        # identifier alone, without a name, finds those only)
        for entity_no in index.entities_with_identifiers(prepared.identifiers):
            if entity_no not in best and (
                accept_name is None or accept_name(index.entity_names[entity_no][0])
            ):
                best[entity_no] = self._best_name(prepared, entity_no)
        found: list[_Scored] = []
        bonus = fact_bonus(prepared)
        for entity_no, (name_score, name_no) in best.items():
            if name_score + bonus < threshold and not prepared.identifiers:
                continue
            entity = index.entities[entity_no]
            identifiers = index.entity_identifiers[entity_no]
            score, _ = score_entity(prepared, entity, name_score, "", identifiers)
            if score >= threshold:
                found.append(
                    _Scored(
                        round(score, 4),
                        entity,
                        name_no,
                        prepared,
                        reading_of.get(entity_no, tokens),
                        name_score,
                    )
                )
        return found

    def _best_names(
        self,
        prepared: PreparedQuery,
        threshold: float,
        limit: int,
        accept_name: Callable[[int], bool] | None,
    ) -> tuple[dict[int, tuple[float, int]], dict[int, tuple[str, ...]]]:
        """The best-scoring name of each entity among the candidates the index proposes for the query's name
        (entity number → score and name number), and the reading of the query that scored it."""
        index = self.index
        best: dict[int, tuple[float, int]] = {}
        reading_of: dict[int, tuple[str, ...]] = {}
        tokens = prepared.form.tokens
        incompatible = _INCOMPATIBLE.get(prepared.schema, set()) if prepared.schema else set()
        # the query as written, and read with name parts written together cut apart ("VladimirPutin")
        legal_forms = may_be_organisation(prepared.schema)
        readings = index.readings(tokens, legal_forms=legal_forms)
        # candidates are looked for from below what the facts could add: a name's bound is that of its
        # parts aligned, and a name the scorer reads written together ("Niels Oscar Rost" / "Niels Oscar
        # TROOST") or by a short part's start ("co" / "corp") may score above it (bench/screening_recall.py)
        floor = 0.0 if prepared.identifiers else threshold - MAX_FACT_BONUS
        # names listed alike (an alias on several lists, a common name) are scored once
        scored_alike: dict[tuple[str, ...], tuple[float, tuple[str, ...]]] = {}
        candidates = max(self._candidates, CANDIDATES_PER_MATCH * limit)
        for name_no, _ in index.candidates(
            tokens, limit=candidates, floor=floor, accept=accept_name, legal_forms=legal_forms
        ):
            entity_no = index.entity_of(name_no)
            if index.schema_of(entity_no) in incompatible:
                continue
            listed = index.tokens_of(name_no)
            alike = scored_alike.get(listed)
            if alike is None:
                alike = scored_alike[listed] = max(
                    ((name_similarity(r, listed, index.weight), r) for r in readings), key=lambda x: x[0]
                )
            score, reading = alike
            if entity_no not in best or score > best[entity_no][0]:
                best[entity_no] = (score, name_no)
                reading_of[entity_no] = reading
        return best, reading_of

    def with_identifier(self, text: str, *, only: EntityFilter | None = None) -> list[ListedEntity]:
        """The listed entities that list ``text`` as an identifier (a passport, registration or IMO number:
        four characters or more, a digit among them), in list order."""
        number = normalise_identifier(text)
        if len(number) < 4 or not any(ch.isdigit() for ch in number):
            return []
        index = self.index
        found = (index.entities[n] for n in sorted(index.entities_with_identifiers([number])))
        return [entity for entity in found if only is None or only.accepts(entity)]

    def _explained(self, scored: _Scored) -> Match:
        index = self.index
        _, note = explain_name(scored.reading, index.tokens_of(scored.name_no), index.weight)
        entity_no = index.entity_of(scored.name_no)
        score, explanation = score_entity(
            scored.prepared, scored.entity, scored.name_score, note, index.entity_identifiers[entity_no]
        )
        # the entity is rebuilt once: its listed name is read from it
        original = index.name_as_listed(scored.name_no, scored.entity)
        return Match(scored.entity, round(score, 4), original, explanation)

    def _best_name(self, prepared: PreparedQuery, entity_no: int) -> tuple[float, int]:
        index = self.index
        scored = [
            (name_similarity(prepared.form.tokens, index.tokens_of(n), index.weight), n)
            for n in index.entity_names[entity_no]
        ]
        return max(scored, key=lambda x: (x[0], -x[1]))
