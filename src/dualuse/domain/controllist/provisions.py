"""Annex I down to its leaf sub-items: each provision's code, thresholds, notes and defined terms.

A ``Provision`` is one numbered item of Annex I (``5A002.a.1``). It carries the thresholds its text states
(``quantities.Threshold``), whether its sub-items are alternatives ("any of the following") or cumulative
("all of the following"), the notes, technical notes and decontrol notes attached to its path, and the
defined terms it uses ("double quotes": Annex I definitions; 'single quotes': a technical note's own
definition). The list's prose stays in the official text; a provision keeps the facts: codes, structure,
numbers, units. ``problems`` says what could not be checked; a provision is ``verified`` when there is none.
``read_provisions`` derives provisions from the official text, one provision per line prefixed by its path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from dualuse.domain.controllist.codes import ControlCode, InvalidControlCodeError
from dualuse.domain.controllist.entries import NoteKind
from dualuse.domain.controllist.quantities import Comparison, Threshold, read_thresholds


class Combination(StrEnum):
    """How a provision's sub-items combine: any one of them is enough, or all must hold."""

    ANY = "any"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class ProvisionNote:
    """A note attached to a provision's path: its kind, its number (``"2"`` for Note 2), the thresholds and
    the terms it defines or uses."""

    kind: NoteKind
    number: str = ""
    thresholds: tuple[Threshold, ...] = ()
    defines: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()

    def describe(self) -> str:
        """The note in our words: what kind it is and which facts it carries (never the legal text)."""
        name = {
            NoteKind.DECONTROL: "Decontrol note",
            NoteKind.TECHNICAL_NOTE: "Technical note",
            NoteKind.NOTE: "Note",
            NoteKind.DEFINITION: "Definition",
        }[self.kind]
        parts = [f"{name}{f' {self.number}' if self.number else ''} in the official text"]
        if self.defines:
            parts.append("defines " + ", ".join(f"'{t}'" for t in self.defines))
        if self.thresholds:
            parts.append("thresholds: " + "; ".join(t.describe() for t in self.thresholds[:8]))
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class Provision:
    """One numbered item of Annex I with its facts (see the module docstring)."""

    code: ControlCode
    thresholds: tuple[Threshold, ...] = ()
    conditions: tuple[Threshold, ...] = ()  # the conditions a threshold is measured under ("at 20 °C")
    thresholds_combine: Combination = Combination.ALL
    children_combine: Combination = Combination.ANY
    terms: tuple[str, ...] = ()
    notes: tuple[ProvisionNote, ...] = ()
    not_used: bool = False
    problems: tuple[str, ...] = ()

    @property
    def verified(self) -> bool:
        """True when every fact derived from the text checked out (no problem is left)."""
        return not self.problems


@dataclass(frozen=True, slots=True)
class DefinedTerm:
    """A term defined in Art. 2 of the Regulation or in Annex I's definitions, and where."""

    term: str
    defined_in: str  # "Art. 2(20)" or "Annex I, definitions"
    categories: tuple[int, ...] = ()


@dataclass(frozen=True)
class AnnexText:
    """Every provision of one version of Annex I, keyed by code, with its defined terms and its source."""

    version_id: str
    valid_from: str
    celex: str
    url: str
    source: str
    provisions: Mapping[ControlCode, Provision]
    terms: Mapping[str, DefinedTerm] = field(default_factory=dict)

    def get(self, code: ControlCode) -> Provision | None:
        return self.provisions.get(code)

    def children(self, code: ControlCode) -> tuple[Provision, ...]:
        """The provisions directly below ``code``, in code order, leaving out "Not used" ones."""
        return self._children_by_parent.get(code, ())

    @cached_property
    def _children_by_parent(self) -> Mapping[ControlCode, tuple[Provision, ...]]:
        """Every provision's children, grouped once: an assessment asks for them many times over."""
        grouped: dict[ControlCode, list[Provision]] = {}
        for code, provision in self.provisions.items():
            parent = code.parent
            if parent is not None and not provision.not_used:
                grouped.setdefault(parent, []).append(provision)
        return {parent: tuple(sorted(found, key=lambda p: p.code)) for parent, found in grouped.items()}


# -- deriving provisions from the official text -----------------------------------------------------

