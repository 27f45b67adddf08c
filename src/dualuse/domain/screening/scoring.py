"""Scoring a candidate: name similarity, then secondary facts where the query has them.

The name score aligns the query's tokens with the listed name's tokens in any order (reordered names),
each pair scored by edit distance, with credit for initials, equal phonetic keys and equal consonant
skeletons (vowel-less transliteration). Tokens are weighted by how rare they are on the lists, so that
sharing "Mohammed" says less than sharing "Tikriti". Tokens the listed name has and the query lacks
cost less than the reverse (a party's name is often given without middle names).

Secondary facts adjust the name score: a matching date of birth or country raises it a little, a
contradicting one lowers it; a matching identifier (passport, registration or IMO number) raises it to
near-certainty. Each adjustment is reported with a note.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA, Levenshtein

from dualuse.domain.screening.model import EntitySchema, Explanation, ListedEntity
from dualuse.domain.screening.normalise import (
    NameForm,
    glued_type_written_apart,
    phonetic_key,
    simplify,
    skeleton,
)

#: weight of a listed-name token the query does not have, relative to one the query has but the
#: listed name lacks
MISSING_PART_WEIGHT = 0.5
#: a query whose parts are not all found on the listed name loses (found / all) ** this
COVERAGE_EXPONENT = 0.35
#: weight of a query part without counterpart where every part of the listed name is found
QUERY_EXTRA_WEIGHT = 0.5
#: and the coverage exponent then
QUERY_EXTRA_EXPONENT = 0.2
#: a query is a fuller form of a listed name only where every part they share is at least this alike
FULLER_NAME_FLOOR = 0.9
#: weight of a listed part without counterpart where the query has parts without counterpart too
CONFLICT_WEIGHT = 2.0
#: token pairs less similar than this (by edit distance) are not aligned
TOKEN_FLOOR = 0.7
#: how much more than its edit distance a fuzzy token pair loses
FUZZY_STRETCH = 1.6
INITIAL_CREDIT = 0.8
SKELETON_CREDIT = 0.9
#: consonants a skeleton needs to count for tokens that both write vowels inside
LONG_SKELETON = 5
PHONETIC_CREDIT = 0.8
TRANSLIT_CREDIT = 0.92
TRANSLIT_DISCOUNT = 0.05
#: one token the start of the other ("Kim" / "Ki")
TRUNCATION_CREDIT = 0.75
#: least edit-distance similarity of two names written without spaces to count as one name
COMPACT_FLOOR = 0.85
#: the most the secondary facts other than identifiers can add to a name score
MAX_FACT_BONUS = 0.08 + 0.03

DOB_EXACT = 0.08
DOB_YEAR = 0.05
DOB_CONFLICT = -0.2
COUNTRY_MATCH = 0.03
COUNTRY_CONFLICT = -0.08
IDENTIFIER_MATCH = 0.35
#: the least score of an identifier in common, whatever the names (a renamed vessel by its IMO number) or where
#: the query gives no name: logic-v2's weight for an identifier match, yente's default (nomenklatura 4.17,
#: matching/logic_v2/model.py, which scores an entity by its best feature)
IDENTIFIER_ALONE = 0.85
SCHEMA_CONFLICT = -0.3
#: distances are cut off this far below the similarity that matters: rapidfuzz turns a cut-off into a
#: whole number of edits with some rounding, and drops a similarity a billionth above it
_CUTOFF_SLACK = 1e-6


@lru_cache(maxsize=500_000)
def token_similarity(a: str, b: str) -> float:
    """How alike two name tokens are, in [0, 1]; 0 below the floor.

    Edit-distance similarity, stretched so that one wrong letter in a short token costs more than in a
    long one. A vowel-less token that is the consonant skeleton of the other (a transliteration from
    Arabic script) and equal phonetic keys of similar spellings earn extra credit.
    """
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:
        # an initial stands for any name with that first letter
        return INITIAL_CREDIT if a[0] == b[0] else 0.0
    if a.isdigit() or b.isdigit():
        return 0.0
    # optimal string alignment: a swap of two letters is one edit
    sim = float(OSA.normalized_similarity(a, b))
    if sim < TRANSLIT_CREDIT:
        simple_a, simple_b = simplify(a), simplify(b)
        if simple_a == simple_b:
            sim = TRANSLIT_CREDIT
        else:
            sim = max(sim, float(OSA.normalized_similarity(simple_a, simple_b)) - TRANSLIT_DISCOUNT)
    if sim < SKELETON_CREDIT and min(len(a), len(b)) >= 2:
        if (
            skeleton(a) == skeleton(b)
            # "bwi" / "bae" share a first letter only; "pro" / "berry" share "br" only as p is read b
            # nor "ole" / "ali" ("al") as any first vowel is read a
            and len(skeleton(a)) >= (3 if "p" in a or "p" in b or a[0] in "aeiou" or b[0] in "aeiou" else 2)
            and min(_inner_vowels(a), _inner_vowels(b)) <= 1
        ):
            sim = SKELETON_CREDIT
        elif sim >= 0.6 and min(len(a), len(b)) >= 3 and phonetic_key(a) == phonetic_key(b):
            # vowels are what transliterations disagree on most ("Hezbollah" / "Hizballah", "Abdollah" /
            # "Abdullah"): the same five consonants or more, in order, and the same sound, are one name;
            # consonants as transliterations write them alike ("x" and "ks": "Alexander" / "Alyaksandr")
            long_skeleton = any(
                len(consonants) >= LONG_SKELETON and consonants == skeleton(spelt(b))
                for spelt in (str, simplify)
                if (consonants := skeleton(spelt(a)))
            )
            sim = max(sim, SKELETON_CREDIT if long_skeleton else PHONETIC_CREDIT)
    if sim < TRUNCATION_CREDIT and min(len(a), len(b)) >= 2 and (a.startswith(b) or b.startswith(a)):
        sim = TRUNCATION_CREDIT
    if sim < TOKEN_FLOOR:
        return 0.0
    return 1.0 - FUZZY_STRETCH * (1.0 - sim)


def _inner_vowels(token: str) -> int:
    """Vowels after the first letter: Arabic script writes few (``slman`` for Salman)."""
    return sum(1 for ch in token[1:] if ch in "aeiou")


def name_similarity(query: Sequence[str], listed: Sequence[str], weight: Callable[[str], float]) -> float:
    """Similarity of two tokenised names, in [0, 1]."""
    return _name_similarity(query, listed, weight, explain=False)[0]


def explain_name(
    query: Sequence[str], listed: Sequence[str], weight: Callable[[str], float]
) -> tuple[float, str]:
    """Similarity of two tokenised names and a note on how their parts were aligned."""
    return _name_similarity(query, listed, weight, explain=True)


def _name_similarity(
    query: Sequence[str], listed: Sequence[str], weight: Callable[[str], float], *, explain: bool
) -> tuple[float, str]:
    if not query or not listed:
        return 0.0, "empty name"
    pairs = _align(query, listed)
    matched_q = {i for i, _, _ in pairs}
    matched_l = {j for _, j, _ in pairs}
    wq = [weight(t) for t in query]
    wl = [weight(t) for t in listed]
    # an initial says only which letter a name starts with: a pair of it and a full name counts what the
    # lighter of the two weighs on both sides, not the rare full name's weight ("I&S" / "Isim Sinin")
    numerator = sum(
        sim * (wq[i] + wl[j] if len(query[i]) > 1 and len(listed[j]) > 1 else 2.0 * min(wq[i], wl[j]))
        for i, j, sim in pairs
    )
    extra_q = sum(w for i, w in enumerate(wq) if i not in matched_q)
    extra_l = sum(w for j, w in enumerate(wl) if j not in matched_l)
    if extra_q and (
        extra_l
        or len(pairs) < 2
        or any(sim < FULLER_NAME_FLOOR for _, _, sim in pairs)
        or any(len(t) < 4 for i, t in enumerate(query) if i not in matched_q)
    ):
        # parts on both sides without a counterpart: the names disagree ("... al-Mosuli" / "... al-Tikriti");
        # one listed part is not a full name that a longer query could give more fully ("MARINA"), nor
        # are names whose shared parts are only alike ("Yan Shuai Cheng" / "Yun Cheng"), nor is a short
        # syllable more ("Xu Bin Wei" / "Xu Bin")
        query_extra, listed_extra = 1.0, CONFLICT_WEIGHT
    else:
        # parts on one side only: a name given more or less fully (a patronymic, a middle name)
        query_extra, listed_extra = QUERY_EXTRA_WEIGHT, MISSING_PART_WEIGHT
    denominator = (
        sum(wq[i] for i in matched_q)
        + query_extra * extra_q
        + sum(wl[j] for j in matched_l)
        + listed_extra * extra_l
    )
    token_score = numerator / denominator if denominator else 0.0
    if len(pairs) < len(query):
        exponent = QUERY_EXTRA_EXPONENT if query_extra < 1.0 else COVERAGE_EXPONENT
        token_score *= (len(pairs) / len(query)) ** exponent
    note = _alignment_note(query, listed, pairs) if explain else ""
    if len(query) != len(listed) or token_score < 0.9:
        # parts written together or apart ("Abdulhai" / "Abdul Hai", "Xi Jinping" / "xi jin ping"): only
        # a compact similarity of at least `needed` changes the score, so the distances stop below it
        needed = max(COMPACT_FLOOR, 1.0 - (1.0 - token_score) / FUZZY_STRETCH) - _CUTOFF_SLACK
        simple_cutoff = min(1.0, needed + TRANSLIT_DISCOUNT)
        ours, theirs = compact_forms(tuple(query)), compact_forms(tuple(listed))
        compact = max(
            Levenshtein.normalized_similarity(ours.joined, theirs.joined, score_cutoff=needed),
            Levenshtein.normalized_similarity(ours.sorted, theirs.sorted, score_cutoff=needed),
            Levenshtein.normalized_similarity(ours.simple, theirs.simple, score_cutoff=simple_cutoff)
            - TRANSLIT_DISCOUNT,
        )
        # a type word written together in one name and apart in the other ("ROSOBORONEXPORT" /
        # "Rosoboron Export"), compared in the spelling names give it apart ("exp"), as written and
        # simplified ("ROSOBORONEKSPORT")
        if ours.apart != ours.joined or theirs.apart != theirs.joined:
            compact = max(
                compact, Levenshtein.normalized_similarity(ours.apart, theirs.apart, score_cutoff=needed)
            )
        if ours.simple_apart != ours.simple or theirs.simple_apart != theirs.simple:
            compact = max(
                compact,
                Levenshtein.normalized_similarity(
                    ours.simple_apart, theirs.simple_apart, score_cutoff=simple_cutoff
                )
                - TRANSLIT_DISCOUNT,
            )
        if compact >= COMPACT_FLOOR:
            stretched = 1.0 - FUZZY_STRETCH * (1.0 - compact)
            if stretched > token_score:
                return stretched, "parts joined or split differently"
    return token_score, note


@dataclass(frozen=True, slots=True)
class CompactForms:
    """A name's tokens written together, as the scorer compares names written together or apart."""

    joined: str
    sorted: str  # the tokens in alphabetical order, written together
    simple: str  # each token simplified (`simplify`), written together
    apart: str  # `written_apart`
    simple_apart: str  # `written_apart` of the simplified tokens


