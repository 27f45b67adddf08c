"""Customs: the Combined Nomenclature (CN) codes a dual-use item is declared under, and their correlation with
Annex I entries."""

from dualuse.domain.customs.correlation import CnCorrelation, CorrelationRow

__all__ = ["CnCorrelation", "CorrelationRow"]
