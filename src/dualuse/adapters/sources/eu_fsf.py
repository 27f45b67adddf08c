"""The EU Financial Sanctions Files (FSF) XML, v1.1: the consolidated list of persons, groups and
entities subject to EU financial sanctions.

``<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate globalFileId>`` holds one
``sanctionEntity`` (logicalId, euReferenceNumber, designationDate) per entity with its regulation
(programme), subjectType (person or enterprise), nameAlias (wholeName or first/middle/last name),
citizenship, birthdate, address and identification, each with ISO 3166 alpha-2 country codes.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

from dualuse.adapters.sources.sanctions_formats import (
    children,
    dedupe,
    guarded,
    local,
    parse_day,
    read_xml_root,
)
from dualuse.domain.errors import ImportFailedError
from dualuse.domain.screening.model import EntitySchema, Identifier, ListedEntity, ListSnapshot
from dualuse.domain.screening.normalise import normalise_country, normalise_date

_SUBJECTS = {"person": EntitySchema.PERSON, "enterprise": EntitySchema.ORGANIZATION}
_MAX_YEAR_RANGE = 10


def _attr(element: Element, name: str) -> str | None:
    value = element.get(name)
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def _names(entity: Element) -> list[str]:
    names: list[str] = []
    for alias in children(entity, "nameAlias"):
        if _attr(alias, "strong") == "false":
            continue  # a weak alias ("Abu Ali") is too broad to identify anyone
        whole = _attr(alias, "wholeName") or " ".join(
            p for key in ("firstName", "middleName", "lastName") if (p := _attr(alias, key))
        )
        if whole:
            names.append(whole)
    return names


def _year_range(start: str | None, end: str | None) -> list[str]:
    if not (start and end and start.isdigit() and end.isdigit()):
        return []
    if not 0 <= int(end) - int(start) <= _MAX_YEAR_RANGE:
        return []
    return [str(y) for y in range(int(start), int(end) + 1)]


def _birth_dates(entity: Element) -> list[str]:
    found: list[str] = []
    for item in children(entity, "birthdate"):
        if day := normalise_date(_attr(item, "birthdate")):
            found.append(day)
        elif (year := _attr(item, "year")) and normalise_date(year):
            found.append(year)
        else:
            found.extend(_year_range(_attr(item, "yearRangeFrom"), _attr(item, "yearRangeTo")))
    return found


def _countries(entity: Element) -> list[str]:
    codes = [
        normalise_country(_attr(item, "countryIso2Code"))
        for tag in ("citizenship", "address")
        for item in children(entity, tag)
        if _attr(item, "countryIso2Code") not in (None, "00")
    ]
    return [c for c in codes if c]


def _identifiers(entity: Element) -> list[Identifier]:
    return [
        Identifier(
            kind=_attr(item, "identificationTypeDescription")
            or _attr(item, "identificationTypeCode")
            or "document",
            number=number,
            country=normalise_country(_attr(item, "countryIso2Code")),
        )
        for item in children(entity, "identification")
        if (number := _attr(item, "latinNumber") or _attr(item, "number"))
    ]


def _entity(entity: Element, number: int, file_name: str) -> ListedEntity:
    location = f"{file_name}: sanctionEntity #{number}"
    logical_id = _attr(entity, "logicalId")
    if not logical_id or not logical_id.isdigit():
        raise ImportFailedError(f"missing or invalid logicalId {logical_id!r}", location=location)
    location = f"{location} (logicalId {logical_id})"
    subject = next(children(entity, "subjectType"), None)
    code = (_attr(subject, "code") or "") if subject is not None else ""
    if code not in _SUBJECTS:
        raise ImportFailedError(f"unknown subjectType {code!r}", location=location)
    names = _names(entity)
    if not names:
        raise ImportFailedError("entity without a nameAlias", location=location)
    programmes = [p for r in children(entity, "regulation") if (p := _attr(r, "programme"))]
    return ListedEntity(
        source="eu-fsf",
        entity_id=logical_id,
        schema=_SUBJECTS[code],
        names=dedupe(names),
        birth_dates=dedupe(_birth_dates(entity)),
        countries=dedupe(_countries(entity)),
        identifiers=tuple(dict.fromkeys(_identifiers(entity))),
        programs=dedupe(programmes),
        listed_on=parse_day(_attr(entity, "designationDate"), location=location),
    )


@guarded
def parse(path: Path) -> ListSnapshot:
    """Read an EU Financial Sanctions Files XML export (schema v1.1)."""
    root = read_xml_root(path)
    if local(root.tag) != "export":
        raise ImportFailedError(f"root element is <{local(root.tag)}>, not <export>", location=path.name)
    generated = _attr(root, "generationDate")
    records = list(children(root, "sanctionEntity"))
    if not records:
        raise ImportFailedError("the file has no sanctionEntity", location=path.name)
    return ListSnapshot(
        source="eu-fsf",
        version=generated or "undated",
        entities=tuple(_entity(r, n, path.name) for n, r in enumerate(records, start=1)),
        published=parse_day(generated, location=f"{path.name}: generationDate") if generated else None,
    )
