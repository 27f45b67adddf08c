"""List versions, amendments (Art. 17(1) delegated acts) and flags that apply down the list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dualuse.domain.controllist import (
    Amendment,
    AmendmentError,
    ControlCode,
    ControlList,
    ControlListError,
    ControlListHistory,
    EffectiveFlags,
    FieldChange,
    validate_list,
)
from dualuse.domain.errors import NotFoundError, ValidationError

from .factories import AMENDMENT_DATE, BASE_DATE, base_entries, base_history, make_amendment, make_entry


def amended_history() -> ControlListHistory:
    return base_history().apply(
        make_amendment(
            "2025-11",
            AMENDMENT_DATE,
            add=(make_entry("4A506", "Quantum computers", regime="eu"),),
            change={"3A001": {"title": "Electronic items", "verified": True}},
            remove=("9A999",),
        )
    )


# -- a snapshot ---------------------------------------------------------------------------------------


def test_get_reads_the_code_as_typed() -> None:
    control_list = base_history().latest
    entry = control_list.get("5a001 f 1")
    assert entry is not None
    assert str(entry.code) == "5A001.f.1"
    assert control_list.get(ControlCode.parse("5A001.f.1")) is entry
    assert control_list.get("5A001.f.3") is None
    assert "5A001.f" in control_list
    assert "not a code" not in control_list


@pytest.mark.parametrize(
    ("code", "resolved"),
    [
        ("5A001.f.1", "5A001.f.1"),  # listed as such
        ("5A001.f.1.a", "5A001.f.1"),  # deeper than shipped: nearest listed ancestor
        ("5A001.b.3", "5A001"),  # a sub-item the list does not break down
        ("5A003", None),  # not even the top level is listed
    ],
)
def test_resolve_falls_back_to_the_nearest_listed_entry(code: str, resolved: str | None) -> None:
    entry = base_history().latest.resolve(code)
    assert (str(entry.code) if entry else None) == resolved


def test_snapshot_is_in_code_order_with_children_and_categories() -> None:
    control_list = base_history().latest
    assert [str(e.code) for e in control_list] == sorted(
        (str(e.code) for e in base_entries()), key=ControlCode.parse
    )
    assert len(control_list) == len(base_entries())
    assert [str(e.code) for e in control_list.children("5A001")] == ["5A001.f"]
    assert [str(e.code) for e in control_list.children("5A001.f")] == ["5A001.f.1", "5A001.f.2"]
    assert [str(e.code) for e in control_list.descendants("5A001")] == ["5A001.f", "5A001.f.1", "5A001.f.2"]
    assert control_list.categories == (0, 3, 4, 5, 9)
    assert "5A001.f" not in {str(e.code) for e in control_list.top_level_entries}
    assert len(control_list.top_level_entries) == 7


# -- flags apply to an entry and everything below it --------------------------------------------------


@pytest.mark.parametrize(
    ("code", "flags"),
    [
        ("5A001", EffectiveFlags()),
        ("5A001.f", EffectiveFlags(cyber_surveillance=True)),
        ("5A001.f.2", EffectiveFlags(cyber_surveillance=True)),  # inherited from 5A001.f (Art. 2(20))
        ("5A001.f.2.a", EffectiveFlags(cyber_surveillance=True)),  # deeper than the list goes
        ("5A002.a", EffectiveFlags(information_security=True)),  # encryption is not cyber-surveillance
        ("0A001.a", EffectiveFlags(annex_iv="I", eugea_excluded=True)),  # Art. 11(1), Annex II Section I
    ],
)
def test_effective_flags_are_inherited(code: str, flags: EffectiveFlags) -> None:
    assert base_history().latest.effective_flags(code) == flags


def test_effective_flags_of_an_unlisted_code_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        base_history().latest.effective_flags("5A003")


def test_nearest_annex_iv_part_wins() -> None:
    control_list = ControlList(
        base_history().latest.version,
        [make_entry("0C001", annex_iv="I"), make_entry("0C001.a", annex_iv="II"), make_entry("0C001.a.1")],
    )
    assert control_list.effective_flags("0C001.a.1").annex_iv == "II"
    assert control_list.effective_flags("0C001").annex_iv == "I"


# -- the history: which version is in force on a date -------------------------------------------------


@pytest.mark.parametrize(
    ("day", "version_id"),
    [
        (BASE_DATE, "2024-11"),
        (AMENDMENT_DATE - timedelta(days=1), "2024-11"),
        (AMENDMENT_DATE, "2025-11"),  # in force from its effective date
        (AMENDMENT_DATE + timedelta(days=400), "2025-11"),
    ],
)
def test_as_of_gives_the_version_in_force(day: date, version_id: str) -> None:
    assert amended_history().as_of(day).version_id == version_id


def test_as_of_before_the_first_version_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="2024-11-08"):
        amended_history().as_of(BASE_DATE - timedelta(days=1))


def test_apply_leaves_the_old_version_as_it_was() -> None:
    history = amended_history()
    assert [v.id for v in history.versions] == ["2024-11", "2025-11"]
    old, new = history.get_version("2024-11"), history.get_version("2025-11")
    assert old.get("9A999.a") is not None
    assert new.get("9A999") is None
    assert new.get("9A999.a") is None  # removed with its parent
    assert old.get("4A506") is None
    assert new.get("4A506") is not None
    entry = new.get("3A001")
    assert entry is not None
    assert (entry.title, entry.verified) == ("Electronic items", True)
    with pytest.raises(NotFoundError, match="2024-11, 2025-11"):
        history.get_version("2023-01")


def test_diff_lists_added_removed_and_changed_fields() -> None:
    diff = amended_history().diff("2024-11", "2025-11")
    assert [str(e.code) for e in diff.added] == ["4A506"]
    assert [str(e.code) for e in diff.removed] == ["9A999", "9A999.a"]
    assert [str(c.code) for c in diff.changed] == ["3A001"]
    assert diff.changed[0].changes == (
        FieldChange("title", "Electronic components", "Electronic items"),
        FieldChange("verified", False, True),
    )
    backwards = amended_history().diff("2025-11", "2024-11")
    assert [str(e.code) for e in backwards.added] == ["9A999", "9A999.a"]
    assert amended_history().diff("2024-11", "2024-11").is_empty


def test_a_diff_counted_per_category_adds_up_to_the_diff() -> None:
    diff = amended_history().diff("2024-11", "2025-11")
    per_category = {c.category: (c.added, c.removed, c.changed) for c in diff.by_category()}
    assert per_category == {3: (0, 0, 1), 4: (1, 0, 0), 9: (0, 2, 0)}
    assert sum(c.entries for c in diff.by_category()) == len(diff.added) + len(diff.removed) + len(
        diff.changed
    )
    assert amended_history().diff("2024-11", "2024-11").by_category() == ()


def test_diff_reports_parameter_changes_as_plain_values() -> None:
    history = base_history().apply(
        make_amendment(
            "2025-11", AMENDMENT_DATE, change={"5A002.a": {"parameters": {"symmetric_key_bits_gt": 64}}}
        )
    )
    (changed,) = history.diff("2024-11", "2025-11").changed
    assert changed.changes == (FieldChange("parameters", {}, {"symmetric_key_bits_gt": 64}),)


# -- amendments that cannot be applied ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("amendment", "problem"),
    [
        (make_amendment("2024-01", date(2024, 1, 1)), "not after 2024-11"),
        (make_amendment("2024-11b", BASE_DATE), "not after 2024-11"),
        (make_amendment("2024-11", AMENDMENT_DATE), "already exists"),
        (make_amendment("x", AMENDMENT_DATE, add=(make_entry("5A001"),)), "add 5A001: already listed"),
        (
            make_amendment("x", AMENDMENT_DATE, add=(make_entry("4A506"), make_entry("4A506"))),
            "add 4A506: added more than once",
        ),
        (make_amendment("x", AMENDMENT_DATE, change={"5A003": {"title": "t"}}), "change 5A003: not listed"),
        (make_amendment("x", AMENDMENT_DATE, change={"5A001": {"code": "5A003"}}), "cannot change code"),
        (make_amendment("x", AMENDMENT_DATE, change={"5A001": {"annex_iv": "III"}}), "annex_iv must be"),
        (make_amendment("x", AMENDMENT_DATE, remove=("5A003",)), "remove 5A003: not listed"),
        (make_amendment("x", AMENDMENT_DATE, add=(make_entry("4A506.a"),)), "its parent 4A506 is not listed"),
        (
            make_amendment("x", AMENDMENT_DATE, remove=("5D001",)),
            "related code 5D001 has no listed top-level",
        ),
        (
            make_amendment("x", AMENDMENT_DATE, add=(make_entry("4A506", related=["7A999"]),)),
            "4A506: related code 7A999 has no listed top-level entry",
        ),
        (
            make_amendment("x", AMENDMENT_DATE, remove=("5A001",), change={"5A001.f": {"title": "t"}}),
            "change 5A001.f: not listed",
        ),
    ],
)
def test_amendment_validation(amendment: Amendment, problem: str) -> None:
    history = base_history()
    with pytest.raises(AmendmentError, match=problem) as raised:
        history.apply(amendment)
    assert isinstance(raised.value, ValidationError)
    assert len(history.versions) == 1  # nothing was changed


def test_amendment_error_lists_every_problem() -> None:
    amendment = make_amendment(
        "x", AMENDMENT_DATE, add=(make_entry("5A001"),), change={"5A003": {"title": "t"}}, remove=("8A001",)
    )
    with pytest.raises(AmendmentError) as raised:
        base_history().apply(amendment)
    assert len(raised.value.problems) == 3


def test_removing_and_adding_back_replaces_an_entry() -> None:
    history = base_history().apply(
        make_amendment(
            "x", AMENDMENT_DATE, remove=("9A999",), add=(make_entry("9A999", "Rewritten", regime="eu"),)
        )
    )
    diff = history.diff("2024-11", "x")
    assert [str(e.code) for e in diff.removed] == ["9A999.a"]
    assert [c.changes[0] for c in diff.changed] == [FieldChange("title", "To be removed", "Rewritten")]


# -- a whole list -------------------------------------------------------------------------------------


def test_validate_list_finds_duplicates_and_orphans() -> None:
    problems = validate_list([*base_entries(), make_entry("5A001"), make_entry("6A003.a.1")])
    assert problems == ["5A001: listed more than once", "6A003.a.1: its parent 6A003.a is not listed"]
    assert validate_list(base_entries()) == []


def test_an_unsound_base_list_is_refused() -> None:
    with pytest.raises(ControlListError, match="its parent 6A003 is not listed"):
        ControlList(base_history().latest.version, [make_entry("6A003.a")])


def test_entries_are_immutable() -> None:
    entry = make_entry("5A002.a", parameters={"symmetric_key_bits_gt": 56})
    with pytest.raises(TypeError):
        entry.parameters["symmetric_key_bits_gt"] = 1  # type: ignore[index]
    with pytest.raises(ValidationError, match="needs a title"):
        make_entry("5A002", " ")


def test_a_change_of_provenance_alone_is_not_a_change_of_the_list() -> None:
    """Checking our data against a source (``source``, ``verified``) does not amend Annex I (Art. 17(1)):
    such an entry is not in the diff, so no classification is flagged for review over it."""
    checked = base_history().apply(
        make_amendment(
            "2025-11", AMENDMENT_DATE, change={"3A001": {"verified": True, "source": "consolidated text"}}
        )
    )
    assert checked.diff("2024-11", "2025-11").is_empty
