"""Technical parameters of Annex I as data: a quantity, a comparison, a threshold and a unit.

Annex I writes its thresholds in words ("a bandwidth exceeding 500 MHz", "8 bit or more, but less than
10 bit", "of less (better) than 0,7 mGal"). ``read_thresholds`` turns one provision's text into
``Threshold`` values; ``Threshold.met_by`` compares a value given in any unit of the same kind (GHz against
MHz, °C against K). Numbers follow the Official Journal: a decimal comma, thin spaces between thousands,
and powers of ten written ``5 × 10 13`` with the superscript lost in transcription (read as 5e13).
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Comparison(StrEnum):
    """How a value is compared with a threshold."""

    GT = "gt"
    GE = "ge"
    LT = "lt"
    LE = "le"

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]

    def holds(self, value: float, threshold: float) -> bool:
        """True if ``value`` meets ``threshold`` under this comparison."""
        return _TESTS[self](value, threshold)


_SYMBOLS = {Comparison.GT: ">", Comparison.GE: "≥", Comparison.LT: "<", Comparison.LE: "≤"}
_TESTS: Mapping[Comparison, Callable[[float, float], bool]] = {
    Comparison.GT: operator.gt,
    Comparison.GE: operator.ge,
    Comparison.LT: operator.lt,
    Comparison.LE: operator.le,
}

# symbol, kind, factor to the kind's base unit; longest symbols first when matched
_UNIT_TABLE: tuple[tuple[str, str, float], ...] = (
    *((s, "frequency", f) for s, f in (("THz", 1e12), ("GHz", 1e9), ("MHz", 1e6), ("kHz", 1e3), ("Hz", 1.0))),
    *(
        (s, "power", f)
        for s, f in (
            ("GW", 1e9),
            ("MW", 1e6),
            ("kW", 1e3),
            ("mW", 1e-3),
            ("μW", 1e-6),
            ("µW", 1e-6),
            ("nW", 1e-9),
            ("W", 1.0),
            ("watts", 1.0),
        )
    ),
    ("dBm", "dBm", 1.0),
    ("dBc", "dBc", 1.0),
    ("dBfs", "dBfs", 1.0),
    ("dB", "dB", 1.0),
    *(
        (s, "time", f)
        for s, f in (
            ("ps", 1e-12),
            ("fs", 1e-15),
            ("ns", 1e-9),
            ("μs", 1e-6),
            ("µs", 1e-6),
            ("microseconds", 1e-6),
            ("milliseconds", 1e-3),
            ("ms", 1e-3),
            ("seconds", 1.0),
            ("second", 1.0),
            ("s", 1.0),
            ("minutes", 60.0),
            ("minute", 60.0),
            ("hours", 3600.0),
            ("hour", 3600.0),
            ("h", 3600.0),
        )
    ),
    *(
        (s, "length", f)
        for s, f in (
            ("km", 1e3),
            ("cm", 1e-2),
            ("mm", 1e-3),
            ("μm", 1e-6),
            ("µm", 1e-6),
            ("nm", 1e-9),
            ("pm", 1e-12),
            ("metres", 1.0),
            ("meters", 1.0),
            ("m", 1.0),
        )
    ),
    *((s, "data", f) for s, f in (("bits", 1.0), ("bit", 1.0), ("bytes", 8.0), ("byte", 8.0))),
    *((s, "voltage", f) for s, f in (("kV", 1e3), ("mV", 1e-3), ("μV", 1e-6), ("V", 1.0))),
    *((s, "current", f) for s, f in (("kA", 1e3), ("mA", 1e-3), ("μA", 1e-6), ("A", 1.0))),
    *(
        (s, "energy", f)
        for s, f in (
            ("MJ", 1e6),
            ("kJ", 1e3),
            ("mJ", 1e-3),
            ("μJ", 1e-6),
            ("J", 1.0),
            ("MeV", 1e6),
            ("keV", 1e3),
            ("eV", 1.0),
        )
    ),
    *((s, "mass", f) for s, f in (("kg", 1.0), ("mg", 1e-6), ("g", 1e-3))),
    *(
        (s, "pressure", f)
        for s, f in (
            ("GPa", 1e9),
            ("MPa", 1e6),
            ("kPa", 1e3),
            ("μPa", 1e-6),
            ("Pa", 1.0),
            ("mTorr", 0.133322),
            ("Torr", 133.322),
            ("mbar", 100.0),
            ("bar", 1e5),
        )
    ),
    ("mK", "temperature", 1e-3),
    ("K", "temperature", 1.0),
    ("°C", "celsius", 1.0),
    ("%", "percent", 1.0),
    ("percent", "percent", 1.0),
    ("ppm", "ppm", 1.0),
    *(
        (s, "angle", f)
        for s, f in (
            ("μrad", 1e-6),
            ("µrad", 1e-6),
            ("mrad", 1e-3),
            ("milliradians", 1e-3),
            ("rad", 1.0),
            ("degrees", math.pi / 180),
            ("degree", math.pi / 180),
            ("°", math.pi / 180),
        )
    ),
    *((s, "magnetic flux density", f) for s, f in (("nT", 1e-9), ("pT", 1e-12), ("fT", 1e-15), ("T", 1.0))),
    *((s, "acceleration (gravity)", f) for s, f in (("mGal", 1e-3), ("μGal", 1e-6), ("milligal", 1e-3))),
    ("Gy(Si)", "absorbed dose", 1.0),
    ("Gy", "absorbed dose", 1.0),
    *(
        (s, "sample rate", f)
        for s, f in (
            ("GSPS", 1e9),
            ("MSPS", 1e6),
            ("Giga Samples Per Second", 1e9),
            ("Mega Samples Per Second", 1e6),
        )
    ),
    ("ohms", "resistance", 1.0),
    ("ohm", "resistance", 1.0),
    ("Ω", "resistance", 1.0),
    *((s, "capacitance", f) for s, f in (("μF", 1e-6), ("nF", 1e-9))),
    ("nH", "inductance", 1e-9),
    ("VA", "apparent power", 1.0),
)
_UNITS: dict[str, tuple[str, float]] = {symbol: (kind, factor) for symbol, kind, factor in _UNIT_TABLE}
_UNIT_ALTERNATION = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
# a unit, optionally divided by another unit or word (kW/cm2, nT/m, neutrons/s, dBc/Hz)
UNIT_PATTERN = rf"(?:(?:{_UNIT_ALTERNATION})[23]?(?:/[A-Za-zμµ]+\d?)?|[A-Za-zμµ]+/[A-Za-zμµ]+\d?)(?![A-Za-z])"
_UNIT_AFTER = re.compile(rf"[ -]?({UNIT_PATTERN})")


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit of measure as the list writes it, with the kind it measures and its factor to that kind's base."""

    symbol: str
    kind: str
    factor: float

    @classmethod
    def parse(cls, symbol: str) -> Unit:
        """The unit written ``symbol`` (``GHz``, ``kW/cm2``); an unknown symbol is its own kind."""
        text = symbol.strip()
        if not text:
            return cls("", "", 1.0)
        head, slash, tail = text.partition("/")
        if head in _UNITS:
            kind, factor = _UNITS[head]
            return cls(text, f"{kind}/{tail}" if slash else kind, factor)
        return cls(text, text, 1.0)

    def convertible(self, other: Unit) -> bool:
        return self.kind == other.kind

    def to(self, value: float, other: Unit) -> float:
        """``value`` in this unit, expressed in ``other`` (same kind). Celsius and kelvin convert."""
        if self.kind == other.kind:
            return value * self.factor / other.factor
        if {self.kind, other.kind} == {"temperature", "celsius"}:
            kelvin = value + 273.15 if self.kind == "celsius" else value * self.factor
            return kelvin - 273.15 if other.kind == "celsius" else kelvin / other.factor
        raise ValueError(f"cannot convert {self.symbol or 'a number'} to {other.symbol or 'a number'}")

    def comparable(self, other: Unit) -> bool:
        return self.kind == other.kind or {self.kind, other.kind} == {"temperature", "celsius"}


