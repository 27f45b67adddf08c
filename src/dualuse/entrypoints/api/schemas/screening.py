"""Screening of parties against the sanctions lists (our own API; the yente-compatible one is in ``yente``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from dualuse.domain.screening.model import EntitySchema, ScreeningQuery
from dualuse.domain.screening.normalise import partial_date_problem
from dualuse.domain.screening.review import HitStatus, Party, StoredHit


class ScreeningPartyIn(BaseModel):
    name: str = Field(min_length=1, max_length=500)
    schema_: EntitySchema | None = Field(default=None, alias="schema")
    country: str | None = Field(default=None, min_length=2, max_length=2)
    birth_date: str | None = Field(
        default=None,
        pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
        description="YYYY, YYYY-MM or YYYY-MM-DD: a real date, the year between 1800 and 2100",
    )
    identifiers: list[str] = Field(default_factory=list, max_length=20)
    role: str = "end_user"

    @field_validator("birth_date")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        if value is not None and (problem := partial_date_problem(value)):
            raise ValueError(problem)
        return value

    def query(self) -> ScreeningQuery:
        return ScreeningQuery(
            name=self.name,
            schema=self.schema_,
            birth_date=self.birth_date,
            country=self.country.lower() if self.country else None,
            identifiers=tuple(self.identifiers),
        )


class MatchOut(BaseModel):
    source: str
    entity_id: str
    listed_name: str
    matched_name: str
    score: float
    programs: list[str]
    explanation: dict[str, dict[str, Any]]


class ScreeningOut(BaseModel):
    screening_id: int | None
    threshold: float
    list_versions: dict[str, str]
    algorithm: str
    matches: list[MatchOut]
    suppressed_false_positives: int
    ownership: list[OwnershipOut] = Field(
        default_factory=list,
        description="companies of the lists' ownership graphs the party matches, with their listed owners",
    )


class ScreeningPartyOut(BaseModel):
    id: int
    name: str
    schema_: str | None = Field(alias="schema")
    country: str | None
    birth_date: str | None
    identifiers: list[str]
    role: str

    @classmethod
    def of(cls, p: Party) -> ScreeningPartyOut:
        return cls.model_validate(
            {
                "id": p.id,
                "name": p.name,
                "schema": p.schema.value if p.schema else None,
                "country": p.country,
                "birth_date": p.birth_date,
                "identifiers": list(p.identifiers),
                "role": p.role.value,
            }
        )


class ScreeningHitOut(BaseModel):
    id: int
    party_id: int | None
    source: str
    entity_id: str
    entity_name: str
    score: float
    explanation: dict[str, Any]
    status: str
    alert: bool

    @classmethod
    def of(cls, h: StoredHit) -> ScreeningHitOut:
        return cls(
            id=h.id,
            party_id=h.party_id,
            source=h.source,
            entity_id=h.entity_id,
            entity_name=h.entity_name,
            score=h.score,
            explanation=dict(h.explanation),
            status=h.status.value,
            alert=h.alert,
        )


class HitDecisionIn(BaseModel):
    decision: HitStatus
    reason: str = Field(min_length=1, max_length=2000)


class ThresholdIn(BaseModel):
    threshold: float = Field(ge=0.5, le=1.0)


class ListVersionOut(BaseModel):
    """An imported version of a sanctions list, with what changed from the one before."""

    id: int
    source: str
    format: str
    version: str
    published: str | None
    filename: str
    entity_count: int
    added: int
    removed: int
    changed: int
    warnings: list[Any]
    imported_at: str


class SavedPartyOut(BaseModel):
    party: ScreeningPartyOut
    screening: ScreeningOut


class ThresholdOut(BaseModel):
    threshold: float


class OwnershipPathOut(BaseModel):
    names: list[str] = Field(description="from the listed party to the company, along the holdings")
    shares: list[float | None] = Field(
        description="each holding's share (0-1); null where the list gives none"
    )
    share: float | None = Field(description="the product along the chain; null where a share is not given")
    text: str


class OwnershipOut(BaseModel):
    source: str
    company_id: str
    company_name: str
    matched_name: str
    score: float
    listed_share: float = Field(
        description="share held by listed parties, alone or together, direct or indirect"
    )
    flagged: bool = Field(
        description="owned 50% or more by listed parties (OFAC 50 Percent Rule, aggregated)"
    )
    paths: list[OwnershipPathOut]
    listed_directors: list[str]
    incomplete: bool = Field(description="more chains than are followed: the share is at least this")


class ListImportOut(BaseModel):
    version_id: int
    source: str
    version: str
    entities: int
    relations: int
    added: int
    removed: int
    changed: int
    parties_rescreened: int
    alerts: int
    unchanged: bool
    warnings: list[str]


class ListFormatsOut(BaseModel):
    formats: list[str] = Field(description="the names to use in POST /api/v1/screening/lists/{format}")
