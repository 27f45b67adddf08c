"""The EU Financial Sanctions Files as CSV (FSF v1.1 CSV): the same records as the XML, flattened.

Semicolon-separated, a header row of ``<Element>_<attribute>`` columns (``fileGenerationDate;
Entity_LogicalId; Entity_EU_ReferenceNumber; …; Entity_SubjectType; Entity_Regulation_Programme;
NameAlias_WholeName; NameAlias_FirstName; …; Citizenship_CountryIso2Code; BirthDate_BirthDate; …;
Address_CountryIso2Code; …; Identification_Number; …``) and one row per name, citizenship, birth date,
address or document of an entity, grouped by ``Entity_LogicalId``. A name alias marked weak
(``NameAlias_Strong`` false, where the column exists) is left out, as in the XML importer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dualuse.adapters.sources.csv_lists import Row, decode, table
from dualuse.adapters.sources.sanctions_formats import content_version, dedupe, guarded, parse_day, read_bytes
from dualuse.domain.errors import ImportFailedError
from dualuse.domain.screening.model import EntitySchema, Identifier, ListedEntity, ListSnapshot
from dualuse.domain.screening.normalise import normalise_country, normalise_date

REQUIRED = ("Entity_LogicalId", "Entity_SubjectType", "NameAlias_WholeName")
_SUBJECTS = {
    "person": EntitySchema.PERSON,
    "p": EntitySchema.PERSON,
    "enterprise": EntitySchema.ORGANIZATION,
    "e": EntitySchema.ORGANIZATION,
}


@dataclass(slots=True)
class _Entity:
    logical_id: str
    subject: str
    location: str
    names: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    listed_on: date | None = None


def _read(row: Row, entity: _Entity, name: str) -> None:
    strong = row.get("NameAlias_Strong").lower()
    whole = row.get("NameAlias_WholeName") or " ".join(
        p for c in ("NameAlias_FirstName", "NameAlias_MiddleName", "NameAlias_LastName") if (p := row.get(c))
    )
    if whole and strong != "false":
        entity.names.append(whole)
    if day := normalise_date(row.get("BirthDate_BirthDate")):
        entity.birth_dates.append(day)
    for column in ("Citizenship_CountryIso2Code", "Address_CountryIso2Code"):
        if code := normalise_country(row.get(column)):
            entity.countries.append(code)
    if number := row.get("Identification_Number"):
        entity.identifiers.append(
            Identifier(
                kind=row.get("Identification_TypeCode") or "document",
                number=number,
                country=normalise_country(row.get("Identification_CountryIso2Code")),
            )
        )
    if programme := row.get("Entity_Regulation_Programme"):
        entity.programs.append(programme)
    if listed := row.get("Entity_DesignationDate"):
        listed_day = parse_day(listed, location=row.location(name, "Entity_DesignationDate"))
        if listed_day is not None and (entity.listed_on is None or listed_day < entity.listed_on):
            entity.listed_on = listed_day


@guarded
def parse(path: Path) -> ListSnapshot:
    """Read the EU FSF CSV (v1.1, semicolon-separated)."""
    data = read_bytes(path)
    rows = table(decode(data, path.name), path.name, required=REQUIRED, delimiter=";")
    entities: dict[str, _Entity] = {}
    generated: set[str] = set()
    for row in rows:
        logical_id = row.get("Entity_LogicalId")
        if not logical_id:
            raise ImportFailedError(
                "no Entity_LogicalId", location=row.location(path.name, "Entity_LogicalId")
            )
        subject = (
            row.get("Entity_SubjectType").lower() or row.get("Entity_SubjectType_ClassificationCode").lower()
        )
        if subject not in _SUBJECTS:
            raise ImportFailedError(
                f"unknown subject type {subject!r} (person or enterprise)",
                location=row.location(path.name, "Entity_SubjectType"),
            )
        entity = entities.setdefault(logical_id, _Entity(logical_id, subject, row.location(path.name)))
        if _SUBJECTS[subject] is not _SUBJECTS[entity.subject]:
            raise ImportFailedError(
                f"entity {logical_id} is a {entity.subject} on {entity.location} and a {subject} here",
                location=row.location(path.name, "Entity_SubjectType"),
            )
        if stamp := row.get("fileGenerationDate"):
            generated.add(stamp[:10])
        _read(row, entity, path.name)
    if not entities:
        raise ImportFailedError("the list has no entities", location=path.name)
    if len(generated) > 1:
        raise ImportFailedError(
            f"rows of different files mixed: fileGenerationDate {', '.join(sorted(generated))}",
            location=path.name,
        )
    published = parse_day(next(iter(generated)), location=path.name) if generated else None
    listed = []
    for entity in entities.values():
        if not entity.names:
            raise ImportFailedError(
                f"entity {entity.logical_id} has no strong name", location=entity.location
            )
        listed.append(
            ListedEntity(
                source="eu-fsf",
                entity_id=entity.logical_id,
                schema=_SUBJECTS[entity.subject],
                names=dedupe(entity.names),
                birth_dates=dedupe(entity.birth_dates),
                countries=dedupe(entity.countries),
                identifiers=tuple(dict.fromkeys(entity.identifiers)),
                programs=dedupe(entity.programs),
                listed_on=entity.listed_on,
            )
        )
    return ListSnapshot(
        source="eu-fsf",
        version=published.isoformat() if published else content_version(data),
        entities=tuple(listed),
        published=published,
    )
