"""Properties of licensing (hypothesis): use never exceeds the grant; retention always ends on a 31 December
at least five years on (Art. 27); numbers and check codes round-trip; the workflow never leaves its table."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.domain.errors import DualUseError
from dualuse.domain.licensing import (
    MAX_VALIDITY_YEARS,
    TRANSITIONS,
    Actor,
    ApplicationStatus,
    ApplicationType,
    CaseAction,
    LicenceStatus,
    Shipment,
    check_code,
    check_validity,
    latest_valid_until,
    licence_number,
    may_delete,
    parse_licence_number,
    record_shipment,
    retention_until,
    transition,
    verify_check_code,
)
from dualuse.domain.union import EU_MEMBER_STATES

from .factories import EXPORTER, OFFICER, SECRET, SENIOR, case_at, licence, licensed_item

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(40), places=2)
days = st.dates(min_value=date(2025, 6, 1), max_value=date(2028, 6, 30))
attempts = st.lists(st.tuples(st.sampled_from([1, 2]), amounts, amounts, days), max_size=30)


@settings(max_examples=200, deadline=None)
@given(attempts)
def test_accepted_shipments_never_exceed_what_is_authorised(
    tries: list[tuple[int, Decimal, Decimal, date]],
) -> None:
    lic = licence(licensed_item(1, "50", "60"), licensed_item(2, "20", "100"))
    accepted: tuple[Shipment, ...] = ()
    for n, (line, quantity, value, on) in enumerate(tries):
        attempt = Shipment(lic.number, line, quantity, value, on, f"ref-{n}")
        try:
            lic, accepted, _ = record_shipment(lic, accepted, attempt)
        except DualUseError:
            continue
        assert lic.valid_from <= on <= lic.valid_until
    for item in lic.items:
        used = [s for s in accepted if s.item_line == item.line]
        assert sum((s.quantity for s in used), Decimal(0)) <= item.quantity
        assert sum((s.value_eur for s in used), Decimal(0)) <= item.value_eur
    if lic.status is LicenceStatus.EXHAUSTED:
        assert all(
            sum((s.quantity for s in accepted if s.item_line == i.line), Decimal(0)) == i.quantity
            or sum((s.value_eur for s in accepted if s.item_line == i.line), Decimal(0)) == i.value_eur
            for i in lic.items
        )


# to 9993, so that five years on and a day after fit in a date (9994 ends retention on 9999-12-31, the last day)
any_day = st.dates(min_value=date(1900, 1, 1), max_value=date(9993, 12, 31))


@given(any_day)
def test_retention_ends_on_a_31_december_at_least_five_years_later(d: date) -> None:
    until = retention_until(d)
    assert (until.month, until.day) == (12, 31)
    assert until.year == d.year + 5
    five_years_on = date(d.year + 5, d.month, 28 if (d.month, d.day) == (2, 29) else d.day)
    assert until >= five_years_on
    assert not may_delete(d, until)
    assert may_delete(d, until + timedelta(days=1))


@given(any_day, any_day)
def test_once_deletable_always_deletable(d: date, today: date) -> None:
    if may_delete(d, today) and today < date(9999, 12, 31):
        assert may_delete(d, today + timedelta(days=1))


@given(st.sampled_from(sorted(EU_MEMBER_STATES)), st.integers(2000, 9999), st.integers(1, 999_999))
def test_licence_numbers_round_trip(state: str, year: int, sequence: int) -> None:
    number = licence_number(state, year, sequence)
    assert parse_licence_number(number) == (state, year, sequence)
    assert verify_check_code(number, check_code(number, SECRET), SECRET)


@given(
    st.sampled_from(list(ApplicationType)), st.dates(min_value=date(2000, 1, 1), max_value=date(9000, 1, 1))
)
def test_latest_valid_until_is_the_limit(licence_type: ApplicationType, start: date) -> None:
    latest = latest_valid_until(licence_type, start)
    check_validity(licence_type, start, latest)
    assert latest.year - start.year in (
        MAX_VALIDITY_YEARS[licence_type] - 1,
        MAX_VALIDITY_YEARS[licence_type],
    )
    try:
        check_validity(licence_type, start, latest + timedelta(days=1))
    except DualUseError:
        pass
    else:
        raise AssertionError("one day beyond the Art. 12(3) limit was accepted")


ID = {Actor.EXPORTER: EXPORTER, Actor.OFFICER: OFFICER, Actor.SENIOR: SENIOR, Actor.SYSTEM: "system"}


@given(st.lists(st.tuples(st.sampled_from(list(CaseAction)), st.sampled_from(list(Actor))), max_size=25))
def test_the_workflow_only_moves_along_its_table(moves: list[tuple[CaseAction, Actor]]) -> None:
    case = case_at(ApplicationStatus.DRAFT)
    for action, role in moves:
        try:
            after, event = transition(case, action, role, ID[role])
        except DualUseError:
            continue
        row = TRANSITIONS[case.status, action]
        assert (after.status, event.before, event.after) == (row.target, case.status, row.target)
        assert role in row.actors
        assert after.version == case.version + 1
        case = after
