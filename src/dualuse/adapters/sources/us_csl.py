"""The US Consolidated Screening List (CSL, International Trade Administration, trade.gov): the export-control
lists of Commerce (Entity List, Denied Persons, Unverified, Military End-User), State (ITAR debarred,
nonproliferation) and Treasury (SDN and the other OFAC lists) in one file.

Two forms of the same records are read:
- CSV (``consolidated.csv``): a header row, then one row per listing with columns ``_id, source,
  entity_number, type, programs, name, … addresses, … alt_names, citizenships, dates_of_birth,
  nationalities, places_of_birth, …, ids``; several values in one cell are separated by ``; ``; an address
  ends with its ISO country code; ``ids`` holds ``type, number[, country]`` items.
- JSON (``consolidated.json``, and the API's answer): ``{"total": n, "results": [{…}]}`` with the same
  fields as lists and objects. A ``total`` that differs from the records present means a cut file.

Each listing keeps the list it comes from as its first programme (``EL``, ``DPL``, ``UVL``, ``MEU``, ``SDN``…),
so a hit says which US list it is on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dualuse.adapters.sources.csv_lists import decode, split, table
from dualuse.adapters.sources.sanctions_formats import content_version, dedupe, guarded, read_bytes
from dualuse.domain.errors import ImportFailedError
from dualuse.domain.screening.model import EntitySchema, Identifier, ListedEntity, ListSnapshot
from dualuse.domain.screening.normalise import normalise_country, normalise_date

SOURCE = "us-csl"
COLUMNS = (
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "addresses",
    "start_date",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "ids",
)
_TYPES = {
    "individual": EntitySchema.PERSON,
    "entity": EntitySchema.ORGANIZATION,
    "vessel": EntitySchema.VESSEL,
    "aircraft": EntitySchema.AIRCRAFT,
    "": EntitySchema.UNKNOWN,
}
_LIST_CODE = re.compile(r"\(([A-Z][A-Z0-9-]*)\)")
_COUNTRY_AT_END = re.compile(r",\s*([A-Z]{2})\s*$")
# id items that are facts about a listing, not a document or registration number
_NOT_DOCUMENTS = re.compile(
    r"gender|secondary sanctions|transactions prohibited|website|e-?mail|phone|executive order|"
    r"directive|organization (type|established)|additional sanctions|nationality of registration|"
    r"digital currency|listing date|target type|effective date|designation",
    re.IGNORECASE,
)
# the State Department's "…; and any successor, sub-unit, or subsidiary thereof" is about scope, not a name;
# the Entity List joins its last alias with "; and"
_SCOPE = re.compile(r";?\s*and any successor\b.*$", re.IGNORECASE)
_LEADING_AND = re.compile(r"^and\s+", re.IGNORECASE)
_VERSION_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass(slots=True)
class _Listing:
    entity_id: str
    kind: str
    list_name: str
    programs: list[str]
    names: list[str]
    addresses: list[str] = field(default_factory=list)
    address_countries: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    ids: list[tuple[str, str, str]] = field(default_factory=list)
    start_date: str = ""


def _entity(listing: _Listing, location: str) -> ListedEntity:
    kind = listing.kind.strip().lower()
    if kind not in _TYPES:
        raise ImportFailedError(f"unknown type {listing.kind!r}", location=location)
    names = [clean for n in listing.names if (clean := _name(n))]
    if not names:
        raise ImportFailedError(f"listing {listing.entity_id} has no name", location=location)
    code = _LIST_CODE.search(listing.list_name)
    at_end = [found.group(1) for a in listing.addresses if (found := _COUNTRY_AT_END.search(a))]
    countries = [normalise_country(c) for c in (*listing.countries, *listing.address_countries, *at_end)]
    identifiers = [
        Identifier(kind=kind_, number=number, country=normalise_country(country) if country else None)
        for kind_, number, country in listing.ids
        if kind_ and number and not _NOT_DOCUMENTS.search(kind_)
    ]
    try:
        listed_on = date.fromisoformat(listing.start_date) if listing.start_date else None
    except ValueError:
        listed_on = None  # the CSL carries some dates the ITA could not normalise; they are not needed
    return ListedEntity(
        source=SOURCE,
        entity_id=listing.entity_id,
        schema=_TYPES[kind],
        names=dedupe(names),
        birth_dates=dedupe([d for v in listing.birth_dates if (d := normalise_date(v))]),
        countries=dedupe([c for c in countries if c]),
        identifiers=tuple(dict.fromkeys(identifiers)),
        programs=dedupe([code.group(1) if code else listing.list_name, *listing.programs]),
        listed_on=listed_on,
    )


def _name(raw: str) -> str:
    return _LEADING_AND.sub("", _SCOPE.sub("", raw.strip())).strip()


def _id_items(cell: str) -> list[tuple[str, str, str]]:
    """``Passport, 836238033, KP; Gender, Male`` → (type, number, country) items."""
    items = []
    for part in split(cell, ";"):
        pieces = [p.strip() for p in part.split(",")]
        if len(pieces) >= 2:
            country = pieces[2] if len(pieces) >= 3 and len(pieces[2]) == 2 else ""
            items.append((pieces[0], pieces[1], country))
    return items


def _from_csv(data: bytes, name: str) -> list[tuple[str, _Listing]]:
    listings = []
    for row in table(decode(data, name), name, required=COLUMNS):
        listings.append(
            (
                row.location(name),
                _Listing(
                    entity_id=row.get("_id"),
                    kind=row.get("type"),
                    list_name=row.get("source"),
                    programs=split(row.get("programs"), ";"),
                    names=[row.get("name"), *split(row.get("alt_names"), ";")],
                    addresses=split(row.get("addresses"), ";"),
                    countries=split(row.get("citizenships"), ";") + split(row.get("nationalities"), ";"),
                    birth_dates=split(row.get("dates_of_birth"), ";"),
                    ids=_id_items(row.get("ids")),
                    start_date=row.get("start_date"),
                ),
            )
        )
    return listings


def _strings(record: dict[str, Any], key: str, location: str) -> list[str]:
    value = record.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return split(value, ";")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ImportFailedError(f"field {key!r} is not a list of strings", location=location)
    return [v.strip() for v in value if v.strip()]


def _objects(record: dict[str, Any], key: str, location: str) -> Iterable[dict[str, Any]]:
    value = record.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ImportFailedError(f"field {key!r} is not a list of objects", location=location)
    return value


def _text(record: dict[str, Any], key: str, location: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise ImportFailedError(f"field {key!r} is not text", location=location)
    return str(value).strip()


def _from_json(data: bytes, name: str) -> list[tuple[str, _Listing]]:
    try:
        document = json.loads(decode(data, name))
    except json.JSONDecodeError as error:
        raise ImportFailedError(
            f"invalid JSON ({error.msg}; a file cut short ends like this)",
            location=f"{name}:line {error.lineno}:{error.colno}",
        ) from error
    results = document.get("results") if isinstance(document, dict) else None
    if not isinstance(results, list):
        raise ImportFailedError("not a CSL JSON file: no 'results' list", location=name)
    total = document.get("total")
    if isinstance(total, int) and total != len(results):
        raise ImportFailedError(
            f"'total' says {total} records, the file has {len(results)}: cut short or incomplete",
            location=name,
        )
    listings = []
    for number, record in enumerate(results, start=1):
        location = f"{name}:results[{number - 1}]"
        if not isinstance(record, dict):
            raise ImportFailedError("a record is not an object", location=location)
        addresses = list(_objects(record, "addresses", location))
        ids = [
            (_text(i, "type", location), _text(i, "number", location), _text(i, "country", location))
            for i in _objects(record, "ids", location)
        ]
        listings.append(
            (
                location,
                _Listing(
                    entity_id=_text(record, "id", location) or _text(record, "_id", location),
                    kind=_text(record, "type", location),
                    list_name=_text(record, "source", location),
                    programs=_strings(record, "programs", location),
                    names=[_text(record, "name", location), *_strings(record, "alt_names", location)],
                    address_countries=[_text(a, "country", location) for a in addresses],
                    countries=_strings(record, "citizenships", location)
                    + _strings(record, "nationalities", location),
                    birth_dates=_strings(record, "dates_of_birth", location),
                    ids=ids,
                    start_date=_text(record, "start_date", location),
                ),
            )
        )
    return listings


@guarded
def parse(path: Path) -> ListSnapshot:
    """Read the US Consolidated Screening List, CSV or JSON (told apart by the first character)."""
    data = read_bytes(path)
    is_json = data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
    listings = _from_json(data, path.name) if is_json else _from_csv(data, path.name)
    entities: dict[str, ListedEntity] = {}
    for location, listing in listings:
        if not listing.entity_id:
            raise ImportFailedError("a listing without an id (_id)", location=location)
        if listing.entity_id in entities:
            raise ImportFailedError(f"id {listing.entity_id} appears twice", location=location)
        entities[listing.entity_id] = _entity(listing, location)
    if not entities:
        raise ImportFailedError("the list has no entries", location=path.name)
    found = _VERSION_DATE.search(path.name)
    published = None
    if found:
        try:
            published = date.fromisoformat(found.group(1))
        except ValueError:
            published = None
    return ListSnapshot(
        source=SOURCE,
        version=published.isoformat() if published else content_version(data),
        entities=tuple(entities.values()),
        published=published,
    )
