"""Bad input is refused with an error naming the field, never guessed (facts_from_dict, TransactionFacts)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from dualuse.domain.errors import ValidationError
from dualuse.domain.rules import Activity, Knowledge, determine
from dualuse.services.determination import determine_dict, facts_from_dict

from .fakes import FakeListSource, shipped_rulebook

CASE: dict[str, Any] = {
    "activity": "export",
    "date": "2026-12-01",
    "exporter": {"name": "Acme GmbH", "member_state": "DE"},
    "destination": "CN",
    "end_user": {"name": "Bureau", "country": "CN", "type": "government"},
    "items": [
        {
            "id": "1",
            "description": "IMSI catcher",
            "control_code": "5A001.f",
            "cyber_surveillance": False,
            "quantity": 2,
            "value_eur": 150000,
        }
    ],
    "knowledge": {"informed": [], "aware": []},
}


def with_(path: str, value: Any) -> dict[str, Any]:
    """The example case with the value at a dotted path (``items.0.control_code``) replaced or removed."""
    data = copy.deepcopy(CASE)
    *parents, last = path.split(".")
    target: Any = data
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is _REMOVE:
        del target[int(last) if last.isdigit() else last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return data


_REMOVE = object()


def test_the_example_case_reads() -> None:
    facts = facts_from_dict(CASE)
    assert facts.activity is Activity.EXPORT
    assert facts.date == date(2026, 12, 1)
    assert facts.items[0].control_code == "5A001.f"
    assert facts.end_user is not None
    assert facts.end_user.country == "CN"


def test_defaults_activity_export_and_date_today() -> None:
    data = with_("activity", _REMOVE)
    del data["date"]
    facts = facts_from_dict(data, today=date(2027, 1, 4))
    assert facts.activity is Activity.EXPORT
    assert facts.date == date(2027, 1, 4)


def test_codes_are_read_as_people_type_them() -> None:
    facts = facts_from_dict(with_("items.0.control_code", "5a001 f"))
    assert facts.items[0].control_code == "5A001.f"


def test_lower_case_country_codes_are_accepted() -> None:
    assert facts_from_dict(with_("destination", "cn")).destination == "CN"


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    [
        ("destination", "XX", "destination", "not an ISO 3166-1"),
        ("destination", "UK", "destination", "GB"),
        ("destination", _REMOVE, "destination", "required"),
        ("destination", "FR", "destination", "transfer"),
        ("exporter.member_state", "EL", "exporter.member_state", "GR"),
        ("exporter.member_state", "US", "exporter.member_state", "not an EU member state"),
        ("exporter", _REMOVE, "exporter", "object"),
        ("end_user.country", "ZZ", "end_user.country", "ISO"),
        ("end_user.type", "spy", "end_user.type", "end-user type"),
        ("activity", "import", "activity", "export"),
        ("date", "01/12/2026", "date", "YYYY-MM-DD"),
        ("items", [], "items", "at least one item"),
        ("items.0.control_code", "5Z001", "items[0].control_code", "product group"),
        ("items.0.control_code", "5A01", "items[0].control_code", "three digits"),
        ("items.0.control_code", 5001, "items[0].control_code", "text"),
        ("items.0.id", "", "items[0].id", "id"),
        ("items.0.quantity", -1, "items[0].quantity", "above zero"),
        ("items.0.value_eur", "a lot", "items[0].value_eur", "number"),
        ("items.0.cyber_surveillance", "maybe", "items[0].cyber_surveillance", "true or false"),
        ("items.0.colour", "red", "items[0].colour", "unknown field"),
        ("knowledge.informed", ["wmd", "gossip"], "knowledge.informed[1]", "wmd"),
        ("knowledge.aware", "wmd", "knowledge.aware", "list"),
        ("circumstances", ["holiday"], "circumstances[0]", "exhibition"),
        ("destiantion", "CN", "destiantion", "unknown field"),
    ],
)
def test_bad_input_names_the_field(path: str, value: Any, field: str, words: str) -> None:
    with pytest.raises(ValidationError) as raised:
        facts_from_dict(with_(path, value))
    assert raised.value.field == field
    assert words in raised.value.detail


def test_a_transfer_must_go_to_another_member_state() -> None:
    data = with_("activity", "transfer")
    with pytest.raises(ValidationError) as raised:
        facts_from_dict(data)
    assert raised.value.field == "destination"
    data["destination"] = "DE"
    with pytest.raises(ValidationError) as raised:
        facts_from_dict(data)
    assert "exporter's own" in raised.value.detail


def test_duplicate_item_ids_name_the_second() -> None:
    data = copy.deepcopy(CASE)
    data["items"].append(dict(data["items"][0]))
    with pytest.raises(ValidationError) as raised:
        facts_from_dict(data)
    assert raised.value.field == "items[1].id"


def test_a_code_not_in_the_list_in_force_names_the_item() -> None:
    facts = facts_from_dict(with_("items.0.control_code", "4A506"))
    assert determine(facts, shipped_rulebook(), FakeListSource()).items[0].control_code == "4A506"
    older = facts_from_dict({**with_("items.0.control_code", "4A506"), "date": "2025-10-01"})
    with pytest.raises(ValidationError) as raised:
        determine(older, shipped_rulebook(), FakeListSource())
    assert raised.value.field == "items[0].control_code"
    assert "2024-11" in raised.value.detail


def test_a_code_never_listed_is_an_error_not_a_guess() -> None:
    with pytest.raises(ValidationError) as raised:
        determine_dict(with_("items.0.control_code", "9E999"), shipped_rulebook(), FakeListSource())
    assert raised.value.field == "items[0].control_code"


def test_a_date_before_the_first_list_names_the_date() -> None:
    with pytest.raises(ValidationError) as raised:
        determine_dict(with_("date", "1999-01-01"), shipped_rulebook(), FakeListSource())
    assert raised.value.field == "date"


def test_determine_dict_answers_in_the_documented_shape() -> None:
    answer = determine_dict(CASE, shipped_rulebook(), FakeListSource())
    assert answer["outcome"] == "licence_required"
    item = answer["items"][0]  # type: ignore[index]
    assert item["id"] == "1"
    assert item["cyber_surveillance_item"] is True
    assert item["legal_basis"] == ["Regulation (EU) 2021/821, Art. 3(1)"]
    assert item["customs_codes"] == ["X060"]
    assert item["general_authorisations"] == []
    assert {"list_version", "rules_version"} <= set(answer)


def test_knowledge_values_are_the_three_uses() -> None:
    facts = facts_from_dict(with_("knowledge", {"informed": ["wmd"], "aware": ["internal_repression"]}))
    assert facts.informed == {Knowledge.WMD}
    assert facts.aware == {Knowledge.INTERNAL_REPRESSION}


def test_a_case_with_several_mistakes_names_them_all() -> None:
    from dualuse.domain.errors import ValidationErrors
    from dualuse.services.determination.reader import facts_from_dict

    case = {
        "date": "yesterday",
        "exporter": {"member_state": "DE", "name": "Acme"},
        "destination": "CN",
        "end_user": {"country": "QQ"},
        "items": [{"id": "1", "control_code": "5A001.j"}, "not an item"],
    }
    with pytest.raises(ValidationErrors) as caught:
        facts_from_dict(case)
    assert [e.field for e in caught.value.errors] == ["date", "end_user.country", "items[1]"]


def test_a_case_with_one_mistake_raises_that_mistake_alone() -> None:
    from dualuse.domain.errors import ValidationError, ValidationErrors
    from dualuse.services.determination.reader import facts_from_dict

    with pytest.raises(ValidationError) as caught:
        facts_from_dict(
            {"exporter": {"member_state": "DE"}, "destination": "CN", "items": [{"id": "1", "quantity": -1}]}
        )
    assert not isinstance(caught.value, ValidationErrors)
    assert caught.value.field == "items[0].quantity"