@lru_cache(maxsize=16_384)
def compact_forms(tokens: tuple[str, ...]) -> CompactForms:
    """A name's `CompactForms`, worked out once: a query meets many listed names, and a listed name
    many queries (the scorer and the index's look-up of names written together alike)."""
    simple = [simplify(t) for t in tokens]
    return CompactForms(
        "".join(tokens),
        "".join(sorted(tokens)),
        "".join(simple),
        written_apart(tokens),
        written_apart(simple),
    )


def written_apart(tokens: Sequence[str]) -> str:
    """A name's tokens written together, a type word glued to a token in its short spelling
    (`normalise.glued_type_written_apart`)."""
    return "".join([glued_type_written_apart(t) for t in tokens])


def _align(query: Sequence[str], listed: Sequence[str]) -> list[tuple[int, int, float]]:
    scored = [
        (sim, i, j)
        for i, q in enumerate(query)
        for j, c in enumerate(listed)
        if (sim := token_similarity(q, c)) > 0.0
    ]
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_q: set[int] = set()
    used_l: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for sim, i, j in scored:
        if i in used_q or j in used_l:
            continue
        used_q.add(i)
        used_l.add(j)
        pairs.append((i, j, sim))
    return pairs


def _alignment_note(
    query: Sequence[str],
    listed: Sequence[str],
    pairs: list[tuple[int, int, float]],
) -> str:
    matched_q = {i for i, _, _ in pairs}
    matched_l = {j for _, j, _ in pairs}
    fuzzy = [f"{query[i]}~{listed[j]}" for i, j, sim in pairs if sim < 1.0]
    parts = [f"{len(pairs)} of {len(query)} query parts aligned"]
    if fuzzy:
        parts.append("fuzzy: " + ", ".join(fuzzy))
    if any(i != j for i, j, _ in pairs):
        parts.append("reordered")
    missing_q = [query[i] for i in range(len(query)) if i not in matched_q]
    missing_l = [listed[j] for j in range(len(listed)) if j not in matched_l]
    if missing_q:
        parts.append("not on list: " + " ".join(missing_q))
    if missing_l:
        parts.append("not in query: " + " ".join(missing_l))
    return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class PreparedQuery:
    """A screening query with its name and facts already normalised."""

    form: NameForm
    schema: EntitySchema | None
    birth_dates: tuple[str, ...]
    countries: tuple[str, ...]
    identifiers: frozenset[str]


