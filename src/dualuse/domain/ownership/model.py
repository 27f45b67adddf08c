"""A relation between two parties on a list's graph: one holds shares in the other, or directs it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dualuse.domain.errors import ValidationError


class RelationKind(StrEnum):
    """FollowTheMoney's ``Ownership`` (owner → asset, with a percentage) and ``Directorship`` (director →
    organisation)."""

    OWNERSHIP = "ownership"
    DIRECTORSHIP = "directorship"


@dataclass(frozen=True, slots=True)
class Relation:
    """``holder`` owns ``share`` (a fraction from 0 to 1, None when the list does not say) of ``held``, or
    directs it. Ids are the list's own entity ids; names are the list's captions, kept so a company that is
    not itself listed can still be recognised by name."""

    kind: RelationKind
    holder: str
    holder_name: str
    held: str
    held_name: str
    share: float | None = None
    relation_id: str = ""

    def __post_init__(self) -> None:
        if not self.holder or not self.held:
            raise ValidationError("a relation needs both ends", field="relation")
        if self.share is not None and not 0.0 <= self.share <= 1.0:
            raise ValidationError(f"a share is between 0% and 100%, not {self.share:.0%}", field="share")
        if self.kind is RelationKind.DIRECTORSHIP and self.share is not None:
            raise ValidationError("a directorship carries no share", field="share")


def parse_share(text: str) -> float | None:
    """A percentage as FtM's ``percentage`` writes it (``50``, ``50.5%``, ``33,3``), as a fraction; None when it
    is not a number from 0 to 100 (``majority``, ``unknown``)."""
    cleaned = text.strip().rstrip("%").strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    if not 0.0 <= value <= 100.0:
        return None
    return value / 100.0
