"""The officer's assessment, the recommendation and the senior's countersignature (four eyes).

Art. 15(1) of Regulation (EU) 2021/821 lists the considerations the competent authority takes into account
when it decides on an authorisation: (a) international obligations and commitments, (b) sanctions
obligations, (c) national foreign and security policy, including the matters covered by Council Common
Position 2008/944/CFSP, and (d) the intended end use and the risk of diversion. For dual-use items the
Common Position's eight criteria therefore enter only through point (c), as matters the authority weighs:
none of them is a ground on which a dual-use authorisation must be denied. (Under the Common Position
itself, for military technology and equipment, criteria 1 to 4 call for a denial; that rule is for arms
exports and does not carry over to Reg. 2021/821.) A denial is the officer's recommendation and the senior's
decision, naming the considerations it relies on (Art. 16); nothing here denies automatically.

The considerations are data below, each with its source and whether that source was checked; code
interprets them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from dualuse.domain.errors import PermissionDeniedError, ValidationError
from dualuse.domain.licensing.model import Actor, DecisionOutcome

__all__ = [
    "CRITERIA",
    "Assessment",
    "Criterion",
    "Decision",
    "Finding",
    "Recommendation",
    "RecommendationKind",
    "countersign",
    "criterion",
]

ART_15_1_C = "art15.1.c"


@dataclass(frozen=True)
class Criterion:
    """One consideration the authority takes into account (Art. 15(1)), with where it comes from.

    ``part_of`` names the Art. 15(1) point a consideration belongs to: the Common Position's criteria are
    part of point (c). ``verified`` is True only where the wording was checked against a retrieved source
    (``verified_by``); otherwise the title is from memory and is to be checked against the Official Journal
    before it is relied on in a published decision. No consideration is an automatic ground for denial.
    """

    id: str
    title: str
    source: str
    verified: bool
    verified_by: str
    part_of: str | None = None

    @property
    def label(self) -> str:
        """How the assessment form names it: the Art. 15(1) point, or the criterion and its point."""
        if self.part_of == ART_15_1_C:
            number = self.id.split(".", 1)[1]
            return (
                f"Art. 15(1)(c), a matter covered by Common Position 2008/944/CFSP, criterion {number}: "
                f"{self.title}"
            )
        point = self.id.rsplit(".", 1)[1]
        return f"Art. 15(1)({point}): {self.title}"


_CP = "Common Position 2008/944/CFSP, Art. 2"
_ART15 = (
    "Reg. 2021/821 Art. 15(1), German official text (gesetze.legal) and the Romanian consolidated text "
    "15.11.2025 (sintact.ro), per shared/reference/regulation-articles.md and regulation.md"
)
_EP_RESOLUTION = "European Parliament resolution on arms exports (wordscope.be excerpt): the eight criteria"
_BICC = "ruestungsexport.info (BICC arms-export database), criteria text"

CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "art15.1.a",
        "The member state's international obligations and commitments, in particular those of membership "
        "of the non-proliferation regimes and export control arrangements and of the international "
        "treaties it ratified",
        "Art. 15(1)(a)",
        verified=True,
        verified_by=_ART15,
    ),
    Criterion(
        "art15.1.b",
        "Obligations under sanctions imposed by a Council decision or common position, a decision of the "
        "OSCE or a binding resolution of the UN Security Council",
        "Art. 15(1)(b)",
        verified=True,
        verified_by=_ART15,
    ),
    Criterion(
        "art15.1.c",
        "National foreign and security policy, including the matters covered by Common Position "
        "2008/944/CFSP (its criteria are listed below as part of this point)",
        "Art. 15(1)(c)",
        verified=True,
        verified_by=_ART15,
    ),
    Criterion(
        "art15.1.d",
        "The intended end use and the risk of diversion",
        "Art. 15(1)(d)",
        verified=True,
        verified_by=_ART15,
    ),
    Criterion(
        "cp.1",
        "Respect for the international obligations and commitments of member states, in particular "
        "sanctions of the UN Security Council or the Union and non-proliferation agreements",
        f"{_CP}, criterion 1",
        verified=True,
        verified_by=_BICC,
        part_of=ART_15_1_C,
    ),
    Criterion(
        "cp.2",
        "Respect for human rights in the country of final destination and respect by that country for "
        "international humanitarian law",
        f"{_CP}, criterion 2",
        verified=True,
        verified_by=_BICC,
        part_of=ART_15_1_C,
    ),
    Criterion(
        "cp.3",
        "Internal situation in the country of final destination (tensions or armed conflicts)",
        f"{_CP}, criterion 3",
        verified=False,
        verified_by="",
        part_of=ART_15_1_C,
    ),
    Criterion(
        "cp.4",
        "Preservation of regional peace, security and stability",
        f"{_CP}, criterion 4",
        verified=True,
        verified_by=_EP_RESOLUTION,
        part_of=ART_15_1_C,
    ),
    Criterion(
        "cp.5",
        "National security of the member states and of friendly and allied countries",
        f"{_CP}, criterion 5",
        verified=False,
        verified_by="",
        part_of=ART_15_1_C,
    ),
    Criterion(
        "cp.6",
        "Behaviour of the buyer country towards the international community, in particular its attitude "
        "to terrorism, its alliances and respect for international law",
        f"{_CP}, criterion 6",
        verified=False,
        verified_by="",
        part_of=ART_15_1_C,
    ),
    Criterion(
        "cp.7",
        "Risk that the items will be diverted within the buyer country or re-exported under undesirable "
        "conditions",
        f"{_CP}, criterion 7",
        verified=False,
        verified_by="",
        part_of=ART_15_1_C,
    ),
    Criterion(
        "cp.8",
        "Compatibility of the export with the technical and economic capacity of the recipient country",
        f"{_CP}, criterion 8",
        verified=False,
        verified_by="",
        part_of=ART_15_1_C,
    ),
)

_BY_ID: Mapping[str, Criterion] = MappingProxyType({c.id: c for c in CRITERIA})


def criterion(criterion_id: str) -> Criterion:
    """The criterion with this id; ``ValidationError`` for an unknown one."""
    try:
        return _BY_ID[criterion_id]
    except KeyError:
        raise ValidationError(f"unknown assessment criterion {criterion_id!r}", field="criteria") from None


@dataclass(frozen=True)
class Finding:
    """The officer's finding on one criterion: a concern or not, and why."""

    criterion_id: str
    concern: bool
    note: str

    def __post_init__(self) -> None:
        criterion(self.criterion_id)
        if self.concern and not self.note.strip():
            raise ValidationError(
                f"a concern under {self.criterion_id} must say what it is", field=self.criterion_id
            )


