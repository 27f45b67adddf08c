"""An in-memory control list and a case factory for determination tests (fakes, not mocks)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date

from dualuse.adapters.sources.rulebook import load_rulebook
from dualuse.domain.errors import NotFoundError
from dualuse.domain.rules import Activity, Exporter, Knowledge, OrderItem, Party, TransactionFacts
from dualuse.domain.rules.engine import ItemFlags
from dualuse.domain.rules.facts import Circumstance, EndUserType, EntityList, ItemKind
from dualuse.domain.rules.rulebook import GeneralAuthorisation, ItemScope, NationalControl, Rulebook

DAY = date(2026, 12, 1)
NEW_LIST_FROM = date(2025, 11, 15)
FIRST_LIST_FROM = date(2000, 1, 1)  # the fake's first version stands for every list before 2024-11

_BASE: dict[str, ItemFlags] = {
    "0B001": ItemFlags(annex_iv="II", eugea_excluded=True),
    "1A001": ItemFlags(),
    "1C350": ItemFlags(),
    "2B001": ItemFlags(),
    "2E001": ItemFlags(),
    "3A001": ItemFlags(),
    "4A005": ItemFlags(cyber_surveillance=True),
    "5A001": ItemFlags(),
    "5A001.b.2": ItemFlags(),
    "5A001.f": ItemFlags(cyber_surveillance=True),
    "5A002": ItemFlags(information_security=True),
    "5A002.a": ItemFlags(information_security=True),
    "5A004.a": ItemFlags(information_security=True, annex_iv="II", eugea_excluded=True),
    "5D001.e": ItemFlags(cyber_surveillance=True),
    "5D002": ItemFlags(information_security=True),
    "9A009.a": ItemFlags(eugea_excluded=True),
}
_NEW = {**_BASE, "4A506": ItemFlags()}


class FakeListView:
    """One list version: codes and their flags; a sub-item inherits its nearest listed ancestor's flags."""

    def __init__(self, version_id: str, flags: Mapping[str, ItemFlags]) -> None:
        self.version_id = version_id
        self._flags = dict(flags)

    def flags_for(self, code: str) -> ItemFlags | None:
        while True:
            if code in self._flags:
                return self._flags[code]
            if "." not in code:
                return None
            code = code.rsplit(".", 1)[0]

    def flagged_below(self, code: str) -> dict[str, ItemFlags]:
        own = self.flags_for(code)
        return {c: f for c, f in self._flags.items() if c.startswith(code + ".") and f != own}


class FakeListSource:
    """Two versions: ``2024-11`` (standing for every earlier list too, from 1.1.2000) and ``2025-11`` (which
    adds 4A506) from 15.11.2025; nothing before 2000."""

    def __init__(self) -> None:
        self.old = FakeListView("2024-11", _BASE)
        self.new = FakeListView("2025-11", _NEW)

    def as_of(self, day: date) -> FakeListView:
        if day < FIRST_LIST_FROM:
            raise NotFoundError(f"no list version in force on {day.isoformat()}", field="date")
        return self.new if day >= NEW_LIST_FROM else self.old


def shipped_rulebook() -> Rulebook:
    return load_rulebook()


def rulebook_with(
    *,
    settings: Mapping[str, Iterable[str]] = {},
    national_controls: Iterable[NationalControl] = (),
    ngeas: Iterable[GeneralAuthorisation] = (),
) -> Rulebook:
    """The shipped rulebook with member-state settings switched on, national controls or NGEAs added."""
    base = load_rulebook()
    states = dict(base.member_states)
    for state, names in settings.items():
        states[state] = dataclasses.replace(states[state], settings=frozenset(names))
    return dataclasses.replace(
        base,
        member_states=states,
        national_controls=(*base.national_controls, *national_controls),
        general_authorisations=(*base.general_authorisations, *ngeas),
    )


def national_control(member_state: str = "NL", applied_by: Iterable[str] = ()) -> NationalControl:
    return NationalControl(
        id=f"{member_state.lower()}-test-control",
        member_state=member_state,
        national_codes=frozenset({f"{member_state}-0001"}),
        legal_basis=("Regulation (EU) 2021/821, Art. 9(1)",),
        explanation="{Item} is on the national control list of the exporter's member state.",
        source="test",
        verified=False,
        applied_by=frozenset(applied_by),
    )


def ngea(issuer: str = "DE") -> GeneralAuthorisation:
    return GeneralAuthorisation(
        id=f"{issuer}-NGEA-1",
        title="Test national general export authorisation",
        issuer=issuer,
        customs_code="X071",
        legal_basis=("Regulation (EU) 2021/821, Art. 12(6)",),
        items=ItemScope(codes=frozenset({"2B001", "9A009.a"})),
        destinations=frozenset({"BR", "MX"}),
        conditions=("Register before first use.",),
        source="test",
    )


def facts(
    *,
    code: str | None = "2B001",
    destination: str = "CN",
    activity: str = "export",
    member_state: str = "DE",
    day: date = DAY,
    cyber: bool = False,
    informed: Iterable[str] = (),
    aware: Iterable[str] = (),
    circumstances: Iterable[str] = (),
    end_user_country: str | None = None,
    end_user_type: str = "commercial",
    national_codes: Iterable[str] = (),
    items: Iterable[OrderItem] | None = None,
    item_kinds: Iterable[str] | None = None,
    cn_code: str | None = None,
    listed_in: Iterable[str] | None = None,
) -> TransactionFacts:
    """A one-item transaction, every fact defaulted to a plain export of a machine tool to China.
    ``item_kinds`` None means the exporter did not say what the item is (``[]``: none of the kinds);
    ``listed_in`` None means the end-user was not screened against the sanctions entity lists."""
    return TransactionFacts(
        activity=Activity(activity),
        date=day,
        exporter=Exporter(member_state=member_state, name="Acme"),
        destination=destination,
        items=tuple(items)
        if items is not None
        else (
            OrderItem(
                id="1",
                control_code=code,
                cyber_surveillance=cyber,
                national_codes=tuple(national_codes),
                item_kinds=None if item_kinds is None else frozenset(ItemKind(k) for k in item_kinds),
                cn_code=cn_code,
            ),
        ),
        end_user=Party(
            country=end_user_country or destination,
            name="End user",
            type=EndUserType(end_user_type),
            listed_in=None if listed_in is None else frozenset(EntityList(v) for v in listed_in),
        ),
        informed=frozenset(Knowledge(k) for k in informed),
        aware=frozenset(Knowledge(k) for k in aware),
        circumstances=frozenset(Circumstance(c) for c in circumstances),
    )