@dataclass(frozen=True, slots=True)
class Threshold:
    """One technical parameter of a provision: ``quantity`` compared with ``threshold`` in ``unit``.

    ``quantity`` is a key made from the words the list uses for the quantity (``peak_saturated_power_output``);
    ``label`` shows it to people. The list's own words stay in the official text; only the key is kept.
    """

    quantity: str
    comparison: Comparison
    threshold: float
    unit: str = ""

    @property
    def label(self) -> str:
        return self.quantity.replace("_", " ")

    def describe(self) -> str:
        """``bandwidth > 500 MHz``."""
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.label} {self.comparison.symbol} {format_number(self.threshold)}{unit}"

    def met_by(self, value: float, unit: str | None = None) -> bool:
        """True if ``value`` (in ``unit``; default this threshold's unit) meets the threshold.

        Raises ``ValueError`` when the units measure different things (a power against a frequency)."""
        given = Unit.parse(self.unit if unit is None else unit)
        mine = Unit.parse(self.unit)
        if not given.comparable(mine):
            raise ValueError(f"{self.label} is measured in {self.unit or 'a plain number'}, not {unit}")
        converted = given.to(value, mine) if given.symbol != mine.symbol else value
        return self.comparison.holds(converted, self.threshold)

    def as_dict(self) -> dict[str, object]:
        return {
            "quantity": self.quantity,
            "comparison": self.comparison.value,
            "threshold": self.threshold,
            "unit": self.unit,
        }