@dataclass(frozen=True)
class Assessment:
    """The officer's record against every consideration of Art. 15(1), with the Common Position's criteria
    under point (c)."""

    officer_id: str
    findings: tuple[Finding, ...]

    def __post_init__(self) -> None:
        seen = [f.criterion_id for f in self.findings]
        duplicates = sorted({c for c in seen if seen.count(c) > 1})
        if duplicates:
            raise ValidationError(f"criteria assessed twice: {', '.join(duplicates)}", field="findings")
        missing = [c.id for c in CRITERIA if c.id not in seen]
        if missing:
            raise ValidationError(
                f"the assessment must address every criterion (Art. 15(1)); missing: {', '.join(missing)}",
                field="findings",
            )

    @property
    def concerns(self) -> frozenset[str]:
        return frozenset(f.criterion_id for f in self.findings if f.concern)


class RecommendationKind(StrEnum):
    GRANT = "grant"
    GRANT_WITH_CONDITIONS = "grant_with_conditions"
    DENY = "deny"


@dataclass(frozen=True)
class Recommendation:
    """What the officer proposes after the assessment.

    A denial names at least one consideration it relies on, each raised as a concern in the assessment
    (the reasons a denial notification carries, Art. 16): it is the officer's judgement, never automatic,
    whichever consideration the concern is under; a grant (with or without conditions) may be recommended
    whatever concerns were raised. A grant with conditions names its conditions.
    """

    kind: RecommendationKind
    officer_id: str
    assessment: Assessment
    reasoning: str
    criteria_relied_on: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        kind = RecommendationKind(self.kind)
        if not self.officer_id.strip():
            raise ValidationError("a recommendation names its officer", field="officer_id")
        if self.assessment.officer_id != self.officer_id:
            raise ValidationError(
                "the officer who recommends is the officer who assessed", field="officer_id"
            )
        if not self.reasoning.strip():
            raise ValidationError("a recommendation gives its reasoning", field="reasoning")
        for criterion_id in self.criteria_relied_on:
            criterion(criterion_id)
        if kind is RecommendationKind.DENY:
            if not self.criteria_relied_on:
                raise ValidationError(
                    "a denial must name at least one criterion it relies on", field="criteria_relied_on"
                )
            unraised = sorted(set(self.criteria_relied_on) - self.assessment.concerns)
            if unraised:
                raise ValidationError(
                    f"a denial relies on criteria the assessment raised no concern under: {', '.join(unraised)}",
                    field="criteria_relied_on",
                )
        elif self.criteria_relied_on:
            raise ValidationError("only a denial relies on criteria", field="criteria_relied_on")
        if kind is RecommendationKind.GRANT_WITH_CONDITIONS:
            if not any(c.strip() for c in self.conditions):
                raise ValidationError("a grant with conditions names its conditions", field="conditions")
        elif self.conditions:
            raise ValidationError(f"a '{kind}' recommendation carries no conditions", field="conditions")


