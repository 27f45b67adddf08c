"""The verification report: per area of the reference data, how many elements are verified, against
which sources, and which are not yet ("right or silent": an unverified element is treated on the safe
side, and this report says where)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pending:
    """An element not yet verified, and why (the first problem found, or "not checked")."""

    id: str
    why: str


@dataclass(frozen=True, slots=True)
class Area:
    """One area of the reference data (Annex I Category 5, Annex II, sanctions regimes…)."""

    key: str
    name: str
    group: str
    total: int
    verified: int
    sources: tuple[str, ...]
    pending: tuple[Pending, ...]
    detail: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.verified <= self.total:
            raise ValueError(f"{self.key}: {self.verified} verified of {self.total}")

    @property
    def share(self) -> float:
        """The verified share, 0-1 (1 for an empty area: nothing is left to verify)."""
        return self.verified / self.total if self.total else 1.0

    @property
    def percent(self) -> str:
        return f"{self.share * 100:.1f} %"


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """Every area, in the order shown."""

    areas: tuple[Area, ...]

    def area(self, key: str) -> Area:
        for area in self.areas:
            if area.key == key:
                return area
        raise KeyError(key)

    def combined(self, keys: Iterable[str], key: str, name: str) -> Area:
        """Several areas counted as one (Annex I Categories 3-6 against the 90 % target)."""
        parts = [self.area(k) for k in keys]
        return Area(
            key=key,
            name=name,
            group=parts[0].group if parts else "",
            total=sum(p.total for p in parts),
            verified=sum(p.verified for p in parts),
            sources=tuple(dict.fromkeys(s for p in parts for s in p.sources)),
            pending=tuple(x for p in parts for x in p.pending),
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "areas": [
                {
                    "key": a.key,
                    "name": a.name,
                    "group": a.group,
                    "total": a.total,
                    "verified": a.verified,
                    "share": round(a.share, 4),
                    "sources": list(a.sources),
                    "detail": a.detail,
                    "pending": [{"id": p.id, "why": p.why} for p in a.pending],
                }
                for a in self.areas
            ]
        }