def format_number(number: float) -> str:
    """A threshold as people read it: ``500``, ``0.7``, ``5e+13``."""
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return f"{number:g}"


# -- reading thresholds from text ----------------------------------------------------------------------

_NUMBER = re.compile(
    r"(?<![\w.,/-])(-?\d{1,3}(?:[  ]\d{3})+|-?\d+)(?:[,.](\d+))?"  # 1 000 000 | 12 ; decimal comma
    r"(?:\s*[×x]\s*10\s?([-–]?\d{1,2}))?"  # × 10 13 (superscript lost)
    r"(?![\d])(?![A-E]\d{3})"  # 3A001 is a code, not 3 ampere
)
_PARENS = re.compile(r"\([^()]*\)")
_PREFIX = (  # comparison words before a number; order matters (longest, most specific first)
    (r"equal to or (?:more|greater|higher|larger) than", Comparison.GE),
    (r"(?:greater|more|higher) than or equal to", Comparison.GE),
    (r"equal to or (?:less|lower|smaller|fewer) than", Comparison.LE),
    (r"(?:less|lower) than or equal to", Comparison.LE),
    (r"up to and including", Comparison.LE),
    (r"up to", Comparison.LE),
    (r"not (?:exceeding|more than|greater than|higher than|above)", Comparison.LE),
    (r"no (?:more|greater) than", Comparison.LE),
    (r"not less than", Comparison.GE),
    (r"better than or equal to", Comparison.LE),
    (r"better than", Comparison.LT),  # the list says "better" of errors, noise and resolution: smaller
    (r"beyond", Comparison.GT),
    (r"at least", Comparison.GE),
    (
        r"(?:exceeding|exceeds|exceed|in excess of|more than|greater than|higher than|larger than|longer than|"
        r"faster than|above|over)",
        Comparison.GT,
    ),
    (r"(?:less than|lower than|fewer than|smaller than|shorter than|below|under)", Comparison.LT),
    (r"≥", Comparison.GE),
    (r"≤", Comparison.LE),
    (r">", Comparison.GT),
    (r"<", Comparison.LT),
)
_PREFIX_RE = [
    (re.compile(rf"(?:^|\W)({p})\s*(?:of\s+|by\s+)?(?:[±+]\s*)?$", re.IGNORECASE), c) for p, c in _PREFIX
]
_BORROWED_UNIT = re.compile(rf"^\s*(?:to|-|–)\s*-?\d[\d,.]*\s*({UNIT_PATTERN})")
_RANGE_TO = re.compile(r"^\s*(?:to|-|–)\s*\d")
_CONDITION = re.compile(
    r"(?:^|\W)(?:at|of|over|for|in|within|using|into|across|from|under|during|with)\s*(?:[±+]\s*)?$", re.I
)
_BETWEEN_RE = re.compile(r"(?:^|\W)(between|from|range of|range from)\s*$", re.IGNORECASE)
_AND_RE = re.compile(r"^\s*(and|to|-|–)\s*$", re.IGNORECASE)
_POSTFIX = (
    (r"or (?:more|greater|higher|larger|above|longer)", Comparison.GE),
    (r"and (?:above|more|higher)", Comparison.GE),
    (r"or (?:less|fewer|lower|smaller|below|shorter|better)", Comparison.LE),
    (r"and (?:below|less)", Comparison.LE),
)
_POSTFIX_RE = [(re.compile(rf"^\s*({p})(?![a-z])", re.IGNORECASE), c) for p, c in _POSTFIX]
_QUALIFIER = re.compile(r"\s*\((?:better|worse|shorter|longer|faster)\)", re.IGNORECASE)
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "having",
        "has",
        "have",
        "with",
        "of",
        "at",
        "for",
        "and",
        "or",
        "than",
        "any",
        "all",
        "following",
        "which",
        "that",
        "is",
        "are",
        "be",
        "been",
        "in",
        "on",
        "to",
        "by",
        "as",
        "from",
        "designed",
        "rated",
        "capable",
        "specified",
        "not",
        "when",
        "where",
        "its",
        "their",
        "such",
        "per",
        "into",
        "whose",
        "each",
        "one",
        "more",
        "less",
        "both",
        "either",
        "other",
        "total",
    ]
)
_WORD = re.compile(r"\b[A-Za-z][A-Za-z\-]*\b")


