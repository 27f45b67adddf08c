"""The due-diligence use cases (Rec. 2024/2659, Art. 5) run through the in-memory unit of work: a case from
opening to the Art. 5(2) notification, the authority's decision, the Art. 5(4) exchange to publication, and
civil society's reports; every move by the transition table, with its audit event, and nothing half done."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.domain.duediligence import STEPS, Conclusion, ConsultationOutcome, FlagAnswer, RedFlagSet, Step
from dualuse.domain.duediligence.records import (
    MOVES,
    CaseStatus,
    DdAction,
    NotificationStatus,
    SubmissionStatus,
    move,
)
from dualuse.domain.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from dualuse.domain.identity import OrganisationKind, Principal, Role
from dualuse.services import duediligence as svc
from tests.fakes import FakeUnitOfWork
from tests.unit.duediligence.factories import flag_set, red_flag

FLAGS: RedFlagSet = flag_set(
    *(red_flag(f"{step.value}-flag", step=step) for step in STEPS if step is not Step.CONCLUSION),
    red_flag("repression", step=Step.STAKEHOLDERS, key=True, repression=True),
)
TRANSACTION = {
    "destination": "EG",
    "end_user": {"name": "Interior Ministry", "type": "government"},
    "item": {"description": "IP network monitoring system", "control_code": None},
}


def _world() -> tuple[FakeUnitOfWork, dict[str, Principal]]:
    uow = FakeUnitOfWork()
    with uow:
        acme = uow.organisations.add(OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
        other = uow.organisations.add(OrganisationKind.EXPORTER, "Other GmbH", "DE", None)
        authorities = {
            state: uow.organisations.add(OrganisationKind.AUTHORITY, f"Authority {state}", state, None)
            for state in ("DE", "FR", "NL")
        }
        uow.commit()
    people = {
        "exporter": Principal.for_user(1, "a@acme.example", Role.EXPORTER_ADMIN, acme),
        "other": Principal.for_user(2, "b@other.example", Role.EXPORTER_ADMIN, other),
        **{
            state: Principal.for_user(10 + i, f"officer@{state}.example", Role.AUTHORITY_OFFICER, org)
            for i, (state, org) in enumerate(authorities.items())
        },
    }
    return uow, people


def _answered_case(uow: FakeUnitOfWork, exporter: Principal, *, repression: FlagAnswer) -> int:
    with uow:
        case_id = svc.open_case(uow, exporter, FLAGS, title="Monitoring for EG", transaction=TRANSACTION)
    for step in STEPS:
        if step is Step.CONCLUSION:
            continue
        answers: dict[str, tuple[FlagAnswer | str, str]] = {
            f.id: (repression if f.id == "repression" else FlagAnswer.NO, "checked")
            for f in FLAGS.for_step(step)
        }
        with uow:
            svc.record_step(uow, exporter, FLAGS, case_id, step, answers=answers, note=f"{step.value} done")
    return case_id


def _events(uow: FakeUnitOfWork) -> list[str]:
    with uow:
        return [e.action for e in uow.audit.all()]


def test_a_case_from_opening_to_a_published_requirement() -> None:
    uow, people = _world()
    case_id = _answered_case(uow, people["exporter"], repression=FlagAnswer.YES)
    with uow:
        view = svc.get_case(uow, people["exporter"], FLAGS, case_id)
    assert view.case.status is CaseStatus.OPEN
    assert view.next_step is None  # every step recorded
    assert view.suggested is Conclusion.NOTIFY_AUTHORITY  # aware of a risk of internal repression
    with uow, pytest.raises(ValidationError):  # awareness leaves only notify or do not proceed (Art. 5(2))
        svc.conclude(uow, people["exporter"], FLAGS, case_id, Conclusion.PROCEED, "")
    with uow:
        svc.conclude(uow, people["exporter"], FLAGS, case_id, Conclusion.NOTIFY_AUTHORITY, "repression risk")
        notification_id = svc.notify(uow, people["exporter"], FLAGS, case_id)
    with uow:
        concluded = svc.get_case(uow, people["exporter"], FLAGS, case_id)
        assert concluded.case.status is CaseStatus.CONCLUDED
        assert concluded.case.conclusion is Conclusion.NOTIFY_AUTHORITY
        assert concluded.notification is not None
        assert concluded.notification.status is NotificationStatus.SUBMITTED
        # the notification reaches the exporter's authority only
        assert [n.id for n in svc.notifications_for_authority(uow, people["DE"])] == [notification_id]
        assert svc.notifications_for_authority(uow, people["FR"]) == []
        with pytest.raises(NotFoundError):
            svc.get_notification(uow, people["FR"], notification_id)
        requirement_id = svc.decide_notification(
            uow,
            people["DE"],
            notification_id,
            required=True,
            reason="end-user named in reports",
            member_states=svc.authority_states(uow),
        )
    assert requirement_id is not None
    with uow:
        [(requirement, views)] = svc.requirements_for_authority(uow, people["FR"])
        assert requirement.status is ConsultationOutcome.PENDING
        assert sorted(v.member_state for v in views) == ["FR", "NL"]  # every state but the imposing one
        assert svc.record_view(uow, people["FR"], requirement_id, "agree", "") == ConsultationOutcome.PENDING
    with uow:
        assert (
            svc.record_view(uow, people["NL"], requirement_id, "agree", "") == ConsultationOutcome.PUBLISHED
        )
    with uow:
        [published] = svc.published_requirements(uow)
        assert (published.destination, published.end_user) == ("EG", "Interior Ministry")
        assert published.published_on is not None
        # the authority's decision binds: informed of internal repression for this transaction (Art. 5(1))
        case = svc.get_case(uow, people["exporter"], FLAGS, case_id).case
        assert svc.knowledge_for(uow, case)["informed"] == ["internal_repression"]
    events = _events(uow)
    assert events == [
        "dd_case.opened",
        *["dd_case.step_recorded"] * 4,
        "dd_case.concluded",
        "notification.submitted",
        "notification.decided",
        "art5_requirement.notified",
        "art5_requirement.view",
        "art5_requirement.view",
    ]


def test_moves_off_the_table_are_refused_and_change_nothing() -> None:
    uow, people = _world()
    case_id = _answered_case(uow, people["exporter"], repression=FlagAnswer.NO)
    with uow:
        svc.conclude(uow, people["exporter"], FLAGS, case_id, Conclusion.PROCEED, "")
    answers = {f.id: (FlagAnswer.NO, "") for f in FLAGS.for_step(Step.MISUSE)}
    with uow, pytest.raises(ConflictError, match="reopen it to change its answers"):
        svc.record_step(uow, people["exporter"], FLAGS, case_id, Step.MISUSE, answers=answers)
    with uow, pytest.raises(ConflictError, match="concluded already"):
        svc.conclude(uow, people["exporter"], FLAGS, case_id, Conclusion.PROCEED, "")
    with uow, pytest.raises(ConflictError, match="'notify the authority' first"):
        svc.notify(uow, people["exporter"], FLAGS, case_id)
    with uow:
        svc.reopen(uow, people["exporter"], FLAGS, case_id, "new end-user information")
    with uow, pytest.raises(ConflictError, match="open already"):
        svc.reopen(uow, people["exporter"], FLAGS, case_id, "again")
    with uow:
        case = svc.get_case(uow, people["exporter"], FLAGS, case_id).case
        assert (case.status, case.conclusion) == (CaseStatus.OPEN, None)
    # another exporter does not learn the case exists
    with uow, pytest.raises(NotFoundError):
        svc.get_case(uow, people["other"], FLAGS, case_id)
    events = _events(uow)
    assert events[-2:] == ["dd_case.concluded", "dd_case.reopened"]


def test_a_report_is_moderated_once_and_feeds_a_profile_when_accepted() -> None:
    uow, people = _world()
    with uow:
        submission_id = svc.submit(
            uow,
            organisation_name="Rights Watch",
            contact_email=None,
            subject_kind="end_user",
            subject="Interior Ministry",
            what_happened="Journalists' phones were intercepted with imported equipment.",
            sources=["https://example.org/report"],
        )
    with uow, pytest.raises(PermissionDeniedError):
        svc.pending_submissions(uow, people["exporter"])
    with uow:
        assert [s.id for s in svc.pending_submissions(uow, people["DE"])] == [submission_id]
        svc.moderate(uow, people["DE"], submission_id, accept=True, note="credible")
    with uow, pytest.raises(ConflictError, match="already been moderated"):
        svc.moderate(uow, people["FR"], submission_id, accept=False, note="")
    with uow:
        stored = uow.duediligence.submission(submission_id)
        assert stored is not None
        assert stored.status is SubmissionStatus.ACCEPTED
        assert svc.pending_submissions(uow, people["DE"]) == []
        [profile] = svc.profiles(uow, people["exporter"])
        assert profile.subject == "Interior Ministry"
        assert profile.entered_by != people["DE"].email  # F13: exporters see the authority, not the officer


STATUSES = [*CaseStatus, *NotificationStatus, *SubmissionStatus]


@given(st.sampled_from(STATUSES), st.sampled_from(list(DdAction)))
def test_the_table_decides_every_move(status: CaseStatus, action: DdAction) -> None:
    legal = {(m.source, m.action): m.target for m in MOVES}
    if (status, action) in legal:
        moved = move(status, action)
        assert moved.target == legal[(status, action)]
        assert type(moved.target) is type(status)  # a move never leaves its record's kind of status
    else:
        with pytest.raises(ConflictError):
            move(status, action)


def test_every_status_is_reachable_and_every_event_is_named() -> None:
    starts = {CaseStatus.OPEN, NotificationStatus.SUBMITTED, SubmissionStatus.PENDING}
    reached = starts | {m.target for m in MOVES}
    assert reached == set(STATUSES)
    assert all(m.event and "." in m.event for m in MOVES)
    # one action leads from one status to at most one status
    pairs = [(m.source, m.action) for m in MOVES]
    assert len(pairs) == len(set(pairs))
    assert not any(a == b for a, b in itertools.combinations(MOVES, 2))
