"""The usage feed customs send back: each record writes off a quantity (and value) of a licence line under
an export declaration. Parsed strictly: a record that does not fit is refused with its position, and the
whole feed with it (nothing is half written off)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from dualuse.domain.errors import ValidationError

USAGE_FORMAT = "dualuse-usage"
USAGE_VERSION = 1
MAX_RECORDS = 5000
_NUMBER = re.compile(r"[A-Z]{2}-[0-9]{4}-[0-9]{6}")


@dataclass(frozen=True)
class UsageRecord:
    licence: str
    line: int
    quantity: Decimal
    value_eur: Decimal
    declaration: str
    accepted_on: date


def _decimal(value: object, where: str, name: str) -> Decimal:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ValidationError(f"{where}: {name} is a number written as a string", field=name)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValidationError(f"{where}: {name} is not a number: {value!r}", field=name) from None


def parse_usage(document: Mapping[str, object]) -> tuple[UsageRecord, ...]:
    """The records of a usage feed (format ``dualuse-usage``, version 1)."""
    if document.get("format") != USAGE_FORMAT or document.get("version") != USAGE_VERSION:
        raise ValidationError(f"not a {USAGE_FORMAT} feed of version {USAGE_VERSION}", field="format")
    records = document.get("records")
    if not isinstance(records, Sequence) or isinstance(records, str) or not records:
        raise ValidationError("a feed has at least one record", field="records")
    if len(records) > MAX_RECORDS:
        raise ValidationError(f"a feed has at most {MAX_RECORDS} records", field="records")
    parsed = []
    for index, record in enumerate(records):
        where = f"record {index + 1}"
        if not isinstance(record, Mapping):
            raise ValidationError(f"{where} is not an object", field="records")
        licence = str(record.get("licence") or "").strip().upper()
        if not _NUMBER.fullmatch(licence):
            raise ValidationError(f"{where}: licence {licence!r} is not a licence number", field="licence")
        line = record.get("line")
        if not isinstance(line, int) or isinstance(line, bool) or line < 1:
            raise ValidationError(f"{where}: line is a whole number from 1", field="line")
        declaration = str(record.get("declaration") or "").strip()
        try:
            accepted_on = date.fromisoformat(str(record.get("accepted_on")))
        except ValueError:
            raise ValidationError(
                f"{where}: accepted_on is a date (YYYY-MM-DD)", field="accepted_on"
            ) from None
        parsed.append(
            UsageRecord(
                licence=licence,
                line=line,
                quantity=_decimal(record.get("quantity"), where, "quantity"),
                value_eur=_decimal(record.get("value_eur", "0"), where, "value_eur"),
                declaration=declaration,
                accepted_on=accepted_on,
            )
        )
    return tuple(parsed)