@dataclass(frozen=True, slots=True)
class Reading:
    """What ``read_thresholds`` found in a text: the thresholds, and numbers with units it could not place."""

    thresholds: tuple[Threshold, ...]
    conditions: tuple[Threshold, ...]  # test conditions ("at 20 °C", "over 8 hours"), kept with GE/LE none
    unplaced: tuple[str, ...]
    alternatives: bool  # thresholds joined by "or" inside the text: any one of them is enough


def clean(text: str) -> str:
    """The text with quotation marks and "(better)"-style qualifiers removed, spaces normalised."""
    text = _QUALIFIER.sub("", text)
    for mark in "\"'‘’“”":
        text = text.replace(mark, "")
    return re.sub(r"[  \t]+", " ", text)


def parse_number(whole: str, decimals: str | None, exponent: str | None) -> float:
    digits = re.sub(r"[  ]", "", whole)
    value = float(f"{digits}.{decimals}" if decimals else digits)
    if exponent:
        value *= 10.0 ** int(exponent.replace("–", "-"))
    return value


def read_thresholds(text: str) -> Reading:
    """The thresholds a provision's text states, with the words before them as the quantity.

    Numbers in brackets (equivalents in another unit, reference conditions) are left out. A number with a
    unit but without a comparison is reported in ``unplaced``, so the reading can be checked."""
    body = clean(_strip_parentheses(text))
    found: list[Threshold] = []
    conditions: list[Threshold] = []
    unplaced: list[str] = []
    spans: list[tuple[int, int]] = []
    pending_upper = False
    for match in _NUMBER.finditer(body):
        start, end = match.span()
        value = parse_number(match.group(1), match.group(2), match.group(3))
        after = body[end:]
        unit_match = _UNIT_AFTER.match(after)
        unit = unit_match.group(1) if unit_match else ""
        unit_end = end + (unit_match.end() if unit_match else 0)
        before = body[:start]
        comparison: Comparison | None = None
        phrase_start = start
        for pattern, kind in _PREFIX_RE:
            hit = pattern.search(before)
            if hit:
                comparison, phrase_start = kind, hit.start(1)
                break
        if comparison is None:
            between = _BETWEEN_RE.search(before)
            if between:
                comparison, phrase_start, pending_upper = Comparison.GE, between.start(1), True
            elif pending_upper and spans and _AND_RE.match(body[spans[-1][1] : start]):
                comparison, phrase_start, pending_upper = Comparison.LE, start, False
        tail = body[unit_end:]
        for pattern, kind in _POSTFIX_RE:
            hit = pattern.match(tail)
            if hit and comparison is None:
                comparison = kind
                unit_end += hit.end()
                break
        borrowed = _BORROWED_UNIT.match(tail) if comparison is None and not unit else None
        if borrowed:  # "a pore size of 10 to 100 nm": the unit is written once, after the second number
            unit = borrowed.group(1)
        if comparison is None and unit and _RANGE_TO.match(tail):
            comparison, pending_upper = Comparison.GE, True  # "975 nm to 1150 nm"
        if comparison is None:
            named = re.match(r"\s*-?\s*['‘]?[a-z]", tail) and not re.match(r"\s+(?:or|and|but|per)\b", tail)
            if unit and (_CONDITION.search(before) or named):
                quantity = _quantity(before, body[unit_end:], unit, prefer_after=False)
                conditions.append(Threshold(quantity, Comparison.GE, value, unit))
            elif unit and not _is_reference(before):
                unplaced.append(f"{match.group(0).strip()} {unit}")
            continue
        postfix = phrase_start == start and comparison is not None and not pending_upper
        previous = spans[-1][1] if spans else -1
        if (
            found
            and previous >= 0
            and not re.search(r"[A-Za-z]{3,}", re.sub(r"\b(?:but|and)\b", "", body[previous:phrase_start]))
        ):
            quantity = found[-1].quantity  # "exceeding 12 GHz up to and including 16 GHz": the same quantity
        else:
            quantity = _quantity(body[:phrase_start], body[unit_end:], unit, prefer_after=postfix)
        found.append(Threshold(quantity, comparison, value, unit))
        spans.append((phrase_start, unit_end))
    return Reading(tuple(found), tuple(conditions), tuple(unplaced), _joined_by_or(body, spans))


