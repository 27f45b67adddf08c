"""The importers added for the US Consolidated Screening List, OFAC's advanced XML, the UK's CSV lists, the EU
FSF CSV and OpenSanctions' targets.simple.csv, on real excerpts (tests/fixtures/sanctions/SOURCE.md), and the
rule that a file is judged whole by its structure and counts, not by a trailing byte."""

from __future__ import annotations

import calendar
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualuse.adapters.sources.sanctions_formats import parse
from dualuse.domain.errors import ImportFailedError
from dualuse.domain.screening import EntitySchema, ScreeningEngine, ScreeningQuery

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sanctions"
CASES = [
    ("us-csl", "us_csl_consolidated.csv", 13),
    ("us-csl", "us_csl_consolidated.json", 5),
    ("ofac-advanced-xml", "ofac_sdn_advanced_excerpt.xml", 2),
    ("uk-csv", "uk_sanctions_list.csv", 2),
    ("uk-csv", "uk_ofsi_conlist.csv", 1),
    ("eu-fsf-csv", "eu_fsf_v1_1.csv", 1),
    ("opensanctions-csv", "targets.simple.csv", 4),
    ("eu-833-annex-iv", "eu_32014R0833_annexes.csv", 8),
]


def _copy(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(("format_name", "name", "count"), CASES)
def test_each_fixture_imports_with_its_exact_count(format_name: str, name: str, count: int) -> None:
    assert len(parse(format_name, FIXTURES / name)) == count


def test_us_csl_keeps_the_us_list_of_each_listing() -> None:
    entities = {e.entity_id: e for e in parse("us-csl", FIXTURES / "us_csl_consolidated.csv").entities}
    cetc = entities["99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be"]
    assert cetc.programs == ("EL",)  # Entity List
    assert "CETC Research Institute 13" in cetc.names  # "; and CETC Research Institute 13"
    assert cetc.countries == ("cn",)
    rim = entities["52291"]
    assert (rim.schema, rim.birth_dates, rim.programs) == (
        EntitySchema.PERSON,
        ("1978-12-05",),
        ("SDN", "NPWMD"),
    )
    assert [(i.kind, i.number, i.country) for i in rim.identifiers] == [("Passport", "836238033", "kp")]
    assert entities["b601cbf2841d0aaedfe63661581ffbc3d54b6ba39d7e3a9027cff50e"].programs == ("DPL",)
    assert entities["1b5979e8fd3920a1a0985bf5088dad930a6a5562d1513f9e4b015e42"].programs == ("UVL",)
    assert entities["66f6ab3f26234b75a9093fce79ef0ce0"].programs == ("MEU",)
    # State's scope words are not part of a name
    assert entities["233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b"].names == (
        "Sinobright Import and Export Company",
    )


def test_us_csl_json_and_csv_agree_on_the_same_records() -> None:
    from_csv = parse("us-csl", FIXTURES / "us_csl_consolidated.csv").by_id()
    for entity in parse("us-csl", FIXTURES / "us_csl_consolidated.json").entities:
        twin = from_csv[entity.entity_id]
        assert (entity.names, entity.schema, entity.programs, entity.identifiers) == (
            twin.names,
            twin.schema,
            twin.programs,
            twin.identifiers,
        )
        assert set(entity.countries) == set(twin.countries)


def test_ofac_advanced_xml_reads_parties_through_the_files_own_reference_values() -> None:
    snapshot = parse("ofac-advanced-xml", FIXTURES / "ofac_sdn_advanced_excerpt.xml")
    assert (snapshot.source, snapshot.version) == ("ofac-sdn", "2024-05-03")
    airline, rawi = snapshot.entities
    assert airline.names == ("AEROCARIBBEAN AIRLINES", "AERO-CARIBBEAN")
    assert (airline.schema, airline.programs, str(airline.listed_on)) == (
        EntitySchema.ORGANIZATION,
        ("CUBA",),
        "1986-12-10",
    )
    assert rawi.schema == EntitySchema.PERSON
    assert rawi.birth_dates == ("1985-01-07", "1982-08-28")
    assert "Emad Mohammad" not in rawi.names  # LowQuality="true": a weak alias


_RAWI_BIRTH = (
    "<From><Year>1985</Year><Month>1</Month><Day>7</Day></From>\n"
    "                <To><Year>1985</Year><Month>1</Month><Day>7</Day></To>"
)


def _date(value: str) -> str:
    year, month, day = (int(part) for part in value.split("-"))
    return f"<Year>{year}</Year><Month>{month}</Month><Day>{day}</Day>"


def _rawi_born(tmp_path: Path, first: str, last: str, *, approximate: bool = False) -> tuple[str, ...]:
    """al-Rawi's birth dates when his first DatePeriod (1985-01-07 in the excerpt) runs from ``first`` to
    ``last``, written as OFAC writes a period: Start From/To the first day, End From/To the last."""
    content = (FIXTURES / "ofac_sdn_advanced_excerpt.xml").read_text(encoding="utf-8")
    assert content.count(_RAWI_BIRTH) == 2  # in Start and in End
    start = f"<From>{_date(first)}</From><To>{_date(first)}</To>"
    end = f"<From>{_date(last)}</From><To>{_date(last)}</To>"
    content = content.replace(_RAWI_BIRTH, start, 1).replace(_RAWI_BIRTH, end, 1)
    if approximate:
        content = content.replace('<Start Approximate="false"', '<Start Approximate="true"', 1)
    path = _copy(tmp_path, "sdn_advanced.xml", content.encode())
    rawi = parse("ofac-advanced-xml", path).entities[1]
    assert rawi.birth_dates[-1] == "1982-08-28"  # the alternate birth date, one exact day, is untouched
    return rawi.birth_dates[:-1]


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("1962-01-01", "1962-12-31", ("1962",)),  # "DOB 1962"
        ("1962-05-01", "1962-05-31", ("1962-05",)),  # "DOB May 1962"
        ("1960-01-01", "1962-12-31", ("1960", "1961", "1962")),  # "DOB 1960 to 1962"
        ("1962-03-01", "1963-02-28", ("1962", "1963")),  # "DOB Mar 1962 to Feb 1963"
        ("1946-09-26", "1946-12-07", ("1946",)),  # "DOB 26 Sep 1946 to 07 Dec 1946"
        ("1962-05-03", "1962-05-03", ("1962-05-03",)),  # one day
        ("1930-01-01", "1950-12-31", ("1930",)),  # too wide to list year by year: its first year, as the CSV
    ],
)
def test_ofac_advanced_xml_reads_a_period_of_birth_for_what_it_means(
    tmp_path: Path, first: str, last: str, expected: tuple[str, ...]
) -> None:
    assert _rawi_born(tmp_path, first, last) == expected


