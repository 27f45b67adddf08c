"""The domain's checks that web and API share: amounts as the API's schemas bound them (issue #11, F18), and
when a licence may start (F19; its length is Art. 12(3))."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from dualuse.domain import licensing as lic
from dualuse.domain.errors import ValidationError
from dualuse.domain.licensing.model import check_quantity, check_value_eur

GRANTED = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("1", True),
        ("0.000001", True),  # a millionth of the unit
        ("999999999999.999999", True),  # 18 digits
        ("0", False),
        ("-1", False),
        ("NaN", False),
        ("Infinity", False),
        ("1e12", False),  # a 13th whole digit
        ("0.0000001", False),  # a 7th decimal place
    ],
)
def test_f18_quantities(text: str, ok: bool) -> None:
    if ok:
        check_quantity(Decimal(text))
    else:
        with pytest.raises(ValidationError) as refused:
            check_quantity(Decimal(text))
        assert refused.value.field == "quantity"


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("0", True),
        ("12500.50", True),
        ("9999999999999999.99", True),
        ("1.10", True),  # a trailing zero is not a third decimal place
        ("-0.01", False),
        ("sNaN", False),
        ("-Infinity", False),
        ("1e16", False),
        ("0.001", False),
    ],
)
def test_f18_values_in_euro(text: str, ok: bool) -> None:
    if ok:
        check_value_eur(Decimal(text))
    else:
        with pytest.raises(ValidationError) as refused:
            check_value_eur(Decimal(text))
        assert refused.value.field == "value_eur"


@pytest.mark.parametrize(
    ("days", "ok"),
    [(-3650, False), (-2, False), (-1, True), (0, True), (183, True), (184, False), (365 * 74, False)],
)
def test_f19_a_licence_starts_from_its_grant_to_six_months_later(days: int, ok: bool) -> None:
    start = GRANTED + timedelta(days=days)
    if ok:
        lic.check_start(start, GRANTED)
    else:
        with pytest.raises(ValidationError) as refused:
            lic.check_start(start, GRANTED)
        assert refused.value.field == "valid_from"
