"""The case workflow (Arts. 12, 13, 15, 16): the full transition table, who may act, versions, amendments."""

from __future__ import annotations

from dataclasses import replace
from itertools import product

import pytest

from dualuse.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from dualuse.domain.licensing import (
    TRANSITIONS,
    Actor,
    ApplicationStatus,
    ApplicationType,
    CaseAction,
    DecisionOutcome,
    RecommendationKind,
    amend_application,
    countersign,
    decide,
    new_case,
    recommend,
    transition,
)

from .factories import EXPORTER, OFFICER, SENIOR, application, case_at, item, recommendation

S = ApplicationStatus
A = CaseAction
E, OF, SR = Actor.EXPORTER, Actor.OFFICER, Actor.SENIOR

# The workflow as the issue states it, written out independently of the module's table.
EXPECTED: dict[tuple[ApplicationStatus, CaseAction], tuple[ApplicationStatus, Actor, str]] = {
    (S.DRAFT, A.SUBMIT): (S.SUBMITTED, E, "ApplicationSubmitted"),
    (S.SUBMITTED, A.START_ASSESSMENT): (S.UNDER_ASSESSMENT, OF, "AssessmentStarted"),
    (S.UNDER_ASSESSMENT, A.REQUEST_INFORMATION): (S.AWAITING_EXPORTER, OF, "InformationRequested"),
    (S.AWAITING_EXPORTER, A.PROVIDE_INFORMATION): (S.UNDER_ASSESSMENT, E, "InformationProvided"),
    (S.UNDER_ASSESSMENT, A.RECOMMEND): (S.RECOMMENDED, OF, "RecommendationMade"),
    (S.RECOMMENDED, A.RETURN_RECOMMENDATION): (S.UNDER_ASSESSMENT, SR, "RecommendationReturned"),
    (S.RECOMMENDED, A.DECIDE): (S.DECIDED, SR, "ApplicationDecided"),
    (S.DRAFT, A.WITHDRAW): (S.WITHDRAWN, E, "ApplicationWithdrawn"),
    (S.SUBMITTED, A.WITHDRAW): (S.WITHDRAWN, E, "ApplicationWithdrawn"),
    (S.UNDER_ASSESSMENT, A.WITHDRAW): (S.WITHDRAWN, E, "ApplicationWithdrawn"),
    (S.AWAITING_EXPORTER, A.WITHDRAW): (S.WITHDRAWN, E, "ApplicationWithdrawn"),
}
ACTOR_ID = {E: EXPORTER, OF: OFFICER, SR: SENIOR, Actor.SYSTEM: "system"}

ILLEGAL = [pair for pair in product(S, A) if pair not in EXPECTED]


def test_table_is_the_workflow_of_the_issue() -> None:
    actual = {key: (row.target, *row.actors, row.event) for key, row in TRANSITIONS.items()}
    assert actual == EXPECTED


@pytest.mark.parametrize(("status", "action"), ILLEGAL, ids=[f"{s}-{a}" for s, a in ILLEGAL])
def test_every_pair_not_in_the_table_is_refused(status: ApplicationStatus, action: CaseAction) -> None:
    case = case_at(status)
    for role in Actor:
        with pytest.raises(ConflictError, match=f"cannot be given '{action}'"):
            transition(case, action, role, ACTOR_ID[role])


@pytest.mark.parametrize(("status", "action"), list(EXPECTED), ids=[f"{s}-{a}" for s, a in EXPECTED])
def test_every_pair_in_the_table_moves_the_case_and_records_its_event(
    status: ApplicationStatus, action: CaseAction
) -> None:
    target, role, event_name = EXPECTED[status, action]
    case = case_at(status)
    if action is A.DECIDE:
        assert case.recommendation is not None
        decision = countersign(
            case.recommendation,
            outcome=DecisionOutcome.GRANTED,
            countersigner_id=SENIOR,
            countersigner_roles={SR},
            case_version=case.version,
        )
        after, event = decide(case, decision)
    elif action is A.RECOMMEND:
        after, event = recommend(case, recommendation())
    else:
        after, event = transition(case, action, role, ACTOR_ID[role])
    assert after.status is target
    assert after.version == case.version + 1
    assert (event.name, event.before, event.after, event.version) == (
        event_name,
        status,
        target,
        after.version,
    )
    assert (event.actor_role, event.actor_id, event.case_id) == (role, ACTOR_ID[role], case.id)


@pytest.mark.parametrize(("status", "action"), list(EXPECTED), ids=[f"{s}-{a}" for s, a in EXPECTED])
def test_every_other_role_is_refused(status: ApplicationStatus, action: CaseAction) -> None:
    _, allowed, _ = EXPECTED[status, action]
    case = case_at(status)
    for role in set(Actor) - {allowed}:
        with pytest.raises(PermissionDeniedError, match=f"only the {allowed}"):
            transition(case, action, role, ACTOR_ID[role])


