"""The annual report as open data: one record per published figure (CSV and JSON), its schema (JSON Schema)
and its licence. Withheld figures (the confidentiality rule) are published as empty, marked ``suppressed``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dualuse.domain.transparency import SECTIONS, SPECS, STRUCTURE_SOURCE, TOTAL, AnnualReport
from dualuse.services.transparency.annual_report import Published

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
UNION = "EU"  # the member_state of a Union total
ALL = "total"  # the column of a row total

FIELDS: tuple[tuple[str, str, str], ...] = (
    ("year", "integer", "The calendar year of the decisions, registrations and reports."),
    ("section", "string", "The section of the report (Rec. (EU) 2024/214 structure, unverified)."),
    ("table", "string", "The table within the section."),
    ("member_state", "string", "ISO 3166-1 alpha-2 code of the member state; EU for the Union total."),
    ("dimension", "string", "What the column breaks the figures down by (type, destination, category...)."),
    ("column", "string", "The value of the dimension: a type, a country code, an Annex I category; total."),
    ("count", "integer|null", "Number of decisions, reports or registrations; empty when withheld."),
    ("value_eur", "string|null", "Value in euro, to the cent, as a decimal string; empty when withheld."),
    ("suppressed", "boolean", "True when the figure is withheld to protect one exporter's trade."),
)
CSV_FIELDS = tuple(name for name, _kind, _doc in FIELDS)
_SECTION_TITLES = {s.key: s.title for s in SECTIONS}


def records(
    report: AnnualReport, published: Mapping[str, Published], *, reveal: bool = False
) -> list[dict[str, Any]]:
    """Every published figure of the report, with the Union totals (``EU``) and row totals (``total``);
    ``reveal`` keeps the figures of withheld cells (the Commission's view: ``suppressed`` then says which
    the public does not see)."""
    out: list[dict[str, Any]] = []
    for key, item in published.items():
        table, hidden = item.table, item.suppressed
        spec = SPECS.get(key)
        section = spec.section if spec else key
        rows = [*table.rows, TOTAL]
        columns = [*table.columns, TOTAL]
        for row in rows:
            for column in columns:
                if row == TOTAL and column == TOTAL:
                    cell = table.grand_total()
                elif row == TOTAL:
                    cell = table.column_total(column)
                elif column == TOTAL:
                    cell = table.row_total(row)
                else:
                    cell = table.cell(row, column)
                if cell.empty and (row, column) not in hidden:
                    continue
                withheld = (row, column) in hidden
                blank = withheld and not reveal
                out.append(
                    {
                        "year": report.year,
                        "section": section,
                        "table": key,
                        "member_state": UNION if row == TOTAL else row,
                        "dimension": table.column_label,
                        "column": ALL if column == TOTAL else column,
                        "count": None if blank else cell.count,
                        "value_eur": None if blank else f"{cell.value_eur:.2f}",
                        "suppressed": withheld,
                    }
                )
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the open data document (``document``)."""
    types: dict[str, dict[str, Any]] = {
        "integer": {"type": "integer"},
        "string": {"type": "string"},
        "integer|null": {"type": ["integer", "null"]},
        "string|null": {"type": ["string", "null"], "pattern": r"^-?[0-9]+\.[0-9]{2}$"},
        "boolean": {"type": "boolean"},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "/transparency/schema.json",
        "title": "dualuse annual report open data (Art. 26(2) Reg. (EU) 2021/821)",
        "description": "Figures of the annual report composed of the member states' submitted parts. "
        + f"Licence: {LICENCE} ({LICENCE_URL}). Structure: {STRUCTURE_SOURCE}.",
        "type": "object",
        "required": ["year", "licence", "licence_url", "not_submitted", "records"],
        "properties": {
            "year": {"type": "integer"},
            "licence": {"const": LICENCE},
            "licence_url": {"const": LICENCE_URL},
            "member_states": {"type": "array", "items": {"type": "string"}},
            "not_submitted": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Member states whose part is not submitted: their figures are absent.",
            },
            "records": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": list(CSV_FIELDS),
                    "properties": {name: {**types[kind], "description": doc} for name, kind, doc in FIELDS},
                },
            },
        },
    }


def document(report: AnnualReport, published: Mapping[str, Published]) -> dict[str, Any]:
    """The open data of one year as one JSON document (``json_schema``)."""
    return {
        "year": report.year,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "member_states": list(report.member_states),
        "not_submitted": list(report.not_submitted),
        "records": records(report, published),
    }
