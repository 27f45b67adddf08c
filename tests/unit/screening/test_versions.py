"""F3: a sanctions list only moves forward (``domain.screening.versions``)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from dualuse.domain.screening.versions import ImportVerdict, VersionStamp, as_of, judge_import

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))


@given(days, days, st.booleans())
def test_f3_a_version_published_before_the_one_held_is_older(held: date, incoming: date, same: bool) -> None:
    verdict = judge_import(
        VersionStamp(held.isoformat(), None), VersionStamp(incoming.isoformat(), None), same_entities=same
    )
    if incoming < held:
        assert verdict is ImportVerdict.OLDER
    elif incoming == held and same:
        assert verdict is ImportVerdict.IDENTICAL
    else:
        assert verdict is ImportVerdict.NEW


def test_f3_the_publication_date_wins_over_the_label() -> None:
    held = VersionStamp("20240503", date(2024, 5, 3))
    assert (
        judge_import(held, VersionStamp("x", date(2024, 4, 26)), same_entities=False) is ImportVerdict.OLDER
    )
    assert judge_import(held, VersionStamp("y", None), same_entities=False) is ImportVerdict.UNDATED
    assert judge_import(None, VersionStamp("y", None), same_entities=False) is ImportVerdict.NEW
    assert as_of(VersionStamp("2024-05-03", None)) == date(2024, 5, 3)
    assert as_of(VersionStamp("sha256:abc", None)) is None


def test_f3_same_label_other_entities_is_a_new_version() -> None:
    held = VersionStamp("undated", None)
    assert judge_import(held, VersionStamp("undated", None), same_entities=False) is ImportVerdict.NEW
    assert judge_import(held, VersionStamp("undated", None), same_entities=True) is ImportVerdict.IDENTICAL
