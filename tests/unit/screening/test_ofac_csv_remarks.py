"""OFAC's SDN CSV: the facts read from the free-text remarks (vessel IMO numbers, alternative dates of birth and
nationalities, periods of birth) and a byte-order mark before the first entity number.

The rows are verbatim from OFAC's ``sdn.csv`` of 2024-05-03 (``../shared/data/sanctions/ofac_sdn_csv_2024/
sdn_2024-05-03.csv``), entity numbers as there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualuse.adapters.sources.sanctions_formats import parse
from dualuse.domain.screening import EntitySchema, ListedEntity, ScreeningEngine, ScreeningQuery

ARTAVIL = (
    '15036,"ARTAVIL","vessel","IRAN",-0- ,"T2EU4","Crude/Oil Products Tanker","99,144","56,068","Iran",-0- ,'
    '"Former Vessel Flag Malta; alt. Former Vessel Flag Tuvalu; alt. Former Vessel Flag None Identified; alt. '
    "Former Vessel Flag Tanzania; Additional Sanctions Information - Subject to Secondary Sanctions; Vessel "
    "Registration Identification IMO 9187629; MMSI 572469210; f.k.a. 'ALPHA'; Linked To: NATIONAL IRANIAN "
    'TANKER COMPANY."'
)
VESSELS = [
    (ARTAVIL, ("IMO", "9187629", None)),
    (
        '37032,"CHIZHOVKA","vessel","RUSSIA-EO14024",-0- ,-0- ,"Hopper Barge",-0- ,"745","Russia",-0- ,'
        '"Vessel Registration Identification IMO  8730455; Linked To: JOINT STOCK COMPANY NORTHERN SHIPPING '
        'COMPANY."',
        ("IMO", "8730455", None),
    ),
    (
        '34942,"PEGAS","vessel","RUSSIA-EO14024",-0- ,-0- ,"Crude Oil Tanker",-0- ,"61991","Russia",-0- ,'
        "\"Vessel Registration Identification IMO 9256860 (Russia); f.k.a. 'PERUN'; Linked To: PSB LIZING OOO.\"",
        ("IMO", "9256860", "ru"),
    ),
    (
        '37479,"SHELLEST","vessel","RUSSIA-EO14024",-0- ,"UBAO8","Yacht",-0- ,-0- ,"Russia",-0- ,"Vessel '
        "Registration Identification RS 150443 (Russia); MMSI 273385420; Linked To: NON-PROFIT PARTNERSHIP "
        'REVIVAL OF MARITIME TRADITIONS."',
        ("Vessel Registration Identification", "RS 150443", "ru"),
    ),
    (
        '17104,"RYONG GUN BONG","vessel","DPRK",-0- ,-0- ,"General Cargo",-0- ,-0- ,"Democratic People\'s '
        'Republic of Korea",-0- ,"Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 '
        "and 510.210; Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: "
        'North Korea Sanctions Regulations section 510.214; Vessel Registration Identification 8606173."',
        ("Vessel Registration Identification", "8606173", None),
    ),
    (
        '23424,"BONU 5","vessel","LIBYA3",-0- ,-0- ,-0- ,-0- ,-0- ,"Malta",-0- ,"Vessel Registration '
        'Identification 15411 (Malta); Linked To: ANDREA MARTINA LIMITED."',
        ("Vessel Registration Identification", "15411", "mt"),
    ),
]
BIN_LADIN = (
    '6365,"BIN LADIN, Usama bin Muhammad bin Awad","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"DOB 30 Jul 1957; alt. DOB 1958; POB Jeddah, Saudi Arabia; alt. POB Yemen."'
)
JOUMAA = (
    '12540,"JOUMAA, Ayman Saied","individual","SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 21 Jun 1964; alt. '
    "DOB 15 Jun 1976; POB Al Karouan, Lebanon; alt. POB Barranquilla, Colombia; nationality Lebanon; alt. "
    "nationality Colombia; citizen Lebanon; alt. citizen Colombia; Cedula No. 84075050 (Colombia); Passport RL "
    '0235074 (Lebanon); alt. Passport P013331 (Colombia)."'
)
TORO_DIAZ = (
    '12176,"TORO DIAZ, Diana Lorena","individual","SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 27 Mar 1982; '
    "POB Cali, Valle del Cauca; nationality Colombia; alt. nationality Mexico; citizen Colombia; alt. citizen "
    'Mexico; Cedula No. 38560572 (Colombia); Passport 38560572 (Colombia)."'
)
ALIAS = '6365,4414,"aka","BIN LADEN, Usama",-0- \r\n'
ADDRESS = '6365,5001,-0- ,-0- ,"Saudi Arabia",-0- \r\n'


def _sdn(tmp_path: Path, *rows: str, bom: bytes = b"") -> Path:
    path = tmp_path / "sdn.csv"
    path.write_bytes(bom + ("\r\n".join(rows) + "\r\n\x1a").encode("utf-8"))
    return path


def _one(tmp_path: Path, row: str) -> ListedEntity:
    (entity,) = parse("ofac-sdn-csv", _sdn(tmp_path, row)).entities
    return entity


@pytest.mark.parametrize(("row", "expected"), VESSELS, ids=[row.split(",", 1)[0] for row, _ in VESSELS])
def test_a_vessel_registration_identification_is_an_identifier_not_a_country(
    tmp_path: Path, row: str, expected: tuple[str, str, str | None]
) -> None:
    vessel = _one(tmp_path, row)
    assert vessel.schema == EntitySchema.VESSEL
    assert (expected[0], expected[1], expected[2]) in [
        (i.kind, i.number, i.country) for i in vessel.identifiers
    ]
    # the flag (column 10) is the only country: the registration is not read as one
    assert len(vessel.countries) == 1


@pytest.mark.parametrize("number", ["IMO 9187629", "9187629"])
def test_a_vessel_is_found_by_its_imo_number_under_another_name(tmp_path: Path, number: str) -> None:
    engine = ScreeningEngine([parse("ofac-sdn-csv", _sdn(tmp_path, *(row for row, _ in VESSELS)))])
    matches = engine.screen(
        ScreeningQuery("Alpha Star Tanker", schema=EntitySchema.VESSEL, identifiers=(number,)), threshold=0.5
    )
    assert [m.entity.entity_id for m in matches][:1] == ["15036"]
    assert "9187629" in matches[0].explanation["identifier"][1]


def test_alternative_dates_of_birth_nationalities_and_citizenships_are_read(tmp_path: Path) -> None:
    snapshot = parse("ofac-sdn-csv", _sdn(tmp_path, BIN_LADIN, JOUMAA, TORO_DIAZ))
    entities = snapshot.by_id()
    assert entities["6365"].birth_dates == ("1957-07-30", "1958")
    assert entities["12540"].birth_dates == ("1964-06-21", "1976-06-15")
    assert entities["12540"].countries == ("lb", "co")
    assert entities["12176"].countries == ("co", "mx")


@pytest.mark.parametrize(
    ("dob", "expected"),
    [
        ("DOB 01 Jan 1961 to 31 Dec 1962", ("1961", "1962")),  # 15962: two whole years
        ("DOB 26 Sep 1946 to 07 Dec 1946", ("1946",)),  # 16605: some time in 1946
        ("DOB 01 Mar 1970 to 31 Mar 1970", ("1970-03",)),  # a whole month
        ("DOB Mar 1962 to Feb 1963", ("1962", "1963")),
        ("alt. DOB 1960 to 1962", ("1960", "1961", "1962")),
        ("DOB 1930 to 1950", ("1930",)),  # too wide to list year by year: its first year, as before
        ("DOB circa 07 Jul 1966", ("1966-07-07",)),
    ],
)
def test_a_period_of_birth_is_read_for_what_it_means(
    tmp_path: Path, dob: str, expected: tuple[str, ...]
) -> None:
    row = f'15962,"X","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"{dob}; nationality Iraq."'
    assert _one(tmp_path, row).birth_dates == expected


_MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=st.tuples(st.integers(1900, 2010), st.none() | st.integers(1, 12), st.integers(1, 28)),
    alternative=st.tuples(st.integers(1900, 2010), st.none() | st.integers(1, 12), st.integers(1, 28)),
    circa=st.sampled_from(["", "circa "]),
)
def test_every_date_of_birth_is_kept_alternative_or_not(
    tmp_path: Path,
    first: tuple[int, int | None, int],
    alternative: tuple[int, int | None, int],
    circa: str,
) -> None:
    def written(year: int, month: int | None, day: int) -> tuple[str, str]:
        if month is None:
            return f"{year}", f"{year}"
        return f"{day:02d} {_MONTH_NAMES[month - 1]} {year}", f"{year}-{month:02d}-{day:02d}"

    (text_1, iso_1), (text_2, iso_2) = written(*first), written(*alternative)
    row = (
        f'6365,"BIN LADIN, Usama","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        f'"DOB {circa}{text_1}; alt. DOB {circa}{text_2}; POB Jeddah, Saudi Arabia."'
    )
    assert _one(tmp_path, row).birth_dates == tuple(dict.fromkeys([iso_1, iso_2]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    number=st.integers(1_000_000, 9_999_999).map(str),
    gap=st.sampled_from([" ", "  "]),
    issuer=st.sampled_from([("", None), (" (Russia)", "ru"), (" (Malta)", "mt")]),
)
def test_every_imo_number_is_kept(
    tmp_path: Path, number: str, gap: str, issuer: tuple[str, str | None]
) -> None:
    row = (
        f'15036,"ARTAVIL","vessel","IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,"Iran",-0- ,"Vessel Registration '
        f'Identification IMO{gap}{number}{issuer[0]}; MMSI 572469210."'
    )
    vessel = _one(tmp_path, row)
    assert ("IMO", number, issuer[1]) in [(i.kind, i.number, i.country) for i in vessel.identifiers]
    assert vessel.countries == ("ir",)


@pytest.mark.parametrize("marked", ["sdn.csv", "alt.csv", "add.csv"])
def test_a_byte_order_mark_is_accepted_on_each_of_the_three_files(tmp_path: Path, marked: str) -> None:
    plain, with_mark = tmp_path / "plain", tmp_path / "marked"
    for folder in (plain, with_mark):
        folder.mkdir()
        _sdn(folder, BIN_LADIN, bom=b"\xef\xbb\xbf" if folder is with_mark and marked == "sdn.csv" else b"")
        for name, content in (("alt.csv", ALIAS), ("add.csv", ADDRESS)):
            bom = b"\xef\xbb\xbf" if folder is with_mark and marked == name else b""
            (folder / name).write_bytes(bom + content.encode("utf-8") + b"\x1a")
    expected = parse("ofac-sdn-csv", plain)
    assert parse("ofac-sdn-csv", with_mark).entities == expected.entities
    (usama,) = expected.entities
    assert usama.names == ("BIN LADIN, Usama bin Muhammad bin Awad", "BIN LADEN, Usama")
    assert usama.countries == ("sa",)
