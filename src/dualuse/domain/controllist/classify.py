"""Classification suggestions: which Annex I entries a described item may fall under.

This only suggests. Classification is the exporter's decision, recorded by a person who has read the
entries and their notes (Art. 3(1) applies to items *listed* in Annex I, and only a person can say
whether an item is). The suggestions combine the text search with the crisp thresholds entries carry
as ``parameters``.

Parameters follow the data's convention ``<quantity>_<unit>_<op>``: an entry's
``{"symmetric_key_bits_gt": 56}`` is met by an item described with ``{"symmetric_key_bits": 256}``.
Ops: ``gt`` ``ge`` ``lt`` ``le`` ``eq`` (``gte``/``min`` read as ``ge``, ``lte``/``max`` as ``le``).
A key without an op (``post_quantum: true``) is met by an equal value. A list of mappings
(``tiers``) is a set of alternatives, each met only when all its conditions are.

The data does not say whether an entry's thresholds are alternatives (5A002.a: a symmetric key over
56 bits *or* a factorisation modulus over 512 bits) or cumulative (3A504.a: cooling power *and*
temperature *and* duration), so the evidence is weighed: the share of the given quantities that meet
their threshold moves an entry up; an entry none of whose given quantities meets its threshold moves
down. Conditions on the same quantity (``frequency_ghz_min``/``_max``) must all hold.
"""

from __future__ import annotations

import math
import operator
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from dualuse.domain.controllist.assessment import Assessment, Outcome, assess
from dualuse.domain.controllist.entries import ControlEntry
from dualuse.domain.controllist.provisions import AnnexText
from dualuse.domain.controllist.search import SearchIndex
from dualuse.domain.controllist.versions import ControlList
from dualuse.domain.errors import ValidationError