def fact_bonus(query: PreparedQuery) -> float:
    """The most the query's facts other than identifiers can add to a name score: a listed entity whose
    name scores less than the threshold less this cannot reach it."""
    return (DOB_EXACT if query.birth_dates else 0.0) + (COUNTRY_MATCH if query.countries else 0.0)


def score_entity(
    query: PreparedQuery,
    entity: ListedEntity,
    name_score: float,
    name_note: str,
    entity_identifiers: frozenset[str],
) -> tuple[float, Explanation]:
    """Combine the best name score with the secondary facts into a score in [0, 1] with its explanation. An
    identifier in common raises it to `IDENTIFIER_ALONE` at least; a query without a name (an identifier
    alone) has no name score, and the other facts adjust what the identifier gives."""
    named = bool(query.form.tokens)
    explanation: Explanation = {"name": (round(name_score, 4), name_note)} if named else {}
    score = name_score if named else 0.0
    for feature, (delta, note) in (
        ("schema", _schema(query.schema, entity.schema)),
        ("birth_date", _best(_birth_date(d, entity.birth_dates) for d in query.birth_dates)),
        ("country", _countries(query.countries, entity.countries)),
        ("identifier", _identifier(query.identifiers, entity_identifiers, name_score if named else None)),
    ):
        if note:
            explanation[feature] = (delta, note)
            score += delta
    return max(0.0, min(1.0, score)), explanation


