"""The records an exporter keeps (Art. 27), produced on request."""

from __future__ import annotations

from dualuse.services.records.keeping import (
    LEGAL_BASIS,
    day_of,
    export,
    plain,
    purgeable,
)

__all__ = [
    "LEGAL_BASIS",
    "day_of",
    "export",
    "plain",
    "purgeable",
]
