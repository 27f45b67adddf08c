"""The UN Security Council consolidated list XML (``consolidated.xml``).

``<CONSOLIDATED_LIST dateGenerated>`` holds INDIVIDUALS/INDIVIDUAL and ENTITIES/ENTITY, each with
DATAID, FIRST_NAME…FOURTH_NAME (an entity's name is its FIRST_NAME), UN_LIST_TYPE, REFERENCE_NUMBER,
LISTED_ON, NAME_ORIGINAL_SCRIPT, NATIONALITY/VALUE, aliases (QUALITY Good or Low), addresses, dates of
birth (EXACT, APPROXIMATELY or BETWEEN) and documents. Aliases of low quality are not matched on, as
the Security Council itself marks them as too broad to identify anyone.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from xml.etree.ElementTree import Element

from dualuse.adapters.sources.sanctions_formats import (
    child,
    children,
    dedupe,
    guarded,
    local,
    parse_day,
    read_xml_root,
    text,
)
from dualuse.domain.errors import ImportFailedError
from dualuse.domain.screening.model import EntitySchema, Identifier, ListedEntity, ListSnapshot
from dualuse.domain.screening.normalise import normalise_country, normalise_date

_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_MAX_YEAR_RANGE = 10


def _aliases(record: Element, tag: str) -> list[str]:
    names: list[str] = []
    for alias in children(record, tag):
        if (text(alias, "QUALITY") or "").lower() == "low":
            continue
        if name := text(alias, "ALIAS_NAME"):
            names.extend(alias_names(name))
    return names


_REMARKS = re.compile(r"\(\s*original script\s*\)|\s+-\s+sub-unit name\b", re.IGNORECASE)


def alias_names(raw: str) -> list[str]:
    """The names one ALIAS_NAME holds. The UN writes several in one where it has them together: apart with
    semicolons ("Fazel Rahim; Fazil Rahim"), and after a name in another script in brackets ("جبهة النصرة (the
    Victory Front; Jabhat al-Nusrah)", "عبدالله السندي (Abdullah Sindhi)"). A bracket of one name in the same
    script is a remark on the name and stays with it ("Hay’at Tahrir al-Sham (HTS)", "(Sheikh) Musa Hilal")."""
    cleaned = _REMARKS.sub("", " ".join(raw.split()))
    kept = cleaned
    inside: list[str] = []
    for group in _bracketed(cleaned):
        written, outside = _scripts(group), _scripts(cleaned.replace(f"({group})", " "))
        if ";" in group or (written and outside and written.isdisjoint(outside)):
            kept = kept.replace(f"({group})", " ")
            for part in _split_names(group):
                inside.extend(alias_names(part))
    names = [name for part in _split_names(kept) if (name := " ".join(part.split()))]
    return list(dict.fromkeys([*names, *inside]))


def _bracketed(value: str) -> list[str]:
    """What the outermost brackets of a text hold, each (a bracket left open holds nothing)."""
    groups: list[str] = []
    depth = start = 0
    for position, char in enumerate(value):
        if char == "(":
            if depth == 0:
                start = position + 1
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                groups.append(value[start:position])
    return groups


def _split_names(value: str) -> list[str]:
    """A text cut at its semicolons outside brackets."""
    parts: list[str] = []
    depth = start = 0
    for position, char in enumerate(value):
        depth += (char == "(") - (char == ")" and depth > 0)
        if char == ";" and depth == 0:
            parts.append(value[start:position])
            start = position + 1
    parts.append(value[start:])
    return parts


def _scripts(value: str) -> set[str]:
    """The scripts a text's letters are written in (LATIN, ARABIC, CYRILLIC...)."""
    return {unicodedata.name(char, "?").split()[0] for char in value if char.isalpha()}


