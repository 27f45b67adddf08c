"""Full-text search over the control list: codes, titles, summaries, notes and the synonym table.

Everything is worked out when the index is built: an inverted index from each term to the entries
that use it with a precomputed BM25F weight (title and synonyms count more than summaries, notes and
the titles of the entries above), the vocabulary grouped by word length for typo matching, and the
codes in sorted order for prefix look-ups. A query then costs a handful of dictionary look-ups; only
words the list never uses are matched against the vocabulary with rapidfuzz (never against entries).

Search helps a person find entries; it does not classify anything (see ``classify``).
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from dualuse.domain.controllist.codes import ControlCode, InvalidControlCodeError
from dualuse.domain.controllist.entries import ControlEntry
from dualuse.domain.controllist.text import stem, words

# BM25F field weights: what the entry is called counts most; the words of the entries above it least.
FIELD_WEIGHTS: Mapping[str, float] = {
    "title": 3.0,
    "synonym": 3.0,
    "summary": 1.0,
    "note": 0.4,
    "parent": 0.5,
}
_FIELD_LABELS = {
    "title": "title",
    "synonym": "synonym",
    "summary": "summary",
    "note": "note",
    "parent": "heading",
}
_K1 = 1.2
_B = 0.75
_PHRASE_BONUS = 6.0  # per word of a synonym phrase found whole in the query
_SYNONYM_RANK_STEP = 0.1  # each later code of a synonym gets a little less of the phrase bonus
_SYNONYM_RANK_FLOOR = 0.7
_PREFIX_WEIGHT = 0.6
_FUZZY_WEIGHT = 0.85
_FUZZY_LIMIT = 3
_PREFIX_LIMIT = 8
_CODE_EXACT = 1000.0
_CODE_UNDER = 900.0  # the query names a sub-item deeper than the list goes: its nearest listed entry
_CODE_BELOW = 500.0  # entries below the code the query names
_CODE_PARTIAL = 300.0  # "5A00": every code starting so

# a control code inside free text, in any of the spellings ControlCode.parse reads
_CODE_IN_TEXT = re.compile(r"(?<![a-z0-9])\d[a-e]\d{3}(?:[ .]?(?:[a-z]{1,2}|\d{1,3}))*\.?(?![a-z0-9])")
# "5a0", "5a00"; a bare "5a" only as the whole query, since "3d printer" is not a code
_PARTIAL_CODE = re.compile(r"(?<![a-z0-9])\d[a-e]\d{1,2}(?![a-z0-9])|^\s*\d[a-e]\s*$")


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An entry found by a search, its score (higher is better, comparable within one query) and why."""

    entry: ControlEntry
    score: float
    why: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _QueryTerm:
    typed: str  # the word as typed
    expansions: tuple[tuple[str, float, str], ...]  # (indexed stem, weight, note on how it was read)


