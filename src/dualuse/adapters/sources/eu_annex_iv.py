"""Annex IV to Council Regulation (EU) No 833/2014: the natural or legal persons, entities and bodies (in Russia
and, since 2023, in third countries) to which dual-use goods and Annex VII items may only be supplied under the
narrow derogations of Art. 2b, and for which no authorisation under Arts 2(4)-(5) and 2a(4)-(5) is granted.

Read from the Official Journal annexes as OpenSanctions tabulates them (``datasets/eu/journal_sanctions/data/
consolidated/32014R0833.csv``: ``celex, recordId, programKey, annex, measure, startDate, reason, schema, name,
alias, …, registrationNumber, taxNumber, …, address, …``): every row of annex ``IV`` is a listing; rows of the
regulation's other annexes (III, XIV, XLII …) are not this list. ``recordId`` numbers the entries of an annex
1, 2, 3 …: a gap or repeat means rows were lost or doubled, and fails the file.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from dualuse.adapters.sources.csv_lists import decode, split, table
from dualuse.adapters.sources.sanctions_formats import content_version, dedupe, guarded, parse_day, read_bytes
from dualuse.domain.errors import ImportFailedError
from dualuse.domain.screening.model import EntitySchema, Identifier, ListedEntity, ListSnapshot
from dualuse.domain.screening.normalise import normalise_country

SOURCE = "eu-833-annex-iv"
CELEX = "32014R0833"
REQUIRED = ("celex", "recordId", "annex", "startDate", "schema", "name", "alias", "address")
_NUMBER = re.compile(r"^\s*([\w./-]+)\s*(?:\(([^)]*)\))?")
_SCHEMATA = {"LegalEntity": EntitySchema.ORGANIZATION, "Company": EntitySchema.ORGANIZATION,
             "Organization": EntitySchema.ORGANIZATION, "Person": EntitySchema.PERSON}  # fmt: skip
_DOCUMENTS = (("registrationNumber", "Registration"), ("taxNumber", "Tax ID"), ("innCode", "INN"),
              ("ogrnCode", "OGRN"), ("kppCode", "KPP"))  # fmt: skip


@guarded
def parse(path: Path) -> ListSnapshot:
    """Read the Annex IV entries of Reg. (EU) No 833/2014 from the OJ annex table."""
    data = read_bytes(path)
    entities: list[ListedEntity] = []
    latest: date | None = None
    for row in table(decode(data, path.name), path.name, required=REQUIRED):
        if row.get("celex") != CELEX:
            raise ImportFailedError(
                f"celex {row.get('celex')!r}: this file is not the annex table of Reg. (EU) No 833/2014",
                location=row.location(path.name, "celex"),
            )
        if row.get("annex") != "IV":
            continue
        expected = str(len(entities) + 1)
        if row.get("recordId") != expected:
            raise ImportFailedError(
                f"Annex IV entry {row.get('recordId')!r} where entry {expected} was due: rows lost or doubled",
                location=row.location(path.name, "recordId"),
            )
        schema = _SCHEMATA.get(row.get("schema"))
        if schema is None:
            raise ImportFailedError(
                f"schema {row.get('schema')!r}", location=row.location(path.name, "schema")
            )
        names = [row.get("name"), *split(row.get("alias"), ";")]
        if not names[0]:
            raise ImportFailedError("an entry without a name", location=row.location(path.name, "name"))
        countries = [normalise_country(a.rsplit(",", 1)[-1]) for a in split(row.get("address"), ";")]
        listed = parse_day(row.get("startDate"), location=row.location(path.name, "startDate"))
        if listed is not None and (latest is None or listed > latest):
            latest = listed
        entities.append(
            ListedEntity(
                source=SOURCE,
                entity_id=expected,
                schema=schema,
                names=dedupe(names),
                countries=dedupe([c for c in countries if c]),
                identifiers=tuple(
                    dict.fromkeys(
                        Identifier(found.group(2) or kind, found.group(1))
                        for column, kind in _DOCUMENTS
                        for value in split(row.get(column), ";")
                        if (found := _NUMBER.match(value))
                    )
                ),
                programs=("EU-RUS Annex IV",),
                listed_on=listed,
            )
        )
    if not entities:
        raise ImportFailedError("the file has no Annex IV entries", location=path.name)
    return ListSnapshot(
        source=SOURCE,
        version=latest.isoformat() if latest else content_version(data),
        entities=tuple(entities),
        published=latest,
    )
