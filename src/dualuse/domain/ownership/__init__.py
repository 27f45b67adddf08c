"""Ownership and control: who holds shares in, or directs, a company, as the lists publish it (FollowTheMoney
``Ownership`` and ``Directorship`` relations), and whether a company is owned 50% or more by listed persons,
alone or together, directly or through other companies."""

from dualuse.domain.ownership.aggregation import (
    FLAG_SHARE,
    ListedControl,
    OwnershipGraph,
    OwnershipPath,
)
from dualuse.domain.ownership.model import Relation, RelationKind

__all__ = [
    "FLAG_SHARE",
    "ListedControl",
    "OwnershipGraph",
    "OwnershipPath",
    "Relation",
    "RelationKind",
]
