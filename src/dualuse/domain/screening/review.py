"""Saved parties, stored hits and reviewers' decisions on them.

A false positive is remembered for that party and that listed entity and is not raised again until either
changes: the decision carries a fingerprint of both, and a changed fingerprint makes it lapse.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from dualuse.domain.errors import ValidationError
from dualuse.domain.screening.model import EntitySchema, ScreeningQuery

DEFAULT_THRESHOLD = 0.7
ALGORITHM = "dualuse-screening-1"


class HitStatus(StrEnum):
    OPEN = "open"
    TRUE_MATCH = "true_match"
    FALSE_POSITIVE = "false_positive"


class PartyRole(StrEnum):
    CONSIGNEE = "consignee"
    END_USER = "end_user"
    ULTIMATE_END_USER = "ultimate_end_user"
    INTERMEDIARY = "intermediary"
    OTHER = "other"


@dataclass(frozen=True)
class Party:
    """A party an organisation keeps on file; re-screened whenever a list changes."""

    id: int
    organisation_id: int
    name: str
    schema: EntitySchema | None
    country: str | None
    birth_date: str | None
    identifiers: tuple[str, ...]
    role: PartyRole
    fingerprint: str

    def query(self) -> ScreeningQuery:
        return ScreeningQuery(
            name=self.name,
            schema=self.schema,
            birth_date=self.birth_date,
            country=self.country,
            identifiers=self.identifiers,
        )


def query_fingerprint(query: ScreeningQuery) -> str:
    """A digest of what is screened about a party; editing the party changes it."""
    content: list[object] = [
        " ".join(query.name.split()).casefold(),
        query.schema.value if query.schema else None,
        (query.country or "").lower() or None,
        query.birth_date,
        sorted(query.identifiers),
    ]
    if query.other_birth_dates or query.other_countries:
        # only where given, so that the fingerprints of parties of one date and one country stay as they were
        content.append([sorted(query.other_birth_dates), sorted(c.lower() for c in query.other_countries)])
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class StoredHit:
    id: int
    organisation_id: int
    screening_id: int
    party_id: int | None
    party_fingerprint: str
    source: str
    entity_id: str
    entity_name: str
    entity_fingerprint: str
    score: float
    explanation: Mapping[str, object]
    status: HitStatus
    alert: bool
    created_at: datetime


@dataclass(frozen=True)
class Suppression:
    """A false-positive decision, as it bears on later screenings."""

    party_fingerprint: str
    source: str
    entity_id: str
    entity_fingerprint: str


def suppressed(
    suppressions: Iterable[Suppression],
    party_fingerprint: str,
    source: str,
    entity_id: str,
    entity_fingerprint: str,
) -> bool:
    """True if a reviewer already called this pairing a false positive and neither side has changed since."""
    return any(
        s.party_fingerprint == party_fingerprint
        and s.source == source
        and s.entity_id == entity_id
        and s.entity_fingerprint == entity_fingerprint
        for s in suppressions
    )


def check_threshold(value: float) -> float:
    if not 0.5 <= value <= 1.0:
        raise ValidationError("a screening threshold lies between 0.5 and 1.0", field="threshold")
    return value


def check_decision(status: HitStatus | str, reason: str) -> HitStatus:
    """A reviewer's verdict: true match or false positive, always with a reason."""
    try:
        decided = HitStatus(status)
    except ValueError:
        raise ValidationError("decide true_match or false_positive", field="decision") from None
    if decided is HitStatus.OPEN:
        raise ValidationError("decide true_match or false_positive", field="decision")
    if not reason.strip():
        raise ValidationError("give the reason for the decision", field="reason")
    return decided
