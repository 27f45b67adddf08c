"""Use of a licence: remaining quantity and value, refusals with their reason, exhaustion."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from dualuse.domain.errors import ConflictError, ValidationError
from dualuse.domain.licensing import LicenceStatus, Remaining, fully_used, record_shipment, remaining

from .factories import licence, licensed_item, shipment


def test_remaining_after_shipments() -> None:
    lic = licence(licensed_item(1, "10", "1000"), licensed_item(2, "5", "500"))
    shipments = [
        shipment("3", "300", ref="a"),
        shipment("1", "50", line=2, ref="b"),
        shipment("2", "200", ref="c"),
    ]
    assert remaining(lic, shipments) == {
        1: Remaining(Decimal(5), Decimal(500)),
        2: Remaining(Decimal(4), Decimal(450)),
    }


def test_an_accepted_shipment_is_added() -> None:
    lic = licence()
    after, shipments, events = record_shipment(lic, [], shipment("4", "400"))
    assert after == lic
    assert [s.quantity for s in shipments] == [Decimal(4)]
    assert events == ()


@pytest.mark.parametrize(
    ("quantity", "value", "field", "message"),
    [
        ("8", "100", "quantity", "has 7 pcs left; 8 pcs exceeds"),
        ("1", "701", "value_eur", "has EUR 700 left; EUR 701 exceeds"),
    ],
)
def test_overdraw_is_refused_with_what_is_left(quantity: str, value: str, field: str, message: str) -> None:
    lic = licence()
    _, done, _ = record_shipment(lic, [], shipment("3", "300", ref="first"))
    with pytest.raises(ValidationError, match=message) as raised:
        record_shipment(lic, done, shipment(quantity, value, ref="second"))
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (date(2025, 12, 31), "valid only from 2026-01-01"),
        (date(2028, 1, 1), "expired after 2027-12-31"),
    ],
)
def test_shipment_outside_validity_is_refused(on: date, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        record_shipment(licence(), [], shipment(on=on))


def test_first_and_last_day_of_validity_are_usable() -> None:
    lic = licence()
    _, done, _ = record_shipment(lic, [], shipment(on=date(2026, 1, 1), ref="a"))
    record_shipment(lic, done, shipment(on=date(2027, 12, 31), ref="b"))


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (LicenceStatus.SUSPENDED, "is suspended"),
        (LicenceStatus.REVOKED, "has been revoked"),
        (LicenceStatus.ANNULLED, "has been annulled"),
        (LicenceStatus.EXPIRED, "has expired"),
        (LicenceStatus.EXHAUSTED, "is exhausted"),
    ],
)
def test_a_licence_not_in_force_refuses_shipments(status: LicenceStatus, message: str) -> None:
    with pytest.raises(ConflictError, match=message):
        record_shipment(replace(licence(), status=status), [], shipment())


def test_unknown_line_duplicate_declaration_and_foreign_licence_are_refused() -> None:
    lic = licence()
    with pytest.raises(ValidationError, match="no item line 2"):
        record_shipment(lic, [], shipment(line=2))
    _, done, _ = record_shipment(lic, [], shipment(ref="dup"))
    with pytest.raises(ConflictError, match="already recorded"):
        record_shipment(lic, done, shipment(ref="dup"))
    with pytest.raises(ValidationError, match="not DE-2026-000123"):
        record_shipment(lic, [], shipment(number="DE-2026-000999"))


def test_a_shipment_needs_positive_quantity_and_a_declaration() -> None:
    with pytest.raises(ValidationError, match="positive"):
        shipment("0")
    with pytest.raises(ValidationError, match="customs"):
        shipment(ref=" ")


def test_licence_is_exhausted_when_every_item_is_fully_used() -> None:
    lic = licence(licensed_item(1, "10", "1000"), licensed_item(2, "5", "500"))
    lic, done, events = record_shipment(lic, [], shipment("10", "1000", ref="a"))
    assert events == ()
    assert lic.status is LicenceStatus.ACTIVE
    assert not fully_used(lic, done)
    lic, done, events = record_shipment(lic, done, shipment("5", "400", line=2, ref="b"))
    assert lic.status is LicenceStatus.EXHAUSTED
    assert [(e.name, e.before, e.after) for e in events] == [
        ("LicenceExhausted", LicenceStatus.ACTIVE, LicenceStatus.EXHAUSTED)
    ]
    with pytest.raises(ConflictError, match="exhausted"):
        record_shipment(lic, done, shipment("1", "0", line=2, ref="c"))


def test_an_item_whose_value_is_used_up_counts_as_fully_used() -> None:
    lic, _, events = record_shipment(licence(licensed_item(1, "10", "1000")), [], shipment("6", "1000"))
    assert lic.status is LicenceStatus.EXHAUSTED
    assert events[0].name == "LicenceExhausted"
