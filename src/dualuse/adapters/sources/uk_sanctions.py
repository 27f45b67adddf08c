"""The UK Sanctions List XML (FCDO), the single official UK source since 28 January 2026.

``<Designations>`` holds one ``Designation`` per entity: UniqueID, UNReferenceNumber, RegimeName,
IndividualEntityShip (Individual, Entity or Ship), DateDesignated (dd/mm/yyyy), Names/Name (Name1…Name6,
NameType), NonLatinNames, Addresses/Address (AddressCountry), IndividualDetails/Individual (DOBs — with
``dd``/``mm`` for unknown parts — and Nationalities) and ShipDetails/Ship (IMONumbers, flags).
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

from dualuse.adapters.sources.sanctions_formats import (
    child,
    children,
    dedupe,
    descendants,
    guarded,
    local,
    parse_day,
    read_xml_root,
    text,
)
from dualuse.domain.errors import ImportFailedError
from dualuse.domain.screening.model import EntitySchema, Identifier, ListedEntity, ListSnapshot
from dualuse.domain.screening.normalise import normalise_country, normalise_date

_KINDS = {"individual": EntitySchema.PERSON, "entity": EntitySchema.ORGANIZATION, "ship": EntitySchema.VESSEL}
_DOB = re.compile(r"^(dd|\d{2})/(mm|\d{2})/(\d{4})$")
_NAME_PARTS = ("Name1", "Name2", "Name3", "Name4", "Name5", "Name6")


def _names(designation: Element) -> list[str]:
    names: list[str] = []
    for wrapper in children(designation, "Names"):
        for name in children(wrapper, "Name"):
            if full := " ".join(p for tag in _NAME_PARTS if (p := text(name, tag))):
                names.append(full)
    names += [t for e in descendants(designation, "NameNonLatinScript") if (t := text(e))]
    return names


def _birth_dates(designation: Element) -> list[str]:
    found: list[str] = []
    for item in descendants(designation, "DOB"):
        match = _DOB.match(text(item) or "")
        if not match:
            continue
        day, month, year = match.groups()
        stamp = year if month == "mm" else f"{year}-{month}" if day == "dd" else f"{year}-{month}-{day}"
        if normalised := normalise_date(stamp):
            found.append(normalised)
    return found


def _entity(designation: Element, number: int, file_name: str) -> ListedEntity:
    location = f"{file_name}: Designation #{number}"
    unique_id = text(designation, "UniqueID")
    if not unique_id:
        raise ImportFailedError("designation without UniqueID", location=location)
    location = f"{location} (UniqueID {unique_id})"
    kind = (text(designation, "IndividualEntityShip") or "").lower()
    if kind not in _KINDS:
        raise ImportFailedError(f"unknown IndividualEntityShip {kind!r}", location=location)
    names = _names(designation)
    if not names:
        raise ImportFailedError("designation without a name", location=location)
    countries = [
        normalise_country(text(e))
        for tag in ("AddressCountry", "Nationality", "CurrentBelievedFlagOfShip")
        for e in descendants(designation, tag)
    ]
    identifiers = [Identifier("IMO", t) for e in descendants(designation, "IMONumber") if (t := text(e))]
    return ListedEntity(
        source="uk-fcdo",
        entity_id=unique_id,
        schema=_KINDS[kind],
        names=dedupe(names),
        birth_dates=dedupe(_birth_dates(designation)),
        countries=dedupe([c for c in countries if c]),
        identifiers=tuple(dict.fromkeys(identifiers)),
        programs=dedupe(
            [p for p in (text(designation, "RegimeName"), text(designation, "UNReferenceNumber")) if p]
        ),
        listed_on=parse_day(text(designation, "DateDesignated"), location=location),
    )


@guarded
def parse(path: Path) -> ListSnapshot:
    """Read the UK Sanctions List XML."""
    root = read_xml_root(path)
    if local(root.tag) != "Designations":
        raise ImportFailedError(
            f"root element is <{local(root.tag)}>, not <Designations>", location=path.name
        )
    generated = text(child(root, "DateGenerated"))
    records = list(children(root, "Designation"))
    if not records:
        raise ImportFailedError("the list has no Designation", location=path.name)
    published = parse_day(generated, location=f"{path.name}: DateGenerated") if generated else None
    return ListSnapshot(
        source="uk-fcdo",
        version=published.isoformat() if published else "undated",
        entities=tuple(_entity(r, n, path.name) for n, r in enumerate(records, start=1)),
        published=published,
    )
