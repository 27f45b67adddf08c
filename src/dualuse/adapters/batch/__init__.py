"""Batch files: reading order lines and writing results (CSV)."""
