"""Classification suggestions: which Annex I entries a described item may fall under.

This only suggests. Classification is the exporter's decision, recorded by a person who has read the
entries and their notes (Art. 3(1) applies to items *listed* in Annex I, and only a person can say
whether an item is). The suggestions combine the text search with the crisp thresholds entries carry
as ``parameters``.

Parameters follow one convention: an entry's ``{"symmetric_key_bits_gt": 56}`` is met by an item
described with ``{"symmetric_key_bits": 256}``. Suffixes: ``_gt`` ``_ge`` ``_lt`` ``_le`` ``_eq``
(``_gte``/``_min`` read as ``_ge``, ``_lte``/``_max`` as ``_le``). An entry's thresholds are read as
alternatives (5A002.a is met by a symmetric key over 56 bits *or* an RSA modulus over 512 bits).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dualuse.domain.controllist.entries import ControlEntry
from dualuse.domain.controllist.search import SearchIndex
from dualuse.domain.controllist.versions import ControlList

_COMPARISONS: Mapping[str, tuple[str, Callable[[float, float], bool], str]] = {
    # suffix: (shown, test, shown when the test fails)
    "gt": (">", operator.gt, "≤"),
    "ge": ("≥", operator.ge, "<"),
    "gte": ("≥", operator.ge, "<"),
    "min": ("≥", operator.ge, "<"),
    "lt": ("<", operator.lt, "≥"),
    "le": ("≤", operator.le, ">"),
    "lte": ("≤", operator.le, ">"),
    "max": ("≤", operator.le, ">"),
    "eq": ("=", operator.eq, "≠"),
}
_UNITS = frozenset(
    [
        "bits",
        "bit",
        "bytes",
        "hz",
        "khz",
        "mhz",
        "ghz",
        "thz",
        "nm",
        "um",
        "mm",
        "cm",
        "m",
        "km",
        "w",
        "kw",
        "mw",
        "dbm",
        "db",
        "kg",
        "g",
        "s",
        "ms",
        "us",
        "ns",
        "k",
        "c",
        "percent",
        "rpm",
        "gbps",
        "mbps",
        "tbps",
        "mips",
        "flops",
    ]
)
_SEARCH_DEPTH = 4  # how many more search hits than wanted to look at before parameters re-rank them
_MET_BONUS = 0.5
_UNMET_PENALTY = 0.3


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entry the item may fall under, a score (higher is likelier) and the reasons, for a person to
    check against the entry's full text."""

    entry: ControlEntry
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Check:
    met: tuple[str, ...]
    unmet: tuple[str, ...]
    missing: tuple[str, ...]


def classify(
    description: str,
    parameters: Mapping[str, object],
    index: SearchIndex,
    control_list: ControlList,
    limit: int = 5,
) -> list[Candidate]:
    """Suggest the entries of ``control_list`` an item described in words and parameters may fall under.

    The search over the description ranks entries; an entry whose thresholds the parameters meet moves up
    (and is suggested even if the words missed it), one whose every given threshold is missed moves down.
    Each suggestion says why, and notes the cyber-surveillance (Art. 2(20)) and information-security
    (Category 5 Part 2) flags that apply to it. It suggests; a person decides and records the
    classification.
    """
    if limit <= 0:
        return []
    hits = index.search(description, limit=limit * _SEARCH_DEPTH) if description.strip() else []
    top = max((h.score for h in hits), default=0.0) or 1.0
    scored: dict[str, tuple[ControlEntry, float, list[str]]] = {}
    for hit in hits:
        entry = control_list.get(hit.entry.code)
        if entry is None:  # the index was built from another list version
            continue
        scored[str(entry.code)] = (entry, hit.score / top, list(hit.why))
    given = _numeric(parameters)
    if given:
        for entry in control_list:
            if entry.parameters and str(entry.code) not in scored and _check(entry, given).met:
                scored[str(entry.code)] = (entry, 0.0, [])
    candidates: list[Candidate] = []
    for entry, relevance, reasons in scored.values():
        score = relevance
        check = _check(entry, given)
        if check.met:
            score += _MET_BONUS
            reasons.extend(check.met)
        elif check.unmet:
            score -= _UNMET_PENALTY
            reasons.extend(check.unmet)
        reasons.extend(check.missing)
        reasons.extend(_flag_reasons(control_list, entry))
        candidates.append(Candidate(entry, round(score, 4), tuple(dict.fromkeys(reasons))))
    candidates.sort(key=lambda c: (-c.score, c.entry.code))
    return candidates[:limit]


def _numeric(parameters: Mapping[str, object]) -> dict[str, float]:
    values: dict[str, float] = {}
    for name, value in parameters.items():
        number = _as_number(value)
        if number is not None:
            values[name.strip().lower()] = number
    return values


def _as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    number: float | None = None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    return number if number is not None and math.isfinite(number) else None


def _check(entry: ControlEntry, given: Mapping[str, float]) -> _Check:
    met: list[str] = []
    unmet: list[str] = []
    missing: list[str] = []
    for key, threshold_value in entry.parameters.items():
        name, _, suffix = key.rpartition("_")
        threshold = _as_number(threshold_value)
        if suffix not in _COMPARISONS or threshold is None or not name:
            continue
        shown, test, shown_failed = _COMPARISONS[suffix]
        label, unit = _label(name)
        if name not in given:
            missing.append(f"check {label}{' ' + unit if unit else ''} {shown} {_fmt(threshold)} (not given)")
            continue
        value = given[name]
        amount = f"{label} {_fmt(value)}{' ' + unit if unit else ''}"
        if test(value, threshold):
            met.append(f"{amount} {shown} {_fmt(threshold)}")
        else:
            unmet.append(f"{amount} {shown_failed} {_fmt(threshold)}: outside this entry's threshold")
    return _Check(tuple(met), tuple(unmet), tuple(missing))


def _label(name: str) -> tuple[str, str]:
    pieces = name.split("_")
    if len(pieces) > 1 and pieces[-1] in _UNITS:
        return " ".join(pieces[:-1]), pieces[-1]
    return " ".join(pieces), ""


def _fmt(number: float) -> str:
    return f"{number:g}" if number != int(number) else str(int(number))


def _flag_reasons(control_list: ControlList, entry: ControlEntry) -> list[str]:
    flags = control_list.effective_flags(entry.code)
    reasons: list[str] = []
    if flags.cyber_surveillance:
        reasons.append("cyber-surveillance item (Art. 2(20))")
    if flags.information_security:
        reasons.append("information security (Category 5 Part 2)")
    if flags.annex_iv:
        reasons.append(
            f"Annex IV Part {flags.annex_iv}: authorisation needed within the Union too (Art. 11(1))"
        )
    return reasons