class SearchIndex:
    """An immutable search index over control list entries; build it with ``SearchIndex.build``."""

    def __init__(
        self,
        entries: tuple[ControlEntry, ...],
        postings: Mapping[str, tuple[tuple[int, float], ...]],
        field_terms: tuple[Mapping[str, frozenset[str]], ...],
        surface: Mapping[str, str],
        by_length: Mapping[int, tuple[str, ...]],
        sorted_surface: tuple[str, ...],
        phrases: tuple[tuple[str, tuple[str, ...], tuple[tuple[int, float], ...]], ...],
        phrases_by_term: Mapping[str, tuple[int, ...]],
        code_strings: tuple[tuple[str, int], ...],
        by_code: Mapping[ControlCode, int],
        entry_phrases: tuple[tuple[tuple[str, frozenset[str]], ...], ...],
    ) -> None:
        self._entries = entries
        self._postings = postings
        self._field_terms = field_terms
        self._surface = surface
        self._by_length = by_length
        self._sorted_surface = sorted_surface
        self._phrases = phrases
        self._phrases_by_term = phrases_by_term
        self._code_strings = code_strings
        self._code_keys = tuple(s for s, _ in code_strings)
        self._by_code = by_code
        self._entry_phrases = entry_phrases

    @classmethod
    def build(
        cls, entries: Iterable[ControlEntry], synonyms: Mapping[str, Sequence[str]] | None = None
    ) -> SearchIndex:
        """Index entries and a synonym table (a phrase exporters use → the codes it usually means).

        A synonym naming a code deeper than the entries go attaches to the nearest listed entry above it;
        one naming an unlisted code is ignored.
        """
        ordered = tuple(sorted(entries, key=lambda e: e.code))
        by_code = {e.code: i for i, e in enumerate(ordered)}
        entry_phrases: dict[int, list[str]] = defaultdict(list)
        targets: dict[str, dict[int, float]] = defaultdict(dict)
        for phrase, codes in (synonyms or {}).items():
            for rank, text in enumerate(codes):
                index = _resolve_index(text, by_code)
                if index is None:
                    continue
                if phrase not in entry_phrases[index]:
                    entry_phrases[index].append(phrase)
                # the table lists the likeliest code first
                weight = max(_SYNONYM_RANK_FLOOR, 1.0 - _SYNONYM_RANK_STEP * rank)
                targets[phrase][index] = max(weight, targets[phrase].get(index, 0.0))

        field_texts: list[dict[str, list[str]]] = []
        for i, entry in enumerate(ordered):
            parents = [ordered[by_code[c]].title for c in entry.code.ancestors if c in by_code]
            field_texts.append(
                {
                    "title": words(entry.title),
                    "synonym": [w for p in entry_phrases.get(i, ()) for w in words(p)],
                    "summary": words(entry.summary),
                    "note": [w for note in entry.notes for w in words(note.text)],
                    "parent": [w for title in parents for w in words(title)],
                }
            )
        surface: dict[str, str] = {}
        for fields in field_texts:
            for ws in fields.values():
                for w in ws:
                    surface.setdefault(w, stem(w))
        postings = _bm25f_postings(field_texts, len(ordered))
        field_terms = tuple(
            {name: frozenset(stem(w) for w in ws) for name, ws in fields.items()} for fields in field_texts
        )
        by_length: dict[int, list[str]] = defaultdict(list)
        for w in surface:
            if not w.isdigit():
                by_length[len(w)].append(w)
        phrase_list: list[tuple[str, tuple[str, ...], tuple[tuple[int, float], ...]]] = []
        phrases_by_term: dict[str, list[int]] = defaultdict(list)
        for phrase, indexes in targets.items():
            phrase_terms = tuple(dict.fromkeys(stem(w) for w in words(phrase)))
            if not phrase_terms:
                continue
            for term in phrase_terms:
                phrases_by_term[term].append(len(phrase_list))
            phrase_list.append((phrase, phrase_terms, tuple(sorted(indexes.items()))))
        return cls(
            entries=ordered,
            postings=postings,
            field_terms=field_terms,
            surface=surface,
            by_length={n: tuple(sorted(ws)) for n, ws in by_length.items()},
            sorted_surface=tuple(sorted(surface)),
            phrases=tuple(phrase_list),
            phrases_by_term={t: tuple(ids) for t, ids in phrases_by_term.items()},
            code_strings=tuple(sorted((str(e.code), i) for i, e in enumerate(ordered))),
            by_code=by_code,
            entry_phrases=tuple(
                tuple((p, frozenset(stem(w) for w in words(p))) for p in entry_phrases.get(i, ()))
                for i in range(len(ordered))
            ),
        )

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def vocabulary_size(self) -> int:
        """How many distinct words the index knows."""
        return len(self._surface)

    def search(self, text: str, limit: int = 10) -> list[SearchHit]:
        """The entries best matching ``text``, best first, each with the reasons it was found.

        A code in the query (``5a001f``, ``5A001 f 1``) puts its entry first, followed by the entries below
        it; a partial code (``5A00``) finds the codes starting so; words are matched on titles, summaries,
        notes, the headings above and the synonym table, tolerating typos.
        """
        if limit <= 0:
            return []
        lowered = text.lower()
        scores: dict[int, float] = defaultdict(float)
        reasons: dict[int, list[str]] = defaultdict(list)
        remaining = self._score_codes(lowered, scores, reasons)
        query_terms = self._query_terms(remaining)
        matched = self._score_terms(query_terms, scores)
        self._score_phrases(query_terms, scores, reasons)
        if query_terms:
            wanted = len(query_terms)
            for index, count in matched.items():
                # prefer entries that match every word of the query to those matching one word often
                scores[index] *= 0.5 + 0.5 * count / wanted
        # entries are held in code order, so the lower index wins a tie
        ranked = heapq.nlargest(limit, scores.items(), key=lambda item: (item[1], -item[0]))
        hits: list[SearchHit] = []
        for index, score in ranked:
            found = reasons.get(index, [])
            phrase_found = any(r.startswith("synonym ") for r in found)
            why = [*found, *self._explain(index, query_terms, phrase_found)]
            hits.append(SearchHit(self._entries[index], round(score, 4), tuple(dict.fromkeys(why))))
        return hits

    def _score_codes(self, lowered: str, scores: dict[int, float], reasons: dict[int, list[str]]) -> str:
        remaining = lowered
        for match in _CODE_IN_TEXT.finditer(lowered):
            code = _longest_code(match.group())
            if code is None:
                continue
            remaining = remaining.replace(match.group(), " ", 1)
            listed = self._nearest_listed(code)
            if listed is None:
                continue
            if self._entries[listed].code == code:
                scores[listed] += _CODE_EXACT
                reasons[listed].append(f"code {code}")
            else:
                scores[listed] += _CODE_UNDER
                reasons[listed].append(f"code {code} falls under {self._entries[listed].code}")
            for index in self._codes_with_prefix(f"{code}."):
                depth = self._entries[index].code.depth - code.depth
                scores[index] += _CODE_BELOW - 10.0 * depth
                reasons[index].append(f"code prefix {code}")
        for match in _PARTIAL_CODE.finditer(remaining):
            prefix = match.group().strip().upper()
            for index in self._codes_with_prefix(prefix):
                scores[index] += _CODE_PARTIAL - 10.0 * self._entries[index].code.depth
                reasons[index].append(f"code prefix {prefix}")
            remaining = remaining.replace(match.group(), " ", 1)
        return remaining

    def _nearest_listed(self, code: ControlCode) -> int | None:
        for candidate in (code, *reversed(code.ancestors)):
            if candidate in self._by_code:
                return self._by_code[candidate]
        return None

    def _codes_with_prefix(self, prefix: str) -> list[int]:
        start = bisect.bisect_left(self._code_keys, prefix)
        found: list[int] = []
        for key, index in self._code_strings[start:]:
            if not key.startswith(prefix):
                break
            found.append(index)
        return found

    def _query_terms(self, text: str) -> list[_QueryTerm]:
        query_terms: list[_QueryTerm] = []
        seen: set[str] = set()
        for word in words(text):
            if word in seen:
                continue
            seen.add(word)
            stemmed = stem(word)
            if stemmed in self._postings:
                query_terms.append(_QueryTerm(word, ((stemmed, 1.0, ""),)))
            else:
                query_terms.append(_QueryTerm(word, self._expand(word)))
        return query_terms

    def _expand(self, word: str) -> tuple[tuple[str, float, str], ...]:
        """Read a word the list never uses as the list's words it is probably meant to be: words it begins
        (``quant`` → ``quantum``) and words one or two typos away (``cacher`` → ``catcher``)."""
        if len(word) < 4 or word.isdigit():
            return ()
        best: dict[str, tuple[float, str]] = {}
        start = bisect.bisect_left(self._sorted_surface, word)
        for known in self._sorted_surface[start : start + _PREFIX_LIMIT]:
            if not known.startswith(word):
                break
            best.setdefault(self._surface[known], (_PREFIX_WEIGHT, f'"{word}" read as "{known}"'))
        cutoff = 75.0 if len(word) <= 4 else 80.0
        choices = [w for n in range(len(word) - 2, len(word) + 3) for w in self._by_length.get(n, ())]
        for known, similarity, _ in process.extract(
            word, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=_FUZZY_LIMIT
        ):
            weight = _FUZZY_WEIGHT * (similarity / 100.0) ** 2
            stemmed = self._surface[known]
            if weight > best.get(stemmed, (0.0, ""))[0]:
                best[stemmed] = (weight, f'"{word}" read as "{known}"')
        return tuple((s, weight, note) for s, (weight, note) in best.items())

    def _score_terms(self, query_terms: list[_QueryTerm], scores: dict[int, float]) -> Counter[int]:
        matched: Counter[int] = Counter()
        for term in query_terms:
            best: dict[int, float] = {}
            for stemmed, weight, _ in term.expansions:
                for index, value in self._postings.get(stemmed, ()):
                    contribution = weight * value
                    if contribution > best.get(index, 0.0):
                        best[index] = contribution
            for index, value in best.items():
                scores[index] += value
                matched[index] += 1
        return matched

    def _score_phrases(
        self, query_terms: list[_QueryTerm], scores: dict[int, float], reasons: dict[int, list[str]]
    ) -> None:
        weights: dict[str, float] = {}
        for term in query_terms:
            for stemmed, weight, _ in term.expansions:
                weights[stemmed] = max(weight, weights.get(stemmed, 0.0))
        candidates = {pid for s in weights for pid in self._phrases_by_term.get(s, ())}
        for pid in sorted(candidates):
            phrase, phrase_terms, indexes = self._phrases[pid]
            if all(t in weights for t in phrase_terms):
                bonus = _PHRASE_BONUS * sum(weights[t] for t in phrase_terms)
                for index, weight in indexes:
                    scores[index] += bonus * weight
                    reasons[index].append(f'synonym "{phrase}"')

    def _explain(self, index: int, query_terms: list[_QueryTerm], phrase_found: bool) -> list[str]:
        fields = self._field_terms[index]
        why: list[str] = []
        for term in query_terms:
            for stemmed, _, note in term.expansions:
                where = next((name for name in FIELD_WEIGHTS if stemmed in fields[name]), None)
                if where is None:
                    continue
                shown = note.split(" read as ")[-1].strip('"') if note else term.typed
                typo = f" ({note})" if note else ""
                if where != "synonym":
                    why.append(f'{_FIELD_LABELS[where]} matches "{shown}"{typo}')
                elif not phrase_found:
                    phrase = next(p for p, ts in self._entry_phrases[index] if stemmed in ts)
                    why.append(f'synonym "{phrase}" matches "{shown}"{typo}')
                break
        return why


