"""Countries as people write them (issue 17): codes, names in the Union's languages, never cut short."""

from __future__ import annotations

import pytest

from dualuse.domain.countries import country_choices, resolve_country
from dualuse.domain.errors import ValidationError


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("China", "CN"), ("china", "CN"), ("CN", "CN"), ("cn", "CN"), ("China (CN)", "CN"),
        ("Chine", "CN"), ("Chiny", "CN"), ("Čína", "CN"), ("Κίνα", "CN"), ("Kiina", "CN"),
        ("Switzerland", "CH"), ("Schweiz", "CH"), ("CH", "CH"),
        ("Deutschland", "DE"), ("Allemagne", "DE"), ("United States", "US"), ("Russia", "RU"),
        ("Iran", "IR"), ("Côte d'Ivoire", "CI"), ("Cote d Ivoire", "CI"), ("Kosovo", "XK"),
    ],
)  # fmt: skip
def test_f17_a_country_name_or_code_resolves_whole(typed: str, code: str) -> None:
    assert resolve_country(typed, "destination") == code


@pytest.mark.parametrize(
    ("typed", "message"), [("", "choose"), ("Chna", "China (CN)"), ("UK", "GB"), ("XX", "")]
)
def test_f17_what_is_not_a_country_is_a_clear_error(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        resolve_country(typed, "destination")
    assert raised.value.field == "destination"
    assert message in raised.value.detail


def test_the_picker_offers_every_country_by_name() -> None:
    choices = dict(country_choices())
    assert choices["CN"] == "China"
    assert choices["CH"] == "Switzerland"
    assert len(choices) > 240
