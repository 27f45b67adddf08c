"""Authority notices that an authorisation is required (Arts. 4(1), 5(1), 6(1), 7, 8)."""

from __future__ import annotations

from dualuse.services.notices.authority_notices import (
    issue,
    issued,
    parties,
    received,
    withdraw,
)

__all__ = [
    "issue",
    "issued",
    "parties",
    "received",
    "withdraw",
]
