"""The annual report (Art. 26(2)) over the API: the public open data, the authority's part and the Commission's
Union report."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OpenDataRecord(BaseModel):
    """One published figure (the fields of ``/transparency/schema``)."""

    year: int
    section: str
    table: str
    member_state: str = Field(description="ISO 3166-1 alpha-2; EU for the Union total")
    dimension: str
    column: str = Field(description="the breakdown's value; total for a row total")
    count: int | None = Field(description="empty when withheld")
    value_eur: str | None = Field(description="euro to the cent as a decimal string; empty when withheld")
    suppressed: bool


class OpenDataDocument(BaseModel):
    """A year's figures, composed of the member states' submitted parts; licence CC BY 4.0."""

    year: int
    licence: str
    licence_url: str
    member_states: list[str]
    not_submitted: list[str]
    records: list[OpenDataRecord]


class ReportYearsOut(BaseModel):
    years: list[int] = Field(description="years with a submitted part, newest first")


class PartFigureOut(BaseModel):
    table: str
    column: str
    count: int
    value_eur: str
    exporters: int


class AnnualReportPartOut(BaseModel):
    """A member state's part: the live draft, or the figures frozen at submission."""

    member_state: str
    year: int
    status: str = Field(description="draft or submitted")
    submitted_at: str | None
    submitted_by: str | None
    figures: list[PartFigureOut]


class AnnualReportPartIn(BaseModel):
    year: int = Field(ge=2021, le=2100)


class PartSubmissionOut(BaseModel):
    """Who has submitted (the member state's authority; its officers are not named to the Commission)."""

    member_state: str
    submitted_at: str


class UnionAnnualReportOut(BaseModel):
    """The Union report for the Commission: every figure, with ``suppressed`` saying what the public will not
    see."""

    year: int
    submitted: list[PartSubmissionOut]
    not_submitted: list[str]
    records: list[OpenDataRecord]


class OpenDataSchemaOut(BaseModel):
    """The JSON Schema (draft 2020-12) of ``OpenDataDocument``; its keywords are passed through as they are."""

    model_config = ConfigDict(extra="allow")

    title: str
    type: str
    required: list[str]
