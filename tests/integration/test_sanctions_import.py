"""Importing the real published list files in ../shared/data/sanctions (marker ``realdata``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dualuse.adapters.sources.sanctions_formats import parse
from dualuse.domain.screening import (
    EntitySchema,
    ListSnapshot,
    ScreeningEngine,
    ScreeningQuery,
    diff_snapshots,
)

SHARED_DATA = Path(
    os.environ.get("DUALUSE_SHARED_DATA") or Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
)
LISTS = SHARED_DATA / "sanctions"

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module", autouse=True)
def _shared_data() -> None:
    if not LISTS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"real list files not found at {LISTS}: CI must run these tests")
        pytest.skip(
            f"real list files not found at {LISTS} (set DUALUSE_SHARED_DATA to the shared data folder)"
        )


@pytest.fixture(scope="module")
def sdn_0503() -> ListSnapshot:
    return parse("ofac-sdn-csv", LISTS / "ofac_sdn_csv_2024" / "sdn_2024-05-03.csv")


@pytest.fixture(scope="module")
def un_2018() -> ListSnapshot:
    return parse("un-xml", LISTS / "un_2018" / "consolidated.xml")


def test_sdn_delta_between_two_weeks(sdn_0503: ListSnapshot) -> None:
    sdn_0426 = parse("ofac-sdn-csv", LISTS / "ofac_sdn_csv_2024" / "sdn_2024-04-26.csv")
    assert (sdn_0426.version, sdn_0503.version) == ("2024-04-26", "2024-05-03")
    assert len(sdn_0503) == 14965
    delta = diff_snapshots(sdn_0426, sdn_0503)
    assert len(delta.added) == 305
    assert len(delta.removed) == 8
    assert len(sdn_0503) - len(sdn_0426) == 305 - 8


def test_sdn_entities_and_facts_from_remarks(sdn_0503: ListSnapshot) -> None:
    terlikov = sdn_0503.by_id()["48884"]
    assert terlikov.primary_name == "TERLIKOV, Andrey Leonidovich"
    assert terlikov.schema == EntitySchema.PERSON
    assert terlikov.birth_dates == ("1962-02-22",)
    assert terlikov.countries == ("ru",)
    assert sdn_0503.by_id()["306"].names == ("BANCO NACIONAL DE CUBA", "BNC")


def test_sdn_csv_trio_2022() -> None:
    snapshot = parse("ofac-sdn-csv", LISTS / "ofac_sdn_csv_2022")
    assert len(snapshot) == 9044
    cuba = snapshot.by_id()["306"]
    assert "NATIONAL BANK OF CUBA" in cuba.names  # from alt.csv
    assert "ch" in cuba.countries  # from add.csv: Zurich
    # the publisher used entity number 2677 twice; both entries are kept and the import says so
    assert snapshot.warnings


def test_ofac_consolidated_xml_and_csv_agree() -> None:
    xml = parse("ofac-xml", LISTS / "ofac_consolidated_2018" / "consolidated.xml")
    csv = parse("ofac-sdn-csv", LISTS / "ofac_consolidated_2018")
    assert len(xml) == len(csv) == 639
    assert xml.source == csv.source == "ofac-cons"
    assert str(xml.published) == "2018-04-06"
    assert set(xml.by_id()) == set(csv.by_id())
    markazi = xml.by_id()["4632"]
    assert "CENTRAL BANK OF IRAN" in markazi.names
    assert markazi.countries == ("ir",)


def test_un_consolidated(un_2018: ListSnapshot) -> None:
    assert len(un_2018) == 1093
    assert sum(e.schema == EntitySchema.PERSON for e in un_2018.entities) == 703
    assert sum(e.schema == EntitySchema.ORGANIZATION for e in un_2018.entities) == 390
    ri = un_2018.by_id()["6908555"]
    assert ri.primary_name == "RI WON HO"
    assert ri.birth_dates == ("1964-07-17",)
    assert ri.countries == ("kp",)
    assert ri.identifiers[0].number == "381310014"
    assert str(ri.listed_on) == "2016-11-30"


def test_screening_the_real_lists(sdn_0503: ListSnapshot, un_2018: ListSnapshot) -> None:
    engine = ScreeningEngine([sdn_0503, un_2018])
    matches = engine.screen(ScreeningQuery("Ри Вон Хо", birth_date="1964-07-17", country="North Korea"))
    # listed by the UN and by OFAC
    assert {m.entity.key for m in matches} >= {("un-sc", "6908555"), ("ofac-sdn", "19609")}
    assert matches[0].score >= 0.95
    assert engine.screen(ScreeningQuery("Kathryn Barr", schema=EntitySchema.PERSON)) == []


def test_sdn_remarks_keep_imo_numbers_and_alternative_facts(sdn_0503: ListSnapshot) -> None:
    entities = sdn_0503.by_id()
    with_imo = [e for e in sdn_0503.entities if any(i.kind == "IMO" for i in e.identifiers)]
    assert len(with_imo) == 852  # "Vessel Registration Identification IMO …": none was kept before
    assert ("IMO", "9187629") in [(i.kind, i.number) for i in entities["15036"].identifiers]  # ARTAVIL
    assert entities["6365"].birth_dates == ("1957-07-30", "1958")  # "DOB 30 Jul 1957; alt. DOB 1958"
    assert entities["12540"].countries == ("lb", "co")  # "nationality Lebanon; alt. nationality Colombia"
    assert entities["15962"].birth_dates == ("1961", "1962")  # "DOB 01 Jan 1961 to 31 Dec 1962"
    engine = ScreeningEngine([sdn_0503])
    query = ScreeningQuery("Alpha Star", schema=EntitySchema.VESSEL, identifiers=("IMO 9187629",))
    assert engine.screen(query, threshold=0.5)[0].entity.entity_id == "15036"


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # German transliteration of Russian names: ч as "tsch", в as "w", й as "j"
        ("Boris Romanowitsch ROTENBERG", "ROTENBERG, Boris Romanovich"),
        ("Wiktor Feliksowitsch WEKSELBERG", "VEKSELBERG, Viktor Feliksovich"),
        ("Sergej Pawlowitsch OBUKHOW", "OBUKHOV, Sergey Pavlovich"),
    ],
)
def test_names_spelt_as_german_writes_russian_are_found_at_the_default_threshold(
    sdn_0503: ListSnapshot, query: str, listed: str
) -> None:
    engine = ScreeningEngine([sdn_0503])
    found = engine.screen(ScreeningQuery(query, schema=EntitySchema.PERSON))
    assert listed in [m.entity.primary_name for m in found], [(m.entity.primary_name, m.score) for m in found]
