"""The comparison of the member states' penalties, per violation type (Art. 25(1), published under
Art. 23(1)(b)): public, read from the shipped data, so it needs no unit of work."""

from __future__ import annotations

from collections.abc import Sequence

from dualuse.domain.enforcement import PenaltyCatalogue, ViolationComparison, compare
from dualuse.domain.errors import ValidationError
from dualuse.domain.union import EU_MEMBER_STATES


def comparison(
    catalogue: PenaltyCatalogue, *, violation: str | None = None, states: Sequence[str] | None = None
) -> tuple[ViolationComparison, ...]:
    """Every violation type (or the one ``violation``) with each state's normalised figures."""
    if states is not None:
        unknown = [s for s in states if s not in EU_MEMBER_STATES]
        if unknown:
            raise ValidationError(f"{unknown[0]!r} is not an EU member state", field="state")
    rows = compare(catalogue, states=states)
    if violation is None:
        return rows
    chosen = tuple(r for r in rows if r.violation.id == violation)
    if not chosen:
        raise ValidationError(f"unknown violation type {violation!r}", field="violation")
    return chosen
