"""OFAC lists in the ``sdnList`` XML schema (``sdn.xml``, and the consolidated non-SDN ``consolidated.xml``).

``<sdnList xmlns="http://tempuri.org/sdnList.xsd">`` holds ``publshInformation`` (sic) and one
``sdnEntry`` per entity: uid, firstName, lastName, sdnType, programList, idList, akaList (category
strong or weak), addressList, nationalityList, citizenshipList and dateOfBirthList.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from xml.etree.ElementTree import Element

from dualuse.adapters.sources.sanctions_formats import (
    child,
    children,
    dedupe,
    descendants,
    guarded,
    local,
    read_xml_root,
    text,
)
from dualuse.domain.errors import ImportFailedError
from dualuse.domain.screening.model import EntitySchema, Identifier, ListedEntity, ListSnapshot
from dualuse.domain.screening.normalise import normalise_country

_TYPES = {
    "individual": EntitySchema.PERSON,
    "entity": EntitySchema.ORGANIZATION,
    "vessel": EntitySchema.VESSEL,
    "aircraft": EntitySchema.AIRCRAFT,
}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
_DOB = re.compile(
    r"^(?:circa )?(?:(\d{1,2}) )?(?:([A-Za-z]{3}) )?(\d{4})(?: to (?:\d{1,2} )?(?:[A-Za-z]{3} )?(\d{4}))?"
)
# idList also carries notes such as "Additional Sanctions Information -" that are no identifiers
_NOT_IDENTIFIERS = (
    "additional sanctions",
    "for more information",
    "secondary sanctions",
    "website",
    "email",
    "linked to",
    "gender",
    "organization established",
    "organization type",
    "target type",
)


def _full_name(element: Element) -> str:
    return " ".join(p for p in (text(element, "firstName"), text(element, "lastName")) if p)


def _birth_dates(entry: Element) -> list[str]:
    found: list[str] = []
    for item in descendants(entry, "dateOfBirth"):
        match = _DOB.match(item.text.strip()) if item.text else None
        if not match:
            continue
        day, month, year, until = match.groups()
        if until and int(until) - int(year) <= 10:
            found.extend(str(y) for y in range(int(year), int(until) + 1))
        elif month and month.lower() in _MONTHS:
            stamp = f"{year}-{_MONTHS[month.lower()]:02d}"
            found.append(f"{stamp}-{int(day):02d}" if day else stamp)
        else:
            found.append(year)
    return found


def _entity(entry: Element, number: int, source: str, file_name: str) -> ListedEntity:
    location = f"{file_name}: sdnEntry #{number}"
    uid = text(entry, "uid")
    if not uid:
        raise ImportFailedError("entry without uid", location=location)
    location = f"{location} (uid {uid})"
    name = _full_name(entry)
    if not name:
        raise ImportFailedError("entry without a name", location=location)
    kind = (text(entry, "sdnType") or "").lower()
    if kind not in _TYPES:
        raise ImportFailedError(f"unknown sdnType {kind!r}", location=location)
    aliases = [_full_name(aka) for aka in descendants(entry, "aka")]
    countries = [
        normalise_country(text(e))
        for e in entry.iter()
        if local(e.tag) in ("country", "nationality", "citizenship") and e.text
    ]
    countries += [
        normalise_country(text(e, "country"))
        for e in entry.iter()
        if local(e.tag) in ("nationality", "citizenship") and len(e)
    ]
    identifiers = [
        Identifier(kind=id_type, number=id_number, country=normalise_country(text(item, "idCountry")))
        for item in descendants(entry, "id")
        if (id_type := text(item, "idType") or "")
        and (id_number := text(item, "idNumber"))
        and not id_type.lower().startswith(_NOT_IDENTIFIERS)
    ]
    program_list = child(entry, "programList")
    programs = [text(p) or "" for p in children(program_list, "program")] if program_list is not None else []
    return ListedEntity(
        source=source,
        entity_id=uid,
        schema=_TYPES[kind],
        names=dedupe([name, *aliases]),
        birth_dates=dedupe(_birth_dates(entry)),
        countries=dedupe([c for c in countries if c]),
        identifiers=tuple(dict.fromkeys(identifiers)),
        programs=dedupe(programs),
    )


@guarded
def parse(path: Path) -> ListSnapshot:
    """Read an OFAC ``sdnList`` XML file (SDN or consolidated non-SDN list)."""
    root = read_xml_root(path)
    if local(root.tag) != "sdnList":
        raise ImportFailedError(f"root element is <{local(root.tag)}>, not <sdnList>", location=path.name)
    source = "ofac-cons" if "cons" in path.name.lower() else "ofac-sdn"
    info = child(root, "publshInformation")
    published = None
    if (stamp := text(info, "Publish_Date") if info is not None else None) is not None:
        try:
            published = datetime.strptime(stamp, "%m/%d/%Y").date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError as error:
            raise ImportFailedError(f"invalid Publish_Date {stamp!r}", location=path.name) from error
    entities = tuple(
        _entity(entry, number, source, path.name)
        for number, entry in enumerate(children(root, "sdnEntry"), start=1)
    )
    if not entities:
        raise ImportFailedError("the list has no sdnEntry", location=path.name)
    expected = text(info, "Record_Count") if info is not None else None
    if expected is not None and expected.isdigit() and int(expected) != len(entities):
        raise ImportFailedError(
            f"Record_Count says {expected} entries, the file has {len(entities)}", location=path.name
        )
    return ListSnapshot(
        source=source,
        version=published.isoformat() if published else "undated",
        entities=entities,
        published=published,
    )
