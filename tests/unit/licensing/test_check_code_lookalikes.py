"""Check codes are read off paper: 0/O, 1/I/L and 8/B are accepted for one another (issue #13)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dualuse.domain.licensing import check_code, verify_check_code

SECRET = b"s" * 32
NUMBER = "DE-2026-000001"
SWAPS = {"O": "0", "I": "1", "L": "1", "B": "8"}


def test_the_printed_code_still_verifies() -> None:
    assert verify_check_code(NUMBER, check_code(NUMBER, SECRET), SECRET)


@given(st.lists(st.booleans(), min_size=12, max_size=12), st.booleans(), st.booleans())
def test_look_alikes_spaces_hyphens_and_case_are_accepted(
    swap: list[bool], lower: bool, grouped: bool
) -> None:
    code = check_code(NUMBER, SECRET)
    typed = "".join(SWAPS.get(c, c) if s else c for c, s in zip(code, swap, strict=True))
    typed = typed.lower() if lower else typed
    if grouped:
        typed = "-".join(typed[i : i + 4] for i in range(0, 12, 4))
    assert verify_check_code(NUMBER, typed, SECRET)


def test_another_code_is_still_refused() -> None:
    code = check_code(NUMBER, SECRET)
    other = ("A" if code[0] != "A" else "C") + code[1:]
    assert not verify_check_code(NUMBER, other, SECRET)
    assert not verify_check_code("DE-2026-000002", code, SECRET)
    assert not verify_check_code(NUMBER, code[:8], SECRET)
