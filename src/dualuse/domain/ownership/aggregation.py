"""Whether a company is owned 50% or more by listed persons, alone or together, and how.

The share listed persons hold in a company is the sum, over every chain of holdings that starts at a listed
party and reaches the company through parties that are not listed, of the product of the shares along the
chain: listed A holding 30% and listed B holding 25% of X hold 55% of X together; listed A holding 60% of Y
which holds 50% of X holds 30% of X through Y. A chain stops at the first listed party on it (its holding
counts in full; what it is itself owned by adds nothing). Cycles are followed once per chain.

This is the aggregation of the US Treasury's "50 Percent Rule" (OFAC guidance of 13 August 2014: property of
entities owned 50% or more, directly or indirectly, individually or in the aggregate, by blocked persons is
blocked) with indirect holdings multiplied along the chain; the EU's own test for ownership (Council best
practices, "more than 50%") is stricter to meet, so 50% or more is the safe side for an exporter. A holding
whose share the list does not give is not counted in the sum but is shown as a path (``share`` None), and a
listed director of a company is reported as control.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dualuse.domain.ownership.model import Relation, RelationKind

FLAG_SHARE = 0.5
"""Owned this much or more by listed persons, alone or together: flagged (OFAC 50 Percent Rule, 13 Aug 2014)."""
MAX_DEPTH = 8
MAX_PATHS = 200


@dataclass(frozen=True, slots=True)
class OwnershipPath:
    """A chain of holdings from a listed party (first) to the company screened (last): the names along it,
    and the share it carries (the product of the shares; None when one of them is not given)."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    shares: tuple[float | None, ...]

    @property
    def share(self) -> float | None:
        product = 1.0
        for share in self.shares:
            if share is None:
                return None
            product *= share
        return product

    def describe(self) -> str:
        parts = [self.names[0]]
        for name, share in zip(self.names[1:], self.shares, strict=True):
            parts.append(f"—{'?' if share is None else f'{share:.0%}'}→ {name}")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class ListedControl:
    """What listed parties hold in one company: the aggregate share, the chains, and listed directors."""

    company: str
    company_name: str
    share: float
    paths: tuple[OwnershipPath, ...]
    directors: tuple[str, ...] = ()
    truncated: bool = False
    """More chains than are followed (``MAX_PATHS``): the share is at least what is shown."""

    @property
    def flagged(self) -> bool:
        """Owned 50% or more by listed persons, alone or together."""
        return self.share >= FLAG_SHARE - 1e-9

    @property
    def controlled(self) -> bool:
        return bool(self.directors)


class OwnershipGraph:
    """The holdings and directorships of the lists, with which of their parties are listed."""

    def __init__(self, relations: Iterable[Relation], listed: Iterable[str]) -> None:
        self._owners: dict[str, list[Relation]] = {}
        self._directors: dict[str, list[Relation]] = {}
        self.names: dict[str, str] = {}
        for relation in relations:
            table = self._owners if relation.kind is RelationKind.OWNERSHIP else self._directors
            table.setdefault(relation.held, []).append(relation)
            self.names.setdefault(relation.holder, relation.holder_name)
            self.names.setdefault(relation.held, relation.held_name)
        self.listed = frozenset(listed)

    @property
    def companies(self) -> Mapping[str, str]:
        """Every party that is held or directed, with its name: what a screened company can be."""
        return {key: self.names[key] for key in (*self._owners, *self._directors)}

    def __len__(self) -> int:
        return sum(map(len, self._owners.values())) + sum(map(len, self._directors.values()))

    def control(self, company: str) -> ListedControl:
        """The share listed parties hold in ``company``, the chains it comes through, and its listed
        directors."""
        paths: list[OwnershipPath] = []
        truncated = self._walk(company, (company,), (), paths)
        share = min(1.0, sum(p.share or 0.0 for p in paths))
        directors = tuple(
            dict.fromkeys(r.holder_name for r in self._directors.get(company, ()) if r.holder in self.listed)
        )
        return ListedControl(
            company=company,
            company_name=self.names.get(company, company),
            share=share,
            paths=tuple(sorted(paths, key=lambda p: -(p.share or 0.0))),
            directors=directors,
            truncated=truncated,
        )

    def _walk(
        self,
        node: str,
        chain: tuple[str, ...],
        shares: tuple[float | None, ...],
        found: list[OwnershipPath],
    ) -> bool:
        """Follow holdings upwards from ``node``; a chain ends at a listed holder. True if cut short."""
        truncated = False
        for relation in self._owners.get(node, ()):
            holder = relation.holder
            if holder in chain:
                continue  # a cycle: each party once per chain
            up_chain = (holder, *chain)
            up_shares = (relation.share, *shares)
            if holder in self.listed:
                if len(found) >= MAX_PATHS:
                    return True
                found.append(
                    OwnershipPath(
                        ids=up_chain, names=tuple(self.names.get(i, i) for i in up_chain), shares=up_shares
                    )
                )
            elif len(up_chain) <= MAX_DEPTH and relation.share != 0.0:
                truncated = self._walk(holder, up_chain, up_shares, found) or truncated
        return truncated
