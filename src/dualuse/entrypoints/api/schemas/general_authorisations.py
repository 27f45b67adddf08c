"""Union general export authorisations (Art. 12, Annex II): registrations, reports of use, and the
exporter's records (Art. 27). Responses built from stored rows declare the fields every row has; a row may
carry more, which are passed through."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class RegistrationIn(BaseModel):
    eugea_id: str = Field(min_length=1, max_length=10)


class ReportItemIn(BaseModel):
    """An item exported under the authorisation in the period (for the annual report, Art. 26(2))."""

    control_code: str = Field(min_length=1, max_length=40, examples=["5A002.a"])
    quantity: Decimal = Field(gt=0, max_digits=18, decimal_places=6)
    unit: str = Field(min_length=1, max_length=40, examples=["pieces"])
    value_eur: Decimal = Field(ge=0, max_digits=18, decimal_places=2)


class ReportItemOut(BaseModel):
    line: int
    control_code: str
    quantity: str
    unit: str
    value_eur: str


class ReportIn(BaseModel):
    eugea_id: str = Field(min_length=1, max_length=10)
    period_start: date
    period_end: date
    shipments: int = Field(ge=0, le=2**31 - 1)
    value_eur: Decimal = Field(ge=0, max_digits=18, decimal_places=2)
    destinations: list[str] = Field(default_factory=list, max_length=250)
    items: list[ReportItemIn] = Field(
        default_factory=list,
        max_length=200,
        description="the items exported: control codes on the list in force; their values add up to value_eur",
    )


class _Row(BaseModel):
    model_config = ConfigDict(extra="allow")


class RegistrationOut(_Row):
    """A registration, with the first day exports under it are covered and the first-use rule applied."""

    id: int
    organisation_id: int
    eugea_id: str
    member_state: str
    registered_by: str
    registered_at: str
    exports_covered_from: str = Field(json_schema_extra={"format": "date"})
    first_use_rule: str
    check_with_authority: bool


class RegisteredOut(_Row):
    id: int
    organisation_id: int
    eugea_id: str
    member_state: str
    registered_by: str
    registered_at: str


class ReportOut(_Row):
    id: int
    organisation_id: int
    eugea_id: str
    period_start: str
    period_end: str
    shipments: int
    value_eur: str
    destinations: list[str]
    submitted_by: str
    submitted_at: str
    items: list[ReportItemOut] = Field(default_factory=list, description="empty for older reports")


class AuthorityViewOut(BaseModel):
    registrations: list[RegisteredOut]
    reports: list[ReportOut]


class RecordsOut(_Row):
    """Everything the exporter keeps (Art. 27): its organisation, cases, licences, determinations, … ."""

    legal_basis: str
    organisation: dict[str, Any]
