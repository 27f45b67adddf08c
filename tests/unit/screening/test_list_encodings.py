"""How the list importers read bytes as text: UTF-8, or genuine Windows-1252 (OFAC publishes it), but never a
UTF-8 file with a stray byte re-read as Windows-1252 (every non-Latin name would turn to mojibake without a
word); and a compressed file, an archive or UTF-16 text refused saying what it is.

The damaged files are the fixtures of tests/fixtures/sanctions (SOURCE.md) with one byte changed.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.adapters.sources.csv_lists import decode
from dualuse.adapters.sources.sanctions_formats import parse
from dualuse.domain.errors import ImportFailedError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sanctions"
TEXT_FILES = [
    ("us-csl", "us_csl_consolidated.csv"),
    ("us-csl", "us_csl_consolidated.json"),
    ("uk-csv", "uk_sanctions_list.csv"),
    ("uk-csv", "uk_ofsi_conlist.csv"),
    ("eu-fsf-csv", "eu_fsf_v1_1.csv"),
    ("opensanctions-csv", "targets.simple.csv"),
]
ALL_FILES = [
    *TEXT_FILES,
    ("ofac-advanced-xml", "ofac_sdn_advanced_excerpt.xml"),
    ("eu-fsf", "eu_fsf_v1_1.xml"),
    ("uk-xml", "uk_sanctions_list.xml"),
    ("ftm", "ftm_entities.jsonl"),
    ("ofac-sdn-csv", "sdn.csv"),
]
SDN_CP1252 = (
    '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    "\"a.k.a. 'CAFÉ»'; Linked To: MUÑOZ GÜNTHER Y CÍA.\"\r\n"
    '2676,"AL-ZAWAHIRI, Dr. Ayman","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"DOB 19 Jun 1951; nationality Egypt."\r\n\x1a'
)


def _content(name: str) -> bytes:
    return SDN_CP1252.encode("cp1252") if name == "sdn.csv" else (FIXTURES / name).read_bytes()


def _ids(value: object) -> str:
    return value if isinstance(value, str) else ""


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _stray_byte(content: bytes) -> tuple[bytes, int, int]:
    """The content with one ASCII letter after its first non-ASCII character turned into 0xE9 (``é`` in
    Windows-1252), the offset of that byte and its line."""
    start = next(i for i, byte in enumerate(content) if byte >= 0x80)
    offset = next(i for i in range(start, len(content)) if chr(content[i]).isalpha() and content[i] < 0x80)
    return content[:offset] + b"\xe9" + content[offset + 1 :], offset, content.count(b"\n", 0, offset) + 1


@pytest.mark.parametrize(("format_name", "name"), TEXT_FILES, ids=_ids)
def test_a_utf8_file_with_one_stray_byte_is_refused_naming_the_byte(
    tmp_path: Path, format_name: str, name: str
) -> None:
    damaged, offset, line = _stray_byte((FIXTURES / name).read_bytes())
    with pytest.raises(ImportFailedError) as failure:
        parse(format_name, _write(tmp_path, name, damaged))
    assert f"0xE9 at byte offset {offset}" in failure.value.detail
    assert failure.value.location == f"{name}:line {line}"


def test_an_ofac_csv_in_utf8_with_a_stray_byte_is_refused(tmp_path: Path) -> None:
    content = (
        SDN_CP1252.replace("AEROCARIBBEAN", "АЭРОКАРИББЕАН").encode("utf-8").replace(b"Ayman", b"Aym\xe1n")
    )
    with pytest.raises(ImportFailedError) as failure:
        parse("ofac-sdn-csv", _write(tmp_path, "sdn.csv", content))
    assert failure.value.location == "sdn.csv:line 2"


def test_a_genuine_windows_1252_file_is_read(tmp_path: Path) -> None:
    # "É»" happens to be a well-formed UTF-8 pair; the lone accented letters around it show Windows-1252
    snapshot = parse("ofac-sdn-csv", _write(tmp_path, "sdn.csv", SDN_CP1252.encode("cp1252")))
    assert snapshot.by_id()["36"].names == ("AEROCARIBBEAN AIRLINES", "CAFÉ»")


def test_a_utf8_file_cut_inside_a_character_says_so(tmp_path: Path) -> None:
    content = (FIXTURES / "targets.simple.csv").read_bytes()
    last = max(i for i, byte in enumerate(content) if byte >= 0xC0)
    with pytest.raises(ImportFailedError) as failure:
        parse("opensanctions-csv", _write(tmp_path, "targets.simple.csv", content[: last + 1]))
    assert "cut short" in failure.value.detail


def _gzip(content: bytes) -> bytes:
    return gzip.compress(content)


def _zip(content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("list", content)
    return buffer.getvalue()


@pytest.mark.parametrize(("format_name", "name"), ALL_FILES, ids=_ids)
@pytest.mark.parametrize(
    ("pack", "said"), [(_gzip, "gzip-compressed; unpack it first"), (_zip, "ZIP archive; unpack it first")]
)
def test_a_compressed_file_is_refused_saying_so(
    tmp_path: Path, format_name: str, name: str, pack: object, said: str
) -> None:
    assert callable(pack)
    with pytest.raises(ImportFailedError) as failure:
        parse(format_name, _write(tmp_path, name, pack(_content(name))))
    assert said in failure.value.detail


@pytest.mark.parametrize(("format_name", "name"), [*TEXT_FILES, ("ofac-sdn-csv", "sdn.csv")], ids=_ids)
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_is_refused_saying_so(tmp_path: Path, format_name: str, name: str, encoding: str) -> None:
    text = SDN_CP1252 if name == "sdn.csv" else (FIXTURES / name).read_text(encoding="utf-8-sig")
    with pytest.raises(ImportFailedError) as failure:
        parse(format_name, _write(tmp_path, name, text.encode(encoding)))
    assert "UTF-16" in failure.value.detail


def test_utf16_xml_is_read_or_refused_saying_so(tmp_path: Path) -> None:
    text = (FIXTURES / "uk_sanctions_list.xml").read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    declared_utf8 = text.encode("utf-16")
    with pytest.raises(ImportFailedError) as failure:
        parse("uk-xml", _write(tmp_path, "uk.xml", declared_utf8))
    assert "UTF-16" in failure.value.detail
    # without a declaration naming another encoding, the XML parser reads UTF-16 itself
    body = text[text.index("?>") + 2 :] if text.startswith("<?xml") else text
    assert len(parse("uk-xml", _write(tmp_path, "uk.xml", body.encode("utf-16")))) > 0


_LATIN_AND_CYRILLIC = st.text(alphabet=st.sampled_from("abc ,;ÄéñИвнаЖ\n"), min_size=1, max_size=60).filter(
    lambda t: any(ord(ch) > 0x7F for ch in t)
)


@given(text=_LATIN_AND_CYRILLIC, where=st.integers(0, 60), stray=st.integers(0x80, 0xFF))
def test_a_stray_byte_in_utf8_text_never_yields_mojibake(text: str, where: int, stray: int) -> None:
    encoded = text.encode("utf-8")
    # at a character boundary, any byte from 0x80 up makes the text invalid UTF-8
    cut = len(text[: min(where, len(text))].encode("utf-8"))
    damaged = encoded[:cut] + bytes([stray]) + encoded[cut:]
    assert decode(encoded, "list.csv") == text.rstrip("\r\n\t ")
    with pytest.raises(ImportFailedError) as failure:
        decode(damaged, "list.csv")
    assert f"byte offset {cut}" in failure.value.detail