def test_ofac_advanced_xml_reads_a_circa_period_as_the_csv_reads_circa(tmp_path: Path) -> None:
    assert _rawi_born(tmp_path, "1962-01-01", "1962-12-31", approximate=True) == ("1962",)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year=st.integers(1920, 2005), span=st.integers(0, 14), month=st.none() | st.integers(1, 12))
def test_ofac_advanced_xml_and_sdn_csv_agree_on_a_period_of_birth(
    tmp_path: Path, year: int, span: int, month: int | None
) -> None:
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    if month is None:  # "DOB 1960" or "DOB 1960 to 1962"
        written = f"DOB {year}" + (f" to {year + span}" if span else "")
        first, last = f"{year}-01-01", f"{year + span}-12-31"
    else:  # "DOB May 1962": the whole month
        written = f"DOB {months[month - 1]} {year}"
        days = calendar.monthrange(year, month)[1]
        first, last = f"{year}-{month:02d}-01", f"{year}-{month:02d}-{days}"
    row = f'25057,"AL-RAWI","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"{written}."\r\n\x1a'
    (from_csv,) = parse("ofac-sdn-csv", _copy(tmp_path, "sdn.csv", row.encode())).entities
    assert _rawi_born(tmp_path, first, last) == from_csv.birth_dates


def test_uk_csv_both_layouts() -> None:
    fcdo = parse("uk-csv", FIXTURES / "uk_sanctions_list.csv")
    assert (fcdo.source, fcdo.version) == ("uk-fcdo", "2026-02-13")
    akhund = fcdo.by_id()["AFG0006"]
    assert akhund.names[0] == "MOHAMMAD HASSAN AKHUND"
    assert (akhund.birth_dates, akhund.countries, akhund.schema) == (("1958",), ("af",), EntitySchema.PERSON)
    ofsi = parse("uk-csv", FIXTURES / "uk_ofsi_conlist.csv")
    assert (ofsi.source, ofsi.version) == ("uk-ofsi", "2022-05-13")
    assert ofsi.by_id()["12431"].countries == ("sy",)


