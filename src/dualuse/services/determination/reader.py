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

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from dualuse.domain.errors import ValidationError
from dualuse.domain.rules.facts import (
    Activity,
    Circumstance,
    EndUserType,
    Exporter,
    Knowledge,
    OrderItem,
    Party,
    TransactionFacts,
    field_prefix,
)
from dualuse.services.clock import today_in_brussels
from dualuse.services.reading import mapping, no_unknown_keys
from dualuse.services.reading import optional_text as _optional_text


# --- one case from JSON ----------------------------------------------------------------------------------
def facts_from_dict(data: Mapping[str, Any], *, today: date | None = None) -> TransactionFacts:
    """Read a case (the JSON shape in the module docstring) into ``TransactionFacts``.

    Raises ``ValidationError`` whose ``field`` is the path of the bad value (``items[0].control_code``).
    """
    mapping(data, "the case")
    no_unknown_keys(
        data,
        {"activity", "date", "exporter", "destination", "end_user", "items", "knowledge", "circumstances"},
        path=None,
    )
    activity = _choice(Activity, data.get("activity") or Activity.EXPORT.value, "activity")
    day = _date(data.get("date"), today)
    exporter_data = mapping(data.get("exporter"), "exporter", field="exporter")
    no_unknown_keys(exporter_data, {"name", "member_state"}, path="exporter")
    with field_prefix("exporter"):
        exporter = Exporter(
            member_state=exporter_data.get("member_state"),  # type: ignore[arg-type]  # checked by Exporter
            name=_optional_text(exporter_data, "name") or "",
        )
    end_user = None
    if data.get("end_user") is not None:
        party = mapping(data["end_user"], "end_user", field="end_user")
        no_unknown_keys(party, {"name", "country", "type", "listed_in"}, path="end_user")
        with field_prefix("end_user"):
            end_user = Party(
                country=party.get("country"),  # type: ignore[arg-type]  # checked by Party
                name=_optional_text(party, "name") or "",
                type=party.get("type") or EndUserType.UNKNOWN,
                listed_in=party.get("listed_in"),
            )
    knowledge = data.get("knowledge") or {}
    mapping(knowledge, "knowledge", field="knowledge")
    no_unknown_keys(knowledge, {"informed", "aware"}, path="knowledge")
    items_data = data.get("items")
    if not isinstance(items_data, list) or not items_data:
        raise ValidationError("a transaction needs a list of at least one item", field="items")
    items = tuple(item_from_dict(value, index) for index, value in enumerate(items_data))
    return TransactionFacts(
        activity=activity,
        date=day,
        exporter=exporter,
        destination=data.get("destination"),  # type: ignore[arg-type]  # checked by TransactionFacts
        items=items,
        end_user=end_user,
        informed=frozenset(_choices(Knowledge, knowledge.get("informed"), "knowledge.informed")),
        aware=frozenset(_choices(Knowledge, knowledge.get("aware"), "knowledge.aware")),
        circumstances=frozenset(_choices(Circumstance, data.get("circumstances"), "circumstances")),
    )


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
