"""The in-memory candidate index: from a query's name tokens to the few listed names worth scoring.

Every listed name is tokenised once (`normalise.name_form`). Each distinct token is reachable under
blocking keys that survive spelling variation: the token itself, its one-letter deletions (so that a
typo, a dropped or a swapped letter meets the listed spelling, as in SymSpell), its phonetic key and its
consonant skeleton. A query token is expanded to the listed tokens that share a key and are similar
enough; the names holding them collect the tokens' rarity weights, and the best-scoring names become
candidates. The index is built from list snapshots and is rebuilt, not patched, when a list changes.

Candidate generation does not walk the posting lists of common tokens name by name: it works out which
sets of query tokens could, together, lift a name above the floor (a name sharing only "Mohammed" with
the query cannot), and intersects the sets of names those tokens reach, so that only names sharing
enough with the query are bounded one by one. Those sets are compressed bitmaps (Roaring, `pyroaring`):
per token the names holding it, and per listed token the names its spellings reach, worked out when the
index is built. The bounds are the same as walking every name would give.
A query token's rare spellings gain the most ("aly" for "ali") and few names hold them: the names it
reaches through its rare, middling and common spellings are found apart, and of the names a set of
tokens reaches only those light enough (few listed parts the query lacks) are bounded one by one. A query
of many parts has too many sets of tokens to form: the names it reaches are counted instead, and only
those reached through as many of its tokens as could pass together are bounded.

What a query reads is kept in buffers (arrays, one text buffer, hash tables, the entities packed as
bytes, bitmaps whose contents lie outside Python's objects), not in Python objects: forked workers share
the index, and reading an object would write its reference count and copy its page into the worker."""

from __future__ import annotations

import itertools
import marshal
import math
from array import array
from bisect import bisect_left
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt
from pyroaring import AbstractBitMap, FrozenBitMap
from rapidfuzz.distance import Levenshtein

from dualuse.domain.screening.model import EntityFilter, EntitySchema, Identifier, ListedEntity
from dualuse.domain.screening.normalise import (
    NameForm,
    name_form,
    normalise_identifier,
    one_letter_deletions,
    phonetic_key,
    simplify,
    skeleton,
    without_glued_legal_form,
)
from dualuse.domain.screening.scoring import (
    COMPACT_FLOOR,
    COVERAGE_EXPONENT,
    FUZZY_STRETCH,
    MISSING_PART_WEIGHT,
    QUERY_EXTRA_EXPONENT,
    QUERY_EXTRA_WEIGHT,
    TRANSLIT_DISCOUNT,
    compact_forms,
    token_similarity,
    written_apart,
)

#: query tokens shorter than this are matched exactly only (deletions of "li" find too much)
_MIN_FUZZY_LEN = 4
#: listed tokens at least this long are also found by their two-letter deletions: two edits in seven
#: letters are as alike as the scorer aligns ("starkey" / "starmer"); query tokens from one letter less,
#: so that one two letters longer than a listed token meets it ("abiyot" / "abiy", a truncation)
_MIN_TWO_EDIT_LEN = 7
_MIN_TWO_EDIT_QUERY_LEN = 6
_EXPANSION_CACHE_SIZE = 50_000
# per cached query token a dict of the names it reaches: enough for the common names of a day's queries
_REACH_CACHE_SIZE = 8_192
#: and the most names all those cached sets hold together (a common token reaches many on a large index)
_NAME_SET_BUDGET = 2_000_000
#: with more names times lookups than this, names are bounded all at once on arrays, not one by one
_MANY_LOOKUPS = 512
#: sets of lookups are formed of this many at most; with more essential lookups all their names are looked at
_MAX_SUBSET_LOOKUPS = 7
#: bands of how many names hold a listed token: the names a query token reaches through its spellings
#: of each band are found apart (see `_tiers`)
_TIER_POSTINGS = (64, 1024)
#: a query token is split so only where its common spellings reach this many names at least: for fewer,
#: bounding them one by one costs less than forming more sets
_MIN_SPLIT_NAMES = 2048
#: the names a set of lookups reaches are weighed only from this many on (see `_reached_names`)
_MIN_WEIGHED_NAMES = 64
#: tolerance of float sums when telling whether every part of a listed name was reached
_EPSILON = 1e-9
#: query tokens at least this long that are no listed name part are tried as name parts written together
_MIN_GLUED_LEN = 6
_MAX_GLUED_READINGS = 4
#: each part of a glued token is this long at least ("hannah" is no "hann" + "ah"); a misspelt one, _MIN_GLUED_LEN
_MIN_PART_LEN = 3
#: the shortest listed part a query part is looked up by as its start ("air" for "airlines"), and the shortest
#: query part that looks up the listed parts it starts ("tech" for "technology")
_MIN_PREFIX_LEN = 3
#: and the most names it may be in: this many, or one name in `_PREFIX_SHARE` on a longer list. A common part
#: ("ali", "kim") that starts many query parts reaches many names and, at the 0.6 the scorer gives a
#: shortened name, lifts few of them to a match
_FEW_PREFIX_NAMES = 64
_PREFIX_SHARE = 400
#: the most listed parts a query part is looked up by as their start ("tech" for "technology")
_MAX_LONGER = 256
#: a lookup left out of the sets of lookups that reaches at most this many names has its names all taken
_FEW_NAMES = 4096
#: a set of lookups that reaches at least this many names has those reached through it alone weighed apart
_MANY_REACHED = 2048
#: and from this many on, those reached through it alone are weighed without the lookups counted as reaching
#: every name and band by band (`_reached_alone`): intersecting the set with every other lookup's names costs
#: more than it saves on fewer
_MOST_REACHED = 16_384


#: listed names written together ("airkoryo") of at most this many letters are also found so, as the scorer
#: compares names written together: with one letter more, missing or changed, from this many letters on (one
#: edit in seven is the scorer's `COMPACT_FLOOR`), and as written from any length
_MAX_COMPACT_LEN = 16
_MIN_COMPACT_EDIT_LEN = 7

_NO_NUMBERS: frozenset[str] = frozenset()
_SCHEMAS = tuple(EntitySchema)
_SCHEMA_NUMBERS = {schema: number for number, schema in enumerate(_SCHEMAS)}

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.signedinteger[Any]]


def _alias_parts(names: Iterable[str]) -> Iterable[str]:
    """The names of a listed entity, and the parts of a name that lists aliases with slashes
    ("Al-Qa'ida/Islamic Army"); a slash between short parts is a legal form ("A/S") and stays."""
    yield from names  # first, so that the n-th name yielded is the entity's n-th name
    for name in names:
        if "/" in name:
            parts = [p.strip() for p in name.split("/")]
            if len(parts) > 1 and all(sum(ch.isalpha() for ch in p) >= 4 for p in parts):
                yield from parts


def _two_deletions(token: str) -> set[str]:
    """The token less two of its letters."""
    length = len(token)
    return {
        token[:i] + token[i + 1 : j] + token[j + 1 :] for i in range(length - 1) for j in range(i + 1, length)
    }


def _skeleton_key(token: str) -> str:
    return "s:" + skeleton(token)


def _spelling_keys(token: str) -> tuple[str, str, str]:
    """Keys that spellings of one name share: phonetic key, consonant skeleton, simplified spelling."""
    return ("p:" + phonetic_key(token), _skeleton_key(token), "t:" + simplify(token))


@dataclass(frozen=True, slots=True)
class _Reach:
    """What one query token (or two adjacent ones joined) reaches on the lists; cached per token."""

    gain: float  # the most it adds to a name: similarity times weight
    reach: float  # the most listed-token weight it can account for
    tokens: IntArray  # the listed tokens it reaches, by number
    gains: FloatArray  # and for each, similarity times its weight


@dataclass(slots=True)
class _Lookup:
    """A query token's reach together with how many query tokens it stands for in this query."""

    token: str
    gain: float
    reach: float
    cover: int
    tokens: IntArray
    gains: FloatArray
    joined: bool
    #: all the listed tokens the query token reaches (0), or those of one band of frequency (1, 2, ...)
    tier: int = 0
    #: the number of the query token where it is a listed token itself (not joined), else -1
    listed: int = -1


def _written_together_forms(tokens: tuple[str, ...]) -> tuple[list[str], str]:
    """A name written together as the scorer compares names so (`scoring.compact_forms`), for looking it
    up one letter off: as it is, and where a type word is written together with a part, with that word
    in its short spelling ("rosoboronexport" → "rosoboronexp"); and simplified with its type words so
    ("rosoboroneksport" → "rosoboroneksp", "rosoboron exp" → "rosoboroneksp"), for looking it up as it
    is. A listed name is keyed by the last only where a type word is written together with a part."""
    forms = compact_forms(tokens)
    return [forms.joined] if forms.apart == forms.joined else [forms.joined, forms.apart], forms.simple_apart


def _compact_lookups(together: str) -> set[str]:
    """The keys a name written together is found by: itself, and from `_MIN_COMPACT_EDIT_LEN` letters on
    its one-letter deletions too (`normalise.one_letter_deletions`, as SymSpell)."""
    return (
        one_letter_deletions(together, itself=True) if len(together) >= _MIN_COMPACT_EDIT_LEN else {together}
    )


def _times(joined: bool, cover: int) -> int:
    """How many listed parts a lookup may align with: a query part written k times, k; two joined, one."""
    return 1 if joined else cover


def _score_bound(
    gained: float, reached: float, covered: int, weight: float, query_weight: float, size: int
) -> float:
    """The most `scoring.name_similarity` can give a name, from what the index knows of it."""
    reached = min(reached, weight)
    missing = weight - reached
    bound = (gained + reached) / (query_weight + reached + MISSING_PART_WEIGHT * missing)
    if covered < size:
        bound *= (covered / size) ** COVERAGE_EXPONENT
        if missing <= _EPSILON * weight and covered >= 2:
            # every listed part found, some query parts not: those weigh less (scoring.QUERY_EXTRA_WEIGHT)
            bound = max(bound, _one_sided_bound(gained, reached, covered, query_weight, size))
    return bound


def _score_bound_within(
    gained: float, reached: float, covered: int, weight: float, query_weight: float, size: int
) -> float:
    """The most `_score_bound` gives a name that gains, reaches and covers no more than this.

    `_score_bound` grows with each, but for one step: a name covering every query part has no one-sided
    bound, and one covering a part less, with every listed part reached, may score more through it (two
    query parts joined and one of them alone may reach the same listed part and count its weight twice,
    so that a name with a part the query lacks seems to have every part reached). So where these cover
    the whole query, the bound at a part less counts too (its two-sided bound is no larger, its one-sided
    bound may be).
    """
    bound = _score_bound(gained, reached, covered, weight, query_weight, size)
    if covered >= size:
        bound = max(bound, _score_bound(gained, reached, size - 1, weight, query_weight, size))
    return bound


