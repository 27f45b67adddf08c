"""Importers of official sources: the control list, sanctions lists and other data files."""