def _strip_parentheses(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _PARENS.sub(" ", text)
    return text


def _is_reference(before: str) -> bool:
    # "Category 5", "Note 3", "paragraph 2": numbers that name a place in the list, not a quantity
    return bool(re.search(r"(?:Category|Note|paragraph|Part|Table|item|Annex|Article)\s*$", before))


def _quantity(before: str, after: str, unit: str, *, prefer_after: bool) -> str:
    """The key for a threshold: up to four words before its comparison, else after its number ("50 ns or
    less time resolution" names its quantity after the number)."""
    following = re.split(r"[,;:.]|\b(?:and|or|but|with|having|at|in|on|for|per)\b", after)[0]
    after_words = [w.lower() for w in _WORD.findall(following) if w.lower() not in _STOP][:3]
    if prefer_after and after_words:
        return "_".join(_singular(w) for w in after_words).replace("-", "_")
    clause = re.split(r"[,;:.]|\b(?:and|or|but|with|having|while|at)\b", before)[-1]
    words = [w.lower() for w in _WORD.findall(clause)]
    picked: list[str] = []
    for word in reversed(words):
        if word in _STOP or word.isdigit():
            if picked:
                break
            continue
        picked.insert(0, word)
        if len(picked) == 4:
            break
    if not picked:
        picked = after_words
    if not picked:
        picked = [Unit.parse(unit).kind.split("/")[0] or "value"]
    return "_".join(_singular(w) for w in picked).replace("-", "_")


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word


def _joined_by_or(body: str, spans: list[tuple[int, int]]) -> bool:
    for (_, end), (start, _) in itertools.pairwise(spans):
        if re.match(r"[\s,;]*or\b", body[end:start]):
            return True
    return False
