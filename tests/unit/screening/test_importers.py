"""Importers on small files: fixtures in each format, and malformed files that must fail whole."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dualuse.adapters.sources.sanctions_formats import FORMATS, parse, parser_for
from dualuse.domain.errors import ImportFailedError
from dualuse.domain.screening import EntitySchema, ScreeningEngine, ScreeningQuery

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sanctions"
SHARED_DATA = Path(
    os.environ.get("DUALUSE_SHARED_DATA") or Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
)
EU_XSD = SHARED_DATA / "sanctions" / "eu_schema" / "schema_1_1.xsd"

SDN = (
    "36,AEROCARIBBEAN AIRLINES,-0- ,CUBA,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
    '2676,"AL-ZAWAHIRI, Dr. Ayman","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    "\"DOB 19 Jun 1951; POB Giza, Egypt; Passport 1084010 (Egypt); nationality Egypt; a.k.a. 'ABU MUHAMMAD'.\"\r\n"
    '9999,"OCEAN STAR","vessel","IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,"Panama",-0- ,"IMO 9123456."\r\n\x1a'
)
ALT = '2676,12,"aka","AL-ZAWAHIRI, Aiman Muhammad Rabi",-0- \r\n\x1a'
ADD = '36,25,-0- ,"Havana","Cuba",-0- \r\n\x1a'


def _trio(folder: Path, sdn: str = SDN) -> Path:
    (folder / "sdn.csv").write_bytes(sdn.encode("cp1252"))
    (folder / "alt.csv").write_text(ALT, encoding="cp1252", newline="")
    (folder / "add.csv").write_text(ADD, encoding="cp1252", newline="")
    return folder


def test_registry_names_every_format() -> None:
    assert set(FORMATS) == {
        "eu-fsf",
        "eu-fsf-csv",
        "ofac-sdn-csv",
        "ofac-xml",
        "ofac-advanced-xml",
        "un-xml",
        "uk-xml",
        "uk-csv",
        "us-csl",
        "eu-833-annex-iv",
        "opensanctions-csv",
        "ftm",
    }
    with pytest.raises(ImportFailedError):
        parser_for("csv")


def test_ofac_csv_trio_with_its_quirks(tmp_path: Path) -> None:
    snapshot = parse("ofac-sdn-csv", _trio(tmp_path))
    entities = snapshot.by_id()
    assert len(snapshot) == 3
    zawahiri = entities["2676"]
    assert zawahiri.schema == EntitySchema.PERSON
    assert zawahiri.names == ("AL-ZAWAHIRI, Dr. Ayman", "ABU MUHAMMAD", "AL-ZAWAHIRI, Aiman Muhammad Rabi")
    assert zawahiri.birth_dates == ("1951-06-19",)
    assert zawahiri.countries == ("eg",)
    assert [(i.kind, i.number, i.country) for i in zawahiri.identifiers] == [("Passport", "1084010", "eg")]
    assert entities["36"].schema == EntitySchema.ORGANIZATION
    assert entities["36"].countries == ("cu",)
    assert entities["9999"].schema == EntitySchema.VESSEL
    assert entities["9999"].identifiers[0].number == "9123456"
    # the folder, or sdn.csv with its siblings, read the same
    assert parse("ofac-sdn-csv", tmp_path / "sdn.csv") == snapshot


@pytest.mark.parametrize(
    ("broken", "where"),
    [
        (SDN.replace("2676,", "27x6,"), "sdn.csv:line 2"),  # entity number not a number
        (SDN.replace(',"SDGT",', ","), "sdn.csv:line 2"),  # a column missing
        (SDN.replace('"vessel"', '"spaceship"'), "sdn.csv:line 3"),  # unknown type
        (SDN.replace('"OCEAN STAR"', '"OCEAN STAR'), "sdn.csv:line"),  # unterminated quote
        (SDN[: SDN.index("9999,") + 20], "sdn.csv:line 3"),  # cut inside a record
    ],
)
def test_ofac_csv_errors_name_the_line(tmp_path: Path, broken: str, where: str) -> None:
    with pytest.raises(ImportFailedError) as failure:
        parse("ofac-sdn-csv", _trio(tmp_path, broken))
    assert failure.value.location is not None
    assert failure.value.location.startswith(where)


def test_eu_fixture_validates_against_the_published_schema() -> None:
    xmlschema = pytest.importorskip("xmlschema")
    if not EU_XSD.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"EU XSD not found at {EU_XSD}; CI must have ../shared/data")
        pytest.skip(f"EU XSD not found at {EU_XSD} (set DUALUSE_SHARED_DATA)")
    xmlschema.XMLSchema(str(EU_XSD)).validate(str(FIXTURES / "eu_fsf_v1_1.xml"))


def test_eu_fsf() -> None:
    snapshot = parse("eu-fsf", FIXTURES / "eu_fsf_v1_1.xml")
    saddam, plant = snapshot.entities
    assert (saddam.entity_id, saddam.schema, saddam.birth_dates, saddam.countries) == (
        "13",
        EntitySchema.PERSON,
        ("1937-04-28",),
        ("iq",),
    )
    assert "Abu Ali" not in saddam.names  # a weak alias
    assert "Саддам Хусейн" in saddam.names
    assert plant.schema == EntitySchema.ORGANIZATION
    assert plant.identifiers[0].number == "1027700000000"
    assert str(snapshot.published) == "2024-05-03"


def test_uk_sanctions_list() -> None:
    snapshot = parse("uk-xml", FIXTURES / "uk_sanctions_list.xml")
    akhund, rosneft, ship = snapshot.entities
    assert akhund.names[0] == "MOHAMMAD HASSAN AKHUND"
    assert akhund.birth_dates == ("1950", "1955-08-27")  # dd/mm/1950: year only
    assert rosneft.schema == EntitySchema.ORGANIZATION
    assert "ПАО НК Роснефть" in rosneft.names
    assert (ship.schema, ship.identifiers[0].number, ship.countries) == (
        EntitySchema.VESSEL,
        "9270555",
        ("cm",),
    )


def test_ftm_skips_what_is_not_a_party() -> None:
    snapshot = parse("ftm", FIXTURES / "ftm_entities.jsonl")
    assert [e.entity_id for e in snapshot.entities] == ["NK-aaa111", "NK-bbb222", "NK-ccc333"]
    assert snapshot.entities[0].birth_dates == ("1964-07-17",)


def test_imported_fixtures_are_screenable() -> None:
    engine = ScreeningEngine(
        [
            parse("eu-fsf", FIXTURES / "eu_fsf_v1_1.xml"),
            parse("uk-xml", FIXTURES / "uk_sanctions_list.xml"),
            parse("ftm", FIXTURES / "ftm_entities.jsonl"),
        ]
    )
    assert engine.screen(ScreeningQuery("Роснефть"))[0].entity.entity_id == "RUS0264"
    assert (
        engine.screen(ScreeningQuery("Saddam Hussein", birth_date="1937-04-28"))[0].entity.entity_id == "13"
    )


@pytest.mark.parametrize(
    ("format_name", "content", "where"),
    [
        (
            "un-xml",
            "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>\n<FIRST_NAME>A</FIRST_NAME>"
            "</INDIVIDUALS></CONSOLIDATED_LIST>",
            "x.xml:2",
        ),
        (
            "un-xml",
            "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID></INDIVIDUAL></INDIVIDUALS>"
            "</CONSOLIDATED_LIST>",
            "x.xml: INDIVIDUAL #1 (DATAID 1)",
        ),
        (
            "ofac-xml",
            "<sdnList><sdnEntry><uid>5</uid><lastName>X</lastName><sdnType>Robot</sdnType></sdnEntry>"
            "</sdnList>",
            "x.xml: sdnEntry #1 (uid 5)",
        ),
        (
            "uk-xml",
            "<Designations><Designation><UniqueID>A1</UniqueID></Designation></Designations>",
            "x.xml: Designation #1 (UniqueID A1)",
        ),
        (
            "eu-fsf",
            "<export><sanctionEntity logicalId='7'><subjectType code='alien'/></sanctionEntity></export>",
            "x.xml: sanctionEntity #1 (logicalId 7)",
        ),
        ("ofac-xml", '<!DOCTYPE x [<!ENTITY a "aaaa">]><sdnList>&a;</sdnList>', "x.xml"),  # entity expansion
        ("ftm", '{"id": "1", "schema": "Person", "properties": {"name": ["A"]}}\n{"id": ', "x.xml:line 2"),
    ],
)
def test_malformed_files_report_where(tmp_path: Path, format_name: str, content: str, where: str) -> None:
    path = tmp_path / "x.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailedError) as failure:
        parse(format_name, path)
    assert failure.value.location is not None
    assert failure.value.location.startswith(where)


def test_missing_file_is_an_import_error(tmp_path: Path) -> None:
    with pytest.raises(ImportFailedError):
        parse("un-xml", tmp_path / "absent.xml")
