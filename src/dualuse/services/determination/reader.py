"""The JSON case reader: a transaction written as JSON (API body, ``dualuse determine`` file) to ``TransactionFacts``.

JSON case (``facts_from_dict``)::

    {"activity": "export", "date": "2026-12-01",
     "exporter": {"name": "Acme GmbH", "member_state": "DE"},
     "destination": "CN",
     "end_user": {"name": "…", "country": "CN", "type": "government", "listed_in": []},
     "items": [{"id": "1", "description": "…", "control_code": "5A001.f", "cyber_surveillance": false,
                "quantity": 2, "value_eur": 150000, "national_codes": [],
                "item_kinds": ["monitoring_interception_equipment"], "cn_code": "85176200"}],
     "knowledge": {"informed": [], "aware": []},
     "circumstances": []}

``activity`` defaults to ``export`` and ``date`` to today (Brussels time); ``end_user``, ``description``,
``quantity``, ``value_eur``, ``national_codes`` and ``circumstances`` (``repair_replacement``,
``exhibition``, ``intra_group``: what EU003, EU004 and EU007 depend on) are optional; so are the item's
``item_kinds`` (``ItemKind`` values, what the sanctions regimes list; omitted = not stated, ``[]`` = none of
them), its ``cn_code``, and the end-user's ``listed_in`` (sanctions entity lists it is on; omitted = not
screened). Knowledge values: ``wmd``, ``military_end_use`` (Art. 4(1)(b)),
``parts_of_illegally_exported_military_items`` (Art. 4(1)(c)), ``internal_repression``. An error names the
field by its path, e.g. ``items[0].control_code``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from dualuse.domain.errors import ValidationError, ValidationErrors
from dualuse.domain.rules.facts import (
    Activity,
    Circumstance,
    EndUserType,
    Exporter,
    Knowledge,
    OrderItem,
    Party,
    TransactionFacts,
    country_code,
    field_prefix,
)
from dualuse.services.clock import today_in_brussels
from dualuse.services.reading import mapping, no_unknown_keys
from dualuse.services.reading import optional_text as _optional_text


# --- one case from JSON ----------------------------------------------------------------------------------
def facts_from_dict(data: Mapping[str, Any], *, today: date | None = None) -> TransactionFacts:
    """Read a case (the JSON shape in the module docstring) into ``TransactionFacts``.

    Raises ``ValidationError`` whose ``field`` is the path of the bad value (``items[0].control_code``);
    with more than one mistake, ``ValidationErrors`` naming every one of them, so that a case file is
    corrected in one go.
    """
    mapping(data, "the case")
    found: list[ValidationError] = []

    def attempt(read: Callable[[], _T]) -> _T | None:
        try:
            return read()
        except ValidationErrors as errors:
            found.extend(errors.errors)
        except ValidationError as error:
            found.append(error)
        return None

    attempt(
        lambda: no_unknown_keys(
            data,
            {
                "activity",
                "date",
                "exporter",
                "destination",
                "end_user",
                "items",
                "knowledge",
                "circumstances",
            },
            path=None,
        )
    )
    activity = attempt(lambda: _choice(Activity, data.get("activity") or Activity.EXPORT.value, "activity"))
    day = attempt(lambda: _date(data.get("date"), today))
    exporter = attempt(lambda: _exporter(data.get("exporter")))
    end_user = attempt(lambda: _end_user(data.get("end_user")))
    knowledge = attempt(lambda: _knowledge(data.get("knowledge")))
    informed = aware = None
    if knowledge is not None:
        informed = attempt(lambda: _choices(Knowledge, knowledge.get("informed"), "knowledge.informed"))
        aware = attempt(lambda: _choices(Knowledge, knowledge.get("aware"), "knowledge.aware"))
    circumstances = attempt(lambda: _choices(Circumstance, data.get("circumstances"), "circumstances"))
    items_data = data.get("items")
    items: list[OrderItem | None] = []
    if not isinstance(items_data, list) or not items_data:
        found.append(ValidationError("a transaction needs a list of at least one item", field="items"))
    else:
        for index, value in enumerate(items_data):
            items.append(attempt(functools.partial(item_from_dict, value, index)))
    if found:
        attempt(lambda: country_code(data.get("destination"), "destination"))
        raise found[0] if len(found) == 1 else ValidationErrors(found)
    if activity is None or day is None or exporter is None:  # cannot be: each would have left an error
        raise ValidationError("the case could not be read")
    return TransactionFacts(
        activity=activity,
        date=day,
        exporter=exporter,
        destination=data.get("destination"),  # type: ignore[arg-type]  # checked by TransactionFacts
        items=tuple(item for item in items if item is not None),
        end_user=end_user,
        informed=frozenset(informed or ()),
        aware=frozenset(aware or ()),
        circumstances=frozenset(circumstances or ()),
    )


def _exporter(value: object) -> Exporter:
    exporter_data = mapping(value, "exporter", field="exporter")
    no_unknown_keys(exporter_data, {"name", "member_state"}, path="exporter")
    with field_prefix("exporter"):
        return Exporter(
            member_state=exporter_data.get("member_state"),  # type: ignore[arg-type]  # checked by Exporter
            name=_optional_text(exporter_data, "name") or "",
        )


def _end_user(value: object) -> Party | None:
    if value is None:
        return None
    party = mapping(value, "end_user", field="end_user")
    no_unknown_keys(party, {"name", "country", "type", "listed_in"}, path="end_user")
    with field_prefix("end_user"):
        return Party(
            country=party.get("country"),  # type: ignore[arg-type]  # checked by Party
            name=_optional_text(party, "name") or "",
            type=party.get("type") or EndUserType.UNKNOWN,
            listed_in=party.get("listed_in"),
        )


def _knowledge(value: object) -> Mapping[str, Any]:
    knowledge = mapping(value or {}, "knowledge", field="knowledge")
    no_unknown_keys(knowledge, {"informed", "aware"}, path="knowledge")
    return knowledge


def item_from_dict(value: object, index: int) -> OrderItem:
    path = f"items[{index}]"
    item = mapping(value, path, field=path)
    no_unknown_keys(
        item,
        {
            "id",
            "description",
            "control_code",
            "cyber_surveillance",
            "quantity",
            "value_eur",
            "national_codes",
            "item_kinds",
            "cn_code",
        },
        path=path,
    )
    raw_id = item.get("id")
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):
        raw_id = str(raw_id)
    code = item.get("control_code")
    if code is not None and not isinstance(code, str):
        raise ValidationError(
            "control_code must be text such as 5A001.f, or null", field=f"{path}.control_code"
        )
    national = item.get("national_codes") or []
    if not isinstance(national, list) or not all(isinstance(n, str) and n.strip() for n in national):
        raise ValidationError("national_codes must be a list of text", field=f"{path}.national_codes")
    with field_prefix(path):
        return OrderItem(
            id=raw_id,  # type: ignore[arg-type]  # checked by OrderItem
            control_code=(code.strip() or None) if code is not None else None,
            description=_optional_text(item, "description") or "",
            cyber_surveillance=item.get("cyber_surveillance", False),
            quantity=item.get("quantity"),
            value_eur=item.get("value_eur"),
            national_codes=tuple(n.strip() for n in national),
            item_kinds=item.get("item_kinds"),
            cn_code=item.get("cn_code") or None,
        )


def _date(value: object, today: date | None) -> date:
    if value is None or value == "":
        return today or today_in_brussels()
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(f"{value!r} is not a date (YYYY-MM-DD)", field="date")


_E = TypeVar("_E", Activity, Knowledge, Circumstance)
_T = TypeVar("_T")


def _choice(kind: type[_E], value: object, path: str) -> _E:
    try:
        return kind(value)  # type: ignore[arg-type]  # any value: a wrong one raises ValueError
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise ValidationError(f"{value!r} is not one of {allowed}", field=path) from None


def _choices(kind: type[_E], values: object, path: str) -> list[_E]:
    if values is None:
        return []
    if not isinstance(values, list):
        raise ValidationError("expected a list", field=path)
    return [_choice(kind, value, f"{path}[{index}]") for index, value in enumerate(values)]
