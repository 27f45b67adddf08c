"""Penalties and enforcement (Arts. 23(1)(b), 25, 26(2), 28): the member states' penalty ranges on one
catalogue of violation types, enforcement decisions and compliance visits. Pure: no I/O."""

from dualuse.domain.enforcement.cases import (
    EnforcementCase,
    EnforcementDecision,
    EnforcementLine,
    PublicEnforcementCase,
    anonymised,
    check_decision,
    statistics,
)
from dualuse.domain.enforcement.penalties import (
    AdministrativePenalty,
    CriminalPenalty,
    LegalSource,
    PenaltyCatalogue,
    PenaltyRange,
    StateFigures,
    ViolationComparison,
    ViolationType,
    check_administrative,
    check_criminal,
    check_range,
    compare,
)
from dualuse.domain.enforcement.visits import (
    ICP_ELEMENT_IDS,
    ComplianceVisit,
    Finding,
    FindingSeverity,
    check_finding,
    check_visit,
)

__all__ = [
    "ICP_ELEMENT_IDS",
    "AdministrativePenalty",
    "ComplianceVisit",
    "CriminalPenalty",
    "EnforcementCase",
    "EnforcementDecision",
    "EnforcementLine",
    "Finding",
    "FindingSeverity",
    "LegalSource",
    "PenaltyCatalogue",
    "PenaltyRange",
    "PublicEnforcementCase",
    "StateFigures",
    "ViolationComparison",
    "ViolationType",
    "anonymised",
    "check_administrative",
    "check_criminal",
    "check_decision",
    "check_finding",
    "check_range",
    "check_visit",
    "compare",
    "statistics",
]
