"""A licence determination as the API answers it: the outcome overall and per item, with its legal basis,
the general authorisations and customs codes, the facts as understood, and what bound the answer."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

EXAMPLE: dict[str, Any] = {
    "activity": "export",
    "date": "2026-12-01",
    "exporter": {"name": "Acme GmbH", "member_state": "DE"},
    "destination": "CN",
    "end_user": {"name": "Provincial Public Security Bureau", "country": "CN", "type": "government"},
    "items": [
        {
            "id": "1",
            "description": "IMSI catcher",
            "control_code": "5A001.f",
            "cyber_surveillance": False,
            "quantity": 2,
            "value_eur": 150000,
        }
    ],
    "knowledge": {"informed": [], "aware": []},
}
"""A case in the determination's JSON format (``services.determination.reader`` reads it and names the field
at fault when it cannot)."""


class QuestionOut(BaseModel):
    """A fact the answer still needs: where it goes, the question, the regimes that depend on it."""

    field: str
    text: str
    rules: list[str]


class ItemDeterminationOut(BaseModel):
    id: str
    control_code: str | None
    cyber_surveillance_item: bool
    outcome: str = Field(description="the item's outcome, e.g. licence_required, no_licence_required")
    legal_basis: list[str]
    general_authorisations: list[str]
    customs_codes: list[str]
    explanation: str
    summary: str
    rules_applied: list[str]
    questions: list[QuestionOut]
    unverified_basis: list[str] = Field(description="unverified rules the answer rests on")
    advice: list[str]
    duties: list[str] = Field(description="duties that do not stop the export")


class CountryOut(BaseModel):
    code: str
    name: str


class UnderstoodEndUser(BaseModel):
    name: str
    country: str
    country_name: str
    type: str


class UnderstoodItem(BaseModel):
    id: str
    control_code: str | None
    title: str
    description: str


class UnderstoodOut(BaseModel):
    """The facts the answer rests on, in words: what a person checks before trusting the verdict."""

    activity: str
    date: str
    member_state: CountryOut
    destination: CountryOut
    end_user: UnderstoodEndUser | None
    items: list[UnderstoodItem]
    informed: list[str]
    aware: list[str]


class BindingOut(BaseModel):
    """A published Art. 5 requirement or an authority notice that bound the answer."""

    id: str
    legal_basis: str
    citation: str


class DeterminationOut(BaseModel):
    """The most restrictive item outcome, each item's answer, and the versions it was made with."""

    outcome: str
    activity: str
    date: str = Field(json_schema_extra={"format": "date"})
    items: list[ItemDeterminationOut]
    list_version: str
    rules_version: str
    questions: list[QuestionOut]
    unverified_basis: list[str]
    understood: UnderstoodOut
    bound_by: list[BindingOut]
