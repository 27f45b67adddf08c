"""Adapters: the database, data sources, documents and security around the pure domain."""
