"""FollowTheMoney entities as JSON lines, as OpenSanctions publishes them (``entities.ftm.json``).

Each line is ``{"id", "schema", "properties": {prop: [values]}, "datasets", "target", ...}``. Persons,
organisations, companies, legal entities, vessels and aircraft become listed entities, unless the line says
``"target": false`` (OpenSanctions' exports hold the owners and companies around its targets too: those are
parties of the ownership graph, not listings). ``Ownership`` (owner, asset, percentage) and ``Directorship``
(director, organization) become the list's relations; addresses, sanctions and other schemata are skipped.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dualuse.adapters.sources.sanctions_formats import dedupe, guarded, refuse_packed
from dualuse.domain.errors import ImportFailedError, ValidationError
from dualuse.domain.ownership.model import Relation, RelationKind, parse_share
from dualuse.domain.screening.model import EntitySchema, Identifier, ListedEntity, ListSnapshot
from dualuse.domain.screening.normalise import normalise_country, normalise_date

_SCHEMATA = {
    "Person": EntitySchema.PERSON,
    "Organization": EntitySchema.ORGANIZATION,
    "Company": EntitySchema.ORGANIZATION,
    "PublicBody": EntitySchema.ORGANIZATION,
    "LegalEntity": EntitySchema.UNKNOWN,
    "Vessel": EntitySchema.VESSEL,
    "Airplane": EntitySchema.AIRCRAFT,
}
_NAMES = ("name", "alias", "previousName")
_COUNTRIES = ("nationality", "citizenship", "country", "jurisdiction", "flag")
_IDENTIFIERS = (
    "passportNumber",
    "idNumber",
    "registrationNumber",
    "innCode",
    "ogrnCode",
    "taxNumber",
    "imoNumber",
    "mmsi",
    "leiCode",
    "swiftBic",
    "vatCode",
)


def _values(properties: dict[str, Any], name: str, location: str) -> list[str]:
    values = properties.get(name, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ImportFailedError(f"property {name!r} is not a list of strings", location=location)
    return [v for v in values if v.strip()]


_RELATIONS = {
    "Ownership": (RelationKind.OWNERSHIP, "owner", "asset"),
    "Directorship": (RelationKind.DIRECTORSHIP, "director", "organization"),
}


@dataclass(frozen=True, slots=True)
class _Link:
    kind: RelationKind
    relation_id: str
    holder: str
    held: str
    share: float | None
    location: str


def _link(record: dict[str, Any], location: str) -> _Link | None:
    """An Ownership or Directorship line as a link between two entity ids (names are joined later)."""
    kind, holder_prop, held_prop = _RELATIONS[record["schema"]]
    properties = record.get("properties", {})
    holders, helds = _values(properties, holder_prop, location), _values(properties, held_prop, location)
    if not holders or not helds:
        raise ImportFailedError(
            f"{record['schema']} {record['id']} needs {holder_prop} and {held_prop}", location=location
        )
    share = None
    if kind is RelationKind.OWNERSHIP:
        shares = [s for v in _values(properties, "percentage", location) if (s := parse_share(v)) is not None]
        share = shares[0] if shares else None
    return _Link(kind, record["id"], holders[0], helds[0], share, location)


def _entity(record: object, source: str, location: str) -> ListedEntity | _Link | None:
    if not isinstance(record, dict):
        raise ImportFailedError("a line is not a JSON object", location=location)
    schema, entity_id, properties = record.get("schema"), record.get("id"), record.get("properties", {})
    if not isinstance(schema, str) or not isinstance(entity_id, str) or not entity_id:
        raise ImportFailedError("an entity needs a string id and schema", location=location)
    if not isinstance(properties, dict):
        raise ImportFailedError("properties is not an object", location=location)
    if schema in _RELATIONS:
        return _link(record, location)
    if schema not in _SCHEMATA:
        return None
    names = [v for p in _NAMES for v in _values(properties, p, location)]
    if not names:
        raise ImportFailedError(f"entity {entity_id} has no name", location=location)
    countries = [normalise_country(v) for p in _COUNTRIES for v in _values(properties, p, location)]
    return ListedEntity(
        source=source,
        entity_id=entity_id,
        schema=_SCHEMATA[schema],
        names=dedupe(names),
        birth_dates=dedupe(
            [d for v in _values(properties, "birthDate", location) if (d := normalise_date(v))]
        ),
        countries=dedupe([c for c in countries if c]),
        identifiers=tuple(
            dict.fromkeys(Identifier(p, v) for p in _IDENTIFIERS for v in _values(properties, p, location))
        ),
        programs=dedupe(
            _values(properties, "program", location) + _values(properties, "programId", location)
        ),
    )


@guarded
def parse(path: Path) -> ListSnapshot:
    """Read FollowTheMoney JSON lines; the list is named after the file (``ftm:<stem>``)."""
    source = f"ftm:{path.stem}"
    entities: dict[str, ListedEntity] = {}
    others: dict[str, str] = {}  # parties that are not targets: id → name, for the ownership graph
    links: list[_Link] = []
    digest = hashlib.sha256()
    try:
        handle = path.open("rb")
    except OSError as error:
        raise ImportFailedError(f"cannot read the file ({error.strerror})", location=str(path)) from error
    with handle:
        refuse_packed(handle.read(256), path.name)
        handle.seek(0)
        for number, raw in enumerate(handle, start=1):
            location = f"{path.name}:line {number}"
            digest.update(raw)
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                raise ImportFailedError(f"invalid JSON ({error})", location=location) from error
            entity = _entity(record, source, location)
            if entity is None:
                continue
            if isinstance(entity, _Link):
                links.append(entity)
                continue
            if entity.entity_id in entities or entity.entity_id in others:
                raise ImportFailedError(f"entity {entity.entity_id} appears twice", location=location)
            if record.get("target") is False:
                others[entity.entity_id] = entity.primary_name
            else:
                entities[entity.entity_id] = entity
    if not entities:
        raise ImportFailedError("the file has no person, organisation or vessel", location=path.name)
    names = {**others, **{key: e.primary_name for key, e in entities.items()}}
    relations = []
    for link in links:
        for end in (link.holder, link.held):
            if end not in names:
                raise ImportFailedError(
                    f"{link.kind.value} {link.relation_id} names entity {end}, which the file does not hold",
                    location=link.location,
                )
        try:
            relations.append(
                Relation(
                    link.kind,
                    link.holder,
                    names[link.holder],
                    link.held,
                    names[link.held],
                    link.share,
                    link.relation_id,
                )
            )
        except ValidationError as error:
            raise ImportFailedError(error.detail, location=link.location) from error
    version = "sha256:" + digest.hexdigest()[:16]
    return ListSnapshot(
        source=source, version=version, entities=tuple(entities.values()), relations=tuple(relations)
    )
