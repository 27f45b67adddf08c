"""The handbook as a model: sections of parts, each part a list of blocks (paragraphs, lists, tables,
definitions) with the legal texts it rests on. Renderers (web pages, PDF) only lay this out; every word
about a rule comes from the data the system runs on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Citation:
    """A legal basis as written in the data (``Regulation (EU) 2021/821, Art. 5(2)``) and, where the act is
    on EUR-Lex under a known CELEX number, the address of its text."""

    text: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[str, ...]
    kind: str = "bullets"


@dataclass(frozen=True, slots=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    anchors: tuple[str, ...] = ()
    """Where given, the first cell of row i links to the part ``anchors[i]`` of the same section."""
    kind: str = "table"


@dataclass(frozen=True, slots=True)
class Definition:
    """A term and its meaning (a glossary line, a field of a general authorisation)."""

    term: str
    meaning: str
    kind: str = "definition"


Block = Paragraph | Bullets | Table | Definition


@dataclass(frozen=True, slots=True)
class Part:
    """A titled part of a section with its own anchor (``eu002``, ``art5-2-aware-cyber``)."""

    anchor: str
    title: str
    blocks: tuple[Block, ...]
    citations: tuple[Citation, ...] = ()
    source: str = ""
    verified: bool | None = None
    """True/False where the part states a rule or fact from the data; None for explanations of our own."""


@dataclass(frozen=True, slots=True)
class Section:
    """One page of the handbook (``slug`` is its address and its anchor in the PDF)."""

    slug: str
    title: str
    summary: str
    intro: tuple[Block, ...]
    parts: tuple[Part, ...] = ()


@dataclass(frozen=True, slots=True)
class Edition:
    """Which handbook this is: its number, the day it was made, the hash of everything it was built from,
    and the versions of the control list and of the rules. ``published`` is false for the edition the data
    would give now when it differs from the last recorded one (not yet recorded with ``dualuse handbook
    build``)."""

    number: int
    made_on: date
    content_hash: str
    list_version: str
    rules_version: str
    published: bool = True

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]

    @property
    def label(self) -> str:
        state = "" if self.published else " (draft: not yet recorded)"
        return (
            f"Edition {self.number}{state} of {self.made_on.isoformat()}, control list {self.list_version}, "
            f"rules {self.rules_version}, content hash {self.short_hash}"
        )


@dataclass(frozen=True, slots=True)
class Change:
    """One difference from the previous edition: where (``area``), what (``subject``) and how."""

    area: str
    subject: str
    what: str


@dataclass(frozen=True, slots=True)
class Handbook:
    edition: Edition
    sections: tuple[Section, ...]
    previous: Edition | None = None
    changes: tuple[Change, ...] = field(default=())

    def section(self, slug: str) -> Section | None:
        """The section at ``slug``, or None."""
        for section in self.sections:
            if section.slug == slug:
                return section
        return None

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(s.slug for s in self.sections)
