"""The UK's consolidated sanctions list as CSV, in both forms it has been published in:

- the UK Sanctions List (FCDO; the single official source since 28 January 2026): a first line
  ``Report Date: 13-Feb-2026``, then a header ``Last Updated, Unique ID, OFSI Group ID, UN Reference Number,
  Name 6, Name 1 … Name 5, Name type, …, Regime Name, Designation Type, …, Date Designated, D.O.B,
  Nationality(/ies), …``; one row per name (and address) of a designation, grouped by ``Unique ID``;
- OFSI's consolidated list (``ConList.csv``, until 2026): a first line ``Last Updated,dd/mm/yyyy``, then a
  header ``Name 6, Name 1 … Name 5, Title, …, DOB, …, Nationality, …, Country, Other Information, Group Type,
  Alias Type, …, Regime, Listed On, …, Group ID``; one row per name, grouped by ``Group ID``.

``Name 6`` is the surname (or an entity's whole name), ``Name 1``-``Name 5`` the given names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from dualuse.adapters.sources.csv_lists import Row, decode, split, table
from dualuse.adapters.sources.sanctions_formats import dedupe, guarded, parse_day, read_bytes
from dualuse.domain.errors import ImportFailedError
from dualuse.domain.screening.model import EntitySchema, Identifier, ListedEntity, ListSnapshot
from dualuse.domain.screening.normalise import normalise_country, normalise_date

_KINDS = {
    "individual": EntitySchema.PERSON,
    "entity": EntitySchema.ORGANIZATION,
    "ship": EntitySchema.VESSEL,
}
_REPORT_DATE = re.compile(r"^\s*Report Date:\s*(\d{1,2}-[A-Za-z]{3}-\d{4})", re.IGNORECASE)
_LAST_UPDATED = re.compile(r"^\s*Last Updated,\s*(\d{1,2}/\d{1,2}/\d{4})\s*,*\s*$", re.IGNORECASE)
_NAME_PARTS = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6")


@dataclass(slots=True)
class _Designation:
    key: str
    kind: str
    location: str
    names: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    listed_on: date | None = None


def _whole_name(row: Row) -> str:
    return " ".join(p for column in _NAME_PARTS if (p := row.get(column)))


def _birth_date(value: str) -> str | None:
    """``dd/mm/yyyy`` with ``00`` for what is not known (``00/00/1958``), or ISO."""
    parts = value.split("/")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        day, month, year = parts
        if month == "00":
            return normalise_date(year)
        return normalise_date(f"{year}-{month}" if day == "00" else f"{year}-{month}-{day}")
    return normalise_date(value)


class _Layout:
    """The column names of one of the two forms."""

    def __init__(self, fcdo: bool) -> None:
        self.fcdo = fcdo
        self.key = "Unique ID" if fcdo else "Group ID"
        self.kind = "Designation Type" if fcdo else "Group Type"
        self.regime = "Regime Name" if fcdo else "Regime"
        self.listed = "Date Designated" if fcdo else "Listed On"
        self.birth = "D.O.B" if fcdo else "DOB"
        self.nationality = "Nationality(/ies)" if fcdo else "Nationality"
        self.country = "Address Country" if fcdo else "Country"
        self.non_latin = "Name non-latin script" if fcdo else "Name Non-Latin Script"
        self.documents = (
            ("Passport", "Passport number" if fcdo else "Passport Number"),
            ("National ID", "National Identifier number" if fcdo else "National Identification Number"),
            ("IMO", "IMO number"),
            ("Registration", "Business registration number (s)"),
        )

    @property
    def required(self) -> tuple[str, ...]:
        return (self.key, self.kind, "Name 6", "Name 1", self.regime)


def _collect(rows: list[Row], layout: _Layout, name: str) -> dict[str, _Designation]:
    found: dict[str, _Designation] = {}
    for row in rows:
        key = row.get(layout.key)
        if not key:
            raise ImportFailedError(f"no {layout.key}", location=row.location(name, layout.key))
        kind = row.get(layout.kind).lower()
        designation = found.setdefault(key, _Designation(key, kind, row.location(name)))
        if kind and kind != designation.kind:
            if designation.kind:
                raise ImportFailedError(
                    f"{layout.key} {key} is a {designation.kind} on {designation.location} and a {kind} here",
                    location=row.location(name, layout.kind),
                )
            designation.kind = kind
        if whole := _whole_name(row):
            designation.names.append(whole)
        if non_latin := row.get(layout.non_latin):
            designation.names.append(non_latin)
        for value in split(row.get(layout.birth), "|"):
            if day := _birth_date(value):
                designation.birth_dates.append(day)
        for value in [*split(row.get(layout.nationality), "|"), row.get(layout.country)]:
            for part in re.split(r"\(\d+\)", value):
                if code := normalise_country(part.strip(" ,;")):
                    designation.countries.append(code)
        for label, column in layout.documents:
            for number in split(row.get(column), "|"):
                designation.identifiers.append(Identifier(label, number))
        if regime := row.get(layout.regime):
            designation.programs.append(regime)
        if listed := row.get(layout.listed):
            listed_day = parse_day(listed, location=row.location(name, layout.listed))
            if listed_day is not None and (
                designation.listed_on is None or listed_day < designation.listed_on
            ):
                designation.listed_on = listed_day
    return found


def _entity(designation: _Designation, source: str) -> ListedEntity:
    if designation.kind not in _KINDS:
        raise ImportFailedError(
            f"unknown designation type {designation.kind!r}", location=designation.location
        )
    if not designation.names:
        raise ImportFailedError(f"designation {designation.key} has no name", location=designation.location)
    return ListedEntity(
        source=source,
        entity_id=designation.key,
        schema=_KINDS[designation.kind],
        names=dedupe(designation.names),
        birth_dates=dedupe(designation.birth_dates),
        countries=dedupe(designation.countries),
        identifiers=tuple(dict.fromkeys(designation.identifiers)),
        programs=dedupe(designation.programs),
        listed_on=designation.listed_on,
    )


@guarded
def parse(path: Path) -> ListSnapshot:
    """Read the UK Sanctions List CSV (FCDO) or OFSI's ConList.csv, told apart by their first line."""
    text = decode(read_bytes(path), path.name)
    first, _, rest = text.partition("\n")
    if report := _REPORT_DATE.match(first):
        layout, stamp = _Layout(fcdo=True), datetime.strptime(report.group(1), "%d-%b-%Y")  # noqa: DTZ007 - a calendar date
        source = "uk-fcdo"
    elif updated := _LAST_UPDATED.match(first):
        layout, stamp = _Layout(fcdo=False), datetime.strptime(updated.group(1), "%d/%m/%Y")  # noqa: DTZ007 - a calendar date
        source = "uk-ofsi"
    else:
        raise ImportFailedError(
            "not a UK sanctions CSV: the first line is neither 'Report Date: …' (UK Sanctions List) "
            "nor 'Last Updated,dd/mm/yyyy' (OFSI ConList)",
            location=f"{path.name}:line 1",
        )
    rows = table(rest, path.name, required=layout.required, first_line=2)
    designations = _collect(rows, layout, path.name)
    if not designations:
        raise ImportFailedError("the list has no designations", location=path.name)
    published = stamp.date()
    return ListSnapshot(
        source=source,
        version=published.isoformat(),
        entities=tuple(_entity(d, source) for d in designations.values()),
        published=published,
    )
