"""Customs and dual-use exports: the Combined Nomenclature (CN) codes an item is declared under and their
correlation with Annex I entries; the usage records customs write off against a licence, and the suspension of
a shipment pending the competent authority's decision (Art. 21 Reg. (EU) 2021/821)."""

from dualuse.domain.customs.correlation import CnCorrelation, CorrelationRow
from dualuse.domain.customs.holds import (
    HOLD_TRANSITIONS,
    Ground,
    Hold,
    HoldAction,
    HoldEvent,
    HoldLimits,
    HoldStatus,
    add_working_days,
    decide_hold,
    new_hold,
)
from dualuse.domain.customs.usage import UsageRecord, parse_usage

__all__ = [
    "HOLD_TRANSITIONS",
    "CnCorrelation",
    "CorrelationRow",
    "Ground",
    "Hold",
    "HoldAction",
    "HoldEvent",
    "HoldLimits",
    "HoldStatus",
    "UsageRecord",
    "add_working_days",
    "decide_hold",
    "new_hold",
    "parse_usage",
]
