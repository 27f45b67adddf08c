"""The handbook: guidance for businesses generated from the rules, list and data the system runs on (what
needs an authorisation and why, cyber-surveillance items, due diligence, general authorisations, national
measures, how to apply, penalties, a glossary, and what changed since the last edition)."""

from dualuse.domain.handbook.build import build
from dualuse.domain.handbook.changes import between
from dualuse.domain.handbook.eurlex import celex, cite
from dualuse.domain.handbook.model import (
    Block,
    Bullets,
    Change,
    Citation,
    Definition,
    Edition,
    Handbook,
    Paragraph,
    Part,
    Section,
    Table,
)
from dualuse.domain.handbook.snapshot import (
    GlossaryTerm,
    PenaltyFile,
    Snapshot,
    TimeLimits,
    content_hash,
    take,
)

__all__ = [
    "Block",
    "Bullets",
    "Change",
    "Citation",
    "Definition",
    "Edition",
    "GlossaryTerm",
    "Handbook",
    "Paragraph",
    "Part",
    "PenaltyFile",
    "Section",
    "Snapshot",
    "Table",
    "TimeLimits",
    "between",
    "build",
    "celex",
    "cite",
    "content_hash",
    "take",
]
