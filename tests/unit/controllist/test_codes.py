"""Control list codes as people type them (Annex I numbering: category, product group, number, sub-items)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.domain.controllist import ControlCode, InvalidControlCodeError
from dualuse.domain.errors import ValidationError


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("5A001.f.1", "5A001.f.1"),
        ("5a001f1", "5A001.f.1"),
        ("5A001.f.1.", "5A001.f.1"),
        ("5A001 f 1", "5A001.f.1"),
        ("  5A001.f.1  ", "5A001.f.1"),
        ("5A001.b.3.b", "5A001.b.3.b"),
        ("5A001.F.1", "5A001.f.1"),
        ("5a001", "5A001"),
        ("5A001-f-1", "5A001.f.1"),
        ("5A001.f.01", "5A001.f.1"),
        ("1C350.1", "1C350.1"),  # chemical lists number their first sub-items
        ("3A001.a.5.a.1", "3A001.a.5.a.1"),
        ("0E001", "0E001"),
    ],
)
def test_parse_accepts_what_people_type(typed: str, canonical: str) -> None:
    code = ControlCode.parse(typed)
    assert str(code) == canonical
    assert code.format() == canonical


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", "empty code"),
        ("   ", "empty code"),
        ("...", "empty code"),
        ("A5001", "category must be a digit 0-9"),
        ("five", "category must be a digit 0-9"),
        ("5F001", "product group must be one of A-E"),
        ("5", "product group must be one of A-E"),
        ("5A01", "expected three digits after the product group"),
        ("5A00X", "expected three digits after the product group"),
        ("5A", "expected three digits after the product group"),
        ("5A001.f.g", "sub-items must alternate letters and numbers"),
        ("5A001.1.2", "sub-items must alternate letters and numbers"),
        ("5A001.abc", "sub-items must alternate letters and numbers"),
        ("5A001.f!", "unexpected character '!' in the sub-items"),
        ("5A001.f.0", "sub-item number '0' must start at 1 without leading zeros"),
        ("5A001.f.1234", "sub-item number '1234' is too long"),
    ],
)
def test_parse_rejects_garbage_saying_what_is_wrong(typed: str, problem: str) -> None:
    with pytest.raises(InvalidControlCodeError) as raised:
        ControlCode.parse(typed)
    assert raised.value.problem == problem
    assert problem in str(raised.value)
    assert isinstance(raised.value, ValidationError)
    assert raised.value.field == "code"


def test_fields_and_hierarchy() -> None:
    code = ControlCode.parse("5A001.f.1")
    assert (code.category, code.group, code.number, code.parts) == (5, "A", "001", ("f", "1"))
    assert code.top_level == ControlCode.parse("5A001")
    assert code.parent == ControlCode.parse("5A001.f")
    assert code.ancestors == (ControlCode.parse("5A001"), ControlCode.parse("5A001.f"))  # nearest last
    assert code.depth == 2
    assert ControlCode.parse("5A001").parent is None
    assert ControlCode.parse("5A001").ancestors == ()
    assert ControlCode.parse("5A001").is_ancestor_of(code)
    assert not code.is_ancestor_of(code)
    assert not ControlCode.parse("5A001.f.1").is_ancestor_of(ControlCode.parse("5A001.f"))
    assert not ControlCode.parse("5A001.f").is_ancestor_of(ControlCode.parse("5A001.j.1"))
    assert not ControlCode.parse("5A002").is_ancestor_of(ControlCode.parse("5A001.f"))


def test_codes_sort_as_the_list_does() -> None:
    typed = ["5A001.f.10", "5A001.f.2", "5A002", "5A001", "4A005", "5A001.f", "0A001", "5D001", "5A001.b"]
    ordered = [str(c) for c in sorted(ControlCode.parse(t) for t in typed)]
    assert ordered == [
        "0A001", "4A005", "5A001", "5A001.b", "5A001.f", "5A001.f.2", "5A001.f.10", "5A002", "5D001"
    ]  # fmt: skip


def test_direct_construction_is_checked_too() -> None:
    with pytest.raises(InvalidControlCodeError, match="product group"):
        ControlCode(5, "Z", "001")
    assert ControlCode(5, "A", "001", ("f", "1")) == ControlCode.parse("5a001f1")


def test_codes_are_values() -> None:
    assert {ControlCode.parse("5A001.f"), ControlCode.parse("5a001 f")} == {ControlCode.parse("5A001.f")}
    assert repr(ControlCode.parse("5a001f")) == "ControlCode('5A001.f')"


# -- properties --------------------------------------------------------------------------------------

_letters = st.sampled_from("abcdefghijklmnopqrstuvwxyz")
_numbers = st.integers(min_value=1, max_value=99).map(str)


@st.composite
def canonical_codes(draw: st.DrawFn) -> str:
    head = f"{draw(st.integers(0, 9))}{draw(st.sampled_from('ABCDE'))}{draw(st.integers(0, 999)):03d}"
    depth = draw(st.integers(0, 5))
    letter_first = draw(st.booleans()) if depth else True
    parts = [draw(_letters if (i % 2 == 0) == letter_first else _numbers) for i in range(depth)]
    return ".".join([head, *parts])


@given(canonical_codes())
def test_canonical_codes_round_trip(text: str) -> None:
    assert str(ControlCode.parse(text)) == text


@given(canonical_codes(), st.sampled_from([" ", "", "-", " . "]), st.booleans(), st.booleans())
def test_messy_variants_read_as_the_same_code(text: str, separator: str, lower: bool, trailing: bool) -> None:
    messy = text.replace(".", separator)
    messy = messy.lower() if lower else messy.upper()
    messy = f"  {messy}{'.' if trailing else ''} "
    assert ControlCode.parse(messy) == ControlCode.parse(text)


@given(canonical_codes())
def test_parent_and_ancestors_agree(text: str) -> None:
    code = ControlCode.parse(text)
    assert len(code.ancestors) == code.depth
    if code.parent is not None:
        assert code.ancestors[-1] == code.parent
        assert code.parent.is_ancestor_of(code)
        assert code.parent < code
    assert all(a.is_ancestor_of(code) for a in code.ancestors)


def _parse_or_problem(text: str) -> ControlCode | str:
    try:
        return ControlCode.parse(text)
    except InvalidControlCodeError as exc:
        return exc.problem


@given(st.one_of(st.text(max_size=30), st.text(alphabet="0123456789abcdeABCDEfxyz. -_!", max_size=20)))
def test_anything_else_raises_only_invalid_code_error(text: str) -> None:
    outcome = _parse_or_problem(text)  # any other exception fails the test
    if isinstance(outcome, ControlCode):
        assert ControlCode.parse(str(outcome)) == outcome
    else:
        assert outcome
