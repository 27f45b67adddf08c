"""Thin entry points: the web app and API (FastAPI) and the command line (Typer)."""