_OUTCOMES_FOR: Mapping[RecommendationKind, frozenset[DecisionOutcome]] = MappingProxyType(
    {
        RecommendationKind.GRANT: frozenset({DecisionOutcome.GRANTED, DecisionOutcome.PARTIALLY_GRANTED}),
        RecommendationKind.GRANT_WITH_CONDITIONS: frozenset(
            {DecisionOutcome.GRANTED, DecisionOutcome.PARTIALLY_GRANTED}
        ),
        RecommendationKind.DENY: frozenset({DecisionOutcome.DENIED}),
    }
)
"""Which outcomes a countersignature may give to each recommendation; a senior who disagrees returns the
recommendation to the officer instead (``workflow``: ``return_recommendation``)."""


@dataclass(frozen=True)
class Decision:
    """The final decision: a recommendation countersigned by a second, senior person against one version
    of the case. Build it with ``countersign``."""

    outcome: DecisionOutcome
    recommendation: Recommendation
    countersigned_by: str
    case_version: int
    criteria_relied_on: tuple[str, ...] = field(default=())


def countersign(
    recommendation: Recommendation,
    *,
    outcome: DecisionOutcome,
    countersigner_id: str,
    countersigner_roles: Collection[Actor],
    case_version: int,
) -> Decision:
    """The senior's countersignature that turns a recommendation into a decision (four eyes).

    Refused (``PermissionDeniedError``) when the countersigner is the officer who recommended or lacks
    the senior role; refused (``ValidationError``) when the outcome contradicts the recommendation. The
    decision records the case version it was taken against, so that a decision on a stale case is
    refused when it is applied (``workflow.decide``).
    """
    outcome = DecisionOutcome(outcome)
    if not countersigner_id.strip():
        raise PermissionDeniedError("a countersignature names who signs")
    if countersigner_id == recommendation.officer_id:
        raise PermissionDeniedError(
            "four eyes: the person who recommended may not countersign their own recommendation"
        )
    if Actor.SENIOR not in countersigner_roles:
        raise PermissionDeniedError("only a person with the senior role may countersign a decision")
    if outcome not in _OUTCOMES_FOR[recommendation.kind]:
        raise ValidationError(
            f"a '{recommendation.kind}' recommendation cannot be countersigned as '{outcome}'; "
            "return it to the officer instead",
            field="outcome",
        )
    return Decision(
        outcome=outcome,
        recommendation=recommendation,
        countersigned_by=countersigner_id,
        case_version=case_version,
        criteria_relied_on=recommendation.criteria_relied_on,
    )
