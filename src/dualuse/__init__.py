"""dualuse: the EU export-control regime for dual-use items (Regulation (EU) 2021/821)."""

__version__ = "0.1.0"
