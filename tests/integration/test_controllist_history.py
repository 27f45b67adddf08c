"""The real history of Annex I since 9 Sep 2021 (data/controllist/acts.yaml): every version rebuilt from
the one before through its act, the diff of 2024-11 and 2025-11 across categories, answers as of any date,
and classification records flagged by the act that changed their entry."""

from __future__ import annotations

from datetime import date

import pytest

from dualuse.adapters.sources.annex_i import load_history
from dualuse.adapters.sources.controllist_view import shipped_list_source, shipped_official_codes
from dualuse.adapters.sources.rulebook import load_rulebook
from dualuse.domain.classification import review_reason
from dualuse.domain.controllist import ControlCode
from dualuse.domain.controllist.acts import ChangeKind, codes_after
from dualuse.domain.errors import ValidationError
from dualuse.services.determination import DeterminationInputs, determine_case

EXPECTED = [
    # version, in force from, act (CELEX), Official Journal
    ("2021-09", date(2021, 9, 9), "32021R0821", "OJ L 206, 11.6.2021, p. 1"),
    ("2022-01", date(2022, 1, 7), "32022R0001", "OJ L 3, 6.1.2022, p. 1"),
    ("2023-01", date(2023, 1, 12), "32023R0066", "OJ L 9, 11.1.2023, p. 1"),
    ("2023-05", date(2023, 5, 26), "32023R0996", "OJ L 138, 25.5.2023, p. 1"),
    ("2023-12", date(2023, 12, 16), "32023R2616", "OJ L, 2023/2616, 15.12.2023"),
    ("2024-11", date(2024, 11, 8), "32024R2547", "OJ L, 2024/2547, 7.11.2024"),
    ("2025-11", date(2025, 11, 15), "32025R2003", "OJ L, 2025/2003, 14.11.2025"),
]


def test_every_version_since_the_regulation_applied_with_its_act() -> None:
    history = load_history()
    assert history.acts is not None
    seen = [
        (cl.version_id, cl.version.effective_from, history.acts.get(cl.version_id)) for cl in history.lists
    ]
    assert [(v, d, a.celex if a else None, a.official_journal if a else None) for v, d, a in seen] == EXPECTED


def test_every_version_s_date_and_journal_reference_are_verified_with_a_source() -> None:
    history = load_history()
    assert history.acts is not None
    for control_list in history.lists:
        act = history.acts.get(control_list.version_id)
        assert act is not None
        assert act.effective_from_verified, control_list.version_id
        assert act.sources, control_list.version_id
    assert all(v.verified for v in history.versions)


def test_each_version_is_rebuilt_from_the_one_before_through_its_act() -> None:
    """Art. 17(1): each act amends the list before it. The official codes of each version, rebuilt from the
    version before through the act's additions and removals, are the codes of that version; the last one is
    the verified consolidated text of 15 Nov 2025. Entry by entry, what the act adds is absent before and
    listed after, and what it removes the other way round."""
    history = load_history()
    assert history.acts is not None
    official = history.official_codes
    assert official["2025-11"] == shipped_official_codes()["2025-11"].codes
    for before, after in zip(history.lists, history.lists[1:], strict=False):
        act = history.acts.get(after.version_id)
        assert act is not None
        rebuilt = codes_after(official[before.version_id], act, official[after.version_id])
        assert rebuilt == official[after.version_id], after.version_id
        for code in act.codes(ChangeKind.ADDED):
            assert str(code) not in official[before.version_id]
            assert before.get(code) is None
        for code in act.codes(ChangeKind.REMOVED):
            assert str(code) not in official[after.version_id]
            assert after.get(code) is None
        entries_added = {e.code for e in after} - {e.code for e in before}
        declared = set(act.codes(ChangeKind.ADDED))
        assert all(any(d == c or d.is_ancestor_of(c) for d in declared) for c in entries_added), (
            after.version_id,
            sorted(map(str, entries_added)),
        )


