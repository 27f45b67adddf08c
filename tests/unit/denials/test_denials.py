"""The denial notification and its review (Art. 16(1) verified; 16(2) review unverified: three years),
consultations and their deadlines (Art. 14(1) verified: 10 working days; Art. 16(5): no time limit found,
the system's default)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dualuse.domain import denials as dn
from dualuse.domain.denials import law
from dualuse.domain.errors import ConflictError, PermissionDeniedError, ValidationError


def make(**changes: object) -> dn.Denial:
    args: dict[str, object] = {
        "kind": "denial",
        "issuing_state": "fr",
        "items": [dn.DenialItem("5a001.j", "interception")],
        "destination": "ae",
        "parties": [dn.DenialParty("Nordwind Surveillance GmbH", "end_user", "ae")],
        "considerations": ["art15.1.d", "art15.1.d"],
        "reasons": "risk of diversion",
        "decided_on": date(2024, 2, 29),
        "case_reference": "FR/case/7",
        "actor_id": "officer@sbdu",
    } | changes
    return dn.new_denial(1, **args)[0]  # type: ignore[arg-type] # keyword arguments of new_denial


def test_a_new_denial_is_in_force_with_its_review_due_three_years_on() -> None:
    d = make()
    assert (d.issuing_state, d.destination, d.control_codes) == ("FR", "AE", ("5A001.J",))
    assert d.status is dn.DenialStatus.IN_FORCE
    assert d.in_force
    assert d.considerations == ("art15.1.d",)
    assert d.review_due_on == date(2027, 2, 28)  # 29 February falls back to 28 February
    assert d.reference == "FR-DEN-1"
    assert law.ART_16_2.verified is False  # the three years are unverified
    assert law.ART_16_1.verified is True


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "refusal"}, "kind"),
        ({"issuing_state": "CH"}, "issuing_state"),
        ({"items": []}, "items"),
        ({"destination": "Emirates"}, "destination"),
        ({"parties": [dn.DenialParty(" ", "end_user", "AE")]}, "parties"),
        ({"case_reference": ""}, "case_reference"),
    ],
)
def test_a_denial_is_refused_without_what_other_states_need(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        make(**changes)
    assert refused.value.field == field


def test_the_review_table() -> None:
    d = make()
    confirmed, event = dn.review_denial(d, "confirm", actor_state="FR", actor_id="o", on=date(2026, 12, 5))
    assert (confirmed.status, event.name, confirmed.review_due_on) == (
        dn.DenialStatus.CONFIRMED,
        "DenialConfirmed",
        date(2029, 12, 5),
    )
    assert confirmed.in_force
    again, _ = dn.review_denial(confirmed, "confirm", actor_state="FR", actor_id="o", on=date(2027, 1, 5))
    assert again.version == 3
    with pytest.raises(PermissionDeniedError):
        dn.review_denial(d, "withdraw", actor_state="DE", actor_id="o", on=date(2026, 12, 5), note="x")
    with pytest.raises(ValidationError):
        dn.review_denial(d, "withdraw", actor_state="FR", actor_id="o", on=date(2026, 12, 5))
    withdrawn, event = dn.review_denial(
        d, "withdraw", actor_state="FR", actor_id="o", on=date(2026, 12, 5), note="gone"
    )
    assert (withdrawn.status, event.name, withdrawn.in_force) == (
        dn.DenialStatus.WITHDRAWN,
        "DenialWithdrawn",
        False,
    )
    with pytest.raises(ConflictError):
        dn.review_denial(withdrawn, "confirm", actor_state="FR", actor_id="o", on=date(2026, 12, 5))
    with pytest.raises(ConflictError):
        dn.review_denial(
            d, "confirm", actor_state="FR", actor_id="o", on=date(2026, 12, 5), expected_version=9
        )
    assert set(dn.DENIAL_TRANSITIONS) == {
        (s, a) for s in (dn.DenialStatus.IN_FORCE, dn.DenialStatus.CONFIRMED) for a in dn.DenialAction
    }


def consultation(kind: str = "essentially_identical", **changes: object) -> dn.Consultation:
    args: dict[str, object] = {
        "kind": kind,
        "consulting_state": "DE",
        "consulted_state": "FR",
        "subject": "case DE/3 and denial FR-DEN-1",
        "opened_on": date(2026, 12, 4),  # a Friday
        "actor_id": "officer@bafa",
        "case_id": 3,
        "denial_id": 1 if kind == "essentially_identical" else None,
    } | changes
    return dn.open_consultation(5, **args)[0]  # type: ignore[arg-type] # keyword arguments


def test_deadlines_in_working_days_of_the_consulted_state() -> None:
    art14 = dn.deadline_for("items_in_other_state", date(2026, 12, 4), "FR")
    assert (art14.law, art14.working_days, art14.basis.citation) == (True, 10, "Art. 14(1)")
    assert art14.due_on == date(2026, 12, 18)  # two weeks, no French holiday between
    art16 = dn.deadline_for("essentially_identical", date(2026, 12, 4), "FR")
    assert art16.law is False  # the system's default: no time limit found in Art. 16
    assert art16.working_days == law.ART_16_5_REPLY_DAYS
    # Christmas Day and New Year's Day are French public holidays: 10 working days from 18 December end on 5 January
    assert dn.deadline_for("items_in_other_state", date(2026, 12, 18), "FR").due_on == date(2027, 1, 5)
    with pytest.raises(ValidationError):
        dn.deadline_for("essentially_identical", date(2026, 12, 4), "FR", default_days=0)


def test_answers_and_lapses() -> None:
    c = consultation()
    assert c.status is dn.ConsultationStatus.OPEN
    assert not c.binding
    assert consultation("items_in_other_state").binding  # Art. 14(1): objections bind
    assert not dn.may_decide([c], date(2026, 12, 5))
    with pytest.raises(PermissionDeniedError):
        dn.answer(c, "agrees", reasons="", actor_state="DE", actor_id="x", on=date(2026, 12, 5))
    with pytest.raises(ValidationError):
        dn.answer(c, "objects", reasons="", actor_state="FR", actor_id="x", on=date(2026, 12, 5))
    answered, event = dn.answer(
        c, "objects", reasons="diversion", actor_state="fr", actor_id="x", on=date(2026, 12, 7)
    )
    assert (answered.status, answered.answer, event.name) == (
        dn.ConsultationStatus.ANSWERED,
        dn.Answer.OBJECTS,
        "ConsultationAnswered",
    )
    assert dn.may_decide([answered], date(2026, 12, 7))
    with pytest.raises(ConflictError):
        dn.answer(answered, "agrees", reasons="", actor_state="FR", actor_id="x", on=date(2026, 12, 8))
    with pytest.raises(ConflictError, match="open until"):
        dn.lapse(c, actor_state="DE", actor_id="x", on=c.due_on)
    late = replace(c, due_on=date(2026, 12, 6))
    assert dn.may_decide([late], date(2026, 12, 7))  # past its deadline
    with pytest.raises(PermissionDeniedError):
        dn.lapse(late, actor_state="FR", actor_id="x", on=date(2026, 12, 7))
    lapsed, event = dn.lapse(late, actor_state="DE", actor_id="x", on=date(2026, 12, 7))
    assert (lapsed.status, event.name) == (dn.ConsultationStatus.LAPSED, "ConsultationLapsed")


def test_a_consultation_needs_two_states_and_a_denial_under_art_16_5() -> None:
    with pytest.raises(ValidationError):
        consultation(consulted_state="DE")
    with pytest.raises(ValidationError):
        consultation(denial_id=None)
