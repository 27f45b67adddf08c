"""Essentially identical transactions (Art. 2(22), verified; checked before granting under Art. 16(5),
verified): items with the same or overlapping control codes, the same destination, and the same end-user or
consignee.

- Codes overlap when they are equal or one is a sub-item of the other at an item boundary: ``5A001`` and
  ``5A001.j`` overlap, ``5A001.f`` and ``5A001.j`` do not, nor ``5A001`` and ``5A0011``. A denial of the
  whole entry covers each of its sub-items, and a denial of a sub-item is a denial of part of the entry.
- The destination: Art. 2(22) names parameters and parties, not the destination; requiring the same
  destination is the system's rule (a party's country normally is the destination), switchable off
  (``same_destination=False``) for the wider, safer check.
- The parties are compared with the screening engine's name matching (``screening.pairwise``), never as
  exact strings, across roles (a denied end-user named as consignee still matches), against a threshold.

Matching is symmetric: ``match(a, b)`` finds a match exactly when ``match(b, a)`` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dualuse.domain.denials.model import Denial
from dualuse.domain.screening.pairwise import SAME_PARTY_THRESHOLD, compare_names

__all__ = [
    "CodeOverlap",
    "DenialMatch",
    "Match",
    "PartyMatch",
    "Transaction",
    "TransactionParty",
    "codes_overlap",
    "find_matches",
    "match",
    "transaction_of",
]


def _segments(code: str) -> tuple[str, ...]:
    return tuple(s for s in code.strip().upper().replace(" ", "").split(".") if s)


def codes_overlap(first: str, second: str) -> bool:
    """Whether two control codes are the same or one is a sub-item of the other (``5A001`` / ``5A001.j``)."""
    a, b = _segments(first), _segments(second)
    if not a or not b:
        return False
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return longer[: len(shorter)] == shorter


@dataclass(frozen=True)
class TransactionParty:
    name: str
    role: str
    country: str = ""


@dataclass(frozen=True)
class Transaction:
    """What two transactions are compared on: control codes, destinations, end-users and consignees."""

    control_codes: tuple[str, ...]
    destinations: tuple[str, ...]
    parties: tuple[TransactionParty, ...]


def transaction_of(denial: Denial) -> Transaction:
    return Transaction(
        control_codes=denial.control_codes,
        destinations=(denial.destination,),
        parties=tuple(TransactionParty(p.name, p.role, p.country) for p in denial.parties),
    )


@dataclass(frozen=True)
class CodeOverlap:
    first: str
    second: str


@dataclass(frozen=True)
class PartyMatch:
    first: str
    first_role: str
    second: str
    second_role: str
    score: float
    note: str


@dataclass(frozen=True)
class Match:
    """Why two transactions are essentially identical."""

    codes: tuple[CodeOverlap, ...]
    destinations: tuple[str, ...]
    parties: tuple[PartyMatch, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """The reasons in words, for the officer."""
        return (
            *(f"control code {c.first} overlaps {c.second}" for c in self.codes),
            *(f"same destination {d}" for d in self.destinations),
            *(
                f"{p.first_role.replace('_', '-')} {p.first!r} matches {p.second_role.replace('_', '-')} "
                f"{p.second!r} (name score {p.score:.2f})"
                for p in self.parties
            ),
        )


@dataclass(frozen=True)
class DenialMatch:
    """A denial in force that is essentially identical to the transaction assessed, and why."""

    denial: Denial
    match: Match

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.match.reasons

    @property
    def best_score(self) -> float:
        return max(p.score for p in self.match.parties)


def match(
    first: Transaction,
    second: Transaction,
    *,
    threshold: float = SAME_PARTY_THRESHOLD,
    same_destination: bool = True,
) -> Match | None:
    """Why ``first`` and ``second`` are essentially identical, or None when they are not (Art. 2(22))."""
    codes = tuple(
        CodeOverlap(a, b) for a in first.control_codes for b in second.control_codes if codes_overlap(a, b)
    )
    if not codes:
        return None
    theirs = {d.strip().upper() for d in second.destinations}
    destinations = tuple(sorted({d.strip().upper() for d in first.destinations} & theirs))
    if same_destination and not destinations:
        return None
    parties = []
    for a in first.parties:
        for b in second.parties:
            compared = compare_names(a.name, b.name)
            if compared.score >= threshold:
                parties.append(PartyMatch(a.name, a.role, b.name, b.role, compared.score, compared.note))
    if not parties:
        return None
    return Match(codes=codes, destinations=destinations, parties=tuple(parties))


def find_matches(
    denials: Iterable[Denial],
    transaction: Transaction,
    *,
    threshold: float = SAME_PARTY_THRESHOLD,
    same_destination: bool = True,
    exclude_state: str | None = None,
) -> Sequence[DenialMatch]:
    """The denials in force (other than ``exclude_state``'s own) essentially identical to ``transaction``,
    best name score first (Art. 16(5))."""
    found = []
    for denial in denials:
        if not denial.in_force or (exclude_state and denial.issuing_state == exclude_state.upper()):
            continue
        why = match(
            transaction_of(denial), transaction, threshold=threshold, same_destination=same_destination
        )
        if why is not None:
            found.append(DenialMatch(denial, why))
    return sorted(found, key=lambda m: (-m.best_score, m.denial.id))