def _resolve_index(text: str, by_code: Mapping[ControlCode, int]) -> int | None:
    try:
        code = ControlCode.parse(text)
    except InvalidControlCodeError:
        return None
    for candidate in (code, *reversed(code.ancestors)):
        if candidate in by_code:
            return by_code[candidate]
    return None


def _longest_code(text: str) -> ControlCode | None:
    """The longest valid code at the start of a code-looking match (``5a001f1x`` reads as far as it can)."""
    pieces = re.findall(r"\d[a-e]\d{3}|[a-z]+|\d+", text)
    for end in range(len(pieces), 0, -1):
        try:
            return ControlCode.parse(".".join(pieces[:end]))
        except InvalidControlCodeError:
            continue
    return None


def _bm25f_postings(
    field_texts: list[dict[str, list[str]]], count: int
) -> dict[str, tuple[tuple[int, float], ...]]:
    """For each term, the entries using it and the term's BM25F weight in each (precomputed)."""
    average = {
        name: max(1.0, sum(len(f[name]) for f in field_texts) / max(1, count)) for name in FIELD_WEIGHTS
    }
    pseudo: dict[str, dict[int, float]] = defaultdict(dict)
    for index, fields in enumerate(field_texts):
        for name, ws in fields.items():
            if not ws:
                continue
            norm = 1.0 - _B + _B * len(ws) / average[name]
            for term, tf in Counter(stem(w) for w in ws).items():
                pseudo[term][index] = pseudo[term].get(index, 0.0) + FIELD_WEIGHTS[name] * tf / norm
    postings: dict[str, tuple[tuple[int, float], ...]] = {}
    for term, per_entry in pseudo.items():
        df = len(per_entry)
        idf = math.log(1.0 + (count - df + 0.5) / (df + 0.5))
        postings[term] = tuple(
            (index, idf * tf * (_K1 + 1.0) / (_K1 + tf)) for index, tf in sorted(per_entry.items())
        )
    return postings