_NOTE_HEAD = re.compile(
    r"^(?P<kind>Technical Notes?|Notes?|N\.B\.)\s*(?P<number>\d+)?\s*:?\s*", re.IGNORECASE
)
_DECONTROL = re.compile(r"\b(?:do(?:es)? not (?:control|apply)|not controlled|is not specified)\b", re.I)
_DOUBLE = re.compile(r"[\"“”]([^\"“”]{2,80})[\"“”]")
_SINGLE = re.compile(r"(?<![A-Za-z])['‘’]([^'‘’]{2,80})['‘’](?![A-Za-z])")
_ALL = re.compile(r"\b(?:all|each|both) of the following\b", re.I)
_ANY = re.compile(r"\b(?:any|either|one or more) of the following\b", re.I)
_NOT_USED = re.compile(r"^\s*\[?\s*(?:Not used|Reserved)\s*\.?\s*\]?\s*[.;]?\s*$", re.I)


@dataclass(slots=True)
class _Line:
    path: str
    text: str


def split_lines(verbatim: str) -> list[_Line]:
    """The lines of an entry's text as (path, text)."""
    lines: list[_Line] = []
    for raw in verbatim.splitlines():
        path, _, text = raw.strip().partition(" ")
        if path:
            lines.append(_Line(path, text.strip()))
    return lines


def note_kind(head: str, text: str) -> NoteKind:
    """The kind of a note from its heading and text: technical note, decontrol note or plain note."""
    if head.lower().startswith("technical"):
        return NoteKind.TECHNICAL_NOTE
    if head.lower().startswith("note") and _DECONTROL.search(text):
        return NoteKind.DECONTROL
    return NoteKind.NOTE


