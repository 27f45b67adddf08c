"""OFAC's SDN list as CSV: ``sdn.csv`` with ``add.csv`` (addresses) and ``alt.csv`` (aliases) beside it.

The files have no header row, CRLF line ends, ``-0-`` for an empty value and a 0x1A byte at the end.
Whether a file is whole is judged by its structure, not by that byte (copies re-saved without it, or
without a final line end, are read): a row cut short has too few columns or an open quote; an alias or address naming an entity that ``sdn.csv`` lacks shows an
``sdn.csv`` cut on a line boundary. A lone ``sdn.csv`` cut on a line boundary cannot be told from a whole
one: the snapshot then carries a warning that no end marker was found.
Dates of birth, nationalities and document numbers appear only as free text in the remarks
(``DOB 22 Feb 1962; alt. DOB 1963; nationality Russia; alt. citizen Egypt; Passport 1084010 (Egypt)``);
they are read from there, the alternative ones too. A vessel's ``Vessel Registration Identification IMO
9187629`` is its IMO number (an identifier, not a country; a country in brackets is the issuer). The
consolidated (non-SDN) list in the same layout (``cons_prim.csv``, ``cons_add.csv``, ``cons_alt.csv``)
is read the same way.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dualuse.adapters.sources.csv_lists import decode
from dualuse.adapters.sources.sanctions_formats import (
    Day,
    content_version,
    dedupe,
    guarded,
    period_dates,
    read_bytes,
    whole_day,
)
from dualuse.domain.errors import ImportFailedError
from dualuse.domain.screening.model import EntitySchema, Identifier, ListedEntity, ListSnapshot
from dualuse.domain.screening.normalise import normalise_country

_EMPTY = "-0-"
_SDN_COLUMNS = 12
_ADD_COLUMNS = 6
_ALT_COLUMNS = 5
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
_TYPES = {
    "individual": EntitySchema.PERSON,
    "vessel": EntitySchema.VESSEL,
    "aircraft": EntitySchema.AIRCRAFT,
    "": EntitySchema.ORGANIZATION,
}
_DOB = re.compile(
    r"^(?:alt\. )?DOB (?:circa |c\. )?(?:(\d{1,2}) )?(?:([A-Za-z]{3}) )?(\d{4})"
    r"(?: to (?:(\d{1,2}) )?(?:([A-Za-z]{3}) )?(\d{4}))?"
)
_AKA = re.compile(r"\b[afn]\.k\.a\.,? '([^']+)'")
_COUNTRY = re.compile(r"^(?:alt\. )?(?:nationality|citizen|Nationality of Registration)\s+(.+)$")
_DOCUMENT = re.compile(
    r"^(?:alt\. )?(Passport|National ID No\.|Cedula No\.|Registration Number|Tax ID No\.|"
    r"Identification Number|NIT #|RFC|D\.N\.I\.|SSN|Vessel Registration Identification IMO|IMO|"
    r"Vessel Registration Identification|"
    r"Company Number|Business Registration Number|Registration ID|Unified Social Credit Code \(USCC\)|"
    r"C\.U\.R\.P\.|Driver's License No\.|Personal ID Card|Legal Entity Number|Aircraft Manufacturer's Serial "
    r"Number \(MSN\)|MMSI)\s+([A-Za-z0-9][\w./ -]*?)\s*(?:\(([^)]*)\))?\.?$"
)
#: the kind an identifier is kept as, where the remarks' label says more than the kind
_KINDS = {"Vessel Registration Identification IMO": "IMO"}
_VERSION_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass(slots=True)
class _Record:
    entity_id: str
    schema: EntitySchema
    names: list[str]
    programs: list[str]
    birth_dates: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)


def _value(raw: str) -> str:
    value = raw.strip()
    return "" if value == _EMPTY else value


def _rows(data: bytes, name: str, columns: int) -> list[tuple[int, list[str]]]:
    """The rows of one OFAC CSV file with their line numbers; a row of the wrong width fails the file."""
    reader = csv.reader(io.StringIO(decode(data, name), newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for row in reader:
            if row and any(cell.strip() for cell in row):
                if len(row) != columns:
                    raise ImportFailedError(
                        f"expected {columns} columns, found {len(row)}", location=f"{name}:line {line}"
                    )
                rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as error:
        raise ImportFailedError(f"malformed CSV ({error})", location=f"{name}:line {line}") from error
    return rows


def _entity_number(raw: str, location: str) -> str:
    value = raw.strip()
    if not value.isdigit():
        raise ImportFailedError(f"entity number {value!r} is not a number", location=location)
    return value


def _referenced(raw: str, numbers: set[str], dangling: dict[str, str], location: str) -> str:
    """The entity number an alias or address row names; one the main file lacks is noted in ``dangling``."""
    entity_id = _entity_number(raw, location)
    if entity_id not in numbers:
        dangling.setdefault(entity_id, location)
    return entity_id


def _read_remarks(record: _Record, remarks: str) -> None:
    record.names.extend(m.group(1).strip() for m in _AKA.finditer(remarks))
    for part in remarks.rstrip(".").split(";"):
        part = part.strip()
        if dob := _DOB.match(part):
            record.birth_dates.extend(_birth_dates(*dob.groups()))
        elif country := _COUNTRY.match(part):
            if code := normalise_country(country.group(1)):
                record.countries.append(code)
        elif document := _DOCUMENT.match(part):
            kind, number, issuer = document.groups()
            record.identifiers.append(
                Identifier(
                    kind=_KINDS.get(kind, kind.rstrip(".")),
                    number=number.strip(),
                    country=normalise_country(issuer),
                )
            )


def _birth_dates(*groups: str | None) -> list[str]:
    """``DOB 22 Feb 1962``, ``DOB Feb 1962``, ``DOB 1962``, ``DOB 1960 to 1962``, ``DOB 01 Jan 1961 to 31 Dec
    1962`` as partial ISO dates: a date, a month, or each year of a period (see `period_dates`)."""
    day, month, year, until_day, until_month, until_year = groups
    first = _day_of(year, month, day, last=False)
    if until_year:
        return period_dates(first, _day_of(until_year, until_month, until_day, last=True))
    return period_dates(first, _day_of(year, month, day, last=True))


def _day_of(year: str | None, month: str | None, day: str | None, *, last: bool) -> Day:
    number = _MONTHS.get((month or "").lower())
    # a day without a month it belongs to says nothing
    return whole_day(int(year or 0), number, int(day) if day and number else None, last=last)


def _siblings(path: Path) -> tuple[Path, Path | None, Path | None]:
    if path.is_dir():
        files = {p.name.lower(): p for p in path.iterdir()}
        for main, add, alt in (
            ("sdn.csv", "add.csv", "alt.csv"),
            ("cons_prim.csv", "cons_add.csv", "cons_alt.csv"),
        ):
            if main in files:
                return files[main], files.get(add), files.get(alt)
        raise ImportFailedError("no sdn.csv or cons_prim.csv in the folder", location=str(path))
    lowered = path.name.lower()
    prefix = "cons_" if lowered.startswith("cons_") else ""
    if lowered in ("sdn.csv", "cons_prim.csv"):
        add_path, alt_path = path.with_name(f"{prefix}add.csv"), path.with_name(f"{prefix}alt.csv")
        return path, add_path if add_path.is_file() else None, alt_path if alt_path.is_file() else None
    return path, None, None


@guarded
def parse(path: Path) -> ListSnapshot:
    """Read the OFAC CSV trio (a folder, or ``sdn.csv`` with ``add.csv``/``alt.csv`` beside it)."""
    main, add_path, alt_path = _siblings(path)
    data = read_bytes(main)
    records: dict[str, _Record] = {}
    warnings: list[str] = []
    for line, row in _rows(data, main.name, _SDN_COLUMNS):
        location = f"{main.name}:line {line}"
        entity_id = _entity_number(row[0], location)
        if entity_id in records:
            # OFAC has published files with one number on two different entries; keep both apart
            occurrence = 2
            while f"{entity_id}~{occurrence}" in records:
                occurrence += 1
            warnings.append(
                f"{location}: entity number {entity_id} used again; kept as {entity_id}~{occurrence}"
            )
            entity_id = f"{entity_id}~{occurrence}"
        name = _value(row[1])
        if not name:
            raise ImportFailedError(f"entity {entity_id} has no name", location=location)
        kind = _value(row[2]).lower()
        if kind not in _TYPES:
            raise ImportFailedError(f"unknown SDN type {kind!r}", location=location)
        programs = [p.strip(" []") for p in _value(row[3]).split("] [") if p.strip(" []")]
        record = _Record(entity_id, _TYPES[kind], [name], programs)
        if flag := normalise_country(_value(row[9])):
            record.countries.append(flag)
        _read_remarks(record, _value(row[11]))
        records[entity_id] = record
    if not records:
        raise ImportFailedError("the list has no entries", location=main.name)
    numbers = {r.entity_id.split("~", 1)[0] for r in records.values()}
    dangling: dict[str, str] = {}
    if alt_path is not None:
        for line, row in _rows(read_bytes(alt_path), alt_path.name, _ALT_COLUMNS):
            entity_id = _referenced(row[0], numbers, dangling, f"{alt_path.name}:line {line}")
            if (alias := _value(row[3])) and entity_id in records:
                records[entity_id].names.append(alias)
    if add_path is not None:
        for line, row in _rows(read_bytes(add_path), add_path.name, _ADD_COLUMNS):
            entity_id = _referenced(row[0], numbers, dangling, f"{add_path.name}:line {line}")
            if (code := normalise_country(_value(row[4]))) and entity_id in records:
                records[entity_id].countries.append(code)
    whole = data.endswith(b"\x1a")
    if len(dangling) > 1 and not whole:
        # OFAC publishes the three files from one list: aliases and addresses of several entities the
        # main file lacks show a main file cut short (a single stray one has been seen in a published set)
        raise ImportFailedError(
            f"{len(dangling)} entities named in the alias/address files are not in {main.name} "
            f"(first: {next(iter(dangling))} at {next(iter(dangling.values()))}): {main.name} is cut short "
            "or from another list version",
            location=main.name,
        )
    warnings.extend(
        f"{where}: entity {number} is not in {main.name}; its row is ignored"
        for number, where in dangling.items()
    )
    if not whole:
        warnings.append(
            f"{main.name}: no end-of-file marker (0x1A); the rows are whole"
            + (
                " and every alias and address names a listed entity"
                if (alt_path or add_path) and not dangling
                else ""
            )
            + ", but a file cut at a line end cannot be told from a whole one"
        )
    source = "ofac-cons" if main.name.lower().startswith("cons_") else "ofac-sdn"
    found = _VERSION_DATE.search(main.name)
    return ListSnapshot(
        source=source,
        version=found.group(1) if found else content_version(data),
        published=_date_of(found.group(1)) if found else None,
        entities=tuple(
            ListedEntity(
                source=source,
                entity_id=r.entity_id,
                schema=r.schema,
                names=dedupe(r.names),
                birth_dates=dedupe(r.birth_dates),
                countries=dedupe(r.countries),
                identifiers=tuple(dict.fromkeys(r.identifiers)),
                programs=dedupe(r.programs),
            )
            for r in records.values()
        ),
        warnings=tuple(warnings),
    )


def _date_of(text: str) -> date | None:
    """The publication date a file name carries (``sdn_2024-05-03.csv``), if it is a real date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
