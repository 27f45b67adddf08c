"""The outcome of a determination, ordered from the most to the least restrictive."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Outcome(StrEnum):
    """What a transaction (or one of its items) needs before it may go ahead.

    The order of the members is the order of restrictiveness, most restrictive first: a transaction's
    outcome is the most restrictive outcome of its items.
    """

    PROHIBITED = "prohibited"
    """A sanctions prohibition applies: no authorisation under Regulation (EU) 2021/821 can allow it."""
    LICENCE_REQUIRED = "licence_required"
    """An individual or global authorisation is needed (Art. 12(1)(a), (b))."""
    NOTIFY_AUTHORITY = "notify_authority"
    """A catch-all awareness duty: tell the competent authority, which decides (Art. 4(2), 5(2), 6(2), 8(2))."""
    GENERAL_AUTHORISATION_AVAILABLE = "general_authorisation_available"
    """An authorisation is needed, and a general authorisation the exporter may use covers it (Art. 12(1)(d))."""
    NO_LICENCE_REQUIRED = "no_licence_required"
    """No authorisation under the regulation is needed."""

    @property
    def severity(self) -> int:
        """Higher is more restrictive: ``prohibited`` is 4, ``no_licence_required`` is 0."""
        return _SEVERITY[self]

    def is_more_restrictive_than(self, other: Outcome) -> bool:
        """True if this outcome restricts the transaction more than ``other``."""
        return _SEVERITY[self] > _SEVERITY[other]


_SEVERITY: dict[Outcome, int] = {outcome: len(Outcome) - 1 - rank for rank, outcome in enumerate(Outcome)}


def most_restrictive(outcomes: Iterable[Outcome]) -> Outcome:
    """The most restrictive of ``outcomes``; ``no_licence_required`` when there are none."""
    return max(outcomes, key=_SEVERITY.__getitem__, default=Outcome.NO_LICENCE_REQUIRED)
