"""Licence determination (Arts. 3-12 of Regulation (EU) 2021/821 and sanctions prohibitions): the facts of
a transaction, the rules as data (``Rulebook``) and the engine that applies them (``determine``)."""

from dualuse.domain.rules.engine import (
    Determination,
    ItemDetermination,
    ItemFlags,
    ListSource,
    ListView,
    Question,
    determine,
)
from dualuse.domain.rules.facts import (
    Activity,
    Circumstance,
    EndUserType,
    EntityList,
    Exporter,
    ItemKind,
    Knowledge,
    OrderItem,
    Party,
    TransactionFacts,
)
from dualuse.domain.rules.outcome import Outcome, most_restrictive
from dualuse.domain.rules.rulebook import Rulebook
from dualuse.domain.union import EU_MEMBER_STATES

__all__ = [
    "EU_MEMBER_STATES",
    "Activity",
    "Circumstance",
    "Determination",
    "EndUserType",
    "EntityList",
    "Exporter",
    "ItemDetermination",
    "ItemFlags",
    "ItemKind",
    "Knowledge",
    "ListSource",
    "ListView",
    "OrderItem",
    "Outcome",
    "Party",
    "Question",
    "Rulebook",
    "TransactionFacts",
    "determine",
    "most_restrictive",
]
