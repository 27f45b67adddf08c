"""Listed entities, list snapshots, screening queries and their matches.

A sanctions list (`SanctionsList`) is published in versions; each import yields a `ListSnapshot` of its
`ListedEntity` records. Screening a party (`ScreeningQuery`) against the snapshots yields `Match` records
(a candidate `Hit` for a reviewer), each with its score and an explanation per feature.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from dualuse.domain.errors import ValidationError
from dualuse.domain.ownership.model import Relation


class EntitySchema(StrEnum):
    """What kind of thing a listed entity or a screened party is."""

    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Identifier:
    """A document or registration number: passport, national ID, registration number, IMO number, …"""

    kind: str
    number: str
    country: str | None = None


@dataclass(frozen=True, slots=True)
class ListedEntity:
    """One entry of a sanctions list, as the publisher lists it.

    ``names`` holds the primary name first, then the aliases. ``birth_dates`` are ISO dates of the
    precision the list gives (``1965``, ``1965-07`` or ``1965-07-17``). ``countries`` are ISO 3166
    alpha-2 codes in lower case (nationality, citizenship, address or flag).
    """

    source: str
    entity_id: str
    schema: EntitySchema
    names: tuple[str, ...]
    birth_dates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    programs: tuple[str, ...] = ()
    listed_on: date | None = None

    def __post_init__(self) -> None:
        if not self.entity_id:
            raise ValidationError("a listed entity needs an id", field="entity_id")
        if not self.names:
            raise ValidationError(f"listed entity {self.entity_id} has no name", field="names")

    @property
    def key(self) -> tuple[str, str]:
        """The entity's identity across list versions: its list and its id on that list."""
        return (self.source, self.entity_id)

    @property
    def primary_name(self) -> str:
        return self.names[0]

    @property
    def fingerprint(self) -> str:
        """A digest of the entity's content; a change between list versions changes it."""
        content = [
            self.schema.value,
            list(self.names),
            sorted(self.birth_dates),
            sorted(self.countries),
            sorted([i.kind, i.number, i.country or ""] for i in self.identifiers),
            sorted(self.programs),
            self.listed_on.isoformat() if self.listed_on else None,
        ]
        encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
        return hashlib.sha256(encoded).hexdigest()


@dataclass(frozen=True, slots=True)
class ListSnapshot:
    """One version of one sanctions list: every entity it listed at the time of publication."""

    source: str
    version: str
    entities: tuple[ListedEntity, ...]
    published: date | None = None
    #: what the importer noticed and tolerated, e.g. an entity number the publisher used twice
    warnings: tuple[str, ...] = ()
    #: who owns or directs whom, as the list publishes it (FollowTheMoney Ownership and Directorship)
    relations: tuple[Relation, ...] = ()

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for entity in self.entities:
            if entity.entity_id in seen:
                raise ValidationError(
                    f"entity id {entity.entity_id} appears twice in {self.source} {self.version}",
                    field="entities",
                )
            seen.add(entity.entity_id)

    def by_id(self) -> dict[str, ListedEntity]:
        return {e.entity_id: e for e in self.entities}

    def __len__(self) -> int:
        return len(self.entities)


@dataclass(frozen=True, slots=True)
class ScreeningQuery:
    """A party to screen: its name and whatever secondary facts are known about it; without a name, an
    identifier at least."""

    name: str
    schema: EntitySchema | None = None
    birth_date: str | None = None
    country: str | None = None
    identifiers: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    """Other names of the same party (a maiden name, a transliteration, a trading name): each is scored,
    and an entity keeps the best of them."""
    other_birth_dates: tuple[str, ...] = ()
    """More dates of birth or incorporation a source gives for the party: the one agreeing best counts."""
    other_countries: tuple[str, ...] = ()
    """More countries of the party (a second nationality): any of them listed counts as agreeing."""

    def __post_init__(self) -> None:
        # an identifier alone (a vessel's IMO number) is something to screen; nothing at all is not
        if (not self.name or not self.name.strip()) and not any(i.strip() for i in self.identifiers):
            raise ValidationError("a screening query needs a name", field="name")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for n in (self.name, *self.aliases) if n.strip()))

    @property
    def birth_dates(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d for d in (self.birth_date, *self.other_birth_dates) if d))

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for c in (self.country, *self.other_countries) if c))


@dataclass(frozen=True, slots=True)
class EntityFilter:
    """Which listed entities a screening looks at: by list, by kind, and single entities left out."""

    sources: frozenset[str] | None = None
    """Only these lists (None: every list)."""
    exclude_sources: frozenset[str] = frozenset()
    exclude_schemata: frozenset[EntitySchema] = frozenset()
    exclude_keys: frozenset[tuple[str, str]] = frozenset()
    """(list, entity id) pairs never to return."""

    def accepts(self, entity: ListedEntity) -> bool:
        return (
            (self.sources is None or entity.source in self.sources)
            and entity.source not in self.exclude_sources
            and entity.schema not in self.exclude_schemata
            and entity.key not in self.exclude_keys
        )

    @property
    def filters(self) -> bool:
        """Whether any entity could be left out."""
        return bool(
            self.sources is not None or self.exclude_sources or self.exclude_schemata or self.exclude_keys
        )


#: feature name → (value, note). For ``name`` the value is the similarity in [0, 1]; for the
#: secondary facts it is the adjustment they made to the score.
Explanation = dict[str, tuple[float, str]]


@dataclass(frozen=True, slots=True)
class Match:
    """A candidate hit: a listed entity, how well it matches the query, and why."""

    entity: ListedEntity
    score: float
    matched_name: str
    explanation: Explanation = field(default_factory=dict)


#: The glossary calls a candidate match a hit.
Hit = Match