def test_an_exporter_acts_only_on_its_own_case() -> None:
    with pytest.raises(PermissionDeniedError, match="its own"):
        transition(case_at(S.DRAFT), A.SUBMIT, E, "another-exporter")


def test_unknown_action_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="unknown case action"):
        transition(case_at(S.DRAFT), "approve", E, EXPORTER)


def test_submitting_an_incomplete_application_is_refused() -> None:
    case = new_case("case-1", replace(application(), end_use=" "))
    with pytest.raises(ValidationError, match="end use") as raised:
        transition(case, A.SUBMIT, E, EXPORTER)
    assert raised.value.field == "end_use"


def test_recommending_without_a_recommendation_is_refused() -> None:
    with pytest.raises(ConflictError, match="recommend"):
        transition(case_at(S.UNDER_ASSESSMENT), A.RECOMMEND, OF, OFFICER)


def test_deciding_without_a_decision_is_refused() -> None:
    with pytest.raises(ConflictError, match="countersigned decision"):
        transition(case_at(S.RECOMMENDED), A.DECIDE, SR, SENIOR)


def test_a_stale_expected_version_is_refused() -> None:
    case = case_at(S.SUBMITTED)
    with pytest.raises(ConflictError, match="version"):
        transition(case, A.START_ASSESSMENT, OF, OFFICER, expected_version=case.version - 1)
    after, _ = transition(case, A.START_ASSESSMENT, OF, OFFICER, expected_version=case.version)
    assert after.version == case.version + 1


def test_a_decision_against_a_stale_version_is_refused() -> None:
    """Two seniors: one returns the recommendation while the other countersigns the version they saw."""
    case = case_at(S.RECOMMENDED)
    assert case.recommendation is not None
    decision = countersign(
        case.recommendation,
        outcome=DecisionOutcome.GRANTED,
        countersigner_id=SENIOR,
        countersigner_roles={SR},
        case_version=case.version,
    )
    returned, _ = transition(case, A.RETURN_RECOMMENDATION, SR, "senior-2")
    again, _ = recommend(returned, recommendation())
    with pytest.raises(ConflictError, match="version"):
        decide(again, decision)


def test_the_decision_is_recorded_on_the_case() -> None:
    case = case_at(S.DECIDED, kind=RecommendationKind.DENY)
    assert case.decision is not None
    assert case.decision.outcome is DecisionOutcome.DENIED
    assert case.decision.criteria_relied_on == ("cp.2",)


# --- amendments: submission freezes the content ---


def test_a_draft_is_edited_in_place() -> None:
    case = case_at(S.DRAFT)
    edited = replace(application(), end_use="satellite ground station")
    after, event = amend_application(case, edited, actor_id=EXPORTER, reason="")
    assert after.application == edited
    assert after.amendments == ()
    assert event.name == "DraftEdited"


@pytest.mark.parametrize("status", [S.SUBMITTED, S.UNDER_ASSESSMENT, S.AWAITING_EXPORTER])
def test_after_submission_changes_are_amendments_beside_the_frozen_content(status: ApplicationStatus) -> None:
    case = case_at(status)
    changed = replace(application(), items=(item(quantity="5"),))
    after, event = amend_application(case, changed, actor_id=EXPORTER, reason="fewer units ordered")
    assert after.application == case.application  # frozen
    assert after.current_application == changed
    assert [a.sequence for a in after.amendments] == [1]
    assert (event.name, event.before, event.after, after.version) == (
        "ApplicationAmended",
        status,
        status,
        case.version + 1,
    )


@pytest.mark.parametrize("status", [S.RECOMMENDED, S.DECIDED, S.WITHDRAWN])
def test_no_amendment_once_recommended_decided_or_withdrawn(status: ApplicationStatus) -> None:
    with pytest.raises(ConflictError, match="can no longer be amended"):
        amend_application(case_at(status), application(), actor_id=EXPORTER, reason="late change")


def test_an_amendment_needs_a_reason_and_complete_content() -> None:
    case = case_at(S.SUBMITTED)
    with pytest.raises(ValidationError, match="says why"):
        amend_application(case, application(), actor_id=EXPORTER, reason=" ")
    with pytest.raises(ValidationError, match="at least one item"):
        amend_application(case, replace(application(), items=()), actor_id=EXPORTER, reason="drop all")


def test_an_amendment_keeps_the_type_and_exporter() -> None:
    case = case_at(S.SUBMITTED)
    with pytest.raises(ValidationError, match="new application"):
        amend_application(
            case, application(ApplicationType.GLOBAL), actor_id=EXPORTER, reason="switch to global"
        )
    with pytest.raises(PermissionDeniedError):
        amend_application(case, application(), actor_id="another-exporter", reason="x")


def test_amending_a_stale_version_is_refused() -> None:
    case = case_at(S.SUBMITTED)
    with pytest.raises(ConflictError, match="version"):
        amend_application(case, application(), actor_id=EXPORTER, reason="x", expected_version=1)
