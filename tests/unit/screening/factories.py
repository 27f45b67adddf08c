"""Factories for listed entities, snapshots and queries used by the screening tests."""

from __future__ import annotations

from datetime import date
from itertools import count

from dualuse.domain.screening import EntitySchema, Identifier, ListedEntity, ListSnapshot

_ids = count(1)


def person(
    *names: str,
    dob: str | None = None,
    country: str | None = None,
    passport: str | None = None,
    source: str = "test",
    entity_id: str | None = None,
) -> ListedEntity:
    return ListedEntity(
        source=source,
        entity_id=entity_id or f"p{next(_ids)}",
        schema=EntitySchema.PERSON,
        names=names,
        birth_dates=(dob,) if dob else (),
        countries=(country,) if country else (),
        identifiers=(Identifier("Passport", passport),) if passport else (),
        programs=("TEST",),
        listed_on=date(2020, 1, 1),
    )


def organisation(
    *names: str,
    country: str | None = None,
    registration: str | None = None,
    source: str = "test",
    entity_id: str | None = None,
) -> ListedEntity:
    return ListedEntity(
        source=source,
        entity_id=entity_id or f"o{next(_ids)}",
        schema=EntitySchema.ORGANIZATION,
        names=names,
        countries=(country,) if country else (),
        identifiers=(Identifier("Registration Number", registration),) if registration else (),
    )


def vessel(name: str, imo: str, *, source: str = "test") -> ListedEntity:
    return ListedEntity(
        source=source,
        entity_id=f"v{next(_ids)}",
        schema=EntitySchema.VESSEL,
        names=(name,),
        identifiers=(Identifier("IMO", imo),),
    )


#: filler so that rarity weights behave as on a real list
_FILLER = [
    person("Mohammed Ali Hassan"),
    person("Ali Reza Mohammadi"),
    person("John Smith", dob="1970"),
    person("Ivan Petrov"),
    organisation("Global Trading Limited"),
    organisation("Bank of Commerce"),
    person("Kim Song Chol", dob="1968-03-26", country="kp"),
    person("Ahmad Zia Agha", dob="1974"),
]


def snapshot(
    *entities: ListedEntity, source: str = "test", version: str = "1", filler: bool = True
) -> ListSnapshot:
    found = list(entities) + ([e for e in _FILLER if e.source == source] if filler else [])
    return ListSnapshot(source=source, version=version, entities=tuple(found))
