"""Use of a licence: shipments against it, what remains, and exhaustion.

A shipment is an export (or a brokering service or technical assistance delivered) under a licence. The
exporter proves the authorisation at customs (Art. 21); the authority checks that the use stays within
what was granted (Art. 12) and that the licence is in force (Art. 16: not suspended, revoked or annulled).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from dualuse.domain.errors import ConflictError, ValidationError
from dualuse.domain.licensing.licences import (
    Licence,
    LicenceAction,
    LicenceEvent,
    LicenceStatus,
    LicensedItem,
    licence_transition,
)
from dualuse.domain.licensing.model import Actor, check_quantity, check_value_eur

CUSTOMS_REFERENCE_MAX_LENGTH = 100  # the API's ShipmentIn

__all__ = [
    "Remaining",
    "Shipment",
    "fully_used",
    "record_shipment",
    "remaining",
]

SYSTEM_ID = "system"

_REFUSING: Mapping[LicenceStatus, str] = MappingProxyType(
    {
        LicenceStatus.SUSPENDED: "is suspended (Art. 16)",
        LicenceStatus.REVOKED: "has been revoked (Art. 16)",
        LicenceStatus.ANNULLED: "has been annulled (Art. 16)",
        LicenceStatus.EXPIRED: "has expired (Art. 12(3))",
        LicenceStatus.EXHAUSTED: "is exhausted: every item has been shipped in full",
    }
)
"""Why a licence in each status other than active refuses a shipment."""


@dataclass(frozen=True)
class Shipment:
    """One use of a licence: how much of which item line, worth what, on which day, under which customs
    declaration."""

    licence_number: str
    item_line: int
    quantity: Decimal
    value_eur: Decimal
    shipped_on: date
    customs_reference: str

    def __post_init__(self) -> None:
        check_quantity(self.quantity, what="a shipment's quantity")
        check_value_eur(self.value_eur, what="a shipment's value")
        if not self.customs_reference.strip():
            raise ValidationError("a shipment names its customs declaration", field="customs_reference")
        if len(self.customs_reference) > CUSTOMS_REFERENCE_MAX_LENGTH:
            raise ValidationError(
                f"a customs reference has at most {CUSTOMS_REFERENCE_MAX_LENGTH} characters",
                field="customs_reference",
            )


@dataclass(frozen=True)
class Remaining:
    """What is left of one item line: quantity and value."""

    quantity: Decimal
    value_eur: Decimal


def _own(licence: Licence, shipments: Iterable[Shipment]) -> tuple[Shipment, ...]:
    own = tuple(shipments)
    for shipment in own:
        if shipment.licence_number != licence.number:
            raise ValidationError(
                f"shipment {shipment.customs_reference} is under licence {shipment.licence_number}, "
                f"not {licence.number}",
                field="licence_number",
            )
    return own


def remaining(licence: Licence, shipments: Iterable[Shipment]) -> dict[int, Remaining]:
    """Quantity and value left on each item line after ``shipments`` (all under this licence)."""
    own = _own(licence, shipments)
    left: dict[int, Remaining] = {}
    for item in licence.items:
        used = [s for s in own if s.item_line == item.line]
        left[item.line] = Remaining(
            quantity=item.quantity - sum((s.quantity for s in used), Decimal(0)),
            value_eur=item.value_eur - sum((s.value_eur for s in used), Decimal(0)),
        )
    return left


def _item_used_up(item: LicensedItem, left: Remaining) -> bool:
    # An item authorised at a value is also used up when that value is, even if some quantity is left.
    return left.quantity <= 0 or (item.value_eur > 0 and left.value_eur <= 0)


def fully_used(licence: Licence, shipments: Iterable[Shipment]) -> bool:
    """Whether every item line is used up, in quantity or in value."""
    left = remaining(licence, shipments)
    return all(_item_used_up(item, left[item.line]) for item in licence.items)


def _check_usable(licence: Licence, shipment: Shipment) -> None:
    reason = _REFUSING.get(licence.status)
    if reason is not None:
        raise ConflictError(
            f"licence {licence.number} {reason}; shipment {shipment.customs_reference} refused"
        )
    if shipment.shipped_on < licence.valid_from:
        raise ValidationError(
            f"licence {licence.number} is valid only from {licence.valid_from.isoformat()}; "
            f"a shipment on {shipment.shipped_on.isoformat()} is refused",
            field="shipped_on",
        )
    if shipment.shipped_on > licence.valid_until:
        raise ValidationError(
            f"licence {licence.number} expired after {licence.valid_until.isoformat()} (Art. 12(3)); "
            f"a shipment on {shipment.shipped_on.isoformat()} is refused",
            field="shipped_on",
        )


def record_shipment(
    licence: Licence, shipments: Iterable[Shipment], shipment: Shipment
) -> tuple[Licence, tuple[Shipment, ...], tuple[LicenceEvent, ...]]:
    """Accept ``shipment`` against ``licence``, given the shipments already recorded under it.

    Returns the licence (exhausted, with its event, when this shipment uses up every item), and all
    shipments including the new one. Refused, saying why, when the licence is not active
    (``ConflictError``), when the day is outside its validity, the item line is not on it, or the
    shipment exceeds the quantity or value left (``ValidationError``), or when its customs declaration
    was already recorded (``ConflictError``).
    """
    own = _own(licence, shipments)
    _own(licence, (shipment,))
    _check_usable(licence, shipment)
    item = licence.item(shipment.item_line)
    if any(s.customs_reference == shipment.customs_reference for s in own):
        raise ConflictError(f"customs declaration {shipment.customs_reference} is already recorded")
    left = remaining(licence, own)[item.line]
    if shipment.quantity > left.quantity:
        raise ValidationError(
            f"line {item.line} ({item.control_code}) has {left.quantity} {item.unit} left; "
            f"{shipment.quantity} {item.unit} exceeds what the licence authorises",
            field="quantity",
        )
    if shipment.value_eur > left.value_eur:
        raise ValidationError(
            f"line {item.line} ({item.control_code}) has EUR {left.value_eur} left; "
            f"EUR {shipment.value_eur} exceeds what the licence authorises",
            field="value_eur",
        )
    after = (*own, shipment)
    if fully_used(licence, after):
        licence, event = licence_transition(licence, LicenceAction.EXHAUST, Actor.SYSTEM, SYSTEM_ID)
        return licence, after, (event,)
    return licence, after, ()
