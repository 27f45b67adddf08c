"""The Cryptography Note (Note 3 to Category 5 Part 2) as data: which codes it can release, and the
conditions that must all hold for a mass-market item or component to be released from 5A002/5D002."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dualuse.domain.controllist.codes import ControlCode


@dataclass(frozen=True)
class NoteCondition:
    """One condition of a paragraph of the Note, in our words, with where it was checked."""

    id: str
    text: str
    verified: bool
    source: str = ""


@dataclass(frozen=True)
class NoteParagraph:
    id: str
    title: str
    conditions: tuple[NoteCondition, ...]


@dataclass(frozen=True)
class CryptographyNote:
    title: str
    summary: str
    legal_source: str
    releases: tuple[ControlCode, ...]
    not_released: tuple[ControlCode, ...]
    paragraphs: tuple[NoteParagraph, ...]
    verified: bool

    def may_release(self, code: ControlCode) -> bool:
        """True if the Note can release ``code`` (it lies at or below a released code and is not excluded)."""
        if any(x == code or x.is_ancestor_of(code) for x in self.not_released):
            return False
        return any(x == code or x.is_ancestor_of(code) for x in self.releases)

    def assess(self, paragraph_id: str, answers: Mapping[str, bool | None]) -> tuple[bool, tuple[str, ...]]:
        """Whether every condition of a paragraph holds, and the ids of those not (yet) shown to hold.

        The Note releases an item only when all conditions of its paragraph are met; an unanswered
        condition is not met.
        """
        paragraph = next((p for p in self.paragraphs if p.id == paragraph_id), None)
        if paragraph is None:
            raise KeyError(paragraph_id)
        unmet = tuple(c.id for c in paragraph.conditions if answers.get(c.id) is not True)
        return (not unmet, unmet)