_COMPARISONS: Mapping[str, tuple[str, Callable[[float, float], bool], str]] = {
    # op: (shown, test, shown when the test fails)
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
# units as the data writes them at the end of a quantity's name, multi-word units first
_UNIT_NAMES = (
    "deg_per_s2 deg_per_s n_per_m2 bits bit bytes hz khz mhz ghz thz nm um mm cm m km w kw mw uw dbm db "
    "kg g s ms us ns h k c pct percent rpm gbps mbps tbps mips flops mns deg n"
)
_UNITS = tuple(_UNIT_NAMES.split())
_SEARCH_DEPTH = 4  # how many more search hits than wanted to look at before parameters re-rank them
_MET_BONUS = 0.5
_BELOW_MATCH = 0.9
_UNMET_PENALTY = 0.3
_LISTED_BONUS = 0.3


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entry the item may fall under, a score (higher is likelier) and the reasons, for a person to
    check against the entry's full text."""

    entry: ControlEntry
    score: float
    reasons: tuple[str, ...]
    assessment: Assessment | None = None  # the entry's sub-items against the parameters (``assess``)


@dataclass(slots=True)
class _Evidence:
    met: list[str] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def adjustment(self) -> float:
        if not self.met:
            return -_UNMET_PENALTY if self.unmet else 0.0
        return _MET_BONUS * len(self.met) / (len(self.met) + len(self.unmet))


def classify(
    description: str,
    parameters: Mapping[str, object],
    index: SearchIndex,
    control_list: ControlList,
    limit: int = 5,
    text: AnnexText | None = None,
) -> list[Candidate]:
    """Suggest the entries of ``control_list`` an item described in words and parameters may fall under.

    The search over the description ranks entries; an entry whose thresholds the parameters meet moves up
    (and is suggested even if the words missed it), one whose given thresholds are all missed moves down.
    Each suggestion says why, and names the cyber-surveillance (Art. 2(20)), information-security
    (Category 5 Part 2) and Annex IV (Art. 11(1)) flags that apply to it. It suggests; a person decides
    and records the classification.

    With ``text`` (Annex I's provisions), each suggestion is assessed sub-item by sub-item: the sub-items
    whose thresholds are met, or the parameters still needed to decide between siblings; "not listed under
    this entry" only when every sibling was assessed (``assessment.assess``).
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
    given = {name.strip().lower(): value for name, value in parameters.items()}
    if given:
        for entry in control_list:
            if entry.parameters and str(entry.code) not in scored and _evidence(entry.parameters, given).met:
                # a sub-item whose threshold is met, below an entry the words found, shares its relevance
                above = [scored[str(a)] for a in entry.code.ancestors if str(a) in scored]
                if above:
                    parent, relevance, _ = max(above, key=lambda found: found[1])
                    reasons = [f"below {parent.code}, which the description matches"]
                    scored[str(entry.code)] = (entry, relevance * _BELOW_MATCH, reasons)
                else:
                    scored[str(entry.code)] = (entry, 0.0, [])
    candidates: list[Candidate] = []
    for entry, relevance, reasons in scored.values():
        evidence = _evidence(entry.parameters, given)
        reasons.extend([*evidence.met, *evidence.unmet, *evidence.missing])
        reasons.extend(_flag_reasons(control_list, entry))
        assessment = _assess(text, entry, given, reasons)
        bonus = 0.0
        if assessment is not None and assessment.outcome is Outcome.LISTED:
            bonus = _LISTED_BONUS
        elif assessment is not None and assessment.outcome is Outcome.NOT_LISTED:
            bonus = -_UNMET_PENALTY
        score = round(relevance + evidence.adjustment + bonus, 4)
        candidates.append(Candidate(entry, score, tuple(dict.fromkeys(reasons)), assessment))
    candidates.sort(key=lambda c: (-c.score, c.entry.code))
    return candidates[:limit]


def _assess(
    text: AnnexText | None, entry: ControlEntry, given: Mapping[str, object], reasons: list[str]
) -> Assessment | None:
    if text is None or text.get(entry.code) is None:
        return None
    try:
        assessment = assess(text, entry.code, given)
    except ValidationError as exc:
        reasons.append(exc.detail)
        return None
    reasons.append(assessment.summary)
    return assessment


def _evidence(parameters: Mapping[str, object], given: Mapping[str, object]) -> _Evidence:
    """How the given values compare with an entry's thresholds."""
    evidence = _Evidence()
    by_quantity: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for key, threshold in parameters.items():
        name, _, op = key.rpartition("_")
        number = _as_number(threshold)
        if op in _COMPARISONS and name and number is not None:
            by_quantity[name].append((op, number))
        elif isinstance(threshold, list) and threshold and all(isinstance(t, Mapping) for t in threshold):
            _alternatives(key, threshold, given, evidence)
        elif isinstance(threshold, bool | str) and key in given:
            shown = f"{_label(key)[0]} {_fmt_value(given[key])}"
            if given[key] == threshold:
                evidence.met.append(shown)
            else:
                evidence.unmet.append(f"{shown}: this entry is about {_fmt_value(threshold)}")
    for name, conditions in by_quantity.items():
        value = _as_number(given.get(name))
        label, unit = _label(name)
        tests = " and ".join(f"{_COMPARISONS[op][0]} {_fmt(t)}" for op, t in conditions)
        if value is None:
            evidence.missing.append(f"check {label}{f' ({unit})' if unit else ''} {tests} (not given)")
            continue
        amount = f"{label} {_fmt(value)}{f' {unit}' if unit else ''}"
        failed = [(op, t) for op, t in conditions if not _COMPARISONS[op][1](value, t)]
        if not failed:
            evidence.met.append(f"{amount} {tests}")
        else:
            op, threshold = failed[0]
            evidence.unmet.append(
                f"{amount} {_COMPARISONS[op][2]} {_fmt(threshold)}: outside this entry's threshold"
            )
    return evidence


def _alternatives(
    key: str, options: list[Mapping[str, object]], given: Mapping[str, object], evidence: _Evidence
) -> None:
    """A list of condition sets (``tiers``): met when every condition of one set is met."""
    relevant = False
    for number, option in enumerate(options, start=1):
        inner = _evidence(option, given)
        relevant = relevant or bool(inner.met or inner.unmet)
        if inner.met and not inner.unmet and not inner.missing:
            evidence.met.append(f"{_label(key)[0]} {number}: {'; '.join(inner.met)}")
            return
    if relevant:
        evidence.unmet.append(f"no {_label(key)[0]} option is fully met by the values given")
    else:
        evidence.missing.append(f"check the {_label(key)[0]} of this entry (no value given)")


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


def _label(name: str) -> tuple[str, str]:
    for unit in _UNITS:
        if name.endswith(f"_{unit}") and len(name) > len(unit) + 1:
            return name[: -len(unit) - 1].replace("_", " "), unit.replace("_", " ")
    return name.replace("_", " "), ""


def _fmt(number: float) -> str:
    return str(int(number)) if number == int(number) else f"{number:g}"


def _fmt_value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


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
