"""List changes (issue 15): drafts of Annex I amendments (Art. 17(1)) and national measures (Art. 9(1)) open for
comment, their published comments and, for the proposer, the impact analysis."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from dualuse.entrypoints.api.schemas.controllist import DiffOut


class ListChangeLegalBasisOut(BaseModel):
    article: str
    text: str
    source: str
    verified: bool


class ListChangeSummaryOut(BaseModel):
    id: int
    proposer: str = Field(description="EU (the Commission) or the ISO code of the member state")
    title: str
    status: str
    version_id: str = Field(description="the list version the change makes")
    legal_basis: ListChangeLegalBasisOut
    comment_period_end: str | None = Field(json_schema_extra={"format": "date"})
    adopted_on: str | None = Field(json_schema_extra={"format": "date"})
    effective_from: str | None = Field(json_schema_extra={"format": "date"})


class ListChangeCommentOut(BaseModel):
    id: int
    author_name: str
    organisation_name: str
    organisation_type: str
    text: str


class ListChangeNotifiedOut(BaseModel):
    organisation_id: int
    name: str
    audience: str = Field(description="exporter, authority or commission")


class ListChangeImpactOut(BaseModel):
    changed: list[dict[str, str]] = Field(
        description="each changed code and whether it is added, changed or removed"
    )
    totals: dict[str, int] = Field(description="objects touched, by kind")
    by_exporter: dict[str, dict[str, int]] = Field(
        description="per exporter (organisation id): objects by kind"
    )
    by_state: dict[str, dict[str, int]] = Field(description="per member state: objects by kind")
    stored_with_adoption: bool
    notified: list[ListChangeNotifiedOut] = Field(
        default_factory=list, description="who was notified when the change entered into force"
    )


class ListChangeOut(ListChangeSummaryOut):
    rationale: str
    content: str = Field(description="the amendment in the amendment file format")
    diff: DiffOut | None = Field(
        description="what the change does to the list in force; None if it no longer applies"
    )
    problem: str | None = Field(description="why the change no longer applies to the list, if it does not")
    comments: list[ListChangeCommentOut] = Field(description="the published comments")
    withdrawal_reason: str | None
    impact: ListChangeImpactOut | None = Field(description="the impact analysis, for the proposer only")


class ListChangeCommentIn(BaseModel):
    author_name: str = Field(max_length=200)
    organisation_name: str = Field(default="", max_length=200)
    organisation_type: str = Field(max_length=20, description="industry, civil_society, authority or other")
    text: str = Field(max_length=5000)


class ListChangeCommentCreatedOut(BaseModel):
    id: int
    status: str


def summary_fields(change: Any) -> dict[str, Any]:
    basis = change.legal_basis
    return {
        "id": change.id,
        "proposer": change.proposer,
        "title": change.title,
        "status": change.status.value,
        "version_id": change.version_id,
        "legal_basis": {
            "article": basis.article,
            "text": basis.text,
            "source": basis.source,
            "verified": basis.verified,
        },
        "comment_period_end": change.comment_period_end.isoformat() if change.comment_period_end else None,
        "adopted_on": change.adopted_on.isoformat() if change.adopted_on else None,
        "effective_from": change.effective_from.isoformat() if change.effective_from else None,
    }