def quoted_terms(text: str, known: Mapping[str, DefinedTerm]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The defined terms a text uses ("double quotes" found among ``known``) and the 'single-quoted' ones."""
    doubles = []
    for match in _DOUBLE.finditer(text):
        term = match.group(1).strip().lower()
        if term in known and term not in doubles:
            doubles.append(term)
    singles = []
    for match in _SINGLE.finditer(text):
        term = match.group(1).strip().lower()
        if term not in singles and not term.isdigit():
            singles.append(term)
    return tuple(doubles), tuple(singles)


def read_provisions(
    entry_code: str, verbatim: str, known_terms: Mapping[str, DefinedTerm]
) -> list[Provision]:
    """The provisions of one top-level entry from its official text (one provision per line, notes on
    their own lines with the path they attach to). Problems found are kept on each provision."""
    lines = split_lines(verbatim)
    texts: dict[str, str] = {}
    raw_notes: dict[str, list[list[str]]] = {}  # path -> [kind heading, number, text]
    last: dict[str, str] = {}  # path -> "provision" or "note": where a continuation line belongs
    order: list[str] = []
    problems: dict[str, list[str]] = {}
    for line in lines:
        head = _NOTE_HEAD.match(line.text)
        if head and _parses(line.path) is None:
            line = _Line(_nearest_code(line.path), line.text)
        if head:
            raw_notes.setdefault(line.path, []).append(
                [head.group("kind"), head.group("number") or "", line.text[head.end() :]]
            )
            last[line.path] = "note"
            continue
        if _parses(line.path) is None:
            # the official text numbers a few sub-items outside the code pattern (0B004.b.10.1)
            holder = _nearest_code(line.path)
            problems.setdefault(holder, []).append(
                f"sub-item {line.path} is not numbered as a code; not modelled"
            )
            continue
        if line.path in texts:
            # a line continuing the provision or note before it (a table row, a formula, a note's body)
            if last.get(line.path) == "note":
                raw_notes[line.path][-1][2] += " " + line.text
            else:
                texts[line.path] += " " + line.text
            continue
        texts[line.path] = line.text
        last[line.path] = "provision"
        order.append(line.path)
    notes: dict[str, list[ProvisionNote]] = {}
    for path, items in raw_notes.items():
        for heading, number, body in _split_embedded(items):
            kind = note_kind(heading, body)
            doubles, singles = quoted_terms(body, known_terms)
            defines = singles if kind is NoteKind.TECHNICAL_NOTE else ()
            thresholds = read_thresholds(body).thresholds
            notes.setdefault(path, []).append(ProvisionNote(kind, number, thresholds, defines, doubles))
    provisions: list[Provision] = []
    for path in order:
        text = texts[path]
        found = list(problems.get(path, []))
        code = ControlCode.parse(path)
        if not path.startswith(entry_code):
            found.append(f"the path is not below {entry_code}")
        parent = code.parent
        if parent is not None and str(parent) not in texts:
            found.append(f"its parent {parent} opens no provision in the text")
        reading = read_thresholds(text)
        found.extend(f"a number with a unit is not read as a threshold: {u}" for u in reading.unplaced)
        found.extend(_check_round_trip(text, (*reading.thresholds, *reading.conditions)))
        if not reading.alternatives:
            found.extend(_check_ranges(reading.thresholds))
        doubles, singles = quoted_terms(text, known_terms)
        children = [p for p in order if p != path and ControlCode.parse(p).parent == code]
        provisions.append(
            Provision(
                code=code,
                thresholds=reading.thresholds,
                conditions=reading.conditions,
                thresholds_combine=Combination.ANY if reading.alternatives else Combination.ALL,
                children_combine=_children_combine(text, [texts[c] for c in children]),
                terms=tuple(dict.fromkeys((*doubles, *singles))),
                notes=tuple(notes.get(path, ())),
                not_used=bool(_NOT_USED.match(text)),
                problems=tuple(found),
            )
        )
    stray = sorted(set(notes) - set(texts))
    if stray:
        raise ValueError(f"{entry_code}: notes attached to {stray[0]}, which opens no provision")
    return provisions


# a note heading run into the text before it; technical notes and N.B. inside a note stay with it
_EMBEDDED = re.compile(r"(?<=[.;:])\s+(?=Notes?\s*\d*\s*:)")


def _split_embedded(items: list[list[str]]) -> list[list[str]]:
    """Notes the transcription ran together on one line ("Technical Notes: … Note 1: … Note 2: …"),
    apart again, each with its own heading (so a decontrol note is told from the technical note before it)."""
    split: list[list[str]] = []
    for heading, number, body in items:
        parts = _EMBEDDED.split(body)
        split.append([heading, number, parts[0]])
        for part in parts[1:]:
            head = _NOTE_HEAD.match(part)
            if head is None:  # pragma: no cover - the split only happens before a heading
                split[-1][2] += " " + part
                continue
            split.append([head.group("kind"), head.group("number") or "", part[head.end() :]])
    return split


def _parses(path: str) -> ControlCode | None:
    try:
        return ControlCode.parse(path)
    except InvalidControlCodeError:
        return None


def _nearest_code(path: str) -> str:
    parts = path.split(".")
    while len(parts) > 1:
        parts.pop()
        if _parses(".".join(parts)) is not None:
            return ".".join(parts)
    return path


def _children_combine(text: str, children: Iterable[str]) -> Combination:
    if _ALL.search(text):
        return Combination.ALL
    if _ANY.search(text):
        return Combination.ANY
    kids = list(children)
    if (
        kids
        and any(re.search(r"[;,]\s*and\s*$", k) for k in kids[:-1])
        and not any(re.search(r"[;,]\s*or\s*:?\s*$", k) for k in kids[:-1])
    ):
        return Combination.ALL
    return Combination.ANY


def _check_ranges(thresholds: Iterable[Threshold]) -> list[str]:
    """A quantity bounded from below and above in one provision must leave room between the bounds
    (a comparison read the wrong way round shows as an empty range)."""
    lower: dict[tuple[str, str], float] = {}
    upper: dict[tuple[str, str], float] = {}
    for t in thresholds:
        key = (t.quantity, t.unit)
        if t.comparison in (Comparison.GT, Comparison.GE):
            lower[key] = max(lower.get(key, t.threshold), t.threshold)
        else:
            upper[key] = min(upper.get(key, t.threshold), t.threshold)
    return [
        f"{q} bounded by {lower[(q, u)]} and {upper[(q, u)]} {u}: an empty range"
        for (q, u) in sorted(lower.keys() & upper.keys())
        if lower[(q, u)] >= upper[(q, u)]
    ]


def _check_round_trip(text: str, thresholds: Iterable[Threshold]) -> list[str]:
    """Every threshold read must be found again in the text: its number (scanned here with a plainer
    pattern, powers of ten included) and its unit. A second look at the text, so a misread number shows."""
    problems: list[str] = []
    flat = re.sub(r"(?<=\d)[  ](?=\d{3}\b)", "", text.replace("\u2009", " ").replace("\u00a0", " "))
    flat = re.sub(r"(?<=\d),(?=\d)", ".", flat)
    values = []
    for match in _SCAN.finditer(flat):
        value = float(match.group(1))
        if match.group(2):
            values.append(value * 10.0 ** int(match.group(2).replace("–", "-")))
        values.append(value)
    for threshold in thresholds:
        if not any(math.isclose(threshold.threshold, v, rel_tol=1e-9) for v in values):
            problems.append(f"threshold {threshold.describe()} not found again in the text")
        elif threshold.unit and threshold.unit not in text:
            problems.append(f"unit {threshold.unit} of {threshold.describe()} not found again in the text")
    return problems


_SCAN = re.compile(r"(-?\d+(?:\.\d+)?)(?:\s*[×x]\s*10\s?([-–]?\d{1,2})(?!\d))?")
