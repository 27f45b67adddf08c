"""The annual report on the implementation of Regulation (EU) 2021/821 (Art. 26(2)) as tables of cells.

Art. 26(2) asks for information on authorisations (number and value by item type and destination, at Union and
member-state level), on denials and prohibitions, and on administration and enforcement; Commission
Recommendation (EU) 2024/214 sets how member states collect it. The sections below follow the structure of the
Recommendation as the project's reference notes give it: those notes come from a table of contents, not from the
Recommendation's text, so the structure is marked unverified (``SECTIONS``, ``STRUCTURE_SOURCE``).

A cell carries what the confidentiality rule needs besides the published figures: how many exporters contribute
and the largest single exporter's value (``suppression``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from dualuse.domain.errors import ConflictError, ValidationError
from dualuse.domain.licensing.model import CONTROL_CODE_MAX_LENGTH, check_quantity, check_value_eur

__all__ = [
    "SECTIONS",
    "STRUCTURE_SOURCE",
    "Cell",
    "PartStatus",
    "Section",
    "Table",
    "UseLine",
    "category_of",
    "check_part_transition",
]


@dataclass(frozen=True)
class Section:
    """A section of the annual report, with where its place in the structure comes from."""

    key: str
    title: str
    source: str
    verified: bool


STRUCTURE_SOURCE = (
    "Art. 26(2) Reg. (EU) 2021/821 (verified up to 'classification tools'); Commission Recommendation (EU) "
    "2024/214 of 10.1.2024, section list from the project's team notes (table of contents only)"
)

# Rec. 2024/214: sections as the reference notes list them (V-S: a secondary source, not the text itself).
SECTIONS: tuple[Section, ...] = (
    Section("licence_types", "Authorisations by type", "Art. 26(2); Rec. 2024/214 (team notes)", False),
    Section("destinations", "Authorisations by destination", "Art. 26(2): 'by destination'", True),
    Section("categories", "Authorisations by item category", "Art. 26(2): 'by item type'", True),
    Section(
        "registered_users", "Registered users of general authorisations", "Rec. 2024/214 (team notes)", False
    ),
    Section("general_use", "Use of general and global authorisations", "Rec. 2024/214 (team notes)", False),
    Section("denials", "Denials and prohibitions", "Art. 26(2): 'denials and prohibitions'", True),
    Section(
        "cyber_surveillance", "Cyber-surveillance items (Art. 2(20))", "Rec. 2024/214 (team notes)", False
    ),
    Section(
        "administration", "Administration and enforcement", "Art. 26(2): administration, enforcement", True
    ),
)


class PartStatus(StrEnum):
    """A member state's part of the annual report: its authority reviews the draft and submits it; the figures
    are frozen at submission. (Art. 26(2): member states provide the Commission with the information; the
    exact duty is unverified in the reference notes.)"""

    DRAFT = "draft"
    SUBMITTED = "submitted"


PART_TRANSITIONS: Mapping[PartStatus, frozenset[PartStatus]] = {
    PartStatus.DRAFT: frozenset({PartStatus.SUBMITTED}),
    PartStatus.SUBMITTED: frozenset(),
}


def check_part_transition(current: PartStatus, wanted: PartStatus) -> None:
    """Refuse a move the transition table does not allow (a submitted part stays submitted)."""
    if wanted not in PART_TRANSITIONS[current]:
        raise ConflictError(f"a part of the annual report that is {current} cannot become {wanted}")


def category_of(control_code: str) -> str:
    """The Annex I category of a control code: its first digit (``5A002.a`` → ``5``); ``-`` when the code
    does not start with one (a national or non-listed code)."""
    head = control_code.strip()[:1]
    return head if head.isdigit() else "-"


@dataclass(frozen=True)
class Cell:
    """A figure of a table: the number of decisions (or reports, or registrations), their value in euro, how
    many exporters contribute and the value of the largest one's contribution."""

    count: int = 0
    value_eur: Decimal = Decimal(0)
    exporters: int = 0
    top_value_eur: Decimal = Decimal(0)

    def __add__(self, other: Cell) -> Cell:
        """Two cells whose exporters are different ones (two member states' rows: an exporter is established
        in one state): exact."""
        return Cell(
            self.count + other.count,
            self.value_eur + other.value_eur,
            self.exporters + other.exporters,
            max(self.top_value_eur, other.top_value_eur),
        )

    def overlapping(self, other: Cell) -> Cell:
        """Two cells an exporter may contribute to both (the columns of one state's row). The exporters are
        not known across them, so the total takes the safe side for the confidentiality rule: at least the
        larger number of exporters, and the largest exporter at most the sum of the two largest."""
        value = self.value_eur + other.value_eur
        return Cell(
            self.count + other.count,
            value,
            max(self.exporters, other.exporters),
            min(value, self.top_value_eur + other.top_value_eur),
        )

    @property
    def empty(self) -> bool:
        return self.count == 0 and self.exporters == 0


@dataclass(frozen=True)
class Table:
    """A two-way table: rows (usually member states) × columns (a breakdown), with row, column and grand
    totals published beside the cells."""

    key: str
    title: str
    row_label: str
    column_label: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: Mapping[tuple[str, str], Cell] = field(default_factory=dict)
    confidential: bool = True  # exporters' trade: the confidentiality rule applies (not to staff numbers)

    def cell(self, row: str, column: str) -> Cell:
        return self.cells.get((row, column), Cell())

    def row_total(self, row: str) -> Cell:
        out = Cell()
        for c in self.columns:
            out = out.overlapping(self.cell(row, c))
        return out

    def column_total(self, column: str) -> Cell:
        return _total(self.cell(r, column) for r in self.rows)

    def grand_total(self) -> Cell:
        return _total(self.row_total(r) for r in self.rows)

    def only_rows(self, rows: Iterable[str]) -> Table:
        wanted = tuple(r for r in self.rows if r in set(rows))
        return Table(
            self.key,
            self.title,
            self.row_label,
            self.column_label,
            wanted,
            self.columns,
            {k: v for k, v in self.cells.items() if k[0] in wanted},
            self.confidential,
        )


def _total(cells: Iterable[Cell]) -> Cell:
    out = Cell()
    for c in cells:
        out = out + c
    return out


@dataclass(frozen=True)
class UseLine:
    """One item of a report of use of a general authorisation: the Annex I entry, how much and what it was
    worth, so that the annual report can give the use by item (Art. 26(2): 'by item type')."""

    control_code: str
    quantity: Decimal
    unit: str
    value_eur: Decimal

    def __post_init__(self) -> None:
        # the checks of an application's item (Annex III Section A), so both entry points agree
        check_quantity(self.quantity)
        check_value_eur(self.value_eur)
        if not self.control_code.strip() or len(self.control_code.strip()) > CONTROL_CODE_MAX_LENGTH:
            raise ValidationError("give the item's control code, e.g. 5A002.a", field="items")
        if not self.unit.strip() or len(self.unit.strip()) > 40:
            raise ValidationError("give the unit of the quantity (at most 40 characters)", field="items")
