"""OFAC's advanced XML (``sdn_advanced.xml``, ``cons_advanced.xml``; schema ``sdn_advanced.xsd``).

``<Sanctions>`` holds ``DateOfIssue``; ``ReferenceValueSets`` (what each numeric id means: party types, alias
types, feature types, countries, document types, sanctions types); ``Locations``; ``IDRegDocuments``
(documents per identity); ``DistinctParties`` (``DistinctParty FixedRef`` → ``Profile PartySubTypeID`` →
``Identity`` → ``Alias`` → ``DocumentedName`` → ``NamePartValue``, and ``Feature``s such as the birth date or
a location); ``SanctionsEntries`` (per profile: the entry event's date and the measures, one of which names
the programme). Ids are looked up in the file's own reference values, never assumed.

A file cut short is not well-formed XML (its root is not closed) and is refused with the line and column;
a sanctions entry naming a profile the file does not hold fails the file too.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element

from dualuse.adapters.sources.sanctions_formats import (
    child,
    children,
    dedupe,
    descendants,
    guarded,
    local,
    period_dates,
    read_xml_root,
    text,
    whole_day,
)
from dualuse.domain.errors import ImportFailedError
from dualuse.domain.screening.model import EntitySchema, Identifier, ListedEntity, ListSnapshot
from dualuse.domain.screening.normalise import normalise_country

_PARTY_TYPES = {
    "individual": EntitySchema.PERSON,
    "entity": EntitySchema.ORGANIZATION,
}
_SUBTYPES = {"vessel": EntitySchema.VESSEL, "aircraft": EntitySchema.AIRCRAFT}


def _values(root: Element, set_name: str, item: str) -> dict[str, Element]:
    """One reference value set as id → element (e.g. ``FeatureTypeValues``/``FeatureType``)."""
    sets = child(root, "ReferenceValueSets")
    found = child(sets, set_name) if sets is not None else None
    return {e.get("ID", ""): e for e in children(found, item)} if found is not None else {}


def _label(values: dict[str, Element], key: str | None) -> str:
    element = values.get(key or "")
    return (text(element) or "").lower() if element is not None else ""


def _day(element: Element | None) -> str | None:
    """``<Year>1985</Year><Month>1</Month><Day>7</Day>`` as a partial ISO date."""
    if element is None:
        return None
    year, month, day = text(element, "Year"), text(element, "Month"), text(element, "Day")
    if not (year and year.isdigit()):
        return None
    if month and month.isdigit():
        if day and day.isdigit():
            return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        return f"{int(year):04d}-{int(month):02d}"
    return f"{int(year):04d}"


def _ymd(element: Element | None) -> tuple[int, int | None, int | None] | None:
    """``<Year>``, ``<Month>``, ``<Day>`` as numbers (month and day None when absent); None without a year."""
    if element is None:
        return None
    year, month, day = (text(element, part) for part in ("Year", "Month", "Day"))
    if not (year and year.isdigit()):
        return None
    return (
        int(year),
        int(month) if month and month.isdigit() else None,
        int(day) if day and day.isdigit() else None,
    )


def _period(period: Element) -> list[str]:
    """A ``DatePeriod`` as the partial dates it means: ``Start`` holds the earliest day the period can begin
    (``From``), ``End`` the latest it can end (``To``). OFAC writes "DOB 1962" as 1962-01-01 to 1962-12-31,
    "DOB May 1962" as 1962-05-01 to 1962-05-31, "DOB 1960 to 1962" as 1960-01-01 to 1962-12-31 and an exact
    date as one day; an ``Approximate`` ("circa") period is read the same, as the CSV's "DOB circa 1962" is."""
    start, end = child(period, "Start"), child(period, "End")
    bounds = [
        found
        for element, name in ((start, "From"), (start, "To"), (end, "From"), (end, "To"))
        if (found := _ymd(child(element, name) if element is not None else None)) is not None
    ]
    if not bounds:
        return []
    first, last = bounds[0], bounds[-1]
    return period_dates(whole_day(*first, last=False), whole_day(*last, last=True))