def test_eu_csv_matches_the_xml_of_the_same_entity() -> None:
    from_csv = parse("eu-fsf-csv", FIXTURES / "eu_fsf_v1_1.csv").by_id()["13"]
    from_xml = parse("eu-fsf", FIXTURES / "eu_fsf_v1_1.xml").by_id()["13"]
    assert (from_csv.names, from_csv.birth_dates, from_csv.countries) == (
        from_xml.names,
        from_xml.birth_dates,
        from_xml.countries,
    )
    assert "Abu Ali" not in from_csv.names  # NameAlias_Strong false


def test_opensanctions_targets_are_screenable() -> None:
    snapshot = parse("opensanctions-csv", FIXTURES / "targets.simple.csv")
    assert snapshot.source == "opensanctions"
    matches = ScreeningEngine([snapshot]).screen(ScreeningQuery(name="Saad al-Hariri"), threshold=0.7)
    assert matches
    assert matches[0].entity.entity_id == "Q296771"


# --- whole or cut: judged by structure and counts ------------------------------------------------------------
@pytest.mark.parametrize(("format_name", "name", "count"), [c for c in CASES if not c[1].endswith(".xml")])
def test_a_complete_file_without_its_final_newline_or_with_an_eof_byte_imports(
    tmp_path: Path, format_name: str, name: str, count: int
) -> None:
    content = (FIXTURES / name).read_bytes().rstrip(b"\r\n")
    assert len(parse(format_name, _copy(tmp_path, name, content))) == count
    assert len(parse(format_name, _copy(tmp_path, name, content + b"\r\n\x1a"))) == count


