"""The member states' penalties for breaches of Reg. (EU) 2021/821, on one catalogue of violation types, and
their comparison across states.

Art. 25(1): each member state lays down the penalties ("effective, proportionate and dissuasive", quote [M]);
Art. 23(1)(b): they are notified to the Commission and published in the C series [V]. The catalogue names the
provision of the Regulation each violation breaches; each state's range names its national law. Figures not
checked against their source carry ``verified=False`` and are shown as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from dualuse.domain.errors import ValidationError
from dualuse.domain.union import EU_MEMBER_STATES


@dataclass(frozen=True)
class ViolationType:
    """A kind of breach of the Regulation, with the provision it breaches (``legal_basis``)."""

    id: str
    title: str
    description: str
    legal_basis: str
    source: str
    verified: bool


@dataclass(frozen=True)
class CriminalPenalty:
    """The criminal range: the longest imprisonment, and a fine as an amount or as a formula."""

    max_imprisonment_years: Decimal
    fine_max_eur: Decimal | None = None
    fine_formula: str = ""


@dataclass(frozen=True)
class AdministrativePenalty:
    """An administrative fine: a range in euros, or a formula (``one to two times the value``)."""

    fine_min_eur: Decimal | None = None
    fine_max_eur: Decimal | None = None
    fine_formula: str = ""
    note: str = ""


@dataclass(frozen=True)
class LegalSource:
    law: str
    article: str
    url: str


@dataclass(frozen=True)
class PenaltyRange:
    """What ``member_state`` provides for one violation type."""

    member_state: str
    violation: str
    criminal: CriminalPenalty | None
    administrative: AdministrativePenalty | None
    sources: tuple[LegalSource, ...]
    verified: bool
    note: str = ""

    @property
    def max_fine_eur(self) -> Decimal | None:
        """The highest fine stated as an amount (criminal or administrative); None when only a formula."""
        amounts = [
            p.fine_max_eur
            for p in (self.criminal, self.administrative)
            if p is not None and p.fine_max_eur is not None
        ]
        return max(amounts) if amounts else None

    @property
    def max_imprisonment_years(self) -> Decimal | None:
        return self.criminal.max_imprisonment_years if self.criminal else None

    @property
    def fine_formulas(self) -> tuple[str, ...]:
        return tuple(p.fine_formula for p in (self.criminal, self.administrative) if p and p.fine_formula)


def check_criminal(penalty: CriminalPenalty) -> CriminalPenalty:
    if penalty.max_imprisonment_years <= 0:
        raise ValidationError(
            "the longest imprisonment must be more than 0 years", field="criminal.max_imprisonment_years"
        )
    if penalty.fine_max_eur is not None and penalty.fine_max_eur <= 0:
        raise ValidationError("a fine's maximum must be more than EUR 0", field="criminal.fine_max_eur")
    return penalty


def check_administrative(penalty: AdministrativePenalty) -> AdministrativePenalty:
    low, high = penalty.fine_min_eur, penalty.fine_max_eur
    if high is None and not penalty.fine_formula:
        raise ValidationError(
            "an administrative penalty needs a maximum fine or a formula", field="administrative.fine_max_eur"
        )
    if (low is not None and low < 0) or (high is not None and high <= 0):
        raise ValidationError("fines must be positive amounts in euros", field="administrative.fine_max_eur")
    if low is not None and high is not None and low > high:
        raise ValidationError(
            f"the minimum fine (EUR {low}) is above the maximum (EUR {high})",
            field="administrative.fine_min_eur",
        )
    return penalty


def check_range(penalty: PenaltyRange, violations: Iterable[str]) -> PenaltyRange:
    """A range must name a known violation type, a member state, a sanction and at least one source."""
    if penalty.member_state not in EU_MEMBER_STATES:
        raise ValidationError(f"{penalty.member_state!r} is not an EU member state", field="member_state")
    known = set(violations)
    if penalty.violation not in known:
        raise ValidationError(
            f"unknown violation type {penalty.violation!r}; expected one of {', '.join(sorted(known))}",
            field="violation",
        )
    if penalty.criminal is None and penalty.administrative is None:
        raise ValidationError("give a criminal or an administrative penalty (or both)", field="criminal")
    if not penalty.sources:
        raise ValidationError("every penalty names its source in national law", field="sources")
    return penalty


@dataclass(frozen=True)
class PenaltyCatalogue:
    """The violation types and every state's ranges (one range per state and violation type)."""

    version: str
    violations: tuple[ViolationType, ...]
    ranges: tuple[PenaltyRange, ...]

    def __post_init__(self) -> None:
        ids = [v.id for v in self.violations]
        if len(set(ids)) != len(ids):
            raise ValidationError("a violation type is listed twice", field="violations")
        seen: set[tuple[str, str]] = set()
        for r in self.ranges:
            check_range(r, ids)
            key = (r.member_state, r.violation)
            if key in seen:
                raise ValidationError(
                    f"{r.member_state} gives two ranges for {r.violation}", field="violation"
                )
            seen.add(key)

    @property
    def member_states(self) -> tuple[str, ...]:
        return tuple(sorted({r.member_state for r in self.ranges}))

    def violation(self, violation_id: str) -> ViolationType | None:
        return next((v for v in self.violations if v.id == violation_id), None)


@dataclass(frozen=True)
class StateFigures:
    """One state's figures for one violation type, normalised for comparison."""

    member_state: str
    max_fine_eur: Decimal | None
    max_imprisonment_years: Decimal | None
    has_criminal: bool
    has_administrative: bool
    fine_formulas: tuple[str, ...]
    sources: tuple[LegalSource, ...]
    verified: bool
    note: str


@dataclass(frozen=True)
class ViolationComparison:
    """A violation type and what each state with data provides for it (``missing``: states without data)."""

    violation: ViolationType
    states: tuple[StateFigures, ...]
    missing: tuple[str, ...]

    @property
    def highest_fine_eur(self) -> Decimal | None:
        fines = [s.max_fine_eur for s in self.states if s.max_fine_eur is not None]
        return max(fines) if fines else None

    def bar_percent(self, figures: StateFigures) -> int:
        """The fine's length on a bar chart scaled to the highest fine of this violation type (0 to 100)."""
        top = self.highest_fine_eur
        if figures.max_fine_eur is None or top is None or top == 0:
            return 0
        return round(figures.max_fine_eur * 100 / top)


def figures(penalty: PenaltyRange) -> StateFigures:
    return StateFigures(
        member_state=penalty.member_state,
        max_fine_eur=penalty.max_fine_eur,
        max_imprisonment_years=penalty.max_imprisonment_years,
        has_criminal=penalty.criminal is not None,
        has_administrative=penalty.administrative is not None,
        fine_formulas=penalty.fine_formulas,
        sources=penalty.sources,
        verified=penalty.verified,
        note=penalty.note,
    )


def compare(
    catalogue: PenaltyCatalogue, *, states: Sequence[str] | None = None
) -> tuple[ViolationComparison, ...]:
    """Per violation type, each state's normalised figures (in catalogue order; states alphabetical).

    A state without data for a violation type is listed in ``missing``: no data is not no penalty.
    """
    wanted = tuple(states) if states is not None else catalogue.member_states
    out: list[ViolationComparison] = []
    for violation in catalogue.violations:
        rows = sorted(
            (
                figures(r)
                for r in catalogue.ranges
                if r.violation == violation.id and r.member_state in wanted
            ),
            key=lambda f: f.member_state,
        )
        present = {f.member_state for f in rows}
        out.append(ViolationComparison(violation, tuple(rows), tuple(s for s in wanted if s not in present)))
    return tuple(out)