class _Reader:
    def __init__(self, root: Element, name: str) -> None:
        self.name = name
        self.party_types = _values(root, "PartyTypeValues", "PartyType")
        self.subtypes = _values(root, "PartySubTypeValues", "PartySubType")
        self.feature_types = _values(root, "FeatureTypeValues", "FeatureType")
        self.document_types = _values(root, "IDRegDocTypeValues", "IDRegDocType")
        self.sanction_types = _values(root, "SanctionsTypeValues", "SanctionsType")
        self.countries = {
            key: (e.get("ISO2") or "").lower() for key, e in _values(root, "CountryValues", "Country").items()
        }
        locations = child(root, "Locations")
        self.location_countries: dict[str, str] = {}
        for location in children(locations, "Location") if locations is not None else ():
            for country in children(location, "LocationCountry"):
                if code := self.countries.get(country.get("CountryID", "")):
                    self.location_countries[location.get("ID", "")] = code
        documents = child(root, "IDRegDocuments")
        self.documents: dict[str, list[Identifier]] = {}
        for document in children(documents, "IDRegDocument") if documents is not None else ():
            number = text(document, "IDRegistrationNo")
            if number:
                self.documents.setdefault(document.get("IdentityID", ""), []).append(
                    Identifier(
                        kind=text(self.document_types.get(document.get("IDRegDocTypeID", ""))) or "document",
                        number=number,
                        country=self.countries.get(document.get("IssuedBy-CountryID", "")) or None,
                    )
                )

    def schema(self, profile: Element, location: str) -> EntitySchema:
        subtype = self.subtypes.get(profile.get("PartySubTypeID", ""))
        if subtype is None:
            raise ImportFailedError(
                f"PartySubTypeID {profile.get('PartySubTypeID')!r} is not in the file's PartySubTypeValues",
                location=location,
            )
        if (kind := (text(subtype) or "").lower()) in _SUBTYPES:
            return _SUBTYPES[kind]
        return _PARTY_TYPES.get(_label(self.party_types, subtype.get("PartyTypeID")), EntitySchema.UNKNOWN)

    def party(self, party: Element, source: str, programs: list[str], listed_on: date | None) -> ListedEntity:
        fixed_ref = party.get("FixedRef", "")
        location = f"{self.name}: DistinctParty {fixed_ref}"
        if not fixed_ref:
            raise ImportFailedError("a DistinctParty without FixedRef", location=self.name)
        profile = child(party, "Profile")
        if profile is None:
            raise ImportFailedError("no Profile", location=location)
        primary: list[str] = []
        names: list[str] = []
        identifiers: list[Identifier] = []
        for identity in children(profile, "Identity"):
            identifiers.extend(self.documents.get(identity.get("ID", ""), []))
            for alias in children(identity, "Alias"):
                if alias.get("LowQuality") == "true":
                    continue  # OFAC's weak a.k.a.: too broad to identify anyone
                for documented in children(alias, "DocumentedName"):
                    name = " ".join(p for e in descendants(documented, "NamePartValue") if (p := text(e)))
                    if name:
                        (primary if alias.get("Primary") == "true" else names).append(name)
        if not primary and not names:
            raise ImportFailedError("a party without a name", location=location)
        birth_dates: list[str] = []
        countries: list[str] = []
        for feature in children(profile, "Feature"):
            kind = _label(self.feature_types, feature.get("FeatureTypeID"))
            for version in children(feature, "FeatureVersion"):
                if kind == "birthdate" and (period := child(version, "DatePeriod")) is not None:
                    birth_dates.extend(_period(period))
                for place in children(version, "VersionLocation"):
                    if code := self.location_countries.get(place.get("LocationID", "")):
                        countries.append(code)
                if "imo" in kind and (number := text(version, "VersionDetail")):
                    identifiers.append(Identifier("IMO", number))
        return ListedEntity(
            source=source,
            entity_id=fixed_ref,
            schema=self.schema(profile, location),
            names=dedupe(primary + names),
            birth_dates=dedupe(birth_dates),
            countries=dedupe([c for c in countries if normalise_country(c)]),
            identifiers=tuple(dict.fromkeys(identifiers)),
            programs=dedupe(programs),
            listed_on=listed_on,
        )

    def entries(self, root: Element, profiles: set[str]) -> dict[str, tuple[list[str], date | None]]:
        """Per profile: its programmes and the date it was first listed."""
        found: dict[str, tuple[list[str], date | None]] = {}
        entries = child(root, "SanctionsEntries")
        for entry in children(entries, "SanctionsEntry") if entries is not None else ():
            profile = entry.get("ProfileID", "")
            if profile not in profiles:
                raise ImportFailedError(
                    f"SanctionsEntry {entry.get('ID')} names profile {profile!r}, which the file does not hold",
                    location=self.name,
                )
            programs = [
                comment
                for measure in children(entry, "SanctionsMeasure")
                if _label(self.sanction_types, measure.get("SanctionsTypeID")) == "program"
                and (comment := text(measure, "Comment"))
            ]
            listed: date | None = None
            for event in children(entry, "EntryEvent"):
                stamp = _day(child(event, "Date"))
                if stamp and len(stamp) == 10:
                    day = date.fromisoformat(stamp)
                    listed = day if listed is None or day < listed else listed
            previous, earlier = found.get(profile, ([], None))
            first = min((d for d in (earlier, listed) if d is not None), default=None)
            found[profile] = (previous + programs, first)
        return found


@guarded
def parse(path: Path) -> ListSnapshot:
    """Read OFAC's advanced XML (the SDN list, or the consolidated non-SDN list when named ``cons…``)."""
    root = read_xml_root(path)
    if local(root.tag) != "Sanctions":
        raise ImportFailedError(f"root element is <{local(root.tag)}>, not <Sanctions>", location=path.name)
    reader = _Reader(root, path.name)
    parties_element = child(root, "DistinctParties")
    parties = list(children(parties_element, "DistinctParty")) if parties_element is not None else []
    if not parties:
        raise ImportFailedError("the file has no DistinctParty", location=path.name)
    profile_of = {
        (profile.get("ID", "") if (profile := child(p, "Profile")) is not None else ""): p.get("FixedRef", "")
        for p in parties
    }
    entries = reader.entries(root, set(profile_of))
    source = "ofac-cons" if path.name.lower().startswith("cons") else "ofac-sdn"
    entities: dict[str, ListedEntity] = {}
    for party in parties:
        profile = child(party, "Profile")
        programs, listed_on = entries.get(profile.get("ID", "") if profile is not None else "", ([], None))
        entity = reader.party(party, source, programs, listed_on)
        if entity.entity_id in entities:
            raise ImportFailedError(f"DistinctParty {entity.entity_id} appears twice", location=path.name)
        entities[entity.entity_id] = entity
    issued = _day(child(root, "DateOfIssue"))
    published = date.fromisoformat(issued) if issued and len(issued) == 10 else None
    return ListSnapshot(
        source=source,
        version=published.isoformat() if published else "undated",
        entities=tuple(entities.values()),
        published=published,
    )
