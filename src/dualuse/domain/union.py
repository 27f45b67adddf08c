"""Facts about the Union that several rules share."""

from __future__ import annotations

EU_MEMBER_STATES: frozenset[str] = frozenset(
    {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"}
    | {"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}
)
"""The 27 member states by ISO 3166-1 alpha-2 code (Greece is ``GR``, not the EU's ``EL``)."""
