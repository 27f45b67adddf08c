"""Licence numbers, validity (Art. 12(3)), check codes and the lifecycle table (Art. 16)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import product

import pytest

from dualuse.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from dualuse.domain.licensing import (
    CHECK_CODE_LENGTH,
    LICENCE_TRANSITIONS,
    Actor,
    ApplicationType,
    Licence,
    LicenceAction,
    LicenceStatus,
    LicenceTransition,
    amend_licence,
    check_code,
    check_validity,
    countersign_change,
    latest_valid_until,
    licence_number,
    licence_transition,
    next_sequence,
    parse_licence_number,
    propose_change,
    reject_change,
    relaxations,
    verify_check_code,
)

from .factories import SECRET, licence, licensed_item

T = ApplicationType
L = LicenceStatus
LA = LicenceAction


# --- numbers ---


@pytest.mark.parametrize(
    ("state", "year", "sequence", "number"),
    [
        ("DE", 2026, 123, "DE-2026-000123"),
        ("FR", 2030, 1, "FR-2030-000001"),
        ("SE", 2026, 999_999, "SE-2026-999999"),
    ],
)
def test_licence_number(state: str, year: int, sequence: int, number: str) -> None:
    assert licence_number(state, year, sequence) == number
    assert parse_licence_number(number) == (state, year, sequence)


@pytest.mark.parametrize(
    ("state", "year", "sequence"),
    [
        ("de", 2026, 1),
        ("US", 2026, 1),
        ("EL", 2026, 1),
        ("DE", 1999, 1),
        ("DE", 2026, 0),
        ("DE", 2026, 1_000_000),
    ],
)
def test_invalid_licence_numbers_are_refused(state: str, year: int, sequence: int) -> None:
    with pytest.raises(ValidationError):
        licence_number(state, year, sequence)


@pytest.mark.parametrize("text", ["DE-2026-123", "de-2026-000123", "DE2026000123", "XX-2026-000001", ""])
def test_parse_refuses_what_is_not_a_licence_number(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_licence_number(text)


def test_next_sequence_is_per_state_and_year() -> None:
    issued = ["DE-2026-000001", "DE-2026-000007", "DE-2025-000050", "FR-2026-000099"]
    assert next_sequence(issued, "DE", 2026) == 8
    assert next_sequence(issued, "DE", 2027) == 1
    assert next_sequence(issued, "FR", 2026) == 100
    with pytest.raises(ConflictError, match="all"):
        next_sequence(["DE-2026-999999"], "DE", 2026)


# --- validity, Art. 12(3) ---


@pytest.mark.parametrize(
    ("licence_type", "valid_from", "valid_until", "ok"),
    [
        (T.INDIVIDUAL, date(2026, 1, 1), date(2027, 12, 31), True),
        (T.INDIVIDUAL, date(2026, 1, 1), date(2028, 1, 1), False),
        (T.GLOBAL, date(2026, 3, 15), date(2028, 3, 14), True),
        (T.GLOBAL, date(2026, 3, 15), date(2028, 3, 15), False),
        (T.LARGE_PROJECT, date(2026, 1, 1), date(2029, 12, 31), True),
        (T.LARGE_PROJECT, date(2026, 1, 1), date(2030, 1, 1), False),
        (T.BROKERING, date(2026, 1, 1), date(2027, 12, 31), True),
        (T.TECHNICAL_ASSISTANCE, date(2026, 1, 1), date(2028, 1, 1), False),
        (T.INDIVIDUAL, date(2026, 1, 1), date(2026, 1, 1), True),  # a single day
        (T.INDIVIDUAL, date(2026, 1, 2), date(2026, 1, 1), False),  # ends before it starts
        (T.INDIVIDUAL, date(2024, 2, 29), date(2026, 2, 28), True),  # leap day: ends with February
        (T.INDIVIDUAL, date(2024, 2, 29), date(2026, 3, 1), False),
    ],
)
def test_validity_limits_per_type(
    licence_type: ApplicationType, valid_from: date, valid_until: date, ok: bool
) -> None:
    if ok:
        check_validity(licence_type, valid_from, valid_until)
    else:
        with pytest.raises(ValidationError, match=r"Art\. 12|before it becomes valid") as raised:
            check_validity(licence_type, valid_from, valid_until)
        assert raised.value.field == "valid_until"


def test_a_large_project_may_run_longer_only_when_duly_justified() -> None:
    start, end = date(2026, 1, 1), date(2031, 12, 31)
    with pytest.raises(ValidationError, match="duly justified"):
        check_validity(T.LARGE_PROJECT, start, end)
    check_validity(T.LARGE_PROJECT, start, end, justification="plant construction runs six years")
    with pytest.raises(ValidationError):
        check_validity(T.INDIVIDUAL, start, end, justification="long contract")


def test_latest_valid_until() -> None:
    assert latest_valid_until(T.INDIVIDUAL, date(2026, 7, 1)) == date(2028, 6, 30)
    assert latest_valid_until(T.LARGE_PROJECT, date(2026, 7, 1)) == date(2030, 6, 30)


def test_issuing_checks_validity_and_items() -> None:
    with pytest.raises(ValidationError, match=r"Art\. 12"):
        licence(valid_until=date(2028, 1, 1))
    with pytest.raises(ValidationError, match="unique"):
        licence(licensed_item(1), licensed_item(1))


# --- check codes ---


def test_check_code_is_stable_and_depends_on_number_and_secret() -> None:
    code = check_code("DE-2026-000123", SECRET)
    assert len(code) == 12
    assert code == check_code("DE-2026-000123", SECRET)
    assert code != check_code("DE-2026-000124", SECRET)
    assert code != check_code("DE-2026-000123", b"another secret of enough length")


def test_verify_check_code_ignores_case_and_hyphens() -> None:
    code = check_code("DE-2026-000123", SECRET)
    written = f"{code[:4]}-{code[4:8]}-{code[8:]}".lower()
    assert verify_check_code("DE-2026-000123", written, SECRET)
    assert not verify_check_code("DE-2026-000124", code, SECRET)
    assert not verify_check_code("DE-2026-000123", "AAAA", SECRET)
    assert not verify_check_code("DE-2026-000123", code[:-1] + ("A" if code[-1] != "A" else "B"), SECRET)


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValidationError, match="secret"):
        check_code("DE-2026-000123", b"short")


# --- lifecycle, Art. 16 ---

EXPECTED = {
    (L.ACTIVE, LA.AMEND): (L.ACTIVE, "LicenceAmended"),
    (L.ACTIVE, LA.SUSPEND): (L.SUSPENDED, "LicenceSuspended"),
    (L.SUSPENDED, LA.REINSTATE): (L.ACTIVE, "LicenceReinstated"),
    (L.ACTIVE, LA.REVOKE): (L.REVOKED, "LicenceRevoked"),
    (L.SUSPENDED, LA.REVOKE): (L.REVOKED, "LicenceRevoked"),
    (L.ACTIVE, LA.ANNUL): (L.ANNULLED, "LicenceAnnulled"),
    (L.SUSPENDED, LA.ANNUL): (L.ANNULLED, "LicenceAnnulled"),
    (L.ACTIVE, LA.EXPIRE): (L.EXPIRED, "LicenceExpired"),
    (L.SUSPENDED, LA.EXPIRE): (L.EXPIRED, "LicenceExpired"),
    (L.ACTIVE, LA.EXHAUST): (L.EXHAUSTED, "LicenceExhausted"),
}
ILLEGAL = [pair for pair in product(L, LA) if pair not in EXPECTED]


def test_lifecycle_table() -> None:
    assert {k: (r.target, r.event) for k, r in LICENCE_TRANSITIONS.items()} == EXPECTED


def test_art16_moves_are_notified_to_other_states() -> None:
    notified = {action for (_, action), row in LICENCE_TRANSITIONS.items() if row.notify}
    assert notified == {LA.SUSPEND, LA.REINSTATE, LA.REVOKE, LA.ANNUL}


@pytest.mark.parametrize(("status", "action"), ILLEGAL, ids=[f"{s}-{a}" for s, a in ILLEGAL])
def test_every_licence_pair_not_in_the_table_is_refused(status: LicenceStatus, action: LicenceAction) -> None:
    at = replace(licence(), status=status)
    for role in Actor:
        with pytest.raises(ConflictError, match="cannot be given"):
            licence_transition(at, action, role, "someone", reason="because")


@pytest.mark.parametrize(("status", "action"), list(EXPECTED), ids=[f"{s}-{a}" for s, a in EXPECTED])
def test_every_licence_pair_in_the_table_moves_the_licence(
    status: LicenceStatus, action: LicenceAction
) -> None:
    at = replace(licence(), status=status)
    row = LICENCE_TRANSITIONS[status, action]
    role = next(iter(sorted(row.actors)))
    if row.countersigned:  # a relaxing move: proposed by one official, in force once another countersigns
        with pytest.raises(PermissionDeniedError, match="countersign"):
            licence_transition(at, action, role, "someone", reason="because")
        at, _ = propose_change(at, action, Actor.OFFICER, "proposer", reason="because")
        after, event = countersign_change(at, role, "someone")
    else:
        after, event = licence_transition(at, action, role, "someone", reason="because")
    assert (after.status, after.version) == (row.target, at.version + 1)
    assert (event.name, event.before, event.after, event.notify_other_states) == (
        row.event,
        status,
        row.target,
        row.notify,
    )
    for other in set(Actor) - row.actors:
        with pytest.raises(PermissionDeniedError):
            _act_as(at, row, other)


def _act_as(at: Licence, row: LicenceTransition, role: Actor) -> None:
    if row.countersigned:
        countersign_change(at, role, "someone")
    else:
        licence_transition(at, row.action, role, "someone", reason="because")


@pytest.mark.parametrize("action", [LA.SUSPEND, LA.REVOKE, LA.ANNUL])
def test_art16_moves_need_a_reason(action: LicenceAction) -> None:
    with pytest.raises(ValidationError, match="say why"):
        licence_transition(licence(), action, Actor.SENIOR, "senior-1")


def test_officer_may_suspend_but_only_a_senior_revokes() -> None:
    suspended, _ = licence_transition(
        licence(), LA.SUSPEND, Actor.OFFICER, "officer-1", reason="diversion report"
    )
    with pytest.raises(PermissionDeniedError):
        licence_transition(suspended, LA.REVOKE, Actor.OFFICER, "officer-1", reason="confirmed")
    revoked, event = licence_transition(suspended, LA.REVOKE, Actor.SENIOR, "senior-1", reason="confirmed")
    assert revoked.status is L.REVOKED
    assert event.notify_other_states


def test_amending_makes_a_new_version_within_art12_limits() -> None:
    original = licence()
    amended, event = amend_licence(
        original,
        actor_role=Actor.OFFICER,
        actor_id="officer-1",
        reason="extra condition",
        conditions=("no re-export to third countries",),
    )
    assert (amended.version, amended.conditions, event.name) == (
        2,
        ("no re-export to third countries",),
        "LicenceAmended",
    )
    assert original.conditions == ()
    with pytest.raises(ValidationError, match=r"Art\. 12"):
        amend_licence(
            original, actor_role=Actor.OFFICER, actor_id="o", reason="extend", valid_until=date(2028, 1, 1)
        )
    with pytest.raises(ConflictError, match="version"):
        amend_licence(amended, actor_role=Actor.OFFICER, actor_id="o", reason="x", expected_version=1)


# --- F2: what relaxes a licence needs four eyes ---


def test_f2_an_officer_alone_cannot_remove_the_conditions_of_a_licence() -> None:
    conditioned, _ = amend_licence(
        licence(),
        actor_role=Actor.OFFICER,
        actor_id="officer-1",
        reason="end-use check",
        conditions=("no re-export",),
    )
    with pytest.raises(PermissionDeniedError, match="relaxes"):
        amend_licence(
            conditioned, actor_role=Actor.OFFICER, actor_id="officer-1", reason="drop it", conditions=()
        )
    with pytest.raises(PermissionDeniedError, match="relaxes"):
        amend_licence(
            conditioned, actor_role=Actor.SENIOR, actor_id="senior-1", reason="drop it", conditions=()
        )


def test_f2_a_relaxing_amendment_is_in_force_only_once_another_senior_countersigns() -> None:
    conditioned, _ = amend_licence(
        licence(),
        actor_role=Actor.OFFICER,
        actor_id="officer-1",
        reason="end-use check",
        conditions=("no re-export",),
    )
    target = replace(conditioned, conditions=(), valid_until=date(2027, 12, 31))
    proposed, event = propose_change(
        conditioned, LA.AMEND, Actor.SENIOR, "senior-1", reason="cleared", target=target
    )
    assert event.name == "LicenceChangeProposed"
    assert proposed.conditions == ("no re-export",), "nothing changes before the countersignature"
    assert proposed.pending is not None
    assert proposed.pending.relaxations == ("condition removed or reworded: 'no re-export'",)
    with pytest.raises(PermissionDeniedError, match="four eyes"):
        countersign_change(proposed, Actor.SENIOR, "senior-1")
    with pytest.raises(PermissionDeniedError, match="senior"):
        countersign_change(proposed, Actor.OFFICER, "officer-2")
    signed, event = countersign_change(proposed, Actor.SENIOR, "senior-2")
    assert (signed.conditions, signed.pending, event.name) == ((), None, "LicenceAmended")
    assert signed.version == proposed.version + 1


def test_f2_reinstating_a_suspended_licence_needs_four_eyes() -> None:
    suspended, _ = licence_transition(
        licence(), LA.SUSPEND, Actor.OFFICER, "officer-1", reason="diversion report"
    )
    with pytest.raises(PermissionDeniedError, match="countersign"):
        licence_transition(suspended, LA.REINSTATE, Actor.SENIOR, "senior-1", reason="cleared")
    proposed, _ = propose_change(suspended, LA.REINSTATE, Actor.SENIOR, "senior-1", reason="cleared")
    assert proposed.status is L.SUSPENDED
    with pytest.raises(PermissionDeniedError, match="four eyes"):
        countersign_change(proposed, Actor.SENIOR, "senior-1")
    active, event = countersign_change(proposed, Actor.SENIOR, "senior-2")
    assert (active.status, event.name, event.notify_other_states) == (L.ACTIVE, "LicenceReinstated", True)


def test_f2_restricting_moves_are_single_person_and_make_a_proposal_lapse() -> None:
    original = licence()
    shorter, _ = amend_licence(
        original,
        actor_role=Actor.OFFICER,
        actor_id="officer-1",
        reason="shorter",
        valid_until=date(2026, 12, 31),
    )
    assert shorter.valid_until == date(2026, 12, 31)
    longer = replace(shorter, valid_until=date(2027, 6, 30))
    proposed, _ = propose_change(
        shorter, LA.AMEND, Actor.OFFICER, "officer-1", reason="extend", target=longer
    )
    suspended, _ = licence_transition(
        proposed, LA.SUSPEND, Actor.OFFICER, "officer-2", reason="diversion report"
    )
    assert suspended.pending is None, "a proposal made on the licence as it stood lapses when it moves"
    with pytest.raises(ConflictError, match="awaits"):
        countersign_change(suspended, Actor.SENIOR, "senior-2")


def test_f2_one_proposal_at_a_time_and_it_can_be_rejected() -> None:
    original = licence()
    longer = replace(original, valid_until=date(2027, 12, 31))
    shorter, _ = amend_licence(
        original, actor_role=Actor.OFFICER, actor_id="o", reason="shorter", valid_until=date(2026, 12, 31)
    )
    proposed, _ = propose_change(shorter, LA.AMEND, Actor.OFFICER, "o", reason="extend", target=longer)
    with pytest.raises(ConflictError, match="already awaits"):
        propose_change(proposed, LA.AMEND, Actor.OFFICER, "o", reason="extend", target=longer)
    with pytest.raises(PermissionDeniedError):
        reject_change(proposed, Actor.OFFICER, "another officer", reason="no")
    rejected, event = reject_change(proposed, Actor.SENIOR, "s", reason="not justified")
    assert (rejected.pending, rejected.valid_until, event.name) == (
        None,
        date(2026, 12, 31),
        "LicenceChangeRejected",
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"valid_until": date(2027, 12, 31)}, "validity extended"),
        ({"conditions": ("a different condition",)}, "condition removed"),
        ({"items": (licensed_item(quantity="20"),)}, "quantity raised"),
        ({"items": (licensed_item(value="999999"),)}, "value raised"),
        ({"items": (licensed_item(), licensed_item(line=2))}, "added"),
    ],
)
def test_f2_what_counts_as_relaxing(change: dict[str, object], expected: str) -> None:
    base = replace(licence(), valid_until=date(2026, 12, 31), conditions=("a condition",))
    found = relaxations(base, replace(base, **change))  # type: ignore[arg-type]
    assert any(expected in text for text in found), found
    assert relaxations(base, base) == ()
    assert relaxations(base, replace(base, conditions=("a condition", "another"))) == ()


def test_f11_a_prefix_of_the_check_code_does_not_verify() -> None:
    """An outside probe: codes were accepted from 8 characters though 12 are printed (40 bits, not 60)."""
    code = check_code("DE-2026-000123", SECRET)
    assert len(code) == CHECK_CODE_LENGTH
    assert verify_check_code("DE-2026-000123", code, SECRET)
    for cut in range(8, CHECK_CODE_LENGTH):
        assert not verify_check_code("DE-2026-000123", code[:cut], SECRET)
