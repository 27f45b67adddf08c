"""Pydantic DTOs of Annex I's provisions, item assessments and the verification report."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from dualuse.domain.controllist.assessment import Assessment
from dualuse.domain.controllist.provisions import AnnexText, Provision
from dualuse.domain.controllist.quantities import Threshold
from dualuse.domain.verification import VerificationReport


class ParameterThresholdOut(BaseModel):
    quantity: str = Field(description="key to give a value under, e.g. bandwidth")
    comparison: str = Field(description="gt, ge, lt or le")
    threshold: float
    unit: str

    @classmethod
    def of(cls, t: Threshold) -> ParameterThresholdOut:
        return cls(quantity=t.quantity, comparison=t.comparison.value, threshold=t.threshold, unit=t.unit)


class NoteOut(BaseModel):
    kind: str
    number: str
    parameters: list[ParameterThresholdOut]
    defines: list[str]
    terms: list[str]


class ProvisionOut(BaseModel):
    code: str
    parameters: list[ParameterThresholdOut]
    parameters_combine: str
    conditions: list[ParameterThresholdOut]
    children_combine: str = Field(description="any: sub-items are alternatives; all: cumulative")
    children: list[str]
    terms: list[dict[str, str]]
    notes: list[NoteOut]
    verified: bool
    problems: list[str]
    source: str
    url: str

    @classmethod
    def of(cls, text: AnnexText, p: Provision) -> ProvisionOut:
        return cls(
            code=str(p.code),
            parameters=[ParameterThresholdOut.of(t) for t in p.thresholds],
            parameters_combine=p.thresholds_combine.value,
            conditions=[ParameterThresholdOut.of(t) for t in p.conditions],
            children_combine=p.children_combine.value,
            children=[str(c.code) for c in text.children(p.code)],
            terms=[
                {"term": t, "defined_in": text.terms[t].defined_in if t in text.terms else "a technical note"}
                for t in p.terms
            ],
            notes=[
                NoteOut(
                    kind=n.kind.value,
                    number=n.number,
                    parameters=[ParameterThresholdOut.of(t) for t in n.thresholds],
                    defines=list(n.defines),
                    terms=list(n.terms),
                )
                for n in p.notes
            ],
            verified=p.verified,
            problems=list(p.problems),
            source=text.source,
            url=text.url,
        )


class AssessIn(BaseModel):
    code: str = Field(min_length=1, max_length=40, description="the entry to assess against, e.g. 5A002.d")
    parameters: dict[str, Any] = Field(
        default_factory=dict,
        description='values by quantity key ({"bandwidth": 600}, {"frequency": "14 GHz"}) or yes/no by '
        'sub-item code ({"5A002.a.1": true})',
    )
    version: str | None = None


class ParameterQuestionOut(BaseModel):
    key: str
    label: str
    unit: str
    codes: list[str]
    yes_no: bool


class ProvisionItemOut(BaseModel):
    code: str
    status: str
    reasons: list[str]


class ItemAssessmentOut(BaseModel):
    code: str
    outcome: str = Field(description="listed, not_listed (every sub-item assessed) or undecided")
    summary: str
    listed_under: list[str]
    needed: list[ParameterQuestionOut]
    items: list[ProvisionItemOut]

    @classmethod
    def of(cls, a: Assessment) -> ItemAssessmentOut:
        return cls(
            code=str(a.code),
            outcome=a.outcome.value,
            summary=a.summary,
            listed_under=[str(c) for c in a.listed_under],
            needed=[
                ParameterQuestionOut(
                    key=q.key, label=q.label, unit=q.unit, codes=[str(c) for c in q.codes], yes_no=q.yes_no
                )
                for q in a.needed
            ],
            items=[
                ProvisionItemOut(code=str(i.code), status=i.status.value, reasons=list(i.reasons))
                for i in a.items
            ],
        )


class ParameterPendingOut(BaseModel):
    id: str
    why: str


class AreaOut(BaseModel):
    key: str
    name: str
    group: str
    total: int
    verified: int
    share: float
    sources: list[str]
    detail: str
    pending: list[ParameterPendingOut]


class VerificationStatusOut(BaseModel):
    areas: list[AreaOut]
    target_met: bool = Field(
        description="Annex I Categories 3-6 at least 90 % and every cyber-surveillance entry verified"
    )

    @classmethod
    def of(cls, report: VerificationReport, target_met: bool) -> VerificationStatusOut:
        return cls(
            areas=[
                AreaOut(
                    key=a.key,
                    name=a.name,
                    group=a.group,
                    total=a.total,
                    verified=a.verified,
                    share=round(a.share, 4),
                    sources=list(a.sources),
                    detail=a.detail,
                    pending=[ParameterPendingOut(id=p.id, why=p.why) for p in a.pending],
                )
                for a in report.areas
            ],
            target_met=target_met,
        )
