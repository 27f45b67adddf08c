"""Ownership by listed persons, alone or together, directly or down chains (OFAC 50 Percent Rule, 13 Aug 2014,
with indirect holdings multiplied along the chain): table cases and Hypothesis properties."""

from __future__ import annotations

import math
from functools import cache

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dualuse.domain.errors import ValidationError
from dualuse.domain.ownership import FLAG_SHARE, OwnershipGraph, Relation, RelationKind
from dualuse.domain.ownership.model import parse_share

OWN = RelationKind.OWNERSHIP


def own(holder: str, held: str, share: float | None) -> Relation:
    return Relation(OWN, holder, holder.upper(), held, held.upper(), share)


@pytest.mark.parametrize(
    ("relations", "listed", "share", "flagged"),
    [
        ([own("a", "x", 0.5)], {"a"}, 0.5, True),  # 50% alone: 50% or more
        ([own("a", "x", 0.49)], {"a"}, 0.49, False),
        ([own("a", "x", 0.3), own("b", "x", 0.25)], {"a", "b"}, 0.55, True),  # together
        ([own("a", "x", 0.3), own("b", "x", 0.25)], {"a"}, 0.3, False),  # b is not listed
        ([own("a", "y", 0.6), own("y", "x", 0.5)], {"a"}, 0.3, False),  # 60% x 50%
        ([own("a", "y", 1.0), own("y", "x", 0.5)], {"a"}, 0.5, True),  # wholly-owned intermediary
        ([own("a", "y", 0.8), own("y", "x", 0.4), own("b", "x", 0.2)], {"a", "b"}, 0.52, True),  # mixed
        ([own("a", "x", 0.7), own("m", "a", 1.0)], {"a", "m"}, 0.7, False),  # chain stops at a listed a
        ([own("a", "x", None)], {"a"}, 0.0, False),  # share not given: shown, not counted
    ],
)
def test_listed_share(relations: list[Relation], listed: set[str], share: float, flagged: bool) -> None:
    control = OwnershipGraph(relations, listed).control("x")
    assert math.isclose(control.share, share)
    assert control.flagged is (flagged or (share >= FLAG_SHARE))


def test_the_path_names_every_party_and_share() -> None:
    graph = OwnershipGraph([own("a", "y", 0.6), own("y", "x", 0.5), own("b", "x", 0.25)], {"a", "b"})
    control = graph.control("x")
    assert [p.describe() for p in control.paths] == ["A —60%→ Y —50%→ X", "B —25%→ X"]
    assert math.isclose(control.share, 0.55)
    assert control.flagged


def test_a_listed_director_is_control_not_ownership() -> None:
    director = Relation(RelationKind.DIRECTORSHIP, "d", "D", "x", "X")
    control = OwnershipGraph([director], {"d"}).control("x")
    assert (control.share, control.directors, control.controlled, control.flagged) == (
        0.0,
        ("D",),
        True,
        False,
    )


def test_cycles_end() -> None:
    graph = OwnershipGraph([own("y", "x", 0.6), own("x", "y", 0.6), own("a", "y", 1.0)], {"a"})
    assert math.isclose(graph.control("x").share, 0.6)


@pytest.mark.parametrize(
    ("text", "share"), [("50", 0.5), ("50.5%", 0.505), ("33,3", 0.333), ("majority", None)]
)
def test_percentages(text: str, share: float | None) -> None:
    parsed = parse_share(text)
    assert parsed == share if share is None else math.isclose(parsed or -1, share)


def test_a_share_above_100_percent_is_refused() -> None:
    with pytest.raises(ValidationError):
        own("a", "x", 1.5)


# --- properties ------------------------------------------------------------------------------------------
shares = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@given(st.lists(shares, min_size=1, max_size=6))
def test_listed_owners_of_one_company_add_up(direct: list[float]) -> None:
    relations = [own(f"p{i}", "x", s) for i, s in enumerate(direct)]
    control = OwnershipGraph(relations, {f"p{i}" for i in range(len(direct))}).control("x")
    assert math.isclose(control.share, min(1.0, sum(direct)), abs_tol=1e-9)
    assert control.flagged is (min(1.0, sum(direct)) >= FLAG_SHARE - 1e-9)


@given(st.lists(shares, min_size=1, max_size=6))
def test_a_chain_multiplies(chain: list[float]) -> None:
    nodes = [f"n{i}" for i in range(len(chain) + 1)]  # n0 listed, ... n_k the company
    relations = [own(nodes[i], nodes[i + 1], s) for i, s in enumerate(chain)]
    control = OwnershipGraph(relations, {"n0"}).control(nodes[-1])
    assert math.isclose(control.share, math.prod(chain), abs_tol=1e-9)


@st.composite
def dags(draw: st.DrawFn) -> tuple[list[Relation], set[str], int]:
    """A random acyclic holding graph: node i can only hold shares in nodes after it; node n-1 is screened."""
    n = draw(st.integers(min_value=2, max_value=7))
    relations = []
    for held in range(1, n):
        holders = draw(st.lists(st.integers(0, held - 1), unique=True, max_size=3))
        cut = draw(st.lists(shares, min_size=len(holders), max_size=len(holders)))
        total = sum(cut) or 1.0
        for holder, share in zip(holders, cut, strict=True):
            relations.append(own(f"n{holder}", f"n{held}", share / total if total > 1 else share))
    listed = {f"n{i}" for i in draw(st.sets(st.integers(0, n - 2)))}
    return relations, listed, n


@settings(max_examples=200)
@given(dags())
def test_the_path_sum_is_the_recursive_share(graph: tuple[list[Relation], set[str], int]) -> None:
    """On an acyclic graph, the sum over chains equals share(x) = sum of share-of-holding x (1 if the holder
    is listed, else the holder's own listed share): an independent computation."""
    relations, listed, n = graph

    @cache
    def recursive(node: str) -> float:
        return sum(
            r.share * (1.0 if r.holder in listed else recursive(r.holder))
            for r in relations
            if r.held == node and r.share is not None
        )

    control = OwnershipGraph(relations, listed).control(f"n{n - 1}")
    assume(not control.truncated)  # more chains than are followed: the share shown is a lower bound
    assert math.isclose(control.share, min(1.0, recursive(f"n{n - 1}")), abs_tol=1e-9)
    assert 0.0 <= control.share <= 1.0


@settings(max_examples=100)
@given(dags(), shares)
def test_one_more_listed_owner_never_lowers_the_share(
    graph: tuple[list[Relation], set[str], int], extra: float
) -> None:
    relations, listed, n = graph
    before = OwnershipGraph(relations, listed).control(f"n{n - 1}").share
    after = OwnershipGraph([*relations, own("new", f"n{n - 1}", extra)], {*listed, "new"}).control(
        f"n{n - 1}"
    )
    assert after.share >= before - 1e-9


@settings(max_examples=100)
@given(dags())
def test_nobody_listed_owns_nothing(graph: tuple[list[Relation], set[str], int]) -> None:
    relations, _listed, n = graph
    control = OwnershipGraph(relations, set()).control(f"n{n - 1}")
    assert (control.share, control.paths, control.flagged) == (0.0, (), False)