def _one_sided_bound(gained: float, reached: float, covered: int, query_weight: float, size: int) -> float:
    """The most a name whose every part the query holds can score, with query parts left over.

    The scorer divides by the weight of the query parts found, of those left over at
    `QUERY_EXTRA_WEIGHT`, and of the listed parts. What the parts found add above is no more than they
    weigh nor than they gain (`gained`): the bound is largest where they weigh what they gain (and no
    more than the query), and is never above 1. (It was once taken as unbounded where they gain half the
    query's weight, which put every name holding some of the query's parts ahead of the name itself.)
    """
    found = min(gained, query_weight)
    bound: float = (
        (found + reached)
        / (QUERY_EXTRA_WEIGHT * (query_weight + found) + reached)
        * (covered / size) ** QUERY_EXTRA_EXPONENT
    )
    return bound


def _score_bounds(
    gained: FloatArray,
    reached: FloatArray,
    covered: FloatArray,
    weight: FloatArray,
    query_weight: float,
    size: int,
) -> FloatArray:
    """`_score_bound` of many names at once."""
    reached = np.minimum(reached, weight)
    missing = weight - reached
    bound = (gained + reached) / (query_weight + reached + MISSING_PART_WEIGHT * missing)
    # the query parts a name covers are a whole number, at most the query's: the powers of the share
    # covered are read from a table of them rather than worked out per name
    parts = np.minimum(covered, size).astype(np.intp)
    shares = np.arange(size + 1) / size
    coverage = shares**COVERAGE_EXPONENT
    coverage[size] = 1.0
    bound *= coverage[parts]
    one_sided = (parts < size) & (missing <= _EPSILON * weight) & (parts >= 2)
    if one_sided.any():
        found = np.minimum(gained, query_weight)
        with np.errstate(divide="ignore", invalid="ignore"):
            other = (
                (found + reached)
                / (QUERY_EXTRA_WEIGHT * (query_weight + found) + reached)
                * (shares**QUERY_EXTRA_EXPONENT)[parts]
            )
        bound = np.where(one_sided, np.maximum(bound, other), bound)
    return bound


def _sums(owner: IntArray, values: FloatArray, count: int) -> FloatArray:
    """Per owner (0 to count - 1), the sum of its values."""
    return np.bincount(owner, weights=values, minlength=count).astype(np.float64, copy=False)


def _expand(counts: IntArray) -> tuple[IntArray, IntArray]:
    """For runs of these lengths laid end to end: the run each place belongs to, and its place in it."""
    owner = np.repeat(np.arange(len(counts)), counts)
    ends = np.cumsum(counts)
    offsets = np.arange(int(ends[-1]) if len(ends) else 0) - np.repeat(ends - counts, counts)
    return owner, offsets


def _union(sets: list[IntArray]) -> IntArray:
    """The names in any of these sorted arrays, sorted."""
    if len(sets) == 1:
        return sets[0]
    if not sets:
        return np.zeros(0, dtype=np.int32)
    # a stable sort of integers is a radix sort: several times faster than np.unique's
    joined = np.sort(np.concatenate(sets), kind="stable")
    distinct = np.ones(len(joined), dtype=bool)
    distinct[1:] = joined[1:] != joined[:-1]
    return joined[distinct]


def _numbers(names: AbstractBitMap) -> IntArray:
    """The names of a bitmap as a sorted array (name numbers are below 2**31)."""
    found: IntArray = np.frombuffer(names.to_array(), dtype=np.uint32).view(np.int32)
    return found


def _bound(lookups: Sequence[_Lookup], query_weight: float, size: int) -> float:
    """The most a name reached only through these lookups could score.

    That of the set they form (`_set_bound`), the one-sided bound included: a name reached through lookups
    covering the whole query may cover fewer of its parts (two joined and one of them alone), and through
    the one-sided bound score more than the set's two-sided bound allows.
    """
    gained = reached = 0.0
    covered = 0
    for lookup in lookups:
        gained += lookup.gain
        reached += lookup.reach
        covered += lookup.cover
    return _set_bound(gained, reached, covered, query_weight, size)


def _essential(lookups: Sequence[_Lookup], query_weight: float, size: int, floor: float) -> int:
    """How many of the lookups (best gain first) a name must be reached through one of to pass the
    floor (MaxScore): names reached only through the rest cannot collect enough from them."""
    essential = 1
    while essential < len(lookups) and _bound(lookups[essential:], query_weight, size) >= floor:
        essential += 1
    return essential


#: a set of lookups through which a listed name of any weight could pass
_ANY_WEIGHT = (0.0, math.inf)


def _weight_span(
    gained: float, reached: float, covered: int, query_weight: float, size: int, floor: float
) -> tuple[float, float]:
    """The lightest and the heaviest listed name that a set of lookups, gaining ``gained`` and reaching
    ``reached`` together, could lift to the floor (`_score_bound` of a name of each weight).

    The set's bounds at the weight it reaches are `_set_bounds`. A name lighter than
    that has no more of its weight reached than it weighs: (gained + weight) / (query_weight + weight),
    times the share of the query covered, which grows with the weight; a heavier one lacks parts, which
    cost `MISSING_PART_WEIGHT` each, and its bound falls with its weight. Through the one-sided bound (every
    listed part found, `_one_sided_bound`) a name weighs no more than was reached, and its bound also grows
    with its weight. So a name common to many queries' sets ("al") that holds little else weighs too
    little to pass through the set of that part alone.
    """
    two_sided, one_sided = _set_bounds(gained, reached, covered, query_weight, size)
    lightest, heaviest = math.inf, -math.inf
    if two_sided >= floor:
        share = (covered / size) ** COVERAGE_EXPONENT if covered < size else 1.0
        # below 1: the set's bound at the weight reached, (gained + reached) / (query_weight + reached)
        # times the share, is at least the floor, and gained < query_weight
        need = floor / share
        lightest = (need * query_weight - gained) / (1.0 - need)
        heaviest = (
            reached + ((gained + reached) * share / floor - query_weight - reached) / MISSING_PART_WEIGHT
        )
    if one_sided >= floor:
        found = min(gained, query_weight)
        need = floor / (min(covered, size - 1) / size) ** QUERY_EXTRA_EXPONENT
        lightest = min(lightest, (need * QUERY_EXTRA_WEIGHT * (query_weight + found) - found) / (1.0 - need))
        heaviest = max(heaviest, reached)
    return max(0.0, lightest) * (1.0 - _EPSILON) - _EPSILON, heaviest * (1.0 + _EPSILON) + _EPSILON


def _set_bounds(
    gained: float, reached: float, covered: int, query_weight: float, size: int
) -> tuple[float, float]:
    """The two-sided and the one-sided bound (`_score_bound`) of a name reached through a set of lookups
    and weighing what the set reaches. Through the one-sided bound the name covers no more query parts
    than the set, and fewer than the query has (0 where it cannot cover two)."""
    share = (covered / size) ** COVERAGE_EXPONENT if covered < size else 1.0
    two_sided = (gained + reached) / (query_weight + reached) * share
    parts = min(covered, size - 1)
    one_sided = _one_sided_bound(gained, reached, parts, query_weight, size) if parts >= 2 else 0.0
    return two_sided, one_sided


def _set_bound(gained: float, reached: float, covered: int, query_weight: float, size: int) -> float:
    """The most a name reached through a set of lookups, gaining ``gained``, reaching ``reached`` and covering
    ``covered`` query parts together, could score: the larger of `_set_bounds`, or no limit where the set
    gains what the query weighs (fewer reached listed parts would make the bound larger still)."""
    if gained >= query_weight:
        return math.inf
    return max(_set_bounds(gained, reached, covered, query_weight, size))


def _set_span(
    gained: float, reached: float, covered: int, query_weight: float, size: int, floor: float
) -> tuple[float, float] | None:
    """The weights of the listed names that a set of lookups, gaining ``gained``, reaching ``reached`` and
    covering ``covered`` query parts together, could lift to the floor (`_weight_span`); None if it lifts
    none, and any weight where it gains what the query weighs."""
    bound = _set_bound(gained, reached, covered, query_weight, size)
    if bound < floor:
        return None
    if bound == math.inf or floor <= 0.0:
        return _ANY_WEIGHT
    return _weight_span(gained, reached, covered, query_weight, size, floor)


class _Spans:
    """Per passing set of lookups (a bit mask), the weights of the names it could lift to the floor
    (`_weight_span`), worked out when first asked for: most sets reach few names, which are not weighed."""

    def __init__(self, query_weight: float, size: int, floor: float) -> None:
        self._query_weight, self._size, self._floor = query_weight, size, floor
        #: per passing set: what it gains, reaches and covers
        self._sets: dict[int, tuple[float, float, int]] = {}
        self._spans: dict[int, tuple[float, float]] = {}
        self._hulls: dict[int, tuple[float, float] | None] = {}

    def add(self, mask: int, gained: float, reached: float, covered: int) -> None:
        """A set that passes the floor (`_set_bound`)."""
        self._sets[mask] = (gained, reached, covered)

    def __getitem__(self, mask: int) -> tuple[float, float]:
        span = self._spans.get(mask)
        if span is None:
            # the set passes: `_set_span` gives a span
            span = _set_span(*self._sets[mask], self._query_weight, self._size, self._floor) or _ANY_WEIGHT
            self._spans[mask] = span
        return span

    def hull(self, mask: int) -> tuple[float, float] | None:
        """The weights a name reached through the lookups of ``mask`` (and maybe more) could pass with:
        those of any passing set holding them; None if no set holding them passes."""
        if mask in self._hulls:
            return self._hulls[mask]
        lightest, heaviest = math.inf, -math.inf
        for other in self._sets:
            if other & mask == mask:
                light, heavy = self[other]
                lightest = min(lightest, light)
                heaviest = max(heaviest, heavy)
        hull = self._hulls[mask] = None if heaviest < lightest else (lightest, heaviest)
        return hull


def _weighing(names: IntArray, weights: FloatArray, span: tuple[float, float]) -> IntArray:
    """The names whose weight lies in the span."""
    held = weights[names]
    kept: IntArray = names[(held >= span[0]) & (held <= span[1])]
    return kept


def _int_array(values: npt.NDArray[Any], typecode: str) -> array[int]:
    found = array(typecode)
    found.frombytes(values.tobytes())
    return found


