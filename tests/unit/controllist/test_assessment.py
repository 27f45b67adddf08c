"""Assessing an item against an entry's sub-items (Art. 3(1): an item listed in Annex I needs an
authorisation). Table cases from Annex I, and properties over any tree of sub-items: the assessment picks
the sub-item whose thresholds the parameters meet, and never says "not listed" while a sibling that could
still catch the item is unassessed."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dualuse.domain.controllist.assessment import Outcome, Status, assess
from dualuse.domain.controllist.codes import ControlCode
from dualuse.domain.controllist.provisions import AnnexText, Combination, Provision
from dualuse.domain.controllist.quantities import Comparison, Threshold
from dualuse.domain.errors import NotFoundError, ValidationError

GT, GE, LT, LE = Comparison.GT, Comparison.GE, Comparison.LT, Comparison.LE


def text_of(*provisions: Provision) -> AnnexText:
    return AnnexText("t", "2025-11-15", "c", "u", "s", {p.code: p for p in provisions})


def prov(
    code: str, *thresholds: Threshold, children: Combination = Combination.ANY, **kw: object
) -> Provision:
    return Provision(ControlCode.parse(code), thresholds=thresholds, children_combine=children, **kw)  # type: ignore[arg-type]


# 5A002.d as consolidated on 2025-11-15: d.1 a bandwidth exceeding 500 MHz, or d.2 a fractional bandwidth of 20 % or more
SPREAD = text_of(
    prov("5A002"),
    prov("5A002.d"),
    prov("5A002.d.1", Threshold("bandwidth", GT, 500, "MHz")),
    prov("5A002.d.2", Threshold("fractional_bandwidth", GE, 20, "%")),
)


@pytest.mark.parametrize(
    ("given_", "outcome", "listed_under", "needed"),
    [
        ({}, Outcome.UNDECIDED, (), {"bandwidth", "fractional_bandwidth"}),
        ({"bandwidth": 600}, Outcome.LISTED, ("5A002.d.1",), set()),
        ({"bandwidth": "0.6 GHz"}, Outcome.LISTED, ("5A002.d.1",), set()),
        ({"bandwidth_ghz": 0.6}, Outcome.LISTED, ("5A002.d.1",), set()),
        ({"bandwidth": 500}, Outcome.UNDECIDED, (), {"fractional_bandwidth"}),  # sibling d.2 unassessed
        ({"bandwidth": 400, "fractional_bandwidth": 10}, Outcome.NOT_LISTED, (), set()),
        ({"bandwidth": 400, "fractional_bandwidth": 20}, Outcome.LISTED, ("5A002.d.2",), set()),
        ({"bandwidth": 900, "fractional_bandwidth": 30}, Outcome.LISTED, ("5A002.d.1", "5A002.d.2"), set()),
        ({"5A002.d.1": False, "fractional_bandwidth": 5}, Outcome.NOT_LISTED, (), set()),
    ],
)
def test_sub_items_are_alternatives_art_3(
    given_: Mapping[str, object], outcome: Outcome, listed_under: tuple[str, ...], needed: set[str]
) -> None:
    result = assess(SPREAD, "5A002.d", given_)
    assert result.outcome is outcome
    assert tuple(str(c) for c in result.listed_under) == listed_under
    assert {q.key for q in result.needed} == needed


def test_cumulative_conditions_all_must_hold() -> None:
    # 3A504 (EU list): cryocoolers meeting all of: cooling power ≥ 600 μW and temperature ≤ 0.1 K
    text = text_of(
        prov("3A504", children=Combination.ALL),
        prov("3A504.a", Threshold("cooling_power", GE, 600, "μW")),
        prov("3A504.b", Threshold("temperature", LE, 0.1, "K")),
    )
    assert assess(text, "3A504", {"cooling_power": 700, "temperature": 0.05}).outcome is Outcome.LISTED
    assert assess(text, "3A504", {"cooling_power": 700, "temperature": 0.5}).outcome is Outcome.NOT_LISTED
    half = assess(text, "3A504", {"cooling_power": 700})
    assert half.outcome is Outcome.UNDECIDED
    assert [q.key for q in half.needed] == ["temperature"]


def test_a_sub_item_without_threshold_is_asked_yes_or_no() -> None:
    text = text_of(prov("5A002"), prov("5A002.a"), prov("5A002.a.1"), prov("5A002.a.2"))
    asked = assess(text, "5A002.a", {})
    assert [(q.key, q.yes_no) for q in asked.needed] == [("5A002.a.1", True), ("5A002.a.2", True)]
    assert assess(text, "5A002.a", {"5a002.a.1": "no", "5A002.a.2": False}).outcome is Outcome.UNDECIDED
    assert assess(text, "5A002.a", {"5A002.a.1": False, "5A002.a.2": False}).outcome is Outcome.NOT_LISTED
    assert assess(text, "5A002.a", {"5A002.a.2": True}).listed_under == (ControlCode.parse("5A002.a.2"),)


def test_not_used_sub_items_are_not_asked_about() -> None:
    text = text_of(
        prov("6A001"), prov("6A001.a", Threshold("depth", GT, 300, "m")), prov("6A001.b", not_used=True)
    )
    assert assess(text, "6A001", {"depth": 100}).outcome is Outcome.NOT_LISTED


def test_a_value_in_the_wrong_kind_of_unit_is_refused() -> None:
    with pytest.raises(ValidationError, match="measured in MHz"):
        assess(SPREAD, "5A002.d", {"bandwidth": "3 W"})


def test_an_unknown_entry_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        assess(SPREAD, "9A001", {})


# -- properties over any tree of sub-items ---------------------------------------------------------

QUANTITIES = ("q1", "q2", "q3")


@st.composite
def trees(draw: st.DrawFn) -> AnnexText:
    """A small entry: up to three levels of sub-items, any/all, thresholds on three quantities."""
    provisions: list[Provision] = []

    def node(code: ControlCode, depth: int) -> None:
        thresholds = tuple(
            Threshold(
                draw(st.sampled_from(QUANTITIES)),
                draw(st.sampled_from(list(Comparison))),
                draw(st.integers(0, 4)),
            )
            for _ in range(draw(st.integers(0, 2 if depth else 0)))
        )
        kids = draw(st.integers(0, 3)) if depth < 3 else 0
        provisions.append(
            Provision(
                code,
                thresholds=thresholds,
                thresholds_combine=draw(st.sampled_from(list(Combination))),
                children_combine=draw(st.sampled_from(list(Combination))),
            )
        )
        for i in range(kids):
            part = "abc"[i] if depth % 2 == 0 else str(i + 1)
            node(code.child(part), depth + 1)

    node(ControlCode.parse("5A001"), 0)
    return text_of(*provisions)


def _oracle(text: AnnexText, code: ControlCode, values: Mapping[str, object]) -> bool:
    """Whether an item with every fact known falls under ``code``: the plain reading of the structure."""
    provision = text.provisions[code]
    if values.get(str(code).lower()) is False:
        return False
    checks = [t.comparison.holds(float(values[t.quantity]), t.threshold) for t in provision.thresholds]  # type: ignore[arg-type]
    own = (any if provision.thresholds_combine is Combination.ANY else all)(checks) if checks else True
    kids = text.children(code)
    if kids:
        below = [_oracle(text, k.code, values) for k in kids]
        return own and (any if provision.children_combine is Combination.ANY else all)(below)
    if checks:
        return own
    return values.get(str(code).lower()) is True


def _completions(text: AnnexText, given_: Mapping[str, object]) -> list[dict[str, object]]:
    """Every way the facts not given could turn out (values around each threshold, yes or no)."""
    candidates: dict[str, list[object]] = {}
    thresholds = [t for p in text.provisions.values() for t in p.thresholds]
    for quantity in QUANTITIES:
        if quantity not in given_:
            points = {t.threshold + d for t in thresholds if t.quantity == quantity for d in (-0.5, 0, 0.5)}
            candidates[quantity] = sorted(points | {-10.0, 10.0})
    for code, provision in text.provisions.items():
        key = str(code).lower()
        if not provision.thresholds and not text.children(code) and key not in given_:
            candidates[key] = [True, False]
    keys = list(candidates)
    product = 1
    for options in candidates.values():
        product *= len(options)
    assume(product <= 3000)
    return [
        {**given_, **dict(zip(keys, combo, strict=True))} for combo in itertools.product(*candidates.values())
    ]


@st.composite
def cases(draw: st.DrawFn) -> tuple[AnnexText, dict[str, object]]:
    text = draw(trees())
    given_: dict[str, object] = {}
    for quantity in QUANTITIES:
        if draw(st.booleans()):
            given_[quantity] = draw(st.integers(-1, 5)) + draw(st.sampled_from([0, 0.5]))
    for code, provision in text.provisions.items():
        if not provision.thresholds and not text.children(code) and draw(st.booleans()):
            given_[str(code).lower()] = draw(st.booleans())
    return text, given_


ROOT = ControlCode.parse("5A001")


@settings(max_examples=300)
@given(cases())
def test_a_decided_answer_holds_however_the_missing_facts_turn_out(
    case: tuple[AnnexText, dict[str, object]],
) -> None:
    """ "Listed" and "not listed" are only said when no missing parameter could change them; in particular,
    never "not listed" while a sibling that could still catch the item is unassessed."""
    text, given_ = case
    result = assess(text, ROOT, given_)
    if result.outcome is Outcome.UNDECIDED:
        assert result.needed, "an undecided answer says what is still needed"
        return
    expected = result.outcome is Outcome.LISTED
    for completion in _completions(text, given_):
        assert _oracle(text, ROOT, completion) is expected, completion


@settings(max_examples=300)
@given(cases())
def test_listed_under_the_sub_items_whose_thresholds_are_met(
    case: tuple[AnnexText, dict[str, object]],
) -> None:
    text, given_ = case
    result = assess(text, ROOT, given_)
    statuses = {i.code: i.status for i in result.items}
    if result.outcome is not Outcome.LISTED:
        assert result.listed_under == ()
        return
    assert result.listed_under
    for code in result.listed_under:
        for t in text.provisions[code].thresholds:
            if text.provisions[code].thresholds_combine is Combination.ALL:
                assert t.comparison.holds(float(given_[t.quantity]), t.threshold)  # type: ignore[arg-type]
        for above in (*code.ancestors, code):  # the sub-item and every level above it are met
            assert statuses[above] is Status.MET


@settings(max_examples=200)
@given(cases())
def test_with_every_fact_given_the_answer_is_decided_and_right(
    case: tuple[AnnexText, dict[str, object]],
) -> None:
    text, given_ = case
    for completion in _completions(text, given_)[:20]:
        result = assess(text, ROOT, completion)
        assert result.outcome is not Outcome.UNDECIDED
        assert (result.outcome is Outcome.LISTED) is _oracle(text, ROOT, completion)


@settings(max_examples=200)
@given(cases())
def test_no_ruled_out_sub_item_has_an_unassessed_part(case: tuple[AnnexText, dict[str, object]]) -> None:
    """A sub-item is ruled out by an answer, by its own thresholds (each given), or once every sub-item
    below it was assessed."""
    text, given_ = case
    result = assess(text, ROOT, given_)
    statuses = {i.code: i.status for i in result.items}
    for code, status in statuses.items():
        if status is not Status.NOT_MET or given_.get(str(code).lower()) is False:
            continue
        provision = text.provisions[code]
        own_ruled_out = (
            all(t.quantity in given_ for t in provision.thresholds)
            and provision.thresholds
            and not (
                (any if provision.thresholds_combine is Combination.ANY else all)(
                    t.comparison.holds(float(given_[t.quantity]), t.threshold)  # type: ignore[arg-type]
                    for t in provision.thresholds
                )
            )
        )
        children_assessed = all(statuses.get(k.code) is not Status.UNASSESSED for k in text.children(code))
        assert own_ruled_out or children_assessed, code
