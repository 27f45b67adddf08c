"""Assessing an item against one entry of Annex I, sub-item by sub-item, on its technical parameters.

An entry's sub-items are alternatives ("as follows", "any of the following") or cumulative conditions
("all of the following"); each states thresholds (``quantities.Threshold``) or words only a person can
match. ``assess`` compares the parameters given for an item with every sub-item below an entry and says:

- **listed**: the sub-items whose thresholds the parameters meet (the deepest ones), to be confirmed
  against the full text by the person who records the classification (Art. 3(1));
- **not listed under this entry**: only when every sub-item that could catch the item was assessed and
  none does — never while a sibling is unassessed;
- otherwise **undecided**, with the parameters still needed (quantity, unit, the sub-items they decide)
  and the sub-items that need a yes/no answer because their text has no number.

Parameters are given by quantity key (``{"bandwidth": 600}`` in the threshold's unit, or ``"0.6 GHz"``), or
with a unit suffix (``{"bandwidth_ghz": 0.6}``); a sub-item without thresholds is answered by its code
(``{"5A002.a.1": true}``); ``false`` for any code rules that sub-item out.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from dualuse.domain.controllist.codes import ControlCode, InvalidControlCodeError
from dualuse.domain.controllist.provisions import AnnexText, Combination, Provision
from dualuse.domain.controllist.quantities import Threshold, Unit, format_number
from dualuse.domain.errors import NotFoundError, ValidationError


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNASSESSED = "unassessed"


class Outcome(StrEnum):
    LISTED = "listed"
    NOT_LISTED = "not_listed"
    UNDECIDED = "undecided"


@dataclass(frozen=True, slots=True)
class Question:
    """A parameter still needed: its key, what it is, its unit, and the sub-items it decides."""

    key: str
    label: str
    unit: str
    codes: tuple[ControlCode, ...]
    yes_no: bool = False  # a sub-item whose text has no threshold: does the item match it?


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One sub-item's result and why."""

    code: ControlCode
    status: Status
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Assessment:
    """The result of assessing an item against the sub-items of one entry."""

    code: ControlCode
    outcome: Outcome
    listed_under: tuple[ControlCode, ...]
    items: tuple[ItemResult, ...]
    needed: tuple[Question, ...]

    @property
    def summary(self) -> str:
        if self.outcome is Outcome.LISTED:
            under = ", ".join(str(c) for c in self.listed_under)
            return f"meets the thresholds of {under}: listed, subject to the full text of the entry"
        if self.outcome is Outcome.NOT_LISTED:
            return f"not listed under {self.code}: every sub-item was assessed and none is met"
        asked = ", ".join(q.label if not q.yes_no else f"whether it is {q.key}" for q in self.needed[:6])
        return f"undecided under {self.code}: still needed — {asked}"


_UNIT_KEYS = {
    u.lower(): u
    for u in (
        "Hz",
        "kHz",
        "MHz",
        "GHz",
        "THz",
        "W",
        "mW",
        "kW",
        "MW",
        "dBm",
        "dB",
        "s",
        "ms",
        "us",
        "ns",
        "ps",
        "m",
        "km",
        "cm",
        "mm",
        "um",
        "nm",
        "bit",
        "bits",
        "bytes",
        "V",
        "kV",
        "A",
        "mA",
        "J",
        "mJ",
        "kg",
        "g",
        "K",
        "Pa",
        "MPa",
        "pct",
        "rad",
        "mrad",
        "urad",
    )
}
_NUMBER_UNIT = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?(?:e-?\d+)?)\s*(.*?)\s*$", re.I)


def assess(text: AnnexText, code: ControlCode | str, given: Mapping[str, object]) -> Assessment:
    """Assess an item described by ``given`` against the entry ``code`` and every sub-item below it.

    Raises ``NotFoundError`` if the entry has no provision in ``text`` and ``ValidationError`` for a value
    that cannot be compared (a frequency given in watts)."""
    parsed = code if isinstance(code, ControlCode) else ControlCode.parse(code)
    root = text.get(parsed)
    if root is None:
        raise NotFoundError(f"{parsed} has no provisions in the list text {text.version_id}", field="code")
    values = _normalise(given)
    walker = _Walker(text, values)
    status = walker.status(root)
    if status is Status.MET:
        outcome = Outcome.LISTED
    elif status is Status.NOT_MET:
        outcome = Outcome.NOT_LISTED
    else:
        outcome = Outcome.UNDECIDED
    listed = tuple(walker.deepest_met(root)) if outcome is Outcome.LISTED else ()
    needed = tuple(walker.questions(root)) if outcome is Outcome.UNDECIDED else ()
    return Assessment(parsed, outcome, listed, tuple(walker.results.values()), needed)


