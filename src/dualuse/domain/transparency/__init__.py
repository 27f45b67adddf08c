"""Transparency: the annual report (Art. 26(2), Rec. 2024/214) and the confidentiality of its tables."""

from __future__ import annotations

from dualuse.domain.transparency.model import (
    SECTIONS,
    STRUCTURE_SOURCE,
    Cell,
    PartStatus,
    Section,
    Table,
    UseLine,
    category_of,
    check_part_transition,
)
from dualuse.domain.transparency.report import (
    ADMINISTRATION,
    CATEGORIES,
    LICENCE_TYPES,
    OUTCOMES,
    SPECS,
    TABLES,
    AnnualReport,
    Figure,
    TableSpec,
    build,
    compose,
    part_from_json,
    part_to_json,
)
from dualuse.domain.transparency.suppression import (
    TOTAL,
    ConfidentialityRule,
    Suppressed,
    primary,
    published,
    suppress,
)

__all__ = [
    "ADMINISTRATION",
    "CATEGORIES",
    "LICENCE_TYPES",
    "OUTCOMES",
    "SECTIONS",
    "SPECS",
    "STRUCTURE_SOURCE",
    "TABLES",
    "TOTAL",
    "AnnualReport",
    "Cell",
    "ConfidentialityRule",
    "Figure",
    "PartStatus",
    "Section",
    "Suppressed",
    "Table",
    "TableSpec",
    "UseLine",
    "build",
    "category_of",
    "check_part_transition",
    "compose",
    "part_from_json",
    "part_to_json",
    "primary",
    "published",
    "suppress",
]