def _birth_dates(record: Element, location: str) -> list[str]:
    found: list[str] = []
    for item in children(record, "INDIVIDUAL_DATE_OF_BIRTH"):
        if exact := text(item, "DATE"):
            day = normalise_date(exact)
            if day is None:
                raise ImportFailedError(f"invalid date of birth {exact!r}", location=location)
            found.append(day)
        elif year := text(item, "YEAR"):
            found.append(year)
        elif (start := text(item, "FROM_YEAR")) and (end := text(item, "TO_YEAR")):
            if not (start.isdigit() and end.isdigit()):
                raise ImportFailedError(f"invalid year range {start}-{end}", location=location)
            if 0 <= int(end) - int(start) <= _MAX_YEAR_RANGE:
                found.extend(str(y) for y in range(int(start), int(end) + 1))
    return [d for d in found if normalise_date(d)]


def _countries(record: Element) -> list[str]:
    values = [text(v) for n in children(record, "NATIONALITY") for v in children(n, "VALUE")]
    for tag in ("INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS"):
        values += [text(a, "COUNTRY") for a in children(record, tag)]
    return [c for v in values if (c := normalise_country(v))]


def _documents(record: Element) -> list[Identifier]:
    documents: list[Identifier] = []
    for item in children(record, "INDIVIDUAL_DOCUMENT"):
        if number := text(item, "NUMBER"):
            documents.append(
                Identifier(
                    kind=text(item, "TYPE_OF_DOCUMENT") or "document",
                    number=number,
                    country=normalise_country(text(item, "ISSUING_COUNTRY")),
                )
            )
    return documents


def _entity(record: Element, number: int, file_name: str) -> ListedEntity:
    kind = local(record.tag)
    location = f"{file_name}: {kind} #{number}"
    data_id = text(record, "DATAID")
    if not data_id or not data_id.isdigit():
        raise ImportFailedError(f"missing or invalid DATAID {data_id!r}", location=location)
    location = f"{location} (DATAID {data_id})"
    name = " ".join(p for part in _NAME_PARTS if (p := text(record, part)))
    if not name:
        raise ImportFailedError("entry without a name", location=location)
    is_person = kind == "INDIVIDUAL"
    names = [name]
    if original := text(record, "NAME_ORIGINAL_SCRIPT"):
        names.append(original)
    names += _aliases(record, "INDIVIDUAL_ALIAS" if is_person else "ENTITY_ALIAS")
    list_type = child(record, "UN_LIST_TYPE")
    reference = text(record, "REFERENCE_NUMBER")
    return ListedEntity(
        source="un-sc",
        entity_id=data_id,
        schema=EntitySchema.PERSON if is_person else EntitySchema.ORGANIZATION,
        names=dedupe(names),
        birth_dates=dedupe(_birth_dates(record, location)) if is_person else (),
        countries=dedupe(_countries(record)),
        identifiers=tuple(dict.fromkeys(_documents(record))),
        programs=dedupe([p for p in (text(list_type), reference) if p]),
        listed_on=parse_day(text(record, "LISTED_ON"), location=location),
    )


@guarded
def parse(path: Path) -> ListSnapshot:
    """Read the UN Security Council consolidated list."""
    root = read_xml_root(path)
    if local(root.tag) != "CONSOLIDATED_LIST":
        raise ImportFailedError(
            f"root element is <{local(root.tag)}>, not <CONSOLIDATED_LIST>", location=path.name
        )
    generated = root.get("dateGenerated")
    published = parse_day(generated, location=f"{path.name}: dateGenerated") if generated else None
    records: list[Element] = []
    for group, tag in (("INDIVIDUALS", "INDIVIDUAL"), ("ENTITIES", "ENTITY")):
        for container in children(root, group):
            records.extend(children(container, tag))
    if not records:
        raise ImportFailedError("the list has no INDIVIDUAL or ENTITY", location=path.name)
    entities = tuple(_entity(r, n, path.name) for n, r in enumerate(records, start=1))
    return ListSnapshot(
        source="un-sc",
        version=generated or "undated",
        entities=entities,
        published=published,
    )
