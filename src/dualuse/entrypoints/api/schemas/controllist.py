"""The control list (Annex I): versions, entries, search, classification, amendments, and exporters' classification records."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from dualuse.domain.classification import Classification
from dualuse.domain.controllist.entries import ControlEntry
from dualuse.domain.controllist.versions import ControlList, EffectiveFlags, ListDiff
from dualuse.entrypoints.api.schemas.annex import ItemAssessmentOut
from dualuse.services.controllist import EntryView
from dualuse.services.customs.lookup import CnAnswer


class VersionOut(BaseModel):
    id: str
    title: str
    effective_from: date
    legal_source: str
    verified: bool
    entries: int

    @classmethod
    def of(cls, cl: ControlList) -> VersionOut:
        v = cl.version
        return cls(
            id=v.id,
            title=v.title,
            effective_from=v.effective_from,
            legal_source=v.legal_source,
            verified=v.verified,
            entries=len(cl),
        )


class FlagsOut(BaseModel):
    cyber_surveillance: bool
    information_security: bool
    annex_iv: str | None
    eugea_excluded: bool

    @classmethod
    def of(cls, f: EffectiveFlags) -> FlagsOut:
        return cls(
            cyber_surveillance=f.cyber_surveillance,
            information_security=f.information_security,
            annex_iv=f.annex_iv,
            eugea_excluded=f.eugea_excluded,
        )


class EntryBrief(BaseModel):
    code: str
    title: str

    @classmethod
    def of(cls, e: ControlEntry) -> EntryBrief:
        return cls(code=str(e.code), title=e.title)


class EntryOut(BaseModel):
    code: str
    parent: str | None
    category: int
    group: str
    title: str
    summary: str
    regime: str
    parameters: dict[str, Any]
    notes: list[dict[str, str]]
    related: list[str]
    flags: FlagsOut = Field(description="flags on the entry or inherited from the entries above it")
    source: str
    verified: bool
    list_version: str
    breadcrumbs: list[EntryBrief]
    children: list[EntryBrief]
    versions: list[str] = Field(description="list versions in which this code is listed")

    @classmethod
    def of(cls, view: EntryView) -> EntryOut:
        e = view.entry
        return cls(
            code=str(e.code),
            parent=str(e.code.parent) if e.code.parent else None,
            category=e.code.category,
            group=e.code.group,
            title=e.title,
            summary=e.summary,
            regime=e.regime.value,
            parameters=dict(e.parameters),
            notes=[{"kind": n.kind.value, "text": n.text} for n in e.notes],
            related=[str(c) for c in e.related],
            flags=FlagsOut.of(view.flags),
            source=e.source,
            verified=e.verified,
            list_version=view.control_list.version_id,
            breadcrumbs=[EntryBrief.of(x) for x in view.lineage],
            children=[EntryBrief.of(x) for x in view.children],
            versions=list(view.versions_listing_it),
        )


class SearchHitOut(BaseModel):
    code: str
    title: str
    score: float
    why: list[str]
    cyber_surveillance: bool
    information_security: bool


class FieldChangeOut(BaseModel):
    field: str
    before: Any
    after: Any


class ChangedOut(BaseModel):
    code: str
    title: str
    changes: list[FieldChangeOut]


class DeclaredChangeOut(BaseModel):
    code: str
    kind: str
    text: str
    source: str
    verified: bool


class ActOut(BaseModel):
    version: str
    title: str
    celex: str
    official_journal: str
    effective_from: date
    effective_from_verified: bool
    complete: bool
    verified: bool
    sources: list[str]
    changes: list[DeclaredChangeOut]


class DiffOut(BaseModel):
    from_version: str
    to_version: str
    added: list[EntryBrief]
    removed: list[EntryBrief]
    changed: list[ChangedOut]
    acts: list[ActOut] = Field(default_factory=list)
    codes_added: list[str] = Field(default_factory=list)
    codes_removed: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, d: ListDiff) -> DiffOut:
        return cls(
            from_version=d.from_version.id,
            to_version=d.to_version.id,
            added=[EntryBrief.of(e) for e in d.added],
            removed=[EntryBrief.of(e) for e in d.removed],
            changed=[
                ChangedOut(
                    code=str(c.code),
                    title=c.after.title,
                    changes=[
                        FieldChangeOut(field=f.field, before=_plain(f.before), after=_plain(f.after))
                        for f in c.changes
                    ],
                )
                for c in d.changed
            ],
            acts=[
                ActOut(
                    version=a.version_id,
                    title=a.title,
                    celex=a.celex,
                    official_journal=a.official_journal,
                    effective_from=a.effective_from,
                    effective_from_verified=a.effective_from_verified,
                    complete=a.complete,
                    verified=a.verified,
                    sources=list(a.sources),
                    changes=[
                        DeclaredChangeOut(
                            code=str(ch.code),
                            kind=ch.kind.value,
                            text=ch.text,
                            source=ch.source,
                            verified=ch.verified,
                        )
                        for ch in a.changes
                    ],
                )
                for a in d.acts
            ],
            codes_added=list(d.codes_added),
            codes_removed=list(d.codes_removed),
        )


def _plain(value: object) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


class ClassifyIn(BaseModel):
    description: str = Field(min_length=1, max_length=5000)
    parameters: dict[str, Any] = Field(default_factory=dict)
    version: str | None = None
    limit: int = Field(default=5, ge=1, le=20)


class CandidateOut(BaseModel):
    code: str
    title: str
    score: float
    reasons: list[str]
    assessment: ItemAssessmentOut | None = Field(
        default=None,
        description="the entry's sub-items against the parameters given (met, or what is needed)",
    )


class AmendmentIn(BaseModel):
    filename: str = Field(default="amendment.yaml", max_length=200)
    content: str = Field(min_length=1, max_length=5_000_000, description="the amendment file (YAML)")


class ImportOut(BaseModel):
    version: str
    effective_from: date
    diff: DiffOut
    classifications_flagged: int


class ClassificationIn(BaseModel):
    product_name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    parameters: dict[str, Any] = Field(default_factory=dict)
    control_code: str | None = Field(default=None, description="null when the product is not listed")
    rationale: str = Field(min_length=1, max_length=5000)


class ClassificationOut(BaseModel):
    id: int
    product_name: str
    description: str
    parameters: dict[str, Any]
    control_code: str | None
    rationale: str
    list_version: str
    status: str
    review_reason: str | None

    @classmethod
    def of(cls, c: Classification) -> ClassificationOut:
        return cls(
            id=c.id,
            product_name=c.product_name,
            description=c.description,
            parameters=dict(c.parameters),
            control_code=c.control_code,
            rationale=c.rationale,
            list_version=c.list_version,
            status=c.status.value,
            review_reason=c.review_reason,
        )


class ConfirmIn(BaseModel):
    note: str = Field(default="", max_length=2000)


class CnCandidateOut(BaseModel):
    code: str
    title: str | None
    verified: bool


class CnRowOut(BaseModel):
    cn: str
    entries: list[str]
    note: str
    source: str
    verified: bool


class CnOut(BaseModel):
    cn: str
    list_version: str
    candidates: list[CnCandidateOut]
    rows: list[CnRowOut]
    advice: str | None

    @classmethod
    def of(cls, answer: CnAnswer) -> CnOut:
        return cls(
            cn=answer.cn,
            list_version=answer.list_version,
            candidates=[
                CnCandidateOut(code=c.code, title=c.title, verified=c.verified) for c in answer.candidates
            ],
            rows=[
                CnRowOut(
                    cn=r.cn,
                    entries=[str(e) for e in r.entries],
                    note=r.note,
                    source=r.source,
                    verified=r.verified,
                )
                for r in answer.rows
            ],
            advice=answer.advice,
        )
