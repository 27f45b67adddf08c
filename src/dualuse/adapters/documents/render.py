"""Render documents from Jinja2 templates to HTML and, through WeasyPrint, to PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def render_html(template: str, context: dict[str, Any]) -> str:
    return _env.get_template(template).render(**context)


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """A PDF of the template, laid out by WeasyPrint (no network: every asset is inline)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_html(template, context)).write_pdf()
    return pdf
