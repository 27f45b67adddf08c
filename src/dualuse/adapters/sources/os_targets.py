"""OpenSanctions' simplified CSV export (``targets.simple.csv``): one row per target entity.

Columns ``id, schema, name, aliases, birth_date, countries, addresses, identifiers, sanctions, phones, emails,
dataset, first_seen, last_seen, last_change``; several values in one cell are separated by ``;``; countries
are ISO codes in lower case. The list is called ``opensanctions`` (``opensanctions:<name>`` for a file named
otherwise, so two collections stay apart).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from dualuse.adapters.sources.csv_lists import decode, split, table
from dualuse.adapters.sources.sanctions_formats import content_version, dedupe, guarded, read_bytes
from dualuse.domain.errors import ImportFailedError
from dualuse.domain.screening.model import EntitySchema, Identifier, ListedEntity, ListSnapshot
from dualuse.domain.screening.normalise import normalise_country, normalise_date

REQUIRED = (
    "id",
    "schema",
    "name",
    "aliases",
    "birth_date",
    "countries",
    "identifiers",
    "sanctions",
    "dataset",
)
_SCHEMATA = {
    "Person": EntitySchema.PERSON,
    "Organization": EntitySchema.ORGANIZATION,
    "Company": EntitySchema.ORGANIZATION,
    "PublicBody": EntitySchema.ORGANIZATION,
    "LegalEntity": EntitySchema.UNKNOWN,
    "Vessel": EntitySchema.VESSEL,
    "Airplane": EntitySchema.AIRCRAFT,
}


def source_name(path: Path) -> str:
    stem = path.name.removesuffix(".csv")
    return "opensanctions" if stem in ("targets.simple", "targets_simple") else f"opensanctions:{stem}"


@guarded
def parse(path: Path) -> ListSnapshot:
    """Read OpenSanctions' ``targets.simple.csv``."""
    data = read_bytes(path)
    source = source_name(path)
    entities: dict[str, ListedEntity] = {}
    last_change = ""
    for row in table(decode(data, path.name), path.name, required=REQUIRED):
        location = row.location(path.name)
        entity_id, schema = row.get("id"), row.get("schema")
        if not entity_id:
            raise ImportFailedError("a row without an id", location=row.location(path.name, "id"))
        if schema not in _SCHEMATA:
            raise ImportFailedError(
                f"schema {schema!r} is not a party ({', '.join(_SCHEMATA)})",
                location=row.location(path.name, "schema"),
            )
        names = [row.get("name"), *split(row.get("aliases"), ";")]
        if not any(names):
            raise ImportFailedError(
                f"entity {entity_id} has no name", location=row.location(path.name, "name")
            )
        if entity_id in entities:
            raise ImportFailedError(f"entity {entity_id} appears twice", location=location)
        countries = [normalise_country(c) for c in split(row.get("countries"), ";")]
        entities[entity_id] = ListedEntity(
            source=source,
            entity_id=entity_id,
            schema=_SCHEMATA[schema],
            names=dedupe([n for n in names if n]),
            birth_dates=dedupe([d for v in split(row.get("birth_date"), ";") if (d := normalise_date(v))]),
            countries=dedupe([c for c in countries if c]),
            identifiers=tuple(dict.fromkeys(Identifier("id", v) for v in split(row.get("identifiers"), ";"))),
            programs=dedupe(split(row.get("dataset"), ";")),
        )
        last_change = max(last_change, row.get("last_change"))
    if not entities:
        raise ImportFailedError("the file has no entities", location=path.name)
    try:
        published = datetime.fromisoformat(last_change).date() if last_change else None
    except ValueError:
        published = None
    return ListSnapshot(
        source=source,
        version=content_version(data),
        entities=tuple(entities.values()),
        published=published,
    )