class _Walker:
    def __init__(self, text: AnnexText, values: Mapping[str, object]) -> None:
        self.text = text
        self.values = values
        self.results: dict[ControlCode, ItemResult] = {}

    def status(self, provision: Provision) -> Status:
        if provision.code in self.results:
            return self.results[provision.code].status
        reasons: list[str] = []
        answer = self.values.get(str(provision.code).lower())
        own = self._thresholds(provision, reasons)
        children = self.text.children(provision.code)
        if answer is False:
            status = Status.NOT_MET
            reasons.append("ruled out by the answer given")
        elif children:
            kids = [self.status(child) for child in children]
            below = _combine(kids, provision.children_combine)
            status = _combine([s for s in (own, below) if s is not None], Combination.ALL)
        elif own is not None:
            status = own
        elif answer is True:
            status = Status.MET
            reasons.append("matched by the answer given")
        else:
            status = Status.UNASSESSED
            reasons.append("no threshold in the text: say whether the item matches it")
        self.results[provision.code] = ItemResult(provision.code, status, tuple(reasons))
        return status

    def _thresholds(self, provision: Provision, reasons: list[str]) -> Status | None:
        if not provision.thresholds:
            return None
        statuses = []
        for threshold in provision.thresholds:
            value = _value(threshold, self.values)
            if value is None:
                statuses.append(Status.UNASSESSED)
                reasons.append(f"{threshold.describe()}: not given")
                continue
            met = threshold.comparison.holds(value, threshold.threshold)
            statuses.append(Status.MET if met else Status.NOT_MET)
            shown = (
                f"{threshold.label} {format_number(value)}{f' {threshold.unit}' if threshold.unit else ''}"
            )
            reasons.append(f"{shown}: {'meets' if met else 'misses'} {threshold.describe()}")
        return _combine(statuses, provision.thresholds_combine)

    def deepest_met(self, provision: Provision) -> list[ControlCode]:
        met = [c for c in self.text.children(provision.code) if self.status(c) is Status.MET]
        if not met:
            return [provision.code]
        found: list[ControlCode] = []
        for child in met:
            found.extend(self.deepest_met(child))
        return found

    def questions(self, provision: Provision) -> list[Question]:
        asked: dict[str, Question] = {}
        self._ask(provision, asked)
        return list(asked.values())

    def _ask(self, provision: Provision, asked: dict[str, Question]) -> None:
        if self.status(provision) is not Status.UNASSESSED:
            return
        for threshold in provision.thresholds:
            if _value(threshold, self.values) is None:
                known = asked.get(threshold.quantity)
                codes = (*known.codes, provision.code) if known else (provision.code,)
                asked[threshold.quantity] = Question(
                    threshold.quantity, threshold.label, threshold.unit, codes
                )
        children = self.text.children(provision.code)
        for child in children:
            self._ask(child, asked)
        if not children and not provision.thresholds:
            key = str(provision.code)
            asked[key] = Question(key, f"whether the item is {key}", "", (provision.code,), yes_no=True)


def _combine(statuses: list[Status], how: Combination) -> Status:
    """Alternatives are met by one, cumulative conditions by all; either is ruled out only when every
    part was assessed (so "not listed" never stands on an unassessed sibling)."""
    if not statuses:
        return Status.UNASSESSED
    if how is Combination.ANY and Status.MET in statuses:
        return Status.MET
    if how is Combination.ALL and all(s is Status.MET for s in statuses):
        return Status.MET
    if Status.UNASSESSED in statuses:
        return Status.UNASSESSED
    return Status.NOT_MET


def _normalise(given: Mapping[str, object]) -> dict[str, object]:
    values: dict[str, object] = {}
    for key, value in given.items():
        name = str(key).strip()
        with contextlib.suppress(InvalidControlCodeError):
            name = str(ControlCode.parse(name)).lower() if re.match(r"^\d[A-Ea-e]\d{3}", name) else name
        values[name.lower().replace(" ", "_").replace("-", "_")] = value
    return values


def _value(threshold: Threshold, values: Mapping[str, object]) -> float | None:
    """The given value for a threshold's quantity, in the threshold's unit; None if not given."""
    raw = values.get(threshold.quantity)
    unit: str | None = None
    if raw is None:
        for key, value in values.items():
            head, _, tail = key.rpartition("_")
            if head == threshold.quantity and tail in _UNIT_KEYS:
                raw, unit = (
                    value,
                    _UNIT_KEYS[tail].replace("u", "μ") if tail.startswith("u") else _UNIT_KEYS[tail],
                )
                break
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, str):
        match = _NUMBER_UNIT.match(raw)
        if not match:
            raise ValidationError(
                f"{threshold.label}: {raw!r} is not a number with an optional unit", field=threshold.quantity
            )
        number, written = float(match.group(1).replace(",", ".")), match.group(2)
        unit = written or unit
    elif isinstance(raw, int | float):
        number = float(raw)
    else:
        raise ValidationError(f"{threshold.label}: give a number", field=threshold.quantity)
    if unit is None or unit == threshold.unit:
        return number
    if unit == "pct":
        unit = "%"
    mine, theirs = Unit.parse(threshold.unit), Unit.parse(unit)
    if not theirs.comparable(mine):
        raise ValidationError(
            f"{threshold.label} is measured in {threshold.unit or 'a plain number'}, not {unit}",
            field=threshold.quantity,
        )
    return theirs.to(number, mine)
