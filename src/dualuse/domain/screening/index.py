"""The in-memory candidate index: from a query's name tokens to the few listed names worth scoring.

Every listed name is tokenised once (`normalise.name_form`). Each distinct token is reachable under
blocking keys that survive spelling variation: the token itself, its one-letter deletions (so that a
typo, a dropped or a swapped letter meets the listed spelling, as in SymSpell), its phonetic key and its
consonant skeleton. A query token is expanded to the listed tokens that share a key and are similar
enough; the names holding them collect the tokens' rarity weights, and the best-scoring names become
candidates. The index is built from list snapshots and is rebuilt, not patched, when a list changes.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from dualuse.domain.screening.model import ListedEntity
from dualuse.domain.screening.normalise import (
    NameForm,
    name_form,
    normalise_identifier,
    phonetic_key,
    simplify,
    skeleton,
)
from dualuse.domain.screening.scoring import COVERAGE_EXPONENT, MISSING_PART_WEIGHT, token_similarity

#: query tokens shorter than this are matched exactly only (deletions of "li" find too much)
_MIN_FUZZY_LEN = 4
_EXPANSION_CACHE_SIZE = 50_000
# per cached query token a dict of the names it reaches: enough for the common names of a day's queries
_REACH_CACHE_SIZE = 8_192


def _deletions(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


@dataclass(frozen=True, slots=True)
class _Lookup:
    """One query token (or two adjacent ones joined) and the listed tokens it reaches."""

    token: str
    gain: float  # the most it adds to a name: similarity times weight
    reach: float  # the most listed-token weight it can account for
    cover: int  # how many query tokens it stands for
    gains: dict[str, float]


def _score_bound(
    gained: float, reached: float, covered: int, weight: float, query_weight: float, size: int
) -> float:
    """The most `scoring.name_similarity` can give a name, from what the index knows of it."""
    reached = min(reached, weight)
    missing = weight - reached
    bound = (gained + reached) / (query_weight + reached + MISSING_PART_WEIGHT * missing)
    if covered < size:
        bound *= (covered / size) ** COVERAGE_EXPONENT
    return bound


def _bound(lookups: list[_Lookup], query_weight: float, size: int) -> float:
    """The most a name reached only through these lookups could score."""
    gained = sum(e.gain for e in lookups)
    reached = sum(e.reach for e in lookups)
    return _score_bound(gained, reached, sum(e.cover for e in lookups), reached, query_weight, size)


class CandidateIndex:
    """Names of listed entities, reachable by exact, deletion, phonetic and skeleton keys."""

    def __init__(self, entities: Iterable[ListedEntity]) -> None:
        self.entities: list[ListedEntity] = []
        #: per name: (entity number, name form)
        self.names: list[tuple[int, NameForm]] = []
        self.entity_identifiers: list[frozenset[str]] = []
        #: per entity: the numbers of its names
        self.entity_names: list[list[int]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        by_identifier: dict[str, list[int]] = defaultdict(list)
        for entity in entities:
            entity_no = len(self.entities)
            self.entities.append(entity)
            numbers = frozenset(
                n for i in entity.identifiers if len(n := normalise_identifier(i.number)) >= 4
            )
            self.entity_identifiers.append(numbers)
            for number in numbers:
                by_identifier[number].append(entity_no)
            seen: set[tuple[str, ...]] = set()
            self.entity_names.append([])
            for raw in entity.names:
                form = name_form(raw, entity.schema)
                if not form.tokens or form.tokens in seen:
                    continue
                seen.add(form.tokens)
                name_no = len(self.names)
                self.names.append((entity_no, form))
                self.entity_names[entity_no].append(name_no)
                for token in set(form.tokens):
                    postings[token].append(name_no)
        self.postings: dict[str, list[int]] = dict(postings)
        self.by_identifier: dict[str, list[int]] = dict(by_identifier)
        total = max(len(self.names), 1)
        self.idf: dict[str, float] = {t: math.log(1.0 + total / len(p)) for t, p in self.postings.items()}
        self.max_weight = math.log(1.0 + total)
        #: per name: the sum of its tokens' weights
        self.name_weights: list[float] = [sum(self.idf[t] for t in form.tokens) for _, form in self.names]
        self.keys: dict[str, list[str]] = self._blocking_keys(self.postings)
        self._expansions: dict[str, list[tuple[str, float]]] = {}
        self._reach_cache: dict[str, list[tuple[int, float, str]]] = {}

    @staticmethod
    def _blocking_keys(vocabulary: Iterable[str]) -> dict[str, list[str]]:
        keys: dict[str, list[str]] = defaultdict(list)
        for token in vocabulary:
            if len(token) >= _MIN_FUZZY_LEN and not token.isdigit():
                keys["~" + token].append(token)
                for deleted in _deletions(token):
                    keys["~" + deleted].append(token)
            if len(token) >= 3 and not token.isdigit():
                keys["p:" + phonetic_key(token)].append(token)
                keys["s:" + skeleton(token)].append(token)
                keys["t:" + simplify(token)].append(token)
        return dict(keys)

    def __len__(self) -> int:
        return len(self.entities)

    def weight(self, token: str) -> float:
        """How much sharing this token says: rare tokens weigh more (inverse document frequency)."""
        weight = self.idf.get(token)
        if weight is None:
            expansions = self.expand(token)
            return max((self.idf[t] for t, _ in expansions[:1]), default=self.max_weight)
        return weight

    def expand(self, token: str) -> list[tuple[str, float]]:
        """Listed tokens similar to ``token``, most similar first, with their similarity."""
        cached = self._expansions.get(token)
        if cached is not None:
            return cached
        found: set[str] = set()
        if token in self.postings:
            found.add(token)
        if len(token) >= 3 and not token.isdigit():
            for key in ("p:" + phonetic_key(token), "s:" + skeleton(token), "t:" + simplify(token)):
                found.update(self.keys.get(key, ()))
        if len(token) >= _MIN_FUZZY_LEN - 1 and not token.isdigit():
            for deleted in {token} | _deletions(token):
                found.update(self.keys.get("~" + deleted, ()))
        scored = [(t, s) for t in found if (s := token_similarity(token, t)) > 0.0]
        scored.sort(key=lambda x: (-x[1], x[0]))
        if len(self._expansions) >= _EXPANSION_CACHE_SIZE:
            self._expansions.clear()
        self._expansions[token] = scored
        return scored

    def candidates(
        self, tokens: tuple[str, ...], *, limit: int = 40, floor: float = 0.0
    ) -> list[tuple[int, float]]:
        """Names (by number) that could score at least ``floor`` against the query tokens, best first.

        A name's bound assumes that all its own tokens align perfectly and the query tokens it shares
        do as well as their blocking keys say; names below the floor are not worth scoring.
        """
        unique = list(dict.fromkeys(tokens))
        # parts written apart in the query may be one word on the list ("abdul hai" / "abdulhai")
        covers = {t: tokens.count(t) for t in unique}
        for a, b in itertools.pairwise(tokens):
            covers.setdefault(a + b, 2)
        lookups: list[_Lookup] = []
        for token, cover in covers.items():
            expansions = self.expand(token)
            if expansions:
                gains = {listed: similarity * self.idf[listed] for listed, similarity in expansions}
                reach = max(self.idf[listed] for listed in gains)
                lookups.append(_Lookup(token, max(gains.values()), reach, cover, gains))
        if not lookups:
            return []
        query_weight = sum(self.weight(t) for t in unique)
        size = len(tokens)
        # MaxScore: a name that shares none of the rarer "essential" tokens cannot collect enough
        # from the common ones alone, so the long posting lists of common tokens are not walked
        lookups.sort(key=lambda e: -e.gain)
        essential = 1
        while essential < len(lookups) and _bound(lookups[essential:], query_weight, size) >= floor:
            essential += 1
        gained_by: dict[int, float] = defaultdict(float)
        reached_by: dict[int, float] = defaultdict(float)
        covered_by: dict[int, int] = defaultdict(int)
        idf = self.idf
        for lookup in lookups[:essential]:
            cover = lookup.cover
            for name_no, gained, listed in self._reached(lookup):
                gained_by[name_no] += gained
                reached_by[name_no] += idf[listed]
                covered_by[name_no] += cover
        rest = lookups[essential:]
        rest_gain = sum(e.gain for e in rest)
        rest_reach = sum(e.reach for e in rest)
        rest_cover = sum(e.cover for e in rest)
        names = self.names
        weights = self.name_weights
        passing = []
        # _score_bound inlined: this loop runs for every name the essential tokens reach
        for name_no, gained in gained_by.items():
            reached, covered, weight = reached_by[name_no], covered_by[name_no], weights[name_no]
            if rest:
                most = reached + rest_reach
                if most > weight:
                    most = weight
                bound = (gained + rest_gain + most) / (
                    query_weight + most + MISSING_PART_WEIGHT * (weight - most)
                )
                if covered + rest_cover < size:
                    bound *= ((covered + rest_cover) / size) ** COVERAGE_EXPONENT
                if bound < floor:
                    continue
                listed_tokens = names[name_no][1].tokens
                for lookup in rest:
                    found = [(g, t) for t in listed_tokens if (g := lookup.gains.get(t)) is not None]
                    if found:
                        g, t = max(found)
                        gained += g
                        reached += idf[t]
                        covered += lookup.cover
            bound = _score_bound(gained, reached, covered, weight, query_weight, size)
            if bound >= floor:
                passing.append((name_no, bound))
        return heapq.nlargest(limit, passing, key=itemgetter(1))

    def _reached(self, lookup: _Lookup) -> list[tuple[int, float, str]]:
        """The names a lookup reaches, best gain first, with the listed token that gives it (cached)."""
        cached = self._reach_cache.get(lookup.token)
        if cached is not None:
            return cached
        best: dict[int, tuple[float, str]] = {}
        postings = self.postings
        for listed, gained in lookup.gains.items():
            for name_no in postings[listed]:
                if name_no not in best or gained > best[name_no][0]:
                    best[name_no] = (gained, listed)
        ranked = sorted(((n, g, t) for n, (g, t) in best.items()), key=lambda x: (-x[1], x[0]))
        if len(self._reach_cache) >= _REACH_CACHE_SIZE:
            self._reach_cache.clear()
        self._reach_cache[lookup.token] = ranked
        return ranked

    def entities_with_identifiers(self, numbers: Iterable[str]) -> set[int]:
        """Entity numbers that list any of these (normalised) identifiers."""
        found: set[int] = set()
        for number in numbers:
            found.update(self.by_identifier.get(number, ()))
        return found
