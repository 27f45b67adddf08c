"""YAML from outside (issue #11, F12): anchors and aliases are refused with the line they are on; text that
merely contains & or * is read as before."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from dualuse.adapters.sources.yaml_files import dump_yaml, load_yaml
from dualuse.domain.errors import ImportFailedError

LAUGHS = """kind: amendment
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
"""


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        (LAUGHS, 2, "anchor &a"),
        ("base: &x {k: 1}\nother:\n  <<: *x\n", 1, "anchor &x"),
        ("a: 1\nb: *nowhere\n", 2, "alias *nowhere"),
        ("- one\n- &tagged two\n", 2, "anchor &tagged"),
    ],
)
def test_f12_anchors_and_aliases_are_refused_naming_file_and_line(text: str, line: int, what: str) -> None:
    with pytest.raises(ImportFailedError) as refused:
        load_yaml(text, "amendment.yaml")
    assert refused.value.location == "amendment.yaml"
    assert f"line {line}:" in refused.value.detail
    assert what in refused.value.detail


def test_f12_ampersands_and_asterisks_in_text_are_plain_text() -> None:
    text = 'title: "R&D * notes"\nnote: Acme & Co *\nlist: [a*b, "&c"]\n'
    assert load_yaml(text, "x.yaml") == {
        "title": "R&D * notes",
        "note": "Acme & Co *",
        "list": ["a*b", "&c"],
    }


def test_f12_invalid_yaml_still_names_the_file() -> None:
    with pytest.raises(ImportFailedError, match=r"x\.yaml: not valid YAML"):
        load_yaml("a: [unclosed", "x.yaml")


# --- writing ---------------------------------------------------------------------------------------------
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(),
    st.dates(),
)
_documents = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.text(max_size=8), _documents, min_size=1, max_size=6))
def test_dump_yaml_reads_back_as_the_document(document: object) -> None:
    """A document (a mapping, as every file of ours is) written by libyaml's emitter, where it is used, reads
    back as the document, by our loader and by PyYAML's own."""
    written = dump_yaml(document)
    assert yaml.load(written, Loader=yaml.SafeLoader) == document  # the safe loader
    assert load_yaml(written, "written.yaml") == document


def test_dump_yaml_writes_a_mapping_read_by_load_yaml_as_the_plain_mapping() -> None:
    read = load_yaml("b: 1\na:\n  c: [x, y]\n", "doc.yaml")
    assert dump_yaml(read) == "b: 1\na:\n  c:\n  - x\n  - y\n"