def _schema(query: EntitySchema | None, listed: EntitySchema) -> tuple[float, str]:
    if query is None or EntitySchema.UNKNOWN in (query, listed):
        return 0.0, ""
    if query == listed:
        return 0.0, f"both are a {listed.value}"
    return SCHEMA_CONFLICT, f"query is a {query.value}, listed entity a {listed.value}"


def _best(found: Iterable[tuple[float, str]]) -> tuple[float, str]:
    """Of the adjustments one fact of several values makes, the one agreeing best (none: no adjustment)."""
    return max(found, key=lambda x: x[0], default=(0.0, ""))


def _birth_date(query: str | None, listed: Sequence[str]) -> tuple[float, str]:
    if not query:
        return 0.0, ""
    if not listed:
        return 0.0, "no date of birth listed"
    best = DOB_CONFLICT
    note = f"born {query}, listed {', '.join(listed[:3])}"
    for candidate in listed:
        precision = min(len(query), len(candidate))
        if query[:precision] == candidate[:precision]:
            if precision >= 10:
                return DOB_EXACT, f"date of birth {candidate} matches"
            best, note = DOB_YEAR, f"date of birth {query} agrees with listed {candidate}"
        elif abs(int(query[:4]) - int(candidate[:4])) <= 1 and best < 0.0:
            best, note = 0.0, f"born {query}, listed {candidate}: close"
    return best, note


def _countries(query: Sequence[str], listed: Sequence[str]) -> tuple[float, str]:
    """The party's countries against those listed: one of them listed agrees."""
    if not query:
        return 0.0, ""
    if not listed:
        return 0.0, "no country listed"
    common = [c for c in query if c in listed]
    if common:
        return COUNTRY_MATCH, f"country {common[0]} is listed"
    given = f"country {query[0]}" if len(query) == 1 else f"countries {', '.join(query)}"
    return COUNTRY_CONFLICT, f"{given} not among listed {', '.join(sorted(set(listed))[:5])}"


def _identifier(query: frozenset[str], listed: frozenset[str], name_score: float | None) -> tuple[float, str]:
    """What the identifiers add to a name score (None: the query gives no name)."""
    if not query:
        return 0.0, ""
    common = query & listed
    if common:
        note = f"identifier {sorted(common)[0]} is listed"
        if name_score is None:
            return IDENTIFIER_ALONE, f"{note} (no name given to compare)"
        if name_score + IDENTIFIER_MATCH < IDENTIFIER_ALONE:
            return IDENTIFIER_ALONE - name_score, f"{note}, under a name unlike the one given"
        return IDENTIFIER_MATCH, note
    if not listed:
        return 0.0, "no identifier listed"
    return 0.0, "identifiers differ (a party may hold several)"
