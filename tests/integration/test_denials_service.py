"""Denials between member states through the use cases, on SQLite and PostgreSQL (issue 18): a refusal is
notified to every other state and the Commission in the decision's transaction (Art. 16(1)); another
state's essentially identical application is flagged and its decision held until the denying state is
consulted (Art. 16(5)); granting anyway is notified with its reasons; the issuing state reviews."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dualuse.bootstrap import Container
from dualuse.domain import denials as dn
from dualuse.domain.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from dualuse.domain.union import EU_MEMBER_STATES
from dualuse.services import licensing
from dualuse.services.denials import checks, consultations, register
from dualuse.services.denials.ports import NoticeKind
from tests.factories import Person
from tests.integration.denials_world import (
    DENIED_END_USER,
    SPELLED_OTHERWISE,
    application,
    people,
    recommend,
    submit,
)

SECRET = b"k" * 32


@pytest.fixture
def world(container: Container) -> dict[str, Person]:
    return people(container)


def deny_in_france(container: Container, world: dict[str, Person]) -> dn.Denial:
    case_id = submit(container, world["fr_exporter"], application(DENIED_END_USER))
    version = recommend(container, world["fr_officer"], case_id, kind="deny")
    with container.uow() as uow:
        licensing.decide(
            uow,
            world["fr_senior"].principal,
            case_id,
            outcome="denied",
            expected_version=version,
            secret=SECRET,
        )
    with container.uow() as uow:
        (denial,) = register.register(uow, world["fr_officer"].principal)
    return denial


def test_a_refusal_becomes_a_denial_notified_to_every_other_state_and_the_commission(
    container: Container, world: dict[str, Person]
) -> None:
    denial = deny_in_france(container, world)
    assert denial.issuing_state == "FR"
    assert denial.kind is dn.DenialKind.DENIAL
    assert denial.control_codes == ("5A001.J",)
    assert denial.destination == "AE"
    assert [p.name for p in denial.parties] == [DENIED_END_USER]
    assert denial.considerations == ("art15.1.d",)
    assert denial.case_reference.startswith("FR/case/")
    assert denial.review_due_on == dn.review_due(denial.decided_on)  # Art. 16(2) [M]: three years
    with container.uow() as uow:
        notices = uow.denials.notices(denial_id=denial.id)
        assert sorted(n.recipient for n in notices) == sorted([*(EU_MEMBER_STATES - {"FR"}), "EU"])
        assert {n.kind for n in notices} == {NoticeKind.DENIAL}
        # each recipient reads its own notice
        assert [n.denial_id for n in register.inbox(uow, world["de_officer"].principal)] == [denial.id]
        assert [n.denial_id for n in register.inbox(uow, world["commission"].principal)] == [denial.id]
        assert register.inbox(uow, world["fr_officer"].principal) == []
        # the Commission reads the register; an exporter does not
        assert [d.id for d in register.register(uow, world["commission"].principal)] == [denial.id]
        with pytest.raises(PermissionDeniedError):
            register.register(uow, world["de_exporter"].principal)


def test_an_essentially_identical_application_is_held_until_the_denying_state_is_consulted(
    container: Container, world: dict[str, Person]
) -> None:
    denial = deny_in_france(container, world)
    case_id = submit(container, world["de_exporter"], application(SPELLED_OTHERWISE, code="5A001"))
    de_officer, de_senior, fr_officer = (
        world[k].principal for k in ("de_officer", "de_senior", "fr_officer")
    )
    with container.uow() as uow:
        found = checks.case_denials(uow, de_officer, case_id)
        (match,) = found.matches
        assert match.denial.id == denial.id
        assert "control code 5A001.J overlaps 5A001" in match.match.reasons
        assert any("name score" in r for r in match.match.reasons)
        assert not found.may_decide
        file = uow.casework.file(case_id)
        assert file is not None
        assert [f.subject for f in file.blocking_flags if f.rule_id == "denial_match"] == [denial.reference]
        with pytest.raises(NotFoundError):  # FR does not read DE's case
            checks.case_denials(uow, fr_officer, case_id)
    version = recommend(container, world["de_officer"], case_id)
    with container.uow() as uow, pytest.raises(ConflictError, match="consult FR"):
        licensing.decide(uow, de_senior, case_id, outcome="granted", expected_version=version, secret=SECRET)

    with container.uow() as uow:
        opened = consultations.consult_on_denial(uow, de_officer, case_id, denial.id, question="Any news?")
    assert opened.consulted_state == "FR"
    assert opened.deadline_is_law is False  # Art. 16(5) sets no time limit: the system's default
    with container.uow() as uow, pytest.raises(ConflictError):  # still open: the deadline has not passed
        licensing.decide(uow, de_senior, case_id, outcome="granted", expected_version=version, secret=SECRET)
    with container.uow() as uow:
        with pytest.raises(PermissionDeniedError):  # an exporter reads no consultation
            consultations.answer(uow, world["de_exporter"].principal, opened.id, "agrees", reasons="")
        assert [c.id for c in consultations.consultations(uow, fr_officer).received] == [opened.id]
    with container.uow() as uow, pytest.raises(NotFoundError):
        consultations.answer(uow, de_officer, opened.id, "agrees", reasons="")
    with container.uow() as uow, pytest.raises(ValidationError):
        consultations.answer(uow, fr_officer, opened.id, "objects", reasons=" ")
    with container.uow() as uow:
        answered = consultations.answer(uow, fr_officer, opened.id, "objects", reasons="Known diversion risk")
    assert answered.answer is dn.Answer.OBJECTS
    with container.uow() as uow:
        file = uow.casework.file(case_id)
        assert file is not None
        assert not [f for f in file.blocking_flags if f.rule_id == "denial_match"]  # settled by the answer
        with pytest.raises(ValidationError, match="say why you grant anyway"):
            licensing.decide(
                uow, de_senior, case_id, outcome="granted", expected_version=version, secret=SECRET
            )
    with container.uow() as uow:
        _stored, licence = licensing.decide(
            uow,
            de_senior,
            case_id,
            outcome="granted",
            expected_version=version,
            secret=SECRET,
            despite_denial_reasons="Contract now restricted to the civil operator; end-use checks on site",
        )
    assert licence is not None
    with container.uow() as uow:
        despite = [
            n for n in uow.denials.notices(denial_id=denial.id) if n.kind is NoticeKind.GRANTED_DESPITE_DENIAL
        ]
        assert sorted(n.recipient for n in despite) == sorted([*(EU_MEMBER_STATES - {"DE"}), "EU"])
        assert {n.reasons for n in despite} == {
            "Contract now restricted to the civil operator; end-use checks on site"
        }
        assert all(n.case_id == case_id for n in despite)


def test_a_lapsed_consultation_lets_the_officer_decide(
    container: Container, world: dict[str, Person]
) -> None:
    denial = deny_in_france(container, world)
    case_id = submit(container, world["de_exporter"], application("Nordwind Surveillance"))
    de_officer = world["de_officer"].principal
    with container.uow() as uow:
        opened = consultations.consult_on_denial(uow, de_officer, case_id, denial.id)
        with pytest.raises(ConflictError, match="open until"):
            consultations.record_lapse(uow, de_officer, opened.id)
    with container.uow() as uow:  # as if the deadline had passed
        moved = replace(opened, due_on=opened.opened_on.replace(year=opened.opened_on.year - 1))
        uow.denials.save_consultation(replace(moved, version=2), expected_version=1)
        uow.commit()
    with container.uow() as uow:
        assert checks.case_denials(uow, de_officer, case_id).may_decide  # past its deadline
        lapsed = consultations.record_lapse(uow, de_officer, opened.id)
    assert lapsed.status is dn.ConsultationStatus.LAPSED


def test_a_different_end_user_or_destination_is_no_match(
    container: Container, world: dict[str, Person]
) -> None:
    deny_in_france(container, world)
    other_user = submit(container, world["de_exporter"], application("Nordwind Security GmbH"))
    other_place = submit(container, world["de_exporter"], application(DENIED_END_USER, destination="SA"))
    other_code = submit(container, world["de_exporter"], application(DENIED_END_USER, code="5A002"))
    with container.uow() as uow:
        for case_id in (other_user, other_place, other_code):
            assert checks.case_denials(uow, world["de_officer"].principal, case_id).matches == ()


def test_only_the_issuing_state_reviews_and_a_withdrawn_denial_matches_no_more(
    container: Container, world: dict[str, Person]
) -> None:
    denial = deny_in_france(container, world)
    with container.uow() as uow, pytest.raises(NotFoundError):
        register.review(uow, world["de_officer"].principal, denial.id, "confirm")
    with container.uow() as uow:
        confirmed = register.review(uow, world["fr_officer"].principal, denial.id, "confirm")
    assert confirmed.status is dn.DenialStatus.CONFIRMED
    assert confirmed.in_force
    with container.uow() as uow, pytest.raises(ValidationError):
        register.review(uow, world["fr_officer"].principal, denial.id, "withdraw", note="")
    with container.uow() as uow:
        withdrawn = register.review(
            uow, world["fr_officer"].principal, denial.id, "withdraw", note="End-user ceased trading"
        )
    assert withdrawn.status is dn.DenialStatus.WITHDRAWN
    case_id = submit(container, world["de_exporter"], application(DENIED_END_USER))
    with container.uow() as uow:
        assert checks.case_denials(uow, world["de_officer"].principal, case_id).matches == ()
        kinds = [n.kind for n in uow.denials.notices(denial_id=denial.id) if n.recipient == "DE"]
        assert kinds.count(NoticeKind.REVIEW) == 2


def test_items_in_another_state_hold_the_decision_and_a_binding_objection_refuses_the_grant(
    container: Container, world: dict[str, Person]
) -> None:
    """Art. 14(1) (verified): objections within 10 working days, and they bind."""
    case_id = submit(container, world["de_exporter"], application("Steppe Telecom JSC"))
    de_officer, de_senior = world["de_officer"].principal, world["de_senior"].principal
    with container.uow() as uow:
        opened = consultations.consult_on_items(
            uow, de_officer, case_id, "fr", subject="The systems are stored in a bonded warehouse in Lyon"
        )
    assert (opened.kind, opened.deadline_is_law, opened.binding) == (
        dn.ConsultationKind.ITEMS_IN_OTHER_STATE,
        True,
        True,
    )
    version = recommend(container, world["de_officer"], case_id)
    with container.uow() as uow, pytest.raises(ConflictError, match=r"Art\. 14\(1\)"):
        licensing.decide(uow, de_senior, case_id, outcome="granted", expected_version=version, secret=SECRET)
    with container.uow() as uow:
        consultations.answer(
            uow, world["fr_officer"].principal, opened.id, "objects", reasons="Essential security interests"
        )
    with container.uow() as uow, pytest.raises(ConflictError, match="objection binds"):
        licensing.decide(uow, de_senior, case_id, outcome="granted", expected_version=version, secret=SECRET)
    with container.uow() as uow:
        assert checks.case_denials(uow, de_officer, case_id).located[0].answer is dn.Answer.OBJECTS
