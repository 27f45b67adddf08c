"""The impact analysis: which objects a change touches, per exporter and per state."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dualuse.domain.listchange import (
    ChangedCode,
    ChangeKind,
    ImpactReport,
    Subject,
    SubjectKind,
    analyse,
    codes_in_scope,
    related,
)
from dualuse.domain.rules.rulebook import ItemScope

K = SubjectKind


def subject(kind: SubjectKind, exporter: int, state: str, *codes: str, ref: str = "x") -> Subject:
    return Subject(kind, ref, exporter, state, codes)


CHANGED = (ChangedCode("5A001.k", ChangeKind.ADDED), ChangedCode("5A002.a", ChangeKind.CHANGED))


def test_codes_above_below_and_equal_are_touched_others_not() -> None:
    subjects = [
        subject(K.CLASSIFICATION, 1, "DE", "5A002.a"),  # the same code
        subject(K.LICENCE, 1, "DE", "5A002.a.1"),  # below a changed code
        subject(K.APPLICATION, 2, "FR", "5A001"),  # above a new sub-item
        subject(K.CLASSIFICATION, 3, "FR", "5A002.b"),  # a sibling: untouched
        subject(K.CLASSIFICATION, 3, "FR", "1A001"),
    ]
    report = analyse(CHANGED, subjects)
    assert report.exporters == (1, 2)
    assert report.by_exporter() == {1: {"classification": 1, "licence": 1}, 2: {"application": 1}}
    assert report.by_state() == {"DE": {"classification": 1, "licence": 1}, "FR": {"application": 1}}
    assert report.totals() == {"classification": 1, "application": 1, "licence": 1, "ga_registration": 0}


def test_a_national_measure_touches_only_its_state() -> None:
    subjects = [subject(K.CLASSIFICATION, 1, "DE", "5A002.a"), subject(K.CLASSIFICATION, 2, "FR", "5A002.a")]
    assert analyse(CHANGED, subjects, member_state="DE").exporters == (1,)


def test_general_authorisation_scopes() -> None:
    whole_list = ItemScope(excluded_codes=frozenset({"5A002.a"}))
    assert codes_in_scope(whole_list, CHANGED) == ("5A001.k",)
    named = ItemScope(codes=frozenset({"1A001", "3C001"}))
    assert codes_in_scope(named, CHANGED) == ("1A001", "3C001")
    software_only = ItemScope(groups=frozenset({"D"}))
    assert codes_in_scope(software_only, CHANGED) == ()


def test_the_report_survives_storage() -> None:
    report = analyse(CHANGED, [subject(K.GA_REGISTRATION, 1, "DE", "5A001.k", ref="EU001 registration")])
    assert ImpactReport.from_dict(report.as_dict()) == report


# --- the property: every object in the report shares a changed code, and every object left out shares none
CODES = st.sampled_from(
    ["5A001", "5A001.a", "5A001.k", "5A002", "5A002.a", "5A002.a.1", "5A002.b", "1A001", "1A001.a", "3C001"]
)
changed_codes = st.lists(
    st.builds(ChangedCode, CODES, st.sampled_from(list(ChangeKind))), max_size=4, unique_by=lambda c: c.code
)
subjects = st.lists(
    st.builds(
        Subject,
        st.sampled_from(list(SubjectKind)),
        st.text(min_size=1, max_size=5),
        st.integers(min_value=1, max_value=5),
        st.sampled_from(["DE", "FR", "IT"]),
        st.lists(CODES, max_size=3).map(tuple),
    ),
    max_size=12,
)


@given(changed_codes, subjects)
def test_every_affected_object_shares_a_changed_code(
    changed: list[ChangedCode], found: list[Subject]
) -> None:
    report = analyse(changed, found)
    for affected in report.affected:
        assert affected.by
        for c in affected.by:
            assert c in changed
            assert any(related(c.code, own) for own in affected.subject.codes)
    touched = {id(a.subject) for a in report.affected}
    for s in found:
        if id(s) not in touched:
            assert not any(related(c.code, own) for c in changed for own in s.codes)
    assert sum(sum(kinds.values()) for kinds in report.by_state().values()) == len(report.affected)
    assert sum(sum(kinds.values()) for kinds in report.by_exporter().values()) == len(report.affected)


def test_text_that_is_not_a_code_matches_only_itself() -> None:
    assert related("DE-NATIONAL-1", "DE-NATIONAL-1")
    assert not related("DE-NATIONAL-1", "5A001")
