"""F3: a sanctions list only moves forward (``domain.screening.versions``)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from dualuse.domain.screening.versions import (
    SHRINK_LEAST,
    SHRINK_SHARE,
    ImportVerdict,
    VersionStamp,
    as_of,
    judge_import,
)

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


@given(st.integers(0, 20_000), st.integers(0, 20_000), days)
def test_a_version_removing_a_large_share_of_the_list_is_refused_unless_forced(
    held_count: int, removed: int, day: date
) -> None:
    removed = min(removed, held_count)
    stamp = VersionStamp(day.isoformat(), day)
    verdict = judge_import(stamp, stamp, same_entities=False, held_count=held_count, removed=removed)
    shrunk = removed >= SHRINK_LEAST and removed >= SHRINK_SHARE * held_count
    assert (verdict is ImportVerdict.SHRUNK) == shrunk
    assert verdict is (ImportVerdict.SHRUNK if shrunk else ImportVerdict.NEW)


def test_a_copy_cut_at_a_line_end_is_a_shrunk_version() -> None:
    # the SDN list of 3 May 2024 (14,965 entries) and a copy of it cut at a line end (8,077): same date
    stamp = VersionStamp("2024-05-03", date(2024, 5, 3))
    cut = judge_import(stamp, stamp, same_entities=False, held_count=14_965, removed=6_888)
    assert cut is ImportVerdict.SHRUNK
    # a week's delistings (26 Apr to 3 May 2024: 8 of 14,668), or two years' (2022 to 2024: 493 of 9,044), are not
    week = judge_import(
        VersionStamp("2024-04-26", date(2024, 4, 26)),
        stamp,
        same_entities=False,
        held_count=14_668,
        removed=8,
    )
    years = judge_import(
        VersionStamp("2022", date(2022, 1, 1)), stamp, same_entities=False, held_count=9_044, removed=493
    )
    assert week is years is ImportVerdict.NEW
    # nor is an older file: it is refused as older, whatever it removes
    older = judge_import(
        stamp, VersionStamp("2024-04-26", date(2024, 4, 26)), same_entities=False, held_count=100, removed=90
    )
    assert older is ImportVerdict.OLDER
