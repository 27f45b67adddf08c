"""Enforcement cases: a member state's decision on a violation of the Regulation, and the anonymised view the
Commission and the public get of it.

Art. 26(2): the annual report covers enforcement; Art. 23(2) lets the authorities exchange information on
violations and penalties ((b) wording [M]). Neither names the exporter, so the public view carries the state,
the violation type, the decision and its amount, and never the organisation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from dualuse.domain.errors import ValidationError


class EnforcementDecision(StrEnum):
    FINE = "fine"
    IMPRISONMENT = "imprisonment"
    WARNING = "warning"
    ACQUITTAL = "acquittal"


@dataclass(frozen=True)
class EnforcementCase:
    """A decision taken in ``member_state`` on a violation (``organisation_id``: the party, known to that
    state's authority only; ``None`` when the party is not a registered organisation)."""

    id: int
    member_state: str
    violation: str
    decision_date: date
    decision: EnforcementDecision
    amount_eur: Decimal | None
    imprisonment_months: int | None
    organisation_id: int | None
    summary: str
    recorded_by: str


@dataclass(frozen=True)
class PublicEnforcementCase:
    """An enforcement case as the Commission and the public see it: no party, no officer, no summary."""

    id: int
    member_state: str
    violation: str
    decision_date: date
    decision: EnforcementDecision
    amount_eur: Decimal | None
    imprisonment_months: int | None


def check_decision(
    decision: EnforcementDecision,
    amount_eur: Decimal | None,
    imprisonment_months: int | None,
    decision_date: date,
    today: date,
) -> None:
    """A fine has an amount, a prison sentence its months; a warning or an acquittal neither; not in the future."""
    if decision_date > today:
        raise ValidationError("the decision date cannot be in the future", field="decision_date")
    if decision is EnforcementDecision.FINE and (amount_eur is None or amount_eur <= 0):
        raise ValidationError("enter the fine in euros", field="amount_eur")
    if decision is EnforcementDecision.IMPRISONMENT and (
        imprisonment_months is None or imprisonment_months <= 0
    ):
        raise ValidationError("enter the length of the sentence in months", field="imprisonment_months")
    if decision in (EnforcementDecision.WARNING, EnforcementDecision.ACQUITTAL):
        if amount_eur is not None:
            raise ValidationError(f"a {decision.value} has no fine", field="amount_eur")
        if imprisonment_months is not None:
            raise ValidationError(f"a {decision.value} has no sentence", field="imprisonment_months")
    if amount_eur is not None and amount_eur < 0:
        raise ValidationError("a fine cannot be negative", field="amount_eur")


def anonymised(case: EnforcementCase) -> PublicEnforcementCase:
    return PublicEnforcementCase(
        id=case.id,
        member_state=case.member_state,
        violation=case.violation,
        decision_date=case.decision_date,
        decision=case.decision,
        amount_eur=case.amount_eur,
        imprisonment_months=case.imprisonment_months,
    )


@dataclass(frozen=True)
class EnforcementLine:
    """The figures of one state for one violation type: decisions by kind and the fines imposed."""

    member_state: str
    violation: str
    decisions: dict[str, int]
    cases: int
    fines_total_eur: Decimal
    largest_fine_eur: Decimal | None


def statistics(cases: Iterable[PublicEnforcementCase]) -> tuple[EnforcementLine, ...]:
    """Enforcement figures per state and violation type (Art. 26(2), administration and enforcement)."""
    grouped: dict[tuple[str, str], list[PublicEnforcementCase]] = {}
    for case in cases:
        grouped.setdefault((case.member_state, case.violation), []).append(case)
    lines: list[EnforcementLine] = []
    for (state, violation), group in sorted(grouped.items()):
        counts = Counter(c.decision.value for c in group)
        fines = [c.amount_eur for c in group if c.amount_eur is not None]
        lines.append(
            EnforcementLine(
                member_state=state,
                violation=violation,
                decisions={d.value: counts.get(d.value, 0) for d in EnforcementDecision},
                cases=len(group),
                fines_total_eur=sum(fines, Decimal(0)),
                largest_fine_eur=max(fines) if fines else None,
            )
        )
    return tuple(lines)
