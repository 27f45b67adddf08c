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
import math
from collections import defaultdict
from collections.abc import Iterable
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
from dualuse.domain.screening.scoring import FUZZY_STRETCH, MISSING_PART_WEIGHT, TOKEN_FLOOR, token_similarity

#: query tokens shorter than this are matched exactly only (deletions of "li" find too much)
_MIN_FUZZY_LEN = 4
_EXPANSION_CACHE_SIZE = 50_000
#: 1 / the least similarity of two aligned tokens, less one: how far a fuzzy gain may understate
_MAX_STRETCH = 1.0 / (1.0 - FUZZY_STRETCH * (1.0 - TOKEN_FLOOR)) - 1.0


def _deletions(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


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
        lookups = unique + [a + b for a, b in zip(tokens, tokens[1:], strict=False)]
        expansions = []
        for token in dict.fromkeys(lookups):
            gains = {listed: similarity * self.idf[listed] for listed, similarity in self.expand(token)}
            if gains:
                expansions.append((max(gains.values()), gains))
        if not expansions:
            return []
        query_weight = sum(self.weight(t) for t in unique)
        # MaxScore: a name that shares none of the rarer "essential" tokens cannot collect enough
        # weight from the common ones alone, so the long posting lists of common tokens are not walked
        needed = query_weight * floor / (1.0 + _MAX_STRETCH - _MAX_STRETCH * floor)
        expansions.sort(key=lambda e: -e[0])
        tail = sum(e[0] for e in expansions)
        essential = 0
        while essential < len(expansions) and tail >= needed:
            tail -= expansions[essential][0]
            essential += 1
        essential = max(essential, 1)
        gained_by: dict[int, float] = defaultdict(float)
        reached_by: dict[int, float] = defaultdict(float)
        for _, gains in expansions[:essential]:
            best: dict[int, tuple[float, str]] = {}
            for listed, gained in gains.items():
                for name_no in self.postings[listed]:
                    if name_no not in best or gained > best[name_no][0]:
                        best[name_no] = (gained, listed)
            for name_no, (gained, listed) in best.items():
                gained_by[name_no] += gained
                reached_by[name_no] += self.idf[listed]
        rest = [gains for _, gains in expansions[essential:]]
        names = self.names
        weights = self.name_weights
        passing = []
        for name_no, gained in gained_by.items():
            reached = reached_by[name_no]
            if rest:
                listed_tokens = names[name_no][1].tokens
                for gains in rest:
                    found = [(g, t) for t in listed_tokens if (g := gains.get(t)) is not None]
                    if found:
                        g, t = max(found)
                        gained += g
                        reached += self.idf[t]
            reached = min(reached, weights[name_no])
            missing = weights[name_no] - reached
            bound = (gained + reached) / (query_weight + reached + MISSING_PART_WEIGHT * missing)
            if bound >= floor:
                passing.append((name_no, bound))
        return heapq.nlargest(limit, passing, key=itemgetter(1))

    def entities_with_identifiers(self, numbers: Iterable[str]) -> set[int]:
        """Entity numbers that list any of these (normalised) identifiers."""
        found: set[int] = set()
        for number in numbers:
            found.update(self.by_identifier.get(number, ()))
        return found
