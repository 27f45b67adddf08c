"""A hypothesis property (issue 17): any control code that is not in the list version in force on the
transaction's date is refused by the determination service, never answered as "listed" — whether invented
outright, a near miss of a listed code (``5A001.zz``, ``5A001.j.9``), or listed only in a later version. A code of the official consolidated text of the version in force
(``data/controllist/official``), e.g. ``2B001.a``, is listed (under its nearest entry) though the list data
stops above it. For a version before the latest, the official codes are derived from the 2025-11-15 text
through the amending acts (acts.yaml), and a code the latest version lists whose history back to the date is
not verified (and that no act verifiably added since) is answered as listed, the safe side."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.adapters.sources.annex_i import load_history
from dualuse.adapters.sources.controllist_view import shipped_list_source, shipped_official_codes
from dualuse.adapters.sources.rulebook import load_rulebook
from dualuse.domain.controllist import ControlCode, InvalidControlCodeError
from dualuse.domain.errors import ValidationError
from dualuse.services.determination import DeterminationInputs, determine_case

INPUTS = DeterminationInputs(load_rulebook(), shipped_list_source())
DAYS = st.sampled_from([date(2025, 1, 10), date(2025, 11, 14), date(2026, 12, 5)])
LISTED = {
    day: frozenset(str(e.code) for e in load_history().as_of(day))
    for day in (date(2025, 1, 10), date(2025, 11, 14), date(2026, 12, 5))
}
# the 2025-11 version is the consolidated text of 2025-11-15: its official codes are listed too
OFFICIAL = shipped_official_codes()["2025-11"].codes
LISTED[date(2026, 12, 5)] = LISTED[date(2026, 12, 5)] | OFFICIAL
HISTORY = load_history()
ACTS = HISTORY.acts
assert ACTS is not None
for _day in (date(2025, 1, 10), date(2025, 11, 14)):
    _version = HISTORY.as_of(_day).version_id
    _derived = HISTORY.official_codes[_version]
    _uncertain = {
        c
        for c in LISTED[date(2026, 12, 5)] - LISTED[_day] - _derived
        if ACTS.added_later(ControlCode.parse(c), _version, "2025-11") is None
        and ACTS.unverified_for(ControlCode.parse(c), _version, "2025-11")
    }
    LISTED[_day] = LISTED[_day] | _derived | _uncertain
ALL_LISTED = sorted(frozenset().union(*LISTED.values()))

_SUB = st.one_of(st.from_regex(r"[a-z]{1,2}", fullmatch=True), st.integers(1, 12).map(str))
INVENTED = st.builds(
    lambda category, group, number, subs: ".".join([f"{category}{group}{number:03d}", *subs]),
    st.integers(0, 9),
    st.sampled_from("ABCDE"),
    st.integers(0, 999),
    st.lists(_SUB, max_size=3),
)
NEAR_MISS = st.builds(lambda code, sub: f"{code}.{sub}", st.sampled_from(ALL_LISTED), _SUB)


def _case(code: str, day: date) -> dict[str, object]:
    return {
        "date": day.isoformat(),
        "exporter": {"member_state": "DE"},
        "destination": "US",
        "items": [{"id": "1", "control_code": code}],
    }


@given(code=st.one_of(INVENTED, NEAR_MISS, st.sampled_from(ALL_LISTED)), day=DAYS)
def test_f17_a_code_not_in_the_version_in_force_is_refused_never_listed(code: str, day: date) -> None:
    try:
        canonical = str(ControlCode.parse(code))
    except InvalidControlCodeError:
        return  # not a code at all: refused by the reader (tests/unit/rules/test_facts.py)
    if canonical not in LISTED[day]:
        with pytest.raises(ValidationError) as refused:
            determine_case(INPUTS, _case(code, day))
        assert refused.value.field == "items[0].control_code"
        assert "is not in list version" in refused.value.detail
        return
    answer = determine_case(INPUTS, _case(code, day))  # a listed code is answered, as listed
    assert answer.determination.items[0].control_code == canonical
