"""The handbook's penalties section from the penalty catalogue the /penalties page compares (one source for
both): per member state, one line per violation type in plain words, with its national law and whether it is
verified. Source of the figures: ``data/enforcement/`` (each range names its law; none verified yet)."""

from __future__ import annotations

from decimal import Decimal

from dualuse.domain.enforcement import PenaltyCatalogue, PenaltyRange
from dualuse.domain.handbook import PenaltyFile


def _euros(amount: Decimal) -> str:
    return f"EUR {amount:,.0f}"


def describe(penalty: PenaltyRange) -> str:
    """``Up to 5 years' imprisonment; an administrative fine of up to EUR 500,000 (AWG § 18(5))``."""
    parts = []
    if penalty.criminal is not None:
        criminal = penalty.criminal
        text = f"up to {criminal.max_imprisonment_years.normalize():f} years' imprisonment"
        if criminal.fine_max_eur is not None:
            text += f" or a fine of up to {_euros(criminal.fine_max_eur)}"
        elif criminal.fine_formula:
            text += f" ({criminal.fine_formula})"
        parts.append(text)
    if penalty.administrative is not None:
        admin = penalty.administrative
        if admin.fine_max_eur is not None:
            low = f"{_euros(admin.fine_min_eur)} to " if admin.fine_min_eur else "up to "
            text = f"an administrative fine of {low}{_euros(admin.fine_max_eur)}"
        else:
            text = f"an administrative fine: {admin.fine_formula}"
        parts.append(text)
    laws = ", ".join(f"{s.law} {s.article}".strip() for s in penalty.sources)
    text = "; ".join(parts)
    return f"{text[:1].upper()}{text[1:]} ({laws})" if laws else text


def penalty_files(catalogue: PenaltyCatalogue) -> tuple[PenaltyFile, ...]:
    """Each member state's penalties as the handbook lists them."""
    titles = {v.id: v.title for v in catalogue.violations}
    files = []
    for state in catalogue.member_states:
        ranges = [r for r in catalogue.ranges if r.member_state == state]
        lines = [f"{titles.get(r.violation, r.violation)}: {describe(r)}" for r in ranges]
        verified = all(r.verified for r in ranges)
        files.append(
            PenaltyFile(
                state,
                {
                    "penalties": lines,
                    "source": "; ".join(sorted({s.url for r in ranges for s in r.sources if s.url})),
                    "verified": verified,
                },
            )
        )
    return tuple(files)
