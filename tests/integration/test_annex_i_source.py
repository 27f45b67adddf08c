"""Reading control list data files: the loader's errors name the file and the entry; exports round-trip."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dualuse.adapters.sources.annex_i import dump_version, load_amendment_file, load_history, load_synonyms
from dualuse.domain.errors import ImportFailedError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "controllist"

BASE_HEAD = """kind: base
version: {id: "2024-11", title: t, effective_from: 2024-11-08, legal_source: s}
entries:
  - {code: 5A001, title: Telecommunications}
"""


def write_list(tmp_path: Path, base: str, *amendments: str) -> Path:
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "001-2024-11.yaml").write_text(base, encoding="utf-8")
    for n, text in enumerate(amendments, start=2):
        (versions / f"00{n}-a.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def amendment(body: str) -> str:
    return (
        'kind: amendment\nversion: {id: "2025-11", title: t, effective_from: 2025-11-15, legal_source: s}\n'
        + body
    )


def test_loads_the_fixture_history() -> None:
    history = load_history(FIXTURES)
    assert [v.id for v in history.versions] == ["2024-11", "2025-11"]
    latest = history.latest
    assert latest.get("4A506") is not None
    entry = latest.get("5A002.a")
    assert entry is not None
    assert dict(entry.parameters) == {
        "symmetric_key_bits_gt": 56,
        "rsa_modulus_bits_gt": 512,
        "elliptic_curve_bits_gt": 112,
    }
    assert latest.effective_flags("5A001.f.2").cyber_surveillance


def test_export_round_trips(tmp_path: Path) -> None:
    latest = load_history(FIXTURES).latest
    path = write_list(tmp_path, dump_version(latest))
    reloaded = load_history(path).latest
    assert reloaded.version == latest.version
    assert list(reloaded) == list(latest)


def test_amendment_file_is_read_without_being_applied() -> None:
    amendment_ = load_amendment_file(FIXTURES / "versions" / "002-2025-11.yaml")
    assert amendment_.version.id == "2025-11"
    assert [str(e.code) for e in amendment_.add] == ["4A506"]
    assert [str(c) for c in amendment_.remove] == ["9A999"]
    assert dict(amendment_.change[0].fields) == {
        "title": "Electronic items",
        "summary": "Integrated circuits, microwave items and other electronic parts.",
    }


def test_synonyms_are_read_with_canonical_codes(tmp_path: Path) -> None:
    table = load_synonyms(FIXTURES / "synonyms.yaml")
    assert table["IMSI catcher"] == ["5A001.f.2"]
    listed = tmp_path / "synonyms.yaml"
    listed.write_text("synonyms:\n  - {phrase: stingray, codes: 5a001 f}\n", encoding="utf-8")
    assert load_synonyms(listed) == {"stingray": ["5A001.f"]}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "add:\n  - {code: 4A506, title: q}\n  - {code: 5A00X, title: x}\n",
            "002-a.yaml: add[1] code '5A00X': expected three digits after the product group",
        ),
        ("add:\n  - {code: 4A506}\n", "002-a.yaml: add[0] code '4A506': title is required"),
        (
            "add:\n  - {code: 4A506, title: q, cyber_surveilance: true}\n",
            "add[0] code '4A506': unknown field 'cyber_surveilance'",
        ),
        ("add:\n  - {code: 4A506, title: q, regime: nato}\n", "regime 'nato' is not one of"),
        ("add:\n  - {code: 4A506, title: q, related: [5A0]}\n", "related code '5A0': expected three digits"),
        ("add:\n  - {code: 4A506, title: q, verified: yes please}\n", "verified must be true or false"),
        ("change:\n  - {code: 5A001}\n", "change[0] code '5A001': names no field to change"),
        ("remove: [5A002]\n", "002-a.yaml: amendment 2025-11 cannot be applied to 2024-11:\n- remove 5A002"),
        ("add: {code: 4A506}\n", "add: expected a list"),
    ],
)
def test_errors_name_the_file_and_the_entry(tmp_path: Path, body: str, message: str) -> None:
    directory = write_list(tmp_path, BASE_HEAD, amendment(body))
    with pytest.raises(ImportFailedError) as raised:
        load_history(directory)
    assert message in str(raised.value)
    assert raised.value.location == "versions/002-a.yaml"


@pytest.mark.parametrize(
    ("base", "message"),
    [
        ("kind: amendment\n", "the first version file must have kind: base"),
        ("kind: base\nversion: {id: x, title: t, effective_from: soon, legal_source: s}\n", "is not a date"),
        ("[not, a, mapping]\n", "expected a mapping"),
        ("kind: base\n  bad: [indent\n", "not valid YAML"),
        (BASE_HEAD + "  - {code: 5A001.f.1, title: orphan}\n", "its parent 5A001.f is not listed"),
        (BASE_HEAD + "  - {code: 5A001, title: twice}\n", "5A001: listed more than once"),
    ],
)
def test_a_bad_base_file_is_refused(tmp_path: Path, base: str, message: str) -> None:
    with pytest.raises(ImportFailedError, match=message) as raised:
        load_history(write_list(tmp_path, base))
    assert raised.value.location == "versions/001-2024-11.yaml"


def test_a_directory_without_versions_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFailedError, match="no list version files"):
        load_history(tmp_path)


def test_the_fixture_copy_loads_like_the_original(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "copy")
    assert list(load_history(tmp_path / "copy").latest) == list(load_history(FIXTURES).latest)
