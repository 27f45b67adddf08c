"""Reading control list data files: the loader's errors name the file and the entry; exports round-trip."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.adapters.sources.annex_i import dump_version, load_amendment_file, load_history, load_synonyms
from dualuse.domain.controllist import (
    ControlCode,
    ControlEntry,
    ControlList,
    ListVersion,
    Note,
    NoteKind,
    Regime,
)
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


# -- export and load are inverse, for any list ----------------------------------------------------------

_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda t: t.strip() == t and t.strip() != "")
_values = st.one_of(st.integers(-(10**6), 10**6), st.booleans(), _text, st.none())


@st.composite
def entry_lists(draw: st.DrawFn) -> list[ControlEntry]:
    heads = draw(
        st.lists(st.sampled_from(["0A001", "1C350", "5A001", "5A002", "9E003"]), min_size=1, unique=True)
    )
    entries: list[ControlEntry] = []
    for head in heads:
        codes = [head, *draw(st.lists(st.sampled_from([f"{head}.a", f"{head}.b"]), unique=True))]
        codes += [f"{c}.1" for c in codes[1:] if draw(st.booleans())]
        for code in codes:
            entries.append(
                ControlEntry(
                    code=ControlCode.parse(code),
                    title=draw(_text),
                    summary=draw(st.one_of(st.just(""), _text)),
                    regime=draw(st.sampled_from(list(Regime))),
                    parameters=draw(st.dictionaries(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), _values)),
                    notes=tuple(
                        draw(st.lists(st.builds(Note, st.sampled_from(list(NoteKind)), _text), max_size=2))
                    ),
                    related=tuple(ControlCode.parse(h) for h in draw(st.lists(st.sampled_from(heads)))),
                    cyber_surveillance=draw(st.booleans()),
                    information_security=draw(st.booleans()),
                    annex_iv=draw(st.sampled_from([None, "I", "II"])),
                    eugea_excluded=draw(st.booleans()),
                    source=draw(_text),
                    verified=draw(st.booleans()),
                )
            )
    return entries


@settings(max_examples=50, deadline=None)
@given(entry_lists(), st.sampled_from(["2024-11", "2025", "v1", "1.0"]))
def test_any_list_survives_export_and_load(entries: list[ControlEntry], version_id: str) -> None:
    control_list = ControlList(ListVersion(version_id, "t", date(2025, 11, 15), "s"), entries)
    with tempfile.TemporaryDirectory() as directory:
        path = write_list(Path(directory), dump_version(control_list))
        reloaded = load_history(path).latest
    assert reloaded.version == control_list.version
    assert list(reloaded) == list(control_list)