def _fewest_passing(lookups: Sequence[_Lookup], query_weight: float, size: int, floor: float) -> int:
    """How many lookups a name must be reached through, at least, to pass the floor: 1, 2, or 3 when no
    two can pass together."""
    if any(_bound((lookup,), query_weight, size) >= floor for lookup in lookups):
        return 1
    if any(_bound(pair, query_weight, size) >= floor for pair in itertools.combinations(lookups, 2)):
        return 2
    return 3


class _Vocabulary:
    """The distinct listed tokens, numbered: their text end to end in one buffer, found by hash.

    A dict from token to number would do, but reading a value from a dict writes the value's reference
    count, and a forked worker would copy the page it sits on. Here a token is found by binary search
    among the hashes of all tokens (Python's ``hash``, which forked workers share) and its text compared;
    nothing the index holds is written.
    """

    def __init__(self, tokens: Sequence[str]) -> None:
        encoded = [token.encode() for token in tokens]
        self._ends = array("q", itertools.accumulate(len(e) for e in encoded))
        self._text = memoryview(b"".join(encoded))
        hashes = np.fromiter((hash(t) for t in tokens), dtype=np.int64, count=len(tokens))
        order = np.argsort(hashes, kind="stable")
        self._hashes = _int_array(hashes[order], "q")
        self._numbers = _int_array(order.astype(np.int32), "i")

    def __len__(self) -> int:
        return len(self._ends)

    def text(self, number: int) -> str:
        ends = self._ends
        return str(self._text[ends[number - 1] if number else 0 : ends[number]], "utf-8")

    def number(self, token: str) -> int:
        """The token's number, or -1 if no listed name holds it."""
        hashes = self._hashes
        key = hash(token)
        at = bisect_left(hashes, key)
        while at < len(hashes) and hashes[at] == key:
            number = self._numbers[at]
            if self.text(number) == token:
                return number
            at += 1
        return -1


class _KeyTable:
    """Listed tokens (by number) by blocking key, found by the key's hash: as `_Vocabulary`, nothing is
    written on reading. Two keys of the same hash share their tokens: a few more listed tokens are then
    compared with the query token, and none is lost."""

    def __init__(self, pairs: Iterable[tuple[str, int]]) -> None:
        keys: list[int] = []
        numbers = array("i")
        for key, number in pairs:
            keys.append(hash(key))
            numbers.append(number)
        hashes = np.asarray(keys, dtype=np.int64)
        tokens = np.frombuffer(numbers, dtype=np.int32)
        order = np.lexsort((tokens, hashes))
        hashes, tokens = hashes[order], tokens[order]
        once = np.ones(len(hashes), dtype=bool)
        once[1:] = (hashes[1:] != hashes[:-1]) | (tokens[1:] != tokens[:-1])
        hashes, tokens = hashes[once], tokens[once]
        first = np.ones(len(hashes), dtype=bool)
        first[1:] = hashes[1:] != hashes[:-1]
        starts = np.flatnonzero(first)
        self._hashes = _int_array(hashes[starts], "q")
        self._starts = _int_array(np.append(starts, len(hashes)), "q")
        self._tokens = _int_array(tokens, "i")

    def get(self, key: str) -> array[int] | None:
        """The tokens under this key, if any."""
        hashes = self._hashes
        hashed = hash(key)
        at = bisect_left(hashes, hashed)
        if at == len(hashes) or hashes[at] != hashed:
            return None
        return self._tokens[self._starts[at] : self._starts[at + 1]]


class _PackedEntities(Sequence[ListedEntity]):
    """The listed entities, each kept as bytes (``marshal``) end to end in one buffer, rebuilt when read.

    Reading an object writes its reference count, so a forked worker that read the entity objects of
    its matches would copy, one by one, the pages a million entities sit on; reading bytes writes
    nothing, and the workers share the buffer. Only the entities of matches are rebuilt.
    """

    def __init__(self) -> None:
        self._packed = bytearray()
        #: where each entity's bytes end
        self._ends = array("q")
        self._view = memoryview(b"")

    def append(self, entity: ListedEntity) -> None:
        listed_on = entity.listed_on.toordinal() if entity.listed_on else 0
        identifiers = tuple((i.kind, i.number, i.country) for i in entity.identifiers)
        self._packed += marshal.dumps(
            (
                entity.source,
                entity.entity_id,
                _SCHEMA_NUMBERS[entity.schema],
                entity.names,
                entity.birth_dates,
                entity.countries,
                identifiers,
                entity.programs,
                listed_on,
            )
        )
        self._ends.append(len(self._packed))

    def close(self) -> None:
        """No more entities: reading begins."""
        self._view = memoryview(self._packed)

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, entity_no: int) -> ListedEntity:  # type: ignore[override]  # no slices
        if not 0 <= entity_no < len(self._ends):
            raise IndexError(entity_no)
        start = self._ends[entity_no - 1] if entity_no else 0
        packed = self._view[start : self._ends[entity_no]]
        # bytes this object wrote itself from a listed entity, never bytes from outside
        fields = marshal.loads(packed)  # noqa: S302 - written by `append` above
        source, entity_id, schema, names, births, countries, identifiers, programs, listed_on = fields
        return ListedEntity(
            source,
            entity_id,
            _SCHEMAS[schema],
            names,
            births,
            countries,
            tuple(Identifier(*i) for i in identifiers),
            programs,
            date.fromordinal(listed_on) if listed_on else None,
        )


class _Names(Sequence[tuple[int, NameForm]]):
    """Per listed name, its entity number and its name form, made from the index's flat arrays."""

    def __init__(
        self,
        entities: _PackedEntities,
        entity: array[int],
        position: array[int],
        tokens_of: Callable[[int], tuple[str, ...]],
    ) -> None:
        self._entities = entities
        self._entity = entity
        self._position = position
        self._tokens_of = tokens_of

    def __len__(self) -> int:
        return len(self._entity)

    def __getitem__(self, name_no: int) -> tuple[int, NameForm]:  # type: ignore[override]  # no slices
        entity_no = self._entity[name_no]
        original = self.original(name_no, self._entities[entity_no].names)
        return entity_no, NameForm(original=original, tokens=self._tokens_of(name_no))

    def original(self, name_no: int, names: Sequence[str]) -> str:
        """The name as listed, among the names of its entity."""
        position = self._position[name_no]
        return names[position] if position < len(names) else _alias_part(names, position)


def _alias_part(names: Sequence[str], position: int) -> str:
    for number, raw in enumerate(_alias_parts(names)):
        if number == position:
            return raw
    raise IndexError(position)


class _EntityNames(Sequence[range]):
    """Per entity, the numbers of its names (consecutive)."""

    def __init__(self, first: array[int]) -> None:
        self._first = first

    def __len__(self) -> int:
        return len(self._first) - 1

    def __getitem__(self, entity_no: int) -> range:  # type: ignore[override]  # no slices
        return range(self._first[entity_no], self._first[entity_no + 1])


