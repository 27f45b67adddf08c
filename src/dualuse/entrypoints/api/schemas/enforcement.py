"""Penalties and enforcement (Arts. 23(1)(b), 25, 26(2), 28): the comparison of the member states' penalties,
enforcement cases (anonymised for everyone but their state's authority), figures and compliance visits.
Amounts are decimal strings in euros."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field


class PenaltySourceOut(BaseModel):
    law: str
    article: str
    url: str


class StatePenaltyOut(BaseModel):
    member_state: str
    max_fine_eur: str | None = Field(
        description="the highest fine stated as an amount; null when only a formula"
    )
    max_imprisonment_years: str | None
    has_criminal: bool
    has_administrative: bool
    fine_formulas: list[str]
    sources: list[PenaltySourceOut]
    verified: bool = Field(description="false: not checked against the national law's text")
    note: str


class ViolationTypeOut(BaseModel):
    id: str
    title: str
    description: str
    legal_basis: str = Field(description="the provision of Reg. (EU) 2021/821 breached")
    source: str
    verified: bool


class PenaltyComparisonOut(BaseModel):
    violation: ViolationTypeOut
    states: list[StatePenaltyOut]
    states_without_data: list[str]


class EnforcementCaseIn(BaseModel):
    violation: str = Field(max_length=60)
    decision: str = Field(max_length=20, description="fine, imprisonment, warning or acquittal")
    decision_date: date
    amount_eur: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=2)
    imprisonment_months: int | None = Field(default=None, ge=1, le=1200)
    organisation_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    summary: str = Field(default="", max_length=4000)


class PublicEnforcementCaseOut(BaseModel):
    """An enforcement case without the party, the officer or the summary."""

    id: int
    member_state: str
    violation: str
    decision_date: str = Field(json_schema_extra={"format": "date"})
    decision: str
    amount_eur: str | None
    imprisonment_months: int | None


class EnforcementLineOut(BaseModel):
    member_state: str
    violation: str
    cases: int
    decisions: dict[str, int]
    fines_total_eur: str
    largest_fine_eur: str | None


class VisitFindingIn(BaseModel):
    icp_element: str = Field(max_length=40)
    severity: str = Field(
        default="observation", max_length=20, description="observation, shortcoming or breach"
    )
    text: str = Field(max_length=4000)


class ComplianceVisitIn(BaseModel):
    visit_date: date
    findings: list[VisitFindingIn] = Field(default_factory=list, max_length=100)


class VisitFindingOut(BaseModel):
    icp_element: str
    icp_element_title: str
    severity: str
    text: str


class ComplianceVisitOut(BaseModel):
    id: int
    organisation_id: int
    member_state: str
    visit_date: str = Field(json_schema_extra={"format": "date"})
    findings: list[VisitFindingOut]