@pytest.mark.parametrize(
    ("format_name", "name"),
    [c[:2] for c in CASES if c[1].endswith(".csv")],
)
def test_a_csv_cut_inside_its_last_record_is_refused_naming_the_line(
    tmp_path: Path, format_name: str, name: str
) -> None:
    content = (FIXTURES / name).read_bytes().rstrip(b"\r\n")
    last_line_start = content.rindex(b"\n") + 1
    # cut where the last record has begun but not all its columns are there
    cut = content[: last_line_start + (len(content) - last_line_start) // 3]
    with pytest.raises(ImportFailedError) as failure:
        parse(format_name, _copy(tmp_path, name, cut))
    assert failure.value.location is not None
    assert failure.value.location.startswith(f"{name}:line ")


def test_csl_json_with_fewer_records_than_its_total_is_refused(tmp_path: Path) -> None:
    document = json.loads((FIXTURES / "us_csl_consolidated.json").read_text(encoding="utf-8"))
    document["results"] = document["results"][:-1]  # one record lost, the declared total kept
    path = _copy(tmp_path, "consolidated.json", json.dumps(document).encode())
    with pytest.raises(ImportFailedError, match="'total' says 5 records, the file has 4"):
        parse("us-csl", path)


def test_csl_json_cut_short_is_refused(tmp_path: Path) -> None:
    content = (FIXTURES / "us_csl_consolidated.json").read_bytes()
    with pytest.raises(ImportFailedError, match="invalid JSON"):
        parse("us-csl", _copy(tmp_path, "consolidated.json", content[: len(content) * 2 // 3]))


@pytest.mark.parametrize("fraction", [0.5, 0.9, 0.99])
def test_ofac_advanced_xml_cut_short_is_refused(tmp_path: Path, fraction: float) -> None:
    content = (FIXTURES / "ofac_sdn_advanced_excerpt.xml").read_bytes()
    cut = content[: int(len(content) * fraction)]
    cut = cut[: cut.rindex(b"\n") + 1]  # even on a line boundary
    with pytest.raises(ImportFailedError) as failure:
        parse("ofac-advanced-xml", _copy(tmp_path, "sdn_advanced.xml", cut))
    assert "malformed XML" in failure.value.detail


def test_ofac_csv_without_its_eof_byte_imports_and_says_so(tmp_path: Path) -> None:
    sdn = (
        '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        '306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. \'BNC\'."\r\n'
    )
    for content in (sdn, sdn.rstrip("\r\n")):
        snapshot = parse("ofac-sdn-csv", _copy(tmp_path, "sdn.csv", content.encode()))
        assert len(snapshot) == 2
        assert any("no end-of-file marker" in w for w in snapshot.warnings)
    with_marker = parse("ofac-sdn-csv", _copy(tmp_path, "sdn.csv", (sdn + "\x1a").encode()))
    assert not with_marker.warnings


def test_ofac_sdn_csv_cut_on_a_line_boundary_is_refused_by_its_alias_and_address_files(
    tmp_path: Path,
) -> None:
    rows = [
        f'{n},"COMPANY {n}",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n' for n in range(100, 110)
    ]
    (tmp_path / "alt.csv").write_bytes(
        "".join(f'{n},{n},"aka","OTHER NAME {n}",-0- \r\n' for n in range(100, 110)).encode() + b"\x1a"
    )
    (tmp_path / "add.csv").write_bytes(b'100,1,-0- ,"Havana","Cuba",-0- \r\n\x1a')
    (tmp_path / "sdn.csv").write_bytes("".join(rows[:7]).encode())  # the last three entries lost
    with pytest.raises(ImportFailedError) as failure:
        parse("ofac-sdn-csv", tmp_path)
    assert "3 entities named in the alias/address files are not in sdn.csv" in failure.value.detail
    (tmp_path / "sdn.csv").write_bytes("".join(rows).encode())  # whole, still without 0x1A
    assert len(parse("ofac-sdn-csv", tmp_path)) == 10


@pytest.mark.parametrize(
    ("format_name", "name", "old", "new", "where"),
    [
        ("us-csl", "consolidated.csv", b'"Individual","NPWMD"', b'"Martian","NPWMD"', "line 6"),
        ("uk-csv", "uk.csv", b"Individual,UN", b"Robot,UN", "line 4"),
        ("opensanctions-csv", "targets.simple.csv", b'"Q307152","Person"', b'"Q307152","Address"', "line 4"),
        ("eu-fsf-csv", "eu.csv", b";person;P;", b";planet;P;", "line 2"),
    ],
)
def test_bad_values_name_file_line_and_field(
    tmp_path: Path, format_name: str, name: str, old: bytes, new: bytes, where: str
) -> None:
    source = {
        "us-csl": "us_csl_consolidated.csv",
        "uk-csv": "uk_sanctions_list.csv",
        "opensanctions-csv": "targets.simple.csv",
        "eu-fsf-csv": "eu_fsf_v1_1.csv",
    }[format_name]
    content = (FIXTURES / source).read_bytes()
    assert old in content
    with pytest.raises(ImportFailedError) as failure:
        parse(format_name, _copy(tmp_path, name, content.replace(old, new, 1)))
    assert failure.value.location is not None
    assert failure.value.location.startswith(f"{name}:{where}")


# --- Reg. (EU) No 833/2014 Annex IV ---------------------------------------------------------------------------
ANNEXES = FIXTURES / "eu_32014R0833_annexes.csv"


def test_annex_iv_entries_only_numbered_without_gaps() -> None:
    snapshot = parse("eu-833-annex-iv", ANNEXES)
    assert (snapshot.source, len(snapshot)) == (
        "eu-833-annex-iv",
        8,
    )  # Annex III and XIV rows are not Annex IV
    sirius = snapshot.by_id()["1"]
    assert sirius.names[:2] == (
        "JSC Sirius",
        "Открытое Акционерное Общество «Концерн «Сириус» (ОАО «Концерн «Сириус»)",
    )
    assert (sirius.countries, str(sirius.listed_on)) == (("ru",), "2014-09-12")
    assert [(i.kind, i.number) for i in sirius.identifiers] == [("Tax ID/INN", "7704730655")]
    matches = ScreeningEngine([snapshot]).screen(ScreeningQuery(name="Kalashnikov Concern"), threshold=0.7)
    assert matches
    assert matches[0].entity.primary_name == "JSC Kalashnikov"


def test_annex_iv_with_an_entry_lost_is_refused(tmp_path: Path) -> None:
    lines = ANNEXES.read_bytes().splitlines(keepends=True)
    lost = b"".join(line for line in lines if b",4,EU-RUS,IV," not in line)
    with pytest.raises(ImportFailedError) as failure:
        parse("eu-833-annex-iv", _copy(tmp_path, "annexes.csv", lost))
    assert "entry '5' where entry 4 was due" in failure.value.detail
    assert failure.value.location is not None
    assert "column 'recordId'" in failure.value.location


def test_another_regulations_annex_table_is_refused(tmp_path: Path) -> None:
    other = ANNEXES.read_bytes().replace(b"32014R0833,", b"32006R0765,")
    with pytest.raises(ImportFailedError, match="not the annex table of Reg"):
        parse("eu-833-annex-iv", _copy(tmp_path, "annexes.csv", other))
