"""The yente API's request and response shapes (OpenSanctions yente 4.x), field for field, so that yente's
clients (the ``yente-client`` SDK, nomenklatura's enricher) read our answers as they read yente's."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


# --- requests -----------------------------------------------------------------------------------------
class EntityExample(BaseModel):
    """An entity to match, as yente takes it: a FollowTheMoney schema and its properties."""

    model_config = ConfigDict(populate_by_name=True)

    id: str | None = Field(default=None, max_length=200)
    schema_: str = Field(
        alias="schema", description="FollowTheMoney schema: Person, Company, Organization, …"
    )
    properties: dict[str, str | list[str]] = Field(
        description="name (or firstName/lastName), alias, birthDate, nationality, country, idNumber, …"
    )


class MatchRequest(BaseModel):
    queries: dict[str, EntityExample]
    weights: dict[str, float] = Field(default_factory=dict, description="not supported: send {} or leave out")
    config: dict[str, Any] = Field(default_factory=dict, description="not supported: send {} or leave out")


# --- responses ----------------------------------------------------------------------------------------
class _Shape(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class EntityOut(_Shape):
    """A listed entity in yente's entity shape: its FollowTheMoney properties, each a list of values."""

    id: str = Field(description="<list>-<id on the list>, e.g. ofac-sdn-36")
    caption: str
    schema_: str = Field(alias="schema", description="FollowTheMoney schema")
    properties: dict[str, list[str]]
    datasets: list[str]
    referents: list[str]
    target: bool
    first_seen: str | None
    last_seen: str | None
    last_change: str | None


class FeatureExplanation(_Shape):
    score: float
    detail: str


class ScoredEntity(EntityOut):
    """A candidate for a query: ``match`` is true from the threshold."""

    score: float
    match: bool
    features: dict[str, float]
    explanations: dict[str, FeatureExplanation]
    token: str | None


class Total(_Shape):
    value: int
    relation: str


class QueryEcho(_Shape):
    """The query as read: only the properties matching uses."""

    id: str | None
    schema_: str = Field(alias="schema")
    properties: dict[str, list[str]]


class QueryResponse(_Shape):
    status: int
    results: list[ScoredEntity]
    total: Total
    query: QueryEcho
    unused_properties: list[str] = Field(description="properties sent that matching does not use")


class Algorithm(_Shape):
    name: str
    description: str
    docs: dict[str, str] = Field(description="what each feature of the score measures")


class MatchResponse(_Shape):
    responses: dict[str, QueryResponse]
    matcher: Algorithm
    limit: int


class FacetValue(_Shape):
    name: str
    label: str
    count: int


class Facet(_Shape):
    label: str
    values: list[FacetValue]


class SearchResponse(_Shape):
    results: list[EntityOut]
    facets: dict[str, Facet]
    total: Total
    limit: int
    offset: int


class AdjacentResponse(_Shape):
    entity: EntityOut
    adjacent: dict[str, Any] = Field(description="always empty: dualuse's lists hold no adjacent entities")


class AdjacentByPropertyResponse(_Shape):
    results: list[EntityOut]
    total: Total
    limit: int
    offset: int


class Dataset(_Shape):
    """A list that can be matched against; ``default`` (every list) carries no version of its own."""

    name: str
    title: str
    version: str | None = None
    entity_count: int
    thing_count: int | None = None
    updated_at: str | None = None
    last_export: str | None = None
    tags: list[str] | None = None
    load: bool
    index_current: bool
    index_version: str | None = None
    children: list[str]


class CatalogResponse(_Shape):
    datasets: list[Dataset]
    current: list[str]
    outdated: list[str]
    index_stale: bool


class AlgorithmsResponse(_Shape):
    algorithms: list[Algorithm]
    default: str
    best: str


class ReadyResponse(_Shape):
    status: str = Field(description="ok, or error with the reason in detail")
    detail: str | None = None
