"""The HTTP API and the app factory."""