def test_the_diff_of_2024_11_and_2025_11_shows_2025_2003_in_every_category_it_touched() -> None:
    """Del. Reg. (EU) 2025/2003: new sub-items outside the 5xx range (1C002.c.2.i ultrasonic atomisation,
    2B352.j peptide synthesisers), the new 5xx entries, and changed entries in categories 1 to 6."""
    changes = load_history().diff("2024-11", "2025-11")
    assert [a.celex for a in changes.acts] == ["32025R2003"]
    assert {"1C002.c.2.i", "2B352.j", "1C513", "2B510", "3A501", "4A506"} <= set(changes.codes_added)
    added_outside_5xx = {c for c in changes.codes_added if c[2] != "5"}
    assert added_outside_5xx >= {"1C002.c.2.i", "2B352.j"}
    changed = {str(c.code) for c in changes.changed}
    assert {"1C002", "2B352", "3A001", "5A002", "6A002", "6A005"} <= changed
    assert {code[0] for code in changed} >= {"1", "2", "3", "4", "5", "6"}


@pytest.mark.parametrize(
    ("code", "listed_from", "by"),
    [
        ("1C351.d.20", "2023-05", "32023R0996"),  # brevetoxins
        ("2D352", "2023-01", "32023R0066"),
        ("2B352.j", "2025-11", "32025R2003"),
    ],
)
def test_a_code_is_listed_from_the_act_that_added_it(code: str, listed_from: str, by: str) -> None:
    history = load_history()
    ids = [cl.version_id for cl in history.lists]
    for version_id in ids:
        listed = code in history.official_codes[version_id]
        assert listed is (ids.index(version_id) >= ids.index(listed_from)), version_id
    act = history.acts.get(listed_from) if history.acts else None
    assert act is not None
    assert act.celex == by


def _inputs() -> DeterminationInputs:
    return DeterminationInputs(load_rulebook(), shipped_list_source())


def _case(code: str, day: str) -> dict[str, object]:
    return {
        "date": day,
        "exporter": {"name": "Acme", "member_state": "DE"},
        "destination": "CN",
        "items": [{"id": "1", "control_code": code, "cyber_surveillance": False}],
    }


def test_as_of_a_verified_addition_the_code_did_not_exist_before() -> None:
    """Brevetoxins (1C351.d.20) were added by Del. Reg. (EU) 2023/996, in force 26 May 2023: a transaction
    of 1 March 2023 cannot name that code, one of 1 June 2023 can."""
    with pytest.raises(ValidationError) as raised:
        determine_case(_inputs(), _case("1C351.d.20", "2023-03-01"))
    assert "not in list version 2023-01" in raised.value.detail
    answer = determine_case(_inputs(), _case("1C351.d.20", "2023-06-01"))
    assert answer.determination.list_version == "2023-05"


def test_as_of_an_unverified_history_falls_back_to_the_safe_side_and_says_so() -> None:
    """3D006 (GAAFET design software) is recorded as added by Del. Reg. (EU) 2023/66 from the Wassenaar
    decision, without the EU act read: on 1 June 2022 the answer reads it as listed (licence required),
    naming what is not verified."""
    answer = determine_case(_inputs(), _case("3D006", "2022-06-01"))
    item = answer.determination.items[0]
    assert answer.determination.list_version == "2022-01"
    assert item.outcome.value == "licence_required"
    advice = " ".join(item.advice)
    assert "not fully verified" in advice
    assert "Del. Reg. (EU) 2023/66" in advice


def test_a_record_made_against_an_old_version_is_flagged_citing_the_act() -> None:
    history = load_history()
    reason = review_reason("2B352", history.diff("2021-09", "2025-11"))
    assert reason is not None
    assert "Del. Reg. (EU) 2025/2003" in reason
    reason = review_reason("1C351.d.21", history.diff("2023-01", "2024-11"))
    assert reason is not None
    assert "Del. Reg. (EU) 2023/996" in reason
    assert review_reason("0A001", history.diff("2024-11", "2025-11")) is None


def test_unverified_history_is_named_per_code() -> None:
    history = load_history()
    assert history.acts is not None
    certain = history.acts.unverified_for(ControlCode.parse("1C351.d.20"), "2023-05", "2023-05")
    assert certain == ()
    uncertain = history.acts.unverified_for(ControlCode.parse("9E003"), "2021-09", "2025-11")
    assert any("2023/66" in reason for reason in uncertain)
    assert any("2023/2616" in reason for reason in uncertain)