class CandidateIndex:
    """Names of listed entities, reachable by exact, deletion, phonetic and skeleton keys."""

    def __init__(self, entities: Iterable[ListedEntity]) -> None:
        #: the listed entities, by number
        self.entities = _PackedEntities()
        #: the lists the entities come from, and per entity the number of its list among them
        self.sources: list[str] = []
        source_numbers: dict[str, int] = {}
        entity_source = array("H")
        self.entity_identifiers: list[frozenset[str]] = []
        # per name, in flat arrays rather than an object each (a million names would otherwise take
        # gigabytes, and forked workers would copy the pages their reference counts touch): its entity,
        # which of the entity's names it is, and its tokens; an entity's names are numbered one after the other
        name_entity = array("i")
        entity_schema = array("B")  # per entity, the number of its schema in _SCHEMAS
        name_position = array("i")
        entity_first = array("i", [0])
        name_start = array("i", [0])
        name_token_numbers = array("i")
        vocabulary: list[str] = []  # the distinct tokens, numbered
        numbered: dict[str, int] = {}
        by_identifier: dict[str, list[int]] = defaultdict(list)
        #: two short listed name parts side by side, written together ("ku ja" as "kuja"): `_glued_readings`
        short_glued: dict[str, tuple[str, str]] = {}
        for entity in entities:
            entity_no = len(self.entities)
            self.entities.append(entity)
            entity_schema.append(_SCHEMA_NUMBERS[entity.schema])
            source_no = source_numbers.get(entity.source)
            if source_no is None:
                source_no = source_numbers[entity.source] = len(self.sources)
                self.sources.append(entity.source)
            entity_source.append(source_no)
            numbers = (
                frozenset(n for i in entity.identifiers if len(n := normalise_identifier(i.number)) >= 4)
                if entity.identifiers
                else _NO_NUMBERS  # most entities list none: one empty set for all of them
            )
            self.entity_identifiers.append(numbers)
            for number in numbers:
                by_identifier[number].append(entity_no)
            seen: set[tuple[str, ...]] = set()
            for position, raw in enumerate(_alias_parts(entity.names)):
                form = name_form(raw, entity.schema)
                if not form.tokens or form.tokens in seen:
                    continue
                seen.add(form.tokens)
                name_entity.append(entity_no)
                name_position.append(position)
                for first, second in itertools.pairwise(form.tokens):
                    if min(len(first), len(second)) >= 2 and len(first) + len(second) < _MIN_GLUED_LEN:
                        short_glued.setdefault(first + second, (first, second))
                for token in form.tokens:
                    token_no = numbered.get(token)
                    if token_no is None:
                        token_no = numbered[token] = len(vocabulary)
                        vocabulary.append(token)
                    name_token_numbers.append(token_no)
                name_start.append(len(name_token_numbers))
            entity_first.append(len(name_entity))
        self.entities.close()
        self._entity_source = entity_source
        # What a query reads is kept in buffers (arrays), not in objects: reading an object writes its
        # reference count, and a forked worker would copy the page it sits on. Dicts of tokens serve
        # while the index is built and are dropped.
        #: the distinct listed tokens, numbered
        self._vocabulary = _Vocabulary(vocabulary)
        #: the listed tokens (by number) in the order of their text: those a query part starts lie together
        self._by_text = _int_array(
            np.asarray(sorted(range(len(vocabulary)), key=vocabulary.__getitem__), dtype=np.int32), "i"
        )
        #: the same, for telling whether a token is listed (a look-up in a set writes nothing)
        self._known: frozenset[str] = frozenset(vocabulary)
        self._short_glued = short_glued
        # the same flat arrays as numpy sees them (no copy), for working on many names at once
        self._name_token_numbers = name_token_numbers
        self._name_start = name_start
        self._token_array = token_array = np.frombuffer(name_token_numbers, dtype=np.int32)
        self._start_array = start_array = np.frombuffer(name_start, dtype=np.int32)
        name_count = len(name_entity)
        # the postings: per token, the names holding it, in order, laid end to end in one array
        owner = np.repeat(np.arange(name_count, dtype=np.int32), np.diff(start_array))
        by_token = np.argsort(token_array, kind="stable")  # and within a token, by name
        posted_tokens = token_array[by_token]
        posted_names = owner[by_token]
        once = np.ones(len(by_token), dtype=bool)  # a token twice in a name is posted once
        once[1:] = (posted_tokens[1:] != posted_tokens[:-1]) | (posted_names[1:] != posted_names[:-1])
        posted: IntArray = posted_names[once]  # name numbers, below 2**31: read as unsigned by the bitmaps
        counts = np.bincount(posted_tokens[once], minlength=len(vocabulary))
        ends = np.cumsum(counts).tolist()
        # kept as compressed bitmaps (Roaring), one per token: at a million entities the names of a
        # common token are tens of thousands, and the unions and intersections of such sets, which
        # sorted arrays take milliseconds over, take microseconds on bitmaps
        self._postings: list[FrozenBitMap] = [
            FrozenBitMap(_int_array(posted[start:end], "I"))
            for start, end in zip([0, *ends], ends, strict=False)
        ]
        #: per listed token (by number), how many names hold it
        self._name_counts = counts
        #: the most names a listed part may be in to be looked up as the start of a query part
        self._prefix_names = max(_FEW_PREFIX_NAMES, name_count // _PREFIX_SHARE)
        #: per name: (entity number, name form)
        self.names = _Names(self.entities, name_entity, name_position, self.tokens_of)
        #: per entity: the numbers of its names
        self.entity_names = _EntityNames(entity_first)
        self._name_entity = name_entity
        self._entity_schema = entity_schema
        self.by_identifier: dict[str, tuple[int, ...]] = {n: tuple(e) for n, e in by_identifier.items()}
        total = max(name_count, 1)
        weight_of = np.log1p(total / np.maximum(counts, 1))
        #: per listed token (by number), its weight (`weight`)
        self._idf = array("d", weight_of.tobytes())
        self._idf_array: FloatArray = np.frombuffer(self._idf, dtype=np.float64)  # the same, no copy
        self.max_weight = math.log(1.0 + total)
        #: per name: the sum of its tokens' weights (every name has a token)
        self.name_weights = array("d")
        if name_count:
            self.name_weights.frombytes(np.add.reduceat(weight_of[token_array], start_array[:-1]).tobytes())
        self._weight_array = np.frombuffer(self.name_weights, dtype=np.float64)
        #: listed tokens by one-letter deletions (and themselves), and by phonetic key, skeleton and
        #: simplified spelling
        deletions, spellings = self._blocking_keys(vocabulary)
        self._deletion_keys = _KeyTable(deletions)
        self._spelling_keys = _KeyTable(spellings)
        #: by length, the first two and last two letters of every deletion key: most query tokens
        #: joined meet none, and this says so without forming every one-letter deletion of them
        self._key_edges: dict[int, frozenset[str]] = self._edges(key for key, _ in deletions)
        #: the short listed names written together, and less one letter each, by hash, with their names
        self._compact_hashes, self._compact_names = self._compact_keys(
            vocabulary, name_token_numbers, name_start
        )
        del deletions, spellings, numbered
        self.forget_queries()
        # what every listed token reaches, worked out now rather than on the first query holding it:
        # bounded by the vocabulary, and most query name parts are listed ones. Per listed token (by
        # number), its reached tokens and their gains lie end to end (`_listed_reach`).
        reached_tokens: list[IntArray] = []
        reached_gains: list[FloatArray] = []
        self._reach_gain = array("d")
        self._reach_reach = array("d")
        for token_no in range(len(vocabulary)):
            text = vocabulary[token_no]
            reach = self._make_reach(self._with_prefixes(text, self._expand(text)), self._idf[token_no])
            if reach is None:
                self._reach_gain.append(0.0)
                self._reach_reach.append(0.0)
                reached_tokens.append(np.zeros(0, dtype=np.int32))
                reached_gains.append(np.zeros(0))
            else:
                self._reach_gain.append(reach.gain)
                self._reach_reach.append(reach.reach)
                reached_tokens.append(reach.tokens)
                reached_gains.append(reach.gains)
        self._reach_start = _int_array(np.cumsum([0, *(len(t) for t in reached_tokens)], dtype=np.int64), "q")
        self._reach_tokens: IntArray = np.concatenate([np.zeros(0, dtype=np.int32), *reached_tokens])
        self._reach_gains: FloatArray = np.concatenate([np.zeros(0), *reached_gains])
        # the names each listed token reaches, and those its spellings of each band of frequency reach
        # (`_tiers`), worked out now rather than by the first query holding it: as bitmaps, they take
        # some tens of bytes per listed name at a million entities
        self._listed_names: list[AbstractBitMap | None] = []
        self._listed_tiers: dict[tuple[int, int], AbstractBitMap] = {}
        for token_no in range(len(vocabulary)):
            listed = self._listed_reach(token_no)
            if listed is None:
                self._listed_names.append(None)
                continue
            self._listed_names.append(self._reached_by(listed.tokens))
            held, parts = self._band_parts(listed.tokens, listed.gains)
            if len(parts) > 1 and held >= _MIN_SPLIT_NAMES:
                for tier, (tokens, _) in enumerate(parts, start=1):
                    self._listed_tiers[token_no, tier] = self._reached_by(tokens)

    def forget_queries(self) -> None:
        """Empty the caches of what queries reached (each worker keeps its own): as just built."""
        self._weights: dict[str, float] = {}
        self._expansions: dict[str, list[tuple[int, float]]] = {}
        self._reaches: dict[str, _Reach | None] = {}
        self._joined_reaches: dict[str, _Reach | None] = {}
        self._name_sets: OrderedDict[tuple[str, bool, int], AbstractBitMap] = OrderedDict()
        self._name_set_budget = _NAME_SET_BUDGET
        self._tables: dict[tuple[str, bool, int], dict[int, float]] = {}
        #: per query token (or two joined), how many names its common spellings reach, and its
        #: listed tokens (and their gains) by band of frequency (`_tiers`)
        self._bands: dict[tuple[str, bool], tuple[int, list[tuple[IntArray, FloatArray]]]] = {}

    @staticmethod
    def _blocking_keys(vocabulary: Sequence[str]) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        """(key, token number) of listed tokens by their one-letter deletions (and themselves), and by
        their spelling keys."""
        deletions: list[tuple[str, int]] = []
        spellings: list[tuple[str, int]] = []
        for number, token in enumerate(vocabulary):
            if token.isdigit():
                continue
            if len(token) >= _MIN_FUZZY_LEN:
                deletions.append((token, number))
                deletions.extend((deleted, number) for deleted in one_letter_deletions(token))
            if len(token) >= _MIN_TWO_EDIT_LEN:
                deletions.extend((deleted, number) for deleted in _two_deletions(token))
            if len(token) >= 3:
                spellings.extend((key, number) for key in _spelling_keys(token))
            elif len(token) == 2:  # "un" is what "uun" or "oun" simplify to
                spellings.append(("t:" + simplify(token), number))
        return deletions, spellings

    @staticmethod
    def _compact_keys(
        vocabulary: Sequence[str], token_numbers: array[int], starts: array[int]
    ) -> tuple[array[int], array[int]]:
        """Per short listed name, the hash of its parts written together and of each of its one-letter
        deletions (SymSpell: two strings one edit apart share one of these keys), sorted by hash; and
        the name of each. Hashes that collide bring a name more to compare, none less."""
        hashes = array("q")
        names = array("i")
        add_hash, add_name = hashes.append, names.append
        # the few listed tokens that end in a type word written together: names without one are keyed
        # as written only
        typed = frozenset(
            number
            for number, token in enumerate(vocabulary)
            if written_apart((token,)) != token or written_apart((simple := simplify(token),)) != simple
        )
        for name_no in range(len(starts) - 1):
            numbers = token_numbers[starts[name_no] : starts[name_no + 1]]
            tokens = tuple(vocabulary[t] for t in numbers)
            if typed.isdisjoint(numbers):
                forms, simple_apart = ["".join(tokens)], ""
            else:
                forms, simple_apart = _written_together_forms(tokens)
            for together in forms:
                if len(together) <= _MAX_COMPACT_LEN:
                    for key in _compact_lookups(together):
                        add_hash(hash(key))
                        add_name(name_no)
            if simple_apart and simple_apart not in forms and simple_apart != compact_forms(tokens).simple:
                add_hash(hash(simple_apart))
                add_name(name_no)
        keys = np.frombuffer(hashes, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        return (
            _int_array(keys[order], "q"),
            _int_array(np.frombuffer(names, dtype=np.int32)[order], "i"),
        )

    @staticmethod
    def _edges(keys: Iterable[str]) -> dict[int, frozenset[str]]:
        edges: dict[int, set[str]] = defaultdict(set)
        for key in keys:
            edges[len(key)].add(key[:3] + key[-3:])
        return {length: frozenset(found) for length, found in edges.items()}

    def _may_meet_deletions(self, token: str) -> bool:
        """False when neither the token nor any of its one-letter deletions is a deletion key.

        Deleting a letter from the middle of a token of seven letters or more leaves its first three
        and last three letters in place, so its lookup keys have seven sets of edges at most: if the
        key edges of that length hold none of them, no lookup key can be a deletion key.
        """
        length = len(token)
        if length < 7:
            return True
        edges = self._key_edges
        head, tail = token[:3], token[-3:]
        whole = edges.get(length)
        if whole is not None and head + tail in whole:
            return True
        cut = edges.get(length - 1)
        if cut is None:
            return False
        return (
            head + tail in cut  # a letter deleted from the middle
            or token[1:4] + tail in cut  # the first letter
            or token[0] + token[2:4] + tail in cut  # the second
            or token[:2] + token[3] + tail in cut  # the third
            or head + token[-4] + token[-2:] in cut  # the third from last
            or head + token[-4:-2] + token[-1] in cut  # the last but one
            or head + token[-4:-1] in cut  # the last
        )

    def __len__(self) -> int:
        return len(self.entities)

    # Screening reads a candidate's entity, schema and tokens from the flat arrays, not from the listed
    # entity's object: reading an object writes its reference count, and a forked worker would copy the
    # page it sits on. The entity itself is read only for the few names that score well.

    def entity_of(self, name_no: int) -> int:
        """The number of the entity a listed name belongs to."""
        return self._name_entity[name_no]

    def schema_of(self, entity_no: int) -> EntitySchema:
        return _SCHEMAS[self._entity_schema[entity_no]]

    def name_filter(self, only: EntityFilter) -> Callable[[int], bool]:
        """Whether a listed name (by number) is of an entity the filter takes, read from the arrays; an
        entity is rebuilt only where single entities of its list are left out."""
        sources = {
            number
            for number, source in enumerate(self.sources)
            if (only.sources is None or source in only.sources) and source not in only.exclude_sources
        }
        schemata = {number for number, schema in enumerate(_SCHEMAS) if schema not in only.exclude_schemata}
        excluded = only.exclude_keys
        excluded_sources = {source for source, _ in excluded}
        checked = {number for number, source in enumerate(self.sources) if source in excluded_sources}
        name_entity = self._name_entity
        entity_source = self._entity_source
        entity_schema = self._entity_schema
        entities = self.entities

        def accept(name_no: int) -> bool:
            entity_no = name_entity[name_no]
            source = entity_source[entity_no]
            return (
                source in sources
                and entity_schema[entity_no] in schemata
                and (source not in checked or entities[entity_no].key not in excluded)
            )

        return accept

    def name_as_listed(self, name_no: int, entity: ListedEntity) -> str:
        """A listed name as its entity (the one `entity_of` gives, already rebuilt) lists it."""
        return self.names.original(name_no, entity.names)

    def tokens_of(self, name_no: int) -> tuple[str, ...]:
        """A listed name's tokens."""
        text = self._vocabulary.text
        start = self._name_start
        numbers = self._name_token_numbers[start[name_no] : start[name_no + 1]]
        return tuple([text(number) for number in numbers])

    @property
    def name_count(self) -> int:
        """How many distinct listed names the index holds."""
        return len(self.names)

    def weight(self, token: str) -> float:
        """How much sharing this token says: rare tokens weigh more (inverse document frequency); a token
        no listed name holds weighs as its most similar listed token, or as much as any token can."""
        weight = self._weights.get(token)
        if weight is None:
            number = self._vocabulary.number(token)
            if number < 0:
                expansions = self._expansions_of(token)
                number = expansions[0][0] if expansions else -1
            weight = self._idf[number] if number >= 0 else self.max_weight
            if len(self._weights) >= _EXPANSION_CACHE_SIZE:
                self._weights.clear()
            self._weights[token] = weight
        return weight

    def expand(self, token: str) -> list[tuple[str, float]]:
        """Listed tokens similar to ``token``, most similar first, with their similarity."""
        text = self._vocabulary.text
        return [(text(number), similarity) for number, similarity in self._expansions_of(token)]

    def _expansions_of(self, token: str) -> list[tuple[int, float]]:
        """`expand` by token number (cached)."""
        cached = self._expansions.get(token)
        if cached is not None:
            return cached
        scored = self._expand(token)
        if len(self._expansions) >= _EXPANSION_CACHE_SIZE:
            self._expansions.clear()
        self._expansions[token] = scored
        return scored

    def _expand(self, token: str, *, joined: bool = False) -> list[tuple[int, float]]:
        """`_expansions_of` uncached. Two query tokens joined meet a listed token by its spelling only as
        a whole (simplified spelling) and by deletions: the phonetic key and consonant skeleton of a
        joined name are long and meet many unrelated listed tokens, and cost the most to compute."""
        if joined:
            return self._expand_joined(token)
        found: set[int] = set()
        number = self._vocabulary.number(token)
        if number >= 0:
            found.add(number)
        if len(token) >= 2 and not token.isdigit():
            spellings = self._spelling_keys
            # a two-letter part by its consonant skeleton only: "gs" is that of "gas", as the scorer aligns them
            for key in _spelling_keys(token) if len(token) >= 3 else (_skeleton_key(token),):
                listed = spellings.get(key)
                if listed is not None:
                    found.update(listed)
            if len(token) >= _MIN_FUZZY_LEN - 1:
                deletions = self._deletion_keys
                keys = one_letter_deletions(token, itself=True)
                if len(token) >= _MIN_TWO_EDIT_QUERY_LEN:
                    keys |= _two_deletions(token)
                # and one letter off as simplified: a spelling the scorer compares so ("sergejewitsch" is
                # "sergejevich" simplified, a letter off "sergeyevich")
                simple = simplify(token)
                if simple != token and len(simple) >= _MIN_FUZZY_LEN - 1:
                    keys |= one_letter_deletions(simple, itself=True)
                for deleted in keys:
                    listed = deletions.get(deleted)
                    if listed is not None:
                        found.update(listed)
        return self._scored(token, found)

    def _with_prefixes(self, token: str, expansions: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """What a query part reaches: its expansions, and the listed parts that start it or that it
        starts, as the scorer reads a shortened name ("airlines" / "air", "tech" / "technology"; no
        blocking key of one meets the other), when they are not common (`_prefix_names`). Only for
        reaching names: a start is no spelling of the part, so its weight and its cuts into parts written
        together (`weight`, `_cuts`) go by the expansions alone."""
        if len(token) < _MIN_PREFIX_LEN or token.isdigit():
            return expansions
        vocabulary, counts, most = self._vocabulary, self._name_counts, self._prefix_names
        found = []
        for end in range(_MIN_PREFIX_LEN, len(token)):
            prefix = vocabulary.number(token[:end])
            if prefix >= 0 and counts[prefix] <= most:
                found.append(prefix)
        by_text, text = self._by_text, vocabulary.text
        at = bisect_left(by_text, token, key=text)
        for number in by_text[at : at + _MAX_LONGER]:
            longer = text(number)
            if not longer.startswith(token):
                break
            if len(longer) > len(token) and counts[number] <= most:
                found.append(number)
        if not found:
            return expansions
        known = {number for number, _ in expansions}
        return self._scored(token, [*known, *(n for n in found if n not in known)])

    def _scored(self, token: str, found: Iterable[int]) -> list[tuple[int, float]]:
        """The listed tokens similar to the query token, most similar first (then by their text)."""
        text = self._vocabulary.text
        scored = []
        for number in found:
            listed = text(number)
            # similarity is symmetric: asked in one order, a pair the build meets from both of its tokens
            # is worked out once (the scorer's cache holds it)
            similarity = (
                token_similarity(token, listed) if token < listed else token_similarity(listed, token)
            )
            if similarity > 0.0:
                scored.append((number, listed, similarity))
        scored.sort(key=lambda x: (-x[2], x[1]))
        return [(number, similarity) for number, _, similarity in scored]

    def _expand_joined(self, token: str) -> list[tuple[int, float]]:
        """`_expand` of two query tokens joined, which mostly reach nothing: nothing is built until a
        key meets a listed token."""
        hits: list[Iterable[int]] = []
        number = self._vocabulary.number(token)
        if number >= 0:
            hits.append((number,))
        length = len(token)
        if length >= 3 and not token.isdigit():
            listed = self._spelling_keys.get("t:" + simplify(token))
            if listed is not None:
                hits.append(listed)
            if length >= _MIN_FUZZY_LEN - 1 and self._may_meet_deletions(token):
                get = self._deletion_keys.get
                listed = get(token)
                if listed is not None:
                    hits.append(listed)
                for i in range(length):
                    listed = get(token[:i] + token[i + 1 :])
                    if listed is not None:
                        hits.append(listed)
        if not hits:
            return []
        return self._scored(token, set(itertools.chain.from_iterable(hits)))

    def candidates(
        self,
        tokens: tuple[str, ...],
        *,
        limit: int = 40,
        floor: float = 0.0,
        accept: Callable[[int], bool] | None = None,
        legal_forms: bool = False,
    ) -> list[tuple[int, float]]:
        """Names (by number) that could score at least ``floor`` against the query tokens, best first;
        only names ``accept`` takes (say, of the lists asked for), so a filter never costs a candidate.

        A name's bound assumes that all its own tokens align perfectly and the query tokens it shares
        do as well as their blocking keys say; names below the floor are not worth scoring. A query
        token that is two listed name parts written together ("SergeiLavrov") is also looked up as
        those parts, and with ``legal_forms`` (a name that may be an organisation's) one that ends in
        a legal form ("FactoringLtd") as the name part without it. A short name is also found written
        together, one letter off ("AR KORYO" / "AIR KORYO": `_written_together`).
        """
        found = self._candidates(tokens, limit=limit, floor=floor, accept=accept)
        readings = self._glued_readings(tokens, legal_forms=legal_forms)
        for more in [
            *(self._candidates(split, limit=limit, floor=floor, accept=accept) for split in readings),
            self._written_together(tokens, floor, accept),
        ]:
            if more:
                best = dict(found)
                for name_no, bound in more:
                    if bound > best.get(name_no, -1.0):
                        best[name_no] = bound
                found = self._best(list(best.items()), limit, self._query_weight(tokens))
        return found

    def _written_together(
        self, tokens: tuple[str, ...], floor: float, accept: Callable[[int], bool] | None
    ) -> list[tuple[int, float]]:
        """Short listed names that the query, written together, is one letter off ("AR KORYO" / "AIR
        KORYO", "RA-8239" / "RA-82039"), or that write a type word together with a part ("Rosoboron Export"
        / "ROSOBORONEXPORT", `_written_together_forms`), with what the scorer gives names written together:
        it compares them so (`scoring.COMPACT_FLOOR`), and no part of one need be a spelling of a part of
        the other."""
        forms, simple_apart = _written_together_forms(tokens)
        keys = {simple_apart}
        for together in forms:
            if len(together) <= _MAX_COMPACT_LEN + 1:
                keys.update(_compact_lookups(together))
        hashes = np.frombuffer(self._compact_hashes, dtype=np.int64)  # no copy
        hashed = np.fromiter((hash(key) for key in keys), dtype=np.int64, count=len(keys))
        starts = hashes.searchsorted(hashed)
        ends = hashes.searchsorted(hashed, side="right")
        names = self._compact_names
        reached = {
            name_no
            for start, end in zip(starts.tolist(), ends.tolist(), strict=True)
            for name_no in names[start:end]
        }
        found = []
        joined, apart = forms[0], forms[-1]
        for name_no in reached:
            listed = compact_forms(self.tokens_of(name_no))
            alike = max(
                Levenshtein.normalized_similarity(joined, listed.joined),
                Levenshtein.normalized_similarity(apart, listed.apart),
                Levenshtein.normalized_similarity(simple_apart, listed.simple_apart) - TRANSLIT_DISCOUNT,
            )
            score = 1.0 - FUZZY_STRETCH * (1.0 - alike)
            if alike >= COMPACT_FLOOR and score >= floor and (accept is None or accept(name_no)):
                found.append((name_no, score))
        return found

    def _query_weight(self, tokens: tuple[str, ...]) -> float:
        """What the query's distinct parts weigh together."""
        return sum(self.weight(t) for t in dict.fromkeys(tokens))

    def _best(
        self, bounds: list[tuple[int, float]], limit: int, query_weight: float
    ) -> list[tuple[int, float]]:
        """The ``limit`` best candidates: by bound, but no name scores more than 1, and of names that could
        score 1 those weighing as much as the query first; of names alike, the first.

        A name holding only some parts of the query ("Amir Ali" for "Amir Ali Chaudry") could be a
        shorter form of the query's name, so its bound may exceed 1; the name the query spells out has a
        bound of 1. On a list of a million names the first are thousands, and would all come before it.
        """
        names = np.fromiter((name_no for name_no, _ in bounds), dtype=np.int64, count=len(bounds))
        values = np.fromiter((bound for _, bound in bounds), dtype=np.float64, count=len(bounds))
        apart = np.abs(self._weight_array[names] - query_weight)
        # sorted by the last key first: position, then nearness of weight, then bound
        order = np.lexsort((np.arange(len(bounds)), apart, -np.minimum(values, 1.0)))[:limit]
        return [bounds[i] for i in order.tolist()]

    def readings(self, tokens: tuple[str, ...], *, legal_forms: bool = False) -> list[tuple[str, ...]]:
        """The query's tokens, then its readings with name parts written together cut apart (and with
        ``legal_forms``, legal forms written together with a name part cut off)."""
        return [tokens, *self._glued_readings(tokens, legal_forms=legal_forms)]

    def _glued_readings(self, tokens: tuple[str, ...], *, legal_forms: bool) -> list[tuple[str, ...]]:
        """Readings of the query with a token that is no listed name part cut into listed parts
        ("sergeilavrov" → "sergei lavrov", "vanderbilt" → "van der bilt"); one part may be misspelt
        ("fridrichbuchenberg"); a short one only into two short parts listed side by side ("kuja
        hyong" → "ku ja hyong", as "KU JA HYONG" is listed). With ``legal_forms``, a token that is a
        listed name part (or a misspelt one) and a legal form written together loses the form, as a
        name does (`name_form`): "factoringltd" → "factoring"."""
        readings: list[tuple[str, ...]] = []
        known = self._known
        for position, token in enumerate(tokens):
            if token in known or token.isdigit():
                continue
            if len(token) < _MIN_GLUED_LEN:
                side_by_side = self._short_glued.get(token)
                if side_by_side is not None:
                    readings.append((*tokens[:position], *side_by_side, *tokens[position + 1 :]))
                    if len(readings) >= _MAX_GLUED_READINGS:
                        return readings
                continue
            if legal_forms:
                for rest in without_glued_legal_form(token):
                    if all(part in known for part in rest) or (
                        len(rest) == 1 and len(rest[0]) >= _MIN_GLUED_LEN and self._expansions_of(rest[0])
                    ):
                        readings.append((*tokens[:position], *rest, *tokens[position + 1 :]))
                        if len(readings) >= _MAX_GLUED_READINGS:
                            return readings
                        break
            for parts in self._cuts(token, depth=2):
                readings.append((*tokens[:position], *parts, *tokens[position + 1 :]))
                if len(readings) >= _MAX_GLUED_READINGS:
                    return readings
        return readings

    def _cuts(self, token: str, depth: int) -> list[tuple[str, ...]]:
        known = self._known
        cuts: list[tuple[str, ...]] = []
        for i in range(2, len(token) - 1):
            left, right = token[:i], token[i:]
            left_listed = left in known
            right_listed = right in known
            if len(left) < _MIN_PART_LEN or len(right) < _MIN_PART_LEN:
                # a two-letter part only as written on the list, beside another ("xi" + "jinping")
                if left_listed and right_listed and min(len(left), len(right)) >= 2:
                    cuts.append((left, right))
                continue
            if (
                (left_listed and right_listed)
                or (left_listed and len(right) >= _MIN_GLUED_LEN and self._expansions_of(right))
                or (right_listed and len(left) >= _MIN_GLUED_LEN and self._expansions_of(left))
            ):
                cuts.append((left, right))
            elif left_listed and depth > 1 and len(right) >= _MIN_GLUED_LEN:
                cuts.extend(
                    (left, *rest) for rest in self._cuts(right, depth - 1) if all(r in known for r in rest)
                )
        return cuts

    def _lookups(self, tokens: tuple[str, ...]) -> tuple[list[_Lookup], float]:
        """What each query token reaches (and each two adjacent ones joined), and the query's weight."""
        unique = list(dict.fromkeys(tokens))
        # parts written apart in the query may be one word on the list ("abdul hai" / "abdulhai")
        covers = {t: tokens.count(t) for t in unique}
        for a, b in itertools.pairwise(tokens):
            covers.setdefault(a + b, 2)
        lookups: list[_Lookup] = []
        for token, cover in covers.items():
            joined = cover > 1 and token not in unique
            listed = -1 if joined else self._vocabulary.number(token)
            reach = self._listed_reach(listed) if listed >= 0 else self._reach(token, joined=joined)
            if reach is not None:
                times = _times(joined, cover)
                lookups.append(
                    _Lookup(
                        token,
                        reach.gain * times,
                        reach.reach * times,
                        cover,
                        reach.tokens,
                        reach.gains,
                        joined,
                        0,
                        listed,
                    )
                )
        return lookups, self._query_weight(tokens)

    def unpruned_bounds(
        self, tokens: tuple[str, ...], floor: float, *, on_arrays: bool = False
    ) -> dict[int, float]:
        """Every name's bound at least ``floor``, each name looked at: what `candidates` (one reading,
        no limit) must give, for checking the pruning. ``on_arrays`` works the bounds out for all names at
        once (`_bounds_by_arrays`, the same but for a rounding error), as a large index needs."""
        lookups, query_weight = self._lookups(tokens)
        if not lookups:
            return {}
        if on_arrays:
            every = np.arange(len(self.names))
            return dict(self._bounds_by_arrays(every, lookups, query_weight, len(tokens), floor))
        return dict(
            self._bounds_one_by_one(
                range(len(self.names)), lookups, len(lookups), query_weight, len(tokens), floor
            )
        )

    def _candidates(
        self,
        tokens: tuple[str, ...],
        *,
        limit: int,
        floor: float,
        accept: Callable[[int], bool] | None,
    ) -> list[tuple[int, float]]:
        lookups, query_weight = self._lookups(tokens)
        if not lookups:
            return []
        size = len(tokens)
        # MaxScore: a name that shares none of the rarer "essential" tokens cannot collect enough
        # from the common ones alone, so names reached only through common tokens are not looked at
        lookups.sort(key=lambda e: -e.gain)
        essential = _essential(lookups, query_weight, size, floor)
        # names are found through the rare and the common spellings apart: a rare spelling gains the
        # most, and counting that gain for every name of a common spelling would let them all through
        tiers = self._tiers(lookups)
        names = self._reached_names(
            tiers, _essential(tiers, query_weight, size, floor), query_weight, size, floor
        )
        bounds: Iterable[tuple[int, float]] = self._bounds(
            names, lookups, essential, query_weight, size, floor
        )
        if accept is not None:
            bounds = (b for b in bounds if accept(b[0]))
        return self._best(list(bounds), limit, query_weight)

    def _tiers(self, lookups: list[_Lookup]) -> list[_Lookup]:
        """Each lookup whose listed tokens are some common, some rarer, as one part per band of
        frequency (`_TIER_POSTINGS`), each with the most its own tokens gain and reach: most gain, by
        far, is that of rare spellings ("aly" for "ali"), which few names hold.

        A name reached through a lookup is reached through one of its parts, with no more gain or
        reach than that part's; so the bound of a set of parts is no less than that of the lookups
        they come from, and finding names through the parts loses none.
        """
        # the lookups reaching the most names through common tokens are split first, while all the
        # parts still fit the sets formed in `_reached_names`
        splits: list[tuple[int, int, list[tuple[IntArray, FloatArray]]]] = []
        for number, lookup in enumerate(lookups):
            held, parts = self._bands_of(lookup)
            if len(parts) > 1 and held >= _MIN_SPLIT_NAMES:
                splits.append((-held, number, parts))
        splits.sort(key=itemgetter(0, 1))
        room = _MAX_SUBSET_LOOKUPS - len(lookups)
        tiers: list[_Lookup] = []
        split: set[int] = set()
        for _, number, parts in splits:
            if len(parts) - 1 > room:
                continue
            room -= len(parts) - 1
            split.add(number)
            tiers.extend(self._band_lookups(lookups[number], parts))
        tiers.extend(lookup for number, lookup in enumerate(lookups) if number not in split)
        tiers.sort(key=lambda e: -e.gain)
        return tiers

    def _bands_of(self, lookup: _Lookup) -> tuple[int, list[tuple[IntArray, FloatArray]]]:
        """`_band_parts` of what a lookup reaches (cached)."""
        key = (lookup.token, lookup.joined)
        cached = self._bands.get(key)
        if cached is None:
            if len(self._bands) >= _EXPANSION_CACHE_SIZE:
                self._bands.clear()
            cached = self._bands[key] = self._band_parts(lookup.tokens, lookup.gains)
        return cached

    def _band_lookups(self, lookup: _Lookup, parts: list[tuple[IntArray, FloatArray]]) -> list[_Lookup]:
        """Per band of frequency (``parts``, as `_bands_of` gives them), the part of a lookup reaching that
        band's listed tokens, with the most they gain and reach."""
        times = _times(lookup.joined, lookup.cover)
        return [
            _Lookup(
                lookup.token,
                float(gains.max()) * times,
                float(self._idf_array[tokens].max()) * times,
                lookup.cover,
                tokens,
                gains,
                lookup.joined,
                tier,
                lookup.listed,
            )
            for tier, (tokens, gains) in enumerate(parts, 1)
        ]

    def _band_parts(
        self, tokens: IntArray, gains: FloatArray
    ) -> tuple[int, list[tuple[IntArray, FloatArray]]]:
        """How many names the commoner of these listed tokens reach (those beyond the first band), and
        the tokens with their gains by band of frequency (`_TIER_POSTINGS`), rarest first."""
        held_by = self._name_counts[tokens]
        # the band of each listed token: how many of the cuts its count of names reaches
        band = np.asarray(_TIER_POSTINGS).searchsorted(held_by, side="right")
        parts = []
        for tier in range(len(_TIER_POSTINGS) + 1):
            in_band = band == tier
            if in_band.any():
                parts.append((tokens[in_band], gains[in_band]))
        return int(held_by[band > 0].sum()), parts

    def _reached_names(
        self, lookups: list[_Lookup], essential: int, query_weight: float, size: int, floor: float
    ) -> IntArray:
        """The names reached through some set of lookups that could pass the floor together, in order.

        A name reached through the lookups S scores at most ``_bound(S)``. Only the smallest passing
        sets S are needed; their names are the intersection of the names each lookup of S reaches,
        which compressed bitmaps (Roaring) compute without a Python loop per name: most names of a common
        token share nothing else with the query. Sets are formed of the first (rarest) lookups only; of the
        others, the names of those reaching few names are all taken, and the rest are counted as reached
        by every name. A proper subset of S, as a bit mask, is a smaller number than S, so going through
        the masks in order finds the smallest passing sets first. A passing set's names may weigh no more
        than its largest superset allows: those reached through the set alone, what the set itself
        allows, which is often far less.
        """
        if essential > _MAX_SUBSET_LOOKUPS:
            return self._reached_by_enough(lookups, essential, query_weight, size, floor)
        count = min(len(lookups), _MAX_SUBSET_LOOKUPS)
        # a lookup left out of the sets that reaches few names has them all taken (and bounded), so it is
        # not counted as reaching every name
        few: list[IntArray] = []
        others: list[_Lookup] = []
        for lookup in lookups[count:]:
            reaching = self._names_of(lookup)
            if len(reaching) <= _FEW_NAMES:
                few.append(_numbers(reaching))
            else:
                others.append(lookup)
        gains = [sum(e.gain for e in others)] * (1 << count)
        reaches = [sum(e.reach for e in others)] * (1 << count)
        covers = [sum(e.cover for e in others)] * (1 << count)
        passing: list[int] = []
        # the lightest and the heaviest listed name that could pass through each passing set
        spans = _Spans(query_weight, size, floor)
        for mask in range(1, 1 << count):
            low = mask & -mask
            lookup = lookups[low.bit_length() - 1]
            previous = mask ^ low
            gained = gains[mask] = gains[previous] + lookup.gain
            reached = reaches[mask] = reaches[previous] + lookup.reach
            covered = covers[mask] = covers[previous] + lookup.cover
            # the weights a passing set allows are worked out only for the few sets whose names are weighed
            if _set_bound(gained, reached, covered, query_weight, size) < floor:
                continue
            spans.add(mask, gained, reached, covered)
            for smaller in passing:
                if smaller & mask == smaller:
                    break
            else:
                passing.append(mask)
        weights = self._weight_array
        found: list[IntArray] = []
        names_of: list[AbstractBitMap | None] = [None] * count
        for mask in passing:
            sets: list[AbstractBitMap] = []
            for i in range(mask.bit_length()):
                if mask >> i & 1:
                    names = names_of[i]
                    if names is None:
                        names = names_of[i] = self._names_of(lookups[i])
                    sets.append(names)
            sets.sort(key=len)
            reached_set = sets[0]
            for names in sets[1:]:
                if not reached_set:
                    break
                reached_set = reached_set & names
            reached_names = _numbers(reached_set)
            if len(reached_names) >= _MIN_WEIGHED_NAMES:
                # a name reached through this set may be reached through more: what any of those allows
                span = spans.hull(mask) or _ANY_WEIGHT  # the set itself passes: never None
                if span != _ANY_WEIGHT:
                    reached_names = _weighing(reached_names, weights, span)
                many = len(reached_names)
                refine = many >= _MANY_REACHED and (spans[mask] != span or many >= _MOST_REACHED)
                if refine:
                    chosen = [lookups[i] for i in range(count) if mask >> i & 1]
                    banded = self._banded(chosen)
                    refine = spans[mask] != span or bool(others) or banded is not None
                if refine:
                    # most names reached through this set are reached through it alone, and must weigh
                    # what it allows without the lookups counted as reaching every name
                    # (`_reached_alone`); those reached through one of those too, what it allows with
                    # them; and those reached through one more lookup of the sets, what that larger set
                    # allows (no more than the set itself: `span` holds them all)
                    kept = self._reached_alone(
                        reached_set, reached_names, chosen, banded, query_weight, size, floor
                    )
                    for other in others:
                        both = _numbers(reached_set & self._names_of(other))
                        kept.append(_weighing(both, weights, spans[mask]))
                    for i in range(count):
                        larger = mask | 1 << i
                        if larger == mask:
                            continue
                        larger_span = spans.hull(larger)
                        if larger_span is None:
                            continue
                        also = names_of[i]
                        if also is None:
                            also = names_of[i] = self._names_of(lookups[i])
                        both = _numbers(reached_set & also)
                        if larger_span != _ANY_WEIGHT:
                            both = _weighing(both, weights, larger_span)
                        kept.append(both)
                    reached_names = _union(kept)
            found.append(reached_names)
        return _union(found + few)

    def _reached_alone(
        self,
        reached_set: AbstractBitMap,
        reached_names: IntArray,
        chosen: list[_Lookup],
        banded: tuple[_Lookup, list[_Lookup]] | None,
        query_weight: float,
        size: int,
        floor: float,
    ) -> list[IntArray]:
        """Of the names a set of lookups reaches (as a bitmap, and as an array already weighed), those that
        could pass if reached through it alone: weighing what the set allows (`_set_span`).

        Where one of the lookups reaches many names through spellings of different frequency
        (``banded``, what `_banded` gives for them), its names are weighed band by band: a name holding only a common spelling ("al")
        gains and reaches by that lookup what that spelling does, not what its rare spellings ("aal")
        would, and through the one-sided bound (every listed part found) such a name weighs little.
        """
        weights = self._weight_array
        if banded is None:
            span = _set_span(
                sum(e.gain for e in chosen),
                sum(e.reach for e in chosen),
                sum(e.cover for e in chosen),
                query_weight,
                size,
                floor,
            )
            return [] if span is None else [_weighing(reached_names, weights, span)]
        widest, bands = banded
        rest = [e for e in chosen if e is not widest]
        kept: list[IntArray] = []
        for band in bands:
            span = _set_span(
                sum(e.gain for e in rest) + band.gain,
                sum(e.reach for e in rest) + band.reach,
                sum(e.cover for e in rest) + band.cover,
                query_weight,
                size,
                floor,
            )
            if span is not None:
                kept.append(_weighing(_numbers(reached_set & self._names_of(band)), weights, span))
        return kept

    def _banded(self, chosen: list[_Lookup]) -> tuple[_Lookup, list[_Lookup]] | None:
        """Of these lookups, the one reaching the most names through listed spellings of different
        frequency whose names by band were worked out when the index was built, with a lookup per band
        (as `_tiers` makes them); None if there is none."""
        widest: _Lookup | None = None
        for lookup in chosen:
            if (
                lookup.tier == 0
                and (lookup.listed, 1) in self._listed_tiers
                and (widest is None or len(self._names_of(lookup)) > len(self._names_of(widest)))
            ):
                widest = lookup
        if widest is None:
            return None
        return widest, self._band_lookups(widest, self._bands_of(widest)[1])

    def _reached_by_enough(
        self, lookups: list[_Lookup], essential: int, query_weight: float, size: int, floor: float
    ) -> IntArray:
        """The names reached through at least as many lookups as the fewest that could pass together,
        one of them essential, in order: for a query of many parts, whose sets of lookups are too many
        to form. Counted, not intersected: each name reached is tagged with whether an essential lookup
        reached it, and all are sorted once."""
        names_of = [_numbers(self._names_of(lookup)) for lookup in lookups]
        needed = _fewest_passing(lookups, query_weight, size, floor)
        if needed <= 1:
            return _union(names_of[:essential])
        tagged = np.concatenate(
            [names.astype(np.int64) * 2 + (number >= essential) for number, names in enumerate(names_of)]
        )
        tagged.sort(kind="stable")
        names = tagged >> 1
        first = np.ones(len(names), dtype=bool)
        first[1:] = names[1:] != names[:-1]
        starts = np.flatnonzero(first)
        # how many lookups reach each name, and whether an essential one does (its tag sorts first)
        reached_by = np.diff(starts, append=len(names))
        keep = (reached_by >= needed) & ((tagged[starts] & 1) == 0)
        found: IntArray = names[starts[keep]].astype(np.int32)
        return found

    def _bounds(
        self,
        names: IntArray,
        lookups: list[_Lookup],
        essential: int,
        query_weight: float,
        size: int,
        floor: float,
    ) -> list[tuple[int, float]]:
        """Each name's bound from the lookups that reach its tokens; names below the floor are left out."""
        if len(names) * len(lookups) > _MANY_LOOKUPS:
            return self._bounds_by_arrays(names, lookups, query_weight, size, floor)
        return self._bounds_one_by_one(names.tolist(), lookups, essential, query_weight, size, floor)

    def _bounds_one_by_one(
        self,
        names: Iterable[int],
        lookups: list[_Lookup],
        essential: int,
        query_weight: float,
        size: int,
        floor: float,
    ) -> list[tuple[int, float]]:
        """`_bounds` name by name: the best listed token of each name for each lookup."""
        idf = self._idf
        flat = self._name_token_numbers
        start = self._name_start
        weights = self.name_weights
        tables = [self._table(lookup) for lookup in lookups]
        rest = lookups[essential:]
        rest_gain = sum(e.gain for e in rest)
        rest_reach = sum(e.reach for e in rest)
        rest_cover = sum(e.cover for e in rest)
        passing: list[tuple[int, float]] = []
        for name_no in names:
            listed_tokens = flat[start[name_no] : start[name_no + 1]]
            weight = weights[name_no]
            gained = reached = 0.0
            covered = 0
            # per listed part, the best gain of any lookup of one query part
            place_gain = [-1.0] * len(listed_tokens)
            joined_gain = joined_reach = 0.0
            joined_cover = 0
            for position, lookup in enumerate(lookups):
                # what the rest could add at most: skip the name before looking them up (with
                # every listed part reached, query parts left over weigh less: `_score_bound_within`)
                if (
                    position == essential
                    and rest
                    and _score_bound_within(
                        gained + rest_gain,
                        reached + rest_reach,
                        covered + rest_cover,
                        weight,
                        query_weight,
                        size,
                    )
                    < floor
                ):
                    break
                gains = tables[position]
                best = 0.0
                best_token = -1
                for place, token in enumerate(listed_tokens):
                    gain = gains.get(token)
                    if gain is not None:
                        if gain > best or best_token < 0:
                            best, best_token = gain, token
                        if not lookup.joined:
                            place_gain[place] = max(place_gain[place], gain)
                if best_token >= 0:
                    times = _times(lookup.joined, lookup.cover)
                    gained += best * times
                    reached += idf[best_token] * times
                    covered += lookup.cover
                    if lookup.joined:
                        joined_gain += best
                        joined_reach += idf[best_token]
                        joined_cover += lookup.cover
            else:
                # a listed part aligns with one query part at most (a query part written twice with
                # one listed part covers one of them): no more than each part's best; two query parts
                # joined stand in for parts written together, which the scorer also compares as a
                # whole, so they count besides
                met = [place for place, gain in enumerate(place_gain) if gain >= 0.0]
                gained = min(gained, sum(place_gain[place] for place in met) + joined_gain)
                reached = min(reached, sum(idf[listed_tokens[place]] for place in met) + joined_reach)
                covered = min(covered, len(met) + joined_cover)
                bound = _score_bound(gained, reached, covered, weight, query_weight, size)
                if bound >= floor:
                    passing.append((name_no, bound))
        return passing

    def _bounds_by_arrays(
        self,
        names: IntArray | list[int],
        lookups: list[_Lookup],
        query_weight: float,
        size: int,
        floor: float,
    ) -> list[tuple[int, float]]:
        """`_bounds` for many names and lookups, on arrays: the names' tokens are read from the flat
        token array, met with the listed tokens the lookups reach, the best per name and lookup kept,
        and the bounds computed for all names at once (what `_bounds_one_by_one` does name by name).
        """
        # what each lookup reaches, as rows: listed token number, lookup, gain, listed weight
        idf = self._idf_array
        per_lookup = [(lookup.tokens, lookup.gains, idf[lookup.tokens]) for lookup in lookups]
        tokens = np.concatenate([row[0] for row in per_lookup])
        order = np.argsort(tokens, kind="stable")
        tokens = tokens[order]
        hit_lookup = np.repeat(np.arange(len(lookups)), [len(row[0]) for row in per_lookup])[order]
        hit_gain = np.concatenate([row[1] for row in per_lookup])[order]
        hit_weight = np.concatenate([row[2] for row in per_lookup])[order]
        first = np.ones(len(tokens), dtype=bool)
        first[1:] = tokens[1:] != tokens[:-1]
        first_row = np.flatnonzero(first)
        reached_tokens = tokens[first_row]
        row_count = np.diff(first_row, append=len(tokens))

        numbers = np.asarray(names, dtype=np.int64)
        start = self._start_array
        begins = start[numbers]
        lengths = start[numbers + 1] - begins
        owner, offsets = _expand(lengths)
        name_tokens = self._token_array[begins[owner] + offsets]
        # which of the names' tokens a lookup reaches: per listed token, its first row (a table as long
        # as the vocabulary, read once per name token, rather than a binary search per name token)
        row_of = np.full(len(self._vocabulary), -1, dtype=np.int32)
        row_of[reached_tokens] = np.arange(len(reached_tokens), dtype=np.int32)
        found = row_of[name_tokens]
        met = found >= 0
        owner = met_owner = owner[met]
        met_tokens = name_tokens[met]
        found = found[met]
        # each met token once per lookup reaching it
        owner_row, offsets = _expand(row_count[found])
        rows = first_row[found][owner_row] + offsets
        owner = owner[owner_row]
        lookup_of = hit_lookup[rows]
        gain = hit_gain[rows]
        # per name and lookup, the best gain (and the weight of the listed token giving it)
        count = len(numbers)
        pair = owner * len(lookups) + lookup_of
        pairs = count * len(lookups)
        top = np.full(pairs, -np.inf)
        np.maximum.at(top, pair, gain)
        best = np.flatnonzero(gain == top[pair])
        # of equal gains, the first (as name by name)
        first = np.full(pairs, len(pair))
        np.minimum.at(first, pair[best], best)
        best = best[first[pair[best]] == best]
        owner_best = owner[best]
        # a query part written k times may align with k listed parts: its best counts k times (no more
        # than the parts met allow, below)
        times = np.asarray([_times(lookup.joined, lookup.cover) for lookup in lookups], dtype=np.float64)[
            lookup_of[best]
        ]
        gained = _sums(owner_best, gain[best] * times, count)
        reached = _sums(owner_best, hit_weight[rows[best]] * times, count)
        covers = np.asarray([lookup.cover for lookup in lookups], dtype=np.float64)
        covered = _sums(owner_best, covers[lookup_of[best]], count)
        # a listed part aligns with one query part at most: no more than each part's best (per met
        # token of a name, the best gain of any lookup of one query part; two joined count besides:
        # see `_bounds_one_by_one`)
        joined = np.asarray([lookup.joined for lookup in lookups], dtype=bool)
        apart = ~joined[lookup_of]
        place_gain = np.full(len(met_owner), -1.0)
        np.maximum.at(place_gain, owner_row[apart], gain[apart])
        placed = place_gain >= 0.0
        joined_best = best[joined[lookup_of[best]]]
        joined_owner = owner[joined_best]
        gained = np.minimum(
            gained,
            _sums(met_owner[placed], place_gain[placed], count)
            + _sums(joined_owner, gain[joined_best], count),
        )
        reached = np.minimum(
            reached,
            _sums(met_owner[placed], idf[met_tokens[placed]], count)
            + _sums(joined_owner, hit_weight[rows[joined_best]], count),
        )
        covered = np.minimum(
            covered,
            np.bincount(met_owner[placed], minlength=count)
            + _sums(joined_owner, covers[lookup_of[joined_best]], count),
        )
        bounds = _score_bounds(gained, reached, covered, self._weight_array[numbers], query_weight, size)
        passing = np.flatnonzero(bounds >= floor)
        return list(zip(numbers[passing].tolist(), bounds[passing].tolist(), strict=True))

    def _reach(self, token: str, *, joined: bool = False) -> _Reach | None:
        """The listed tokens a query token that is not itself listed (a listed one: `_listed_reach`, as
        `_lookups` does) reaches with their gains, or None if it reaches none (cached).

        Two query tokens joined are cached apart: there are many more of them than of name parts, and
        few reach anything, so they are not to push the name parts out of the caches.
        """
        cache = self._joined_reaches if joined else self._reaches
        if token in cache:
            return cache[token]
        reach = (
            self._make_reach(self._expand(token, joined=True), None)
            if joined
            else self._make_reach(self._with_prefixes(token, self._expansions_of(token)), self.weight(token))
        )
        if len(cache) >= _EXPANSION_CACHE_SIZE:
            cache.clear()
        cache[token] = reach
        return reach

    def _listed_reach(self, number: int) -> _Reach | None:
        """What a listed token reaches, worked out when the index was built."""
        start, end = self._reach_start[number], self._reach_start[number + 1]
        if start == end:
            return None
        return _Reach(
            self._reach_gain[number],
            self._reach_reach[number],
            self._reach_tokens[start:end],
            self._reach_gains[start:end],
        )

    def _make_reach(self, expansions: list[tuple[int, float]], weight: float | None) -> _Reach | None:
        """What a query part of this ``weight`` reaches through these expansions. The scorer credits an
        aligned pair its similarity times what both parts weigh: the listed part's weight is counted as
        reached, and the query part's side, similarity times the query part's weight, is its gain (a
        rare query part that reaches a common listed one gains its own weight, not the listed one's).
        Two query parts joined (``weight`` None) gain by the listed part's weight."""
        if not expansions:
            return None
        tokens = np.fromiter((number for number, _ in expansions), dtype=np.int32, count=len(expansions))
        similarity = np.fromiter((s for _, s in expansions), dtype=np.float64, count=len(expansions))
        weights = self._idf_array[tokens]
        gains = similarity * (weights if weight is None else weight)
        return _Reach(float(gains.max()), float(weights.max()), tokens, gains)

    def _reached_by(self, tokens: IntArray) -> AbstractBitMap:
        """The names holding any of these listed tokens (by number).

        The postings are joined as one sorted array and made a bitmap at once: a union of bitmaps
        builds its containers with room to grow (some eight times what its names take) and, compacted
        afterwards, leaves holes in the heap that no longer fit anything (some 120 bytes a listed name
        at a million entities, for the sets worked out when the index is built)."""
        postings = self._postings
        if len(tokens) == 1:
            return postings[int(tokens[0])]
        names = _union([_numbers(postings[n]) for n in tokens.tolist()])
        return FrozenBitMap(_int_array(names, "I"))

    def _table(self, lookup: _Lookup) -> dict[int, float]:
        """The listed tokens a lookup reaches (by number) with their gains, as a dict (cached)."""
        key = (lookup.token, lookup.joined, lookup.tier)
        table = self._tables.get(key)
        if table is None:
            if len(self._tables) >= _EXPANSION_CACHE_SIZE:
                self._tables.clear()
            table = self._tables[key] = dict(zip(lookup.tokens.tolist(), lookup.gains.tolist(), strict=True))
        return table

    def _names_of(self, lookup: _Lookup) -> AbstractBitMap:
        """The names holding any listed token a lookup reaches (cached, name parts and joined apart: a
        joined token reaches fewer listed tokens than the same name part would)."""
        number = lookup.listed  # the query token's number, looked up once (`_lookups`)
        if number >= 0:
            listed = (
                self._listed_tiers.get((number, lookup.tier)) if lookup.tier else self._listed_names[number]
            )
            if listed is not None:
                return listed
        key = (lookup.token, lookup.joined, lookup.tier)
        sets = self._name_sets
        cached = sets.get(key)
        if cached is not None:
            sets.move_to_end(key)
            return cached
        found = self._reached_by(lookup.tokens)
        self._name_set_budget -= len(found)
        # the sets used longest ago make room: the common tokens' sets, the costliest to make, stay
        while sets and (len(sets) >= _REACH_CACHE_SIZE or self._name_set_budget < 0):
            self._name_set_budget += len(sets.popitem(last=False)[1])
        sets[key] = found
        return found

    def entities_with_identifiers(self, numbers: Iterable[str]) -> set[int]:
        """Entity numbers that list any of these (normalised) identifiers."""
        found: set[int] = set()
        for number in numbers:
            found.update(self.by_identifier.get(number, ()))
        return found
