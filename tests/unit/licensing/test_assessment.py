"""Assessment against Art. 15(1) and CP 2008/944/CFSP; recommendations; the four-eyes countersignature."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dualuse.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from dualuse.domain.licensing import (
    CRITERIA,
    Actor,
    ApplicationStatus,
    Assessment,
    CaseAction,
    Decision,
    DecisionOutcome,
    Finding,
    Recommendation,
    RecommendationKind,
    countersign,
    criterion,
    decide,
    transition,
)

from .factories import OFFICER, SENIOR, assessment, case_at, recommendation

K = RecommendationKind
D = DecisionOutcome


def test_criteria_are_art15_points_a_to_d_and_the_eight_common_position_criteria() -> None:
    ids = [c.id for c in CRITERIA]
    assert ids == [f"art15.1.{p}" for p in "abcd"] + [f"cp.{n}" for n in range(1, 9)]
    assert all(c.source for c in CRITERIA)
    assert all(c.verified_by for c in CRITERIA if c.verified)
    assert [c.id for c in CRITERIA if c.part_of == "art15.1.c"] == [f"cp.{n}" for n in range(1, 9)]


def test_i12_common_position_criteria_are_art15_considerations_not_denial_grounds() -> None:
    # Art. 15(1)(c): for dual-use items the Common Position's criteria are matters the authority takes into
    # account, not mandatory grounds for denial (the test used to assert that criteria 1-4 were such grounds)
    assert not any(hasattr(c, "denial_ground") for c in CRITERIA)
    for c in CRITERIA:
        if c.id.startswith("cp."):
            assert c.label.startswith("Art. 15(1)(c), a matter covered by Common Position 2008/944/CFSP")
        else:
            assert c.label.startswith(f"Art. 15(1)({c.id[-1]}): ")
        assert "deny" not in c.label.lower()
        assert "denial" not in c.label.lower()
        assert "deny" not in c.verified_by.lower()
    # concerns under criteria 1 to 4 do not force a denial: the officer may still recommend a grant
    concerns = assessment("cp.1", "cp.2", "cp.3", "cp.4")
    granted = Recommendation(K.GRANT, OFFICER, concerns, "risks addressed by the end-use assurances")
    assert granted.kind is K.GRANT
    assert "binding resolution of the UN Security Council" in criterion("art15.1.b").title
    assert "risk of diversion" in criterion("art15.1.d").title
    assert "Common Position 2008/944/CFSP" in criterion("art15.1.c").title


def test_criterion_two_is_human_rights_and_humanitarian_law() -> None:
    two = criterion("cp.2")
    assert "human rights" in two.title
    assert "international humanitarian law" in two.title
    assert two.source.startswith("Common Position 2008/944/CFSP")


def test_unknown_criterion_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown assessment criterion"):
        criterion("cp.9")


def test_an_assessment_addresses_every_criterion_once() -> None:
    full = assessment()
    with pytest.raises(ValidationError, match=r"missing: cp\.8"):
        Assessment(OFFICER, full.findings[:-1])
    with pytest.raises(ValidationError, match=r"twice: cp\.1"):
        Assessment(OFFICER, (*full.findings, Finding("cp.1", concern=False, note="")))


def test_a_concern_says_what_it_is() -> None:
    with pytest.raises(ValidationError, match="must say"):
        Finding("cp.2", concern=True, note=" ")


@pytest.mark.parametrize(
    ("kind", "criteria", "conditions", "message"),
    [
        (K.DENY, (), (), "at least one criterion"),
        (K.DENY, ("cp.7",), (), "raised no concern under: cp.7"),
        (K.DENY, ("cp.99",), (), "unknown assessment criterion"),
        (K.GRANT, ("cp.2",), (), "only a denial"),
        (K.GRANT_WITH_CONDITIONS, (), (), "names its conditions"),
        (K.GRANT_WITH_CONDITIONS, (), (" ",), "names its conditions"),
        (K.GRANT, (), ("no re-export",), "carries no conditions"),
    ],
)
def test_recommendation_rules(
    kind: RecommendationKind, criteria: tuple[str, ...], conditions: tuple[str, ...], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        Recommendation(
            kind=kind,
            officer_id=OFFICER,
            assessment=assessment("cp.2"),
            reasoning="because",
            criteria_relied_on=criteria,
            conditions=conditions,
        )


def test_the_recommending_officer_is_the_assessing_officer() -> None:
    with pytest.raises(ValidationError, match="who assessed"):
        Recommendation(K.GRANT, "officer-2", assessment(), "fine")


def test_a_denial_relying_on_a_raised_concern_is_accepted() -> None:
    rec = recommendation(K.DENY)
    assert rec.criteria_relied_on == ("cp.2",)


# --- four eyes ---


def test_the_officer_who_recommended_may_not_countersign() -> None:
    with pytest.raises(PermissionDeniedError, match="four eyes"):
        countersign(
            recommendation(),
            outcome=D.GRANTED,
            countersigner_id=OFFICER,
            countersigner_roles={Actor.OFFICER, Actor.SENIOR},
            case_version=5,
        )


def test_a_second_person_without_the_senior_role_may_not_countersign() -> None:
    with pytest.raises(PermissionDeniedError, match="senior role"):
        countersign(
            recommendation(),
            outcome=D.GRANTED,
            countersigner_id="officer-2",
            countersigner_roles={Actor.OFFICER},
            case_version=5,
        )


@pytest.mark.parametrize(
    ("kind", "outcome", "allowed"),
    [
        (K.GRANT, D.GRANTED, True),
        (K.GRANT, D.PARTIALLY_GRANTED, True),
        (K.GRANT, D.DENIED, False),
        (K.GRANT_WITH_CONDITIONS, D.GRANTED, True),
        (K.GRANT_WITH_CONDITIONS, D.PARTIALLY_GRANTED, True),
        (K.GRANT_WITH_CONDITIONS, D.DENIED, False),
        (K.DENY, D.DENIED, True),
        (K.DENY, D.GRANTED, False),
        (K.DENY, D.PARTIALLY_GRANTED, False),
    ],
)
def test_the_outcome_follows_the_recommendation(
    kind: RecommendationKind, outcome: DecisionOutcome, allowed: bool
) -> None:
    def sign() -> Decision:
        return countersign(
            recommendation(kind),
            outcome=outcome,
            countersigner_id=SENIOR,
            countersigner_roles=(Actor.SENIOR,),
            case_version=5,
        )

    if allowed:
        decision = sign()
        assert (decision.outcome, decision.countersigned_by, decision.case_version) == (outcome, SENIOR, 5)
    else:
        with pytest.raises(ValidationError, match="return it to the officer"):
            sign()


def test_a_forged_decision_by_the_recommending_officer_is_refused_by_the_workflow() -> None:
    """Four eyes hold even when a Decision is built by hand, bypassing countersign()."""
    case = case_at(ApplicationStatus.RECOMMENDED)
    assert case.recommendation is not None
    forged = Decision(D.GRANTED, case.recommendation, countersigned_by=OFFICER, case_version=case.version)
    with pytest.raises(PermissionDeniedError, match="four eyes"):
        decide(case, forged)


def test_a_decision_on_another_recommendation_is_refused() -> None:
    case = case_at(ApplicationStatus.RECOMMENDED)
    other = countersign(
        recommendation(K.GRANT_WITH_CONDITIONS),
        outcome=D.GRANTED,
        countersigner_id=SENIOR,
        countersigner_roles={Actor.SENIOR},
        case_version=case.version,
    )
    with pytest.raises(ConflictError, match="other than the case's"):
        decide(case, other)


def test_only_the_countersigner_records_the_decision() -> None:
    case = case_at(ApplicationStatus.RECOMMENDED)
    assert case.recommendation is not None
    decision = countersign(
        case.recommendation,
        outcome=D.GRANTED,
        countersigner_id=SENIOR,
        countersigner_roles={Actor.SENIOR},
        case_version=case.version,
    )
    with pytest.raises(PermissionDeniedError, match="countersigned"):
        transition(replace(case, decision=decision), CaseAction.DECIDE, Actor.SENIOR, "senior-2")
