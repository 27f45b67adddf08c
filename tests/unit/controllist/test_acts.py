"""The acts behind list versions (Art. 17(1) delegated regulations): earlier versions rebuilt by undoing an
act, notes naming the act on the entries it changed, official code sets carried through the acts, and every
declared change checked against the lists."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.domain.controllist import ControlCode, ControlList, ControlListError, ControlListHistory
from dualuse.domain.controllist.acts import (
    ActHistory,
    AmendingAct,
    ChangeKind,
    DeclaredChange,
    annotate,
    codes_after,
    codes_before,
    revert,
    with_acts,
)
from tests.unit.controllist.factories import make_entry, make_version

ORIGIN_DAY = date(2021, 9, 9)
BASE_DAY = date(2024, 11, 8)


def act(
    version_id: str, day: date, *changes: tuple[str, ChangeKind, bool], removed: tuple[str, ...] = ()
) -> AmendingAct:
    return AmendingAct(
        version_id=version_id,
        title=f"Commission Delegated Regulation (EU) {day.year}/{day.month} of {day.isoformat()}",
        celex=f"3{day.year}R{day.month:04d}",
        official_journal="OJ L (test)",
        effective_from=day,
        effective_from_verified=True,
        summary="test",
        sources=("test",),
        complete=True,
        changes=tuple(
            DeclaredChange(ControlCode.parse(c), k, f"{k.value} {c}", "test", v) for c, k, v in changes
        ),
        removed_entries=tuple(make_entry(code) for code in removed),
        verified=True,
    )


ORIGIN = act("2021-09", ORIGIN_DAY)
ADDS_2D352 = act(
    "2024-11",
    BASE_DAY,
    ("2D352", ChangeKind.ADDED, True),
    ("3A001", ChangeKind.CHANGED, False),
    ("9A999", ChangeKind.REMOVED, True),
    removed=("9A999",),
)


def base_list() -> ControlList:
    entries = [make_entry(c) for c in ("2D351", "2D352", "3A001", "3A001.a")]
    return ControlList(make_version("2024-11", BASE_DAY), entries)


def test_undoing_an_act_takes_out_its_additions_and_puts_back_its_removals() -> None:
    before = revert(annotate(base_list(), ADDS_2D352), ADDS_2D352, make_version("2021-09", ORIGIN_DAY))
    codes = {str(e.code) for e in before}
    assert codes == {"2D351", "3A001", "3A001.a", "9A999"}
    assert before.get("3A001").notes == ()  # type: ignore[union-attr]  # listed


def test_an_act_leaves_a_note_on_the_entries_it_changed() -> None:
    noted = annotate(base_list(), ADDS_2D352)
    notes = [n.text for n in noted.get("3A001").notes]  # type: ignore[union-attr]  # listed
    assert notes == ["Del. Reg. (EU) 2024/11 (in force 2024-11-08), changed: changed 3A001 [not verified]"]
    assert {str(c.code) for c in base_list().diff(noted).changed} == {"2D352", "3A001"}


def test_an_act_cannot_be_undone_if_a_code_it_removed_is_still_listed() -> None:
    still = ControlList(make_version("2024-11", BASE_DAY), [make_entry("9A999"), make_entry("2D352")])
    with pytest.raises(ControlListError, match="9A999"):
        revert(still, ADDS_2D352, make_version("2021-09", ORIGIN_DAY))


def test_the_history_is_rebuilt_and_every_step_checked() -> None:
    history = with_acts(
        ControlListHistory.from_base(make_version("2024-11", BASE_DAY), list(base_list())),
        ActHistory((ORIGIN, ADDS_2D352)),
        {"2024-11": frozenset({"2D351", "2D352", "2D352.a", "3A001", "3A001.a"})},
    )
    assert [cl.version_id for cl in history.lists] == ["2021-09", "2024-11"]
    assert history.as_of(date(2022, 1, 1)).get("2D352") is None
    assert history.official_codes["2021-09"] == frozenset({"2D351", "3A001", "3A001.a", "9A999"})
    changes = history.diff("2021-09", "2024-11")
    assert [a.version_id for a in changes.acts] == ["2024-11"]
    assert changes.codes_added == ("2D352", "2D352.a")
    assert changes.codes_removed == ("9A999",)


def test_a_version_whose_date_differs_from_its_act_is_refused() -> None:
    late = act("2024-11", date(2024, 11, 15))
    with pytest.raises(ControlListError, match="takes effect on 2024-11-08"):
        with_acts(
            ControlListHistory.from_base(make_version("2024-11", BASE_DAY), list(base_list())),
            ActHistory((ORIGIN, late)),
        )


def test_an_addition_the_official_text_lacks_is_refused() -> None:
    with pytest.raises(ControlListError, match="2D352: added by"):
        codes_before({"2D351"}, ADDS_2D352)


def test_the_unverified_history_of_a_code_is_named() -> None:
    acts = ActHistory((ORIGIN, ADDS_2D352))
    assert acts.unverified_for(ControlCode.parse("3A001.a"), "2021-09", "2024-11") == (
        "Del. Reg. (EU) 2024/11: the change to 3A001 is not verified against the act",
    )
    assert acts.unverified_for(ControlCode.parse("2D351"), "2021-09", "2024-11") == ()
    assert acts.added_later(ControlCode.parse("2D352.a"), "2021-09", "2024-11") is ADDS_2D352


_CODES = st.sets(st.sampled_from(["1A001", "1A001.a", "1A002", "2B001", "2B001.a", "2B001.b", "3A001"]))


@given(before=_CODES, added=st.sets(st.sampled_from(["4A506", "4A506.a", "5A501"])))
def test_rebuilding_a_version_through_its_act_gives_back_its_codes(before: set[str], added: set[str]) -> None:
    """The property the shipped history is tested with: codes_after(codes_before(x)) == x."""
    tops = {c.split(".")[0] for c in added}
    the_act = act("2025-11", date(2025, 11, 15), *((c, ChangeKind.ADDED, True) for c in sorted(tops)))
    after = frozenset(before | added | tops)
    earlier = codes_before(after, the_act)
    assert earlier == frozenset(before)
    assert codes_after(earlier, the_act, after) == after
