"""A transaction as facts: what is exported, transferred, brokered or transited, to whom, and with what
knowledge. Everything here is checked on construction, and an error names the field it is about."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TypeVar

import pycountry

from dualuse.domain.controllist.codes import ControlCode, InvalidControlCodeError
from dualuse.domain.errors import ValidationError
from dualuse.domain.union import EU_MEMBER_STATES

_HINTS = {"UK": "GB", "EL": "GR", "EU": None}
_EXTRA_COUNTRIES = frozenset({"XK"})  # Kosovo: a user-assigned code in wide official use, not in ISO 3166-1


class Activity(StrEnum):
    """What the transaction does with the items (Art. 2(2), 2(7), 2(9), 2(11), Art. 11)."""

    EXPORT = "export"
    TRANSFER = "transfer"
    BROKERING = "brokering"
    TECHNICAL_ASSISTANCE = "technical_assistance"
    TRANSIT = "transit"


class Knowledge(StrEnum):
    """A use of the items the exporter was informed of, or is aware of."""

    WMD = "wmd"
    """Chemical, biological or nuclear weapons, nuclear explosive devices or their missiles (Art. 4(1)(a))."""
    MILITARY_END_USE = "military_end_use"
    """A military end-use as defined in Art. 4(1)(b) (incorporation into military items of the military list,
    use of production, test or analytical equipment for them, or of unfinished products in a plant producing
    them). It is a use of Art. 4(1) only where the purchasing country or country of destination is subject
    to an arms embargo: the engine decides that from its embargo data."""
    PARTS_OF_ILLEGALLY_EXPORTED_MILITARY_ITEMS = "parts_of_illegally_exported_military_items"
    """Use as parts or components of military items of the national military list that were exported from
    a member state without authorisation or in violation of one (Art. 4(1)(c)); anywhere in the world."""
    INTERNAL_REPRESSION = "internal_repression"
    """Internal repression or serious violations of human rights or international humanitarian law (Art. 5(1))."""
    PUBLIC_SECURITY = "public_security"
    """Uses of concern for public security, including the prevention of acts of terrorism (Arts. 9(1), 10(1));
    with the human-rights uses above, what an authority informs an exporter of when it applies another member
    state's national control list (Art. 10(1))."""


ART_4_1_USES: frozenset[Knowledge] = frozenset(
    {Knowledge.WMD, Knowledge.MILITARY_END_USE, Knowledge.PARTS_OF_ILLEGALLY_EXPORTED_MILITARY_ITEMS}
)
"""The uses Art. 4(1) names, which also bar general authorisations (Annex II Part 3) and trigger Arts. 6-8;
a military end-use counts only in a country subject to an arms embargo (Art. 4(1)(b))."""

ART_10_USES: frozenset[Knowledge] = frozenset({Knowledge.PUBLIC_SECURITY, Knowledge.INTERNAL_REPRESSION})
"""The uses an authority informs an exporter of when it applies another state's national list (Art. 10(1)):
public security, including terrorism, and human rights."""

KNOWLEDGE_HELP: dict[Knowledge, str] = {
    Knowledge.WMD: "Chemical, biological or nuclear weapons, other nuclear explosive devices, or missiles "
    "capable of delivering them (Art. 4(1)(a)).",
    Knowledge.MILITARY_END_USE: "A military end-use: incorporation into military items of the military "
    "list, or use of production, test or analytical equipment or unfinished products for them (Art. 4(1)(b)); "
    "it needs an authorisation only where the purchasing country or country of destination is under an arms "
    "embargo.",
    Knowledge.PARTS_OF_ILLEGALLY_EXPORTED_MILITARY_ITEMS: "Use as parts or components of military items "
    "exported from a member state without authorisation or in breach of one (Art. 4(1)(c)).",
    Knowledge.INTERNAL_REPRESSION: "Internal repression or serious violations of human rights or international "
    "humanitarian law (Art. 5(1)); matters for cyber-surveillance items.",
    Knowledge.PUBLIC_SECURITY: "Uses of concern for public security, including acts of terrorism (Art. 10(1)): "
    "with human-rights concerns, what makes another member state's national control list apply.",
}
"""Plain-language help for each knowledge value (what a form or a CLI shows beside it)."""


class ItemKind(StrEnum):
    """What an item is, in plain words, where a sanctions regime lists items by description rather than by
    Annex I code. The exporter answers it per item; ``None`` on an item means "not stated"."""

    MONITORING_INTERCEPTION = "monitoring_interception_equipment"
    """Equipment, software or technology for monitoring or intercepting internet, telephone or satellite
    communications (Venezuela Annex II, Iran Annex IV, Myanmar Annex III, Syria Annex V, Belarus)."""
    INTERNAL_REPRESSION = "internal_repression_equipment"
    """Equipment which might be used for internal repression (the internal-repression annexes)."""
    ADVANCED_TECHNOLOGY = "advanced_technology"
    """Goods and technology that might contribute to military and technological enhancement (Russia Annex
    VII to Reg. 833/2014, Belarus Annex Va to Reg. 765/2006)."""
    INDUSTRIAL_GOODS = "industrial_goods"
    """Goods that could contribute to enhancing Russia's industrial capacities (Annex XXIII to Reg. 833/2014)."""
    COMMON_HIGH_PRIORITY = "common_high_priority"
    """Common high priority items (Annex XL to Reg. 833/2014)."""
    AVIATION_SPACE = "aviation_space"
    """Goods and technology for aviation or the space industry (Annex XI to Reg. 833/2014)."""
    FIREARMS = "firearms_ammunition"
    """Firearms, their parts and ammunition (Annex XXXV to Reg. 833/2014, Annex I to Reg. (EU) No 258/2012)."""
    JET_FUEL = "jet_fuel"
    """Aviation jet fuel and fuel additives (Annex XX to Reg. 833/2014)."""


ITEM_KIND_HELP: dict[ItemKind, str] = {
    ItemKind.MONITORING_INTERCEPTION: "Monitoring or interception equipment: deep packet inspection; network "
    "interception, interception management and data-retention link intelligence; radio-frequency monitoring; "
    "network and satellite jamming; remote infection; speaker recognition or processing; IMSI, MSISDN, IMEI "
    "or TMSI interception and monitoring; tactical SMS, GSM, GPS, GPRS, UMTS, CDMA or PSTN interception; "
    "DHCP, SMTP or GTP interception; pattern recognition and profiling; remote forensics; semantic "
    "processing engines; WEP and WPA code breaking; VoIP interception; and software or technology to "
    "develop, produce or use them (not items listed in Annex I, not mass-market or public-domain software).",
    ItemKind.INTERNAL_REPRESSION: "Internal repression equipment: firearms and ammunition not on the Common "
    "Military List, bombs and grenades, riot-control and armoured vehicles, water cannon, protective and "
    "riot equipment, razor wire, and similar items listed in the internal-repression annexes.",
    ItemKind.ADVANCED_TECHNOLOGY: "Advanced technology beyond Annex I: electronics, computers, "
    "telecommunications, information security, sensors and lasers, navigation, marine and aerospace items "
    "listed in Annex VII to Reg. 833/2014 (Russia) or Annex Va to Reg. 765/2006 (Belarus).",
    ItemKind.INDUSTRIAL_GOODS: "Industrial goods listed by CN code in Annex XXIII to Reg. 833/2014 (Russia): "
    "chemicals, machinery, vehicles, electrical equipment and other goods for industrial capacity.",
    ItemKind.COMMON_HIGH_PRIORITY: "Common high priority items (Annex XL to Reg. 833/2014): electronic "
    "integrated circuits, radio-frequency transceivers, navigation receivers, cameras, bearings, machine-tool "
    "parts and other items found in Russian weapons on the battlefield.",
    ItemKind.AVIATION_SPACE: "Goods and technology suited for use in aviation or the space industry "
    "(Annex XI to Reg. 833/2014).",
    ItemKind.FIREARMS: "Firearms, their parts and essential components and ammunition (Annex XXXV to "
    "Reg. 833/2014, Annex I to Reg. (EU) No 258/2012).",
    ItemKind.JET_FUEL: "Aviation jet fuel and fuel additives (Annex XX to Reg. 833/2014).",
}
"""Plain-language help for each item kind, listing what the annexes cover."""


class EntityList(StrEnum):
    """Sanctions annexes listing end-users that stricter rules apply to, wherever they are."""

    RU_833_ANNEX_IV = "ru_833_annex_iv"
    """Annex IV to Reg. (EU) No 833/2014: persons, entities and bodies supporting Russia's military and
    industrial complex, in Russia and in third countries (Arts. 2(7), 2a(7), 2b)."""
    BY_765_ANNEX_V = "by_765_annex_v"
    """The Belarus equivalent under Reg. (EC) No 765/2006 (annex number not verified)."""


class Circumstance(StrEnum):
    """Circumstances some general authorisations depend on (Annex II Sections C, D and G)."""

    REPAIR_REPLACEMENT = "repair_replacement"
    """Export after repair or replacement to the country the items came from (EU003)."""
    EXHIBITION = "exhibition"
    """Temporary export to an exhibition or fair, returning within 120 days (EU004)."""
    INTRA_GROUP = "intra_group"
    """Software or technology to a subsidiary or sister company for product development (EU007)."""


class EndUserType(StrEnum):
    """What kind of party the end-user is; some arms embargoes reach only non-governmental end-users."""

    GOVERNMENT = "government"
    """The government, a public body, corporation or agency, or a person acting on its behalf."""
    MILITARY = "military"
    COMMERCIAL = "commercial"
    RESEARCH = "research"
    INDIVIDUAL = "individual"
    OTHER = "other"
    UNKNOWN = "unknown"


@functools.cache
def _iso_countries() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries) | _EXTRA_COUNTRIES


def country_code(value: object, field_name: str) -> str:
    """``value`` as an ISO 3166-1 alpha-2 code (upper case); ``ValidationError`` naming ``field_name`` if it
    is not one. Never guesses: ``UK`` and ``EL`` are refused with the right code in the message."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("a country is required (ISO 3166-1 alpha-2 code, e.g. DE)", field=field_name)
    code = value.strip().upper()
    if code in _iso_countries():
        return code
    hint = _HINTS.get(code)
    suffix = f"; did you mean {hint}?" if hint else ""
    raise ValidationError(f"{value!r} is not an ISO 3166-1 alpha-2 country code{suffix}", field=field_name)


@functools.cache
def country_name(code: str) -> str:
    """The English short name of a country (``CN`` → ``China``); the code itself if pycountry has none."""
    country = pycountry.countries.get(alpha_2=code)
    return str(getattr(country, "common_name", None) or country.name) if country is not None else code


@contextmanager
def field_prefix(prefix: str) -> Iterator[None]:
    """Re-raise a ``ValidationError`` from the block with its field under ``prefix`` (``items[0].``)."""
    try:
        yield
    except ValidationError as error:
        inner = error.field
        path = (
            prefix
            if inner is None
            else (f"{prefix}.{inner}" if not inner.startswith("[") else prefix + inner)
        )
        raise ValidationError(error.detail, field=path) from error


def canonical_control_code(text: str) -> str:
    """The canonical form of a control list code (``5a001f1`` → ``5A001.f.1``); ``ValidationError`` on
    ``control_code`` if the text is not a code."""
    try:
        return ControlCode.parse(text).format()
    except InvalidControlCodeError as error:
        raise ValidationError(error.detail, field="control_code") from error


@dataclass(frozen=True, slots=True)
class Exporter:
    """The exporter (or broker, provider of technical assistance, or supplier of a transfer), established in
    ``member_state`` (Art. 2(3)); that state's competent authority and national measures apply."""

    member_state: str
    name: str = ""

    def __post_init__(self) -> None:
        code = country_code(self.member_state, "member_state")
        if code not in EU_MEMBER_STATES:
            raise ValidationError(f"{code} is not an EU member state", field="member_state")
        object.__setattr__(self, "member_state", code)


@dataclass(frozen=True, slots=True)
class Party:
    """The end-user (or consignee): who receives the items and where."""

    country: str
    name: str = ""
    type: EndUserType = EndUserType.UNKNOWN
    listed_in: frozenset[EntityList] | None = None
    """The sanctions entity lists the party was screened against and found on; None: not stated."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "country", country_code(self.country, "country"))
        try:
            object.__setattr__(self, "type", EndUserType(self.type))
        except ValueError:
            allowed = ", ".join(EndUserType)
            raise ValidationError(
                f"{self.type!r} is not an end-user type ({allowed})", field="type"
            ) from None
        if self.listed_in is not None:
            object.__setattr__(self, "listed_in", _members(EntityList, self.listed_in, "listed_in"))


@dataclass(frozen=True, slots=True)
class OrderItem:
    """One item of a transaction.

    ``control_code`` is the entry the exporter classified the item under (canonical form), or None for an
    item not listed in Annex I. ``cyber_surveillance`` is the exporter's answer for a non-listed item
    (Art. 2(20)); for a listed item the list decides. ``national_codes`` name entries of national control
    lists (Art. 9) the item falls under.
    """

    id: str
    control_code: str | None = None
    description: str = ""
    cyber_surveillance: bool = False
    quantity: float | None = None
    value_eur: float | None = None
    national_codes: tuple[str, ...] = ()
    item_kinds: frozenset[ItemKind] | None = None
    """What the item is in the words of the sanctions annexes (``ItemKind``); an empty set says "none of
    them", None says "not stated" (a regime that depends on it then asks)."""
    cn_code: str | None = None
    """The item's Combined Nomenclature code (2 to 10 digits), where the exporter knows it."""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise ValidationError("every item needs an id", field="id")
        if self.control_code is not None:
            object.__setattr__(self, "control_code", canonical_control_code(self.control_code))
        if self.item_kinds is not None:
            object.__setattr__(self, "item_kinds", _members(ItemKind, self.item_kinds, "item_kinds"))
        if self.cn_code is not None:
            object.__setattr__(self, "cn_code", canonical_cn_code(self.cn_code))
        if not isinstance(self.cyber_surveillance, bool):
            raise ValidationError("cyber_surveillance must be true or false", field="cyber_surveillance")
        _check_amount(self.quantity, "quantity", strictly_positive=True)
        _check_amount(self.value_eur, "value_eur", strictly_positive=False)

    @property
    def listed(self) -> bool:
        """True if the exporter classified the item under an Annex I entry."""
        return self.control_code is not None


def canonical_cn_code(value: object) -> str:
    """A Combined Nomenclature code as digits only (``8471 30 00`` → ``84713000``); ``ValidationError`` on
    ``cn_code`` if it is not 2 to 10 digits."""
    text = "".join(str(value).split()).replace(".", "") if isinstance(value, str | int) else ""
    if not text.isdigit() or not 2 <= len(text) <= 10:
        raise ValidationError(
            f"{value!r} is not a CN code (2 to 10 digits, e.g. 8517 62 00)", field="cn_code"
        )
    return text


_M = TypeVar("_M", ItemKind, EntityList)


def _members(kind: type[_M], values: object, field_name: str) -> frozenset[_M]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ValidationError(f"{field_name} must be a list", field=field_name)
    found = set()
    for value in values:
        try:
            found.add(kind(value))
        except ValueError:
            allowed = ", ".join(kind)
            raise ValidationError(f"{value!r} is not one of {allowed}", field=field_name) from None
    return frozenset(found)


def _check_amount(value: float | None, name: str, *, strictly_positive: bool) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):  # NaN, inf
        raise ValidationError(f"{name} must be a number", field=name)
    if value < 0 or (strictly_positive and value == 0):
        raise ValidationError(
            f"{name} must be {'above' if strictly_positive else 'at least'} zero", field=name
        )


@dataclass(frozen=True, slots=True)
class TransactionFacts:
    """Everything a determination looks at.

    ``destination`` is the third country of an export, brokering, technical assistance or transit, or the
    member state a transfer goes to (Art. 11). ``informed`` holds the uses the competent authority has told
    the exporter of; ``aware`` those the exporter knows of from its own due diligence.
    """

    activity: Activity
    date: date
    exporter: Exporter
    destination: str
    items: tuple[OrderItem, ...]
    end_user: Party | None = None
    informed: frozenset[Knowledge] = field(default_factory=frozenset)
    aware: frozenset[Knowledge] = field(default_factory=frozenset)
    circumstances: frozenset[Circumstance] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        destination = country_code(self.destination, "destination")
        object.__setattr__(self, "destination", destination)
        if self.activity is Activity.TRANSFER:
            if destination not in EU_MEMBER_STATES:
                raise ValidationError(
                    f"a transfer goes to another member state, and {destination} is not one; "
                    "use activity 'export' for a third country (Art. 11)",
                    field="destination",
                )
            if destination == self.exporter.member_state:
                raise ValidationError(
                    "a transfer goes to another member state, not the exporter's own", field="destination"
                )
        elif destination in EU_MEMBER_STATES:
            raise ValidationError(
                f"{destination} is a member state: use activity 'transfer' for a movement within the Union "
                "(Art. 11)",
                field="destination",
            )
        if not self.items:
            raise ValidationError("a transaction needs at least one item", field="items")
        seen: set[str] = set()
        for index, item in enumerate(self.items):
            if item.id in seen:
                raise ValidationError(f"item id {item.id!r} is used twice", field=f"items[{index}].id")
            seen.add(item.id)

    @property
    def end_user_country(self) -> str:
        """Where the end-user is: the end-user's country if given, otherwise the destination."""
        return self.end_user.country if self.end_user is not None else self.destination

    @property
    def knowledge(self) -> frozenset[Knowledge]:
        """Every use the exporter was informed of or is aware of."""
        return self.informed | self.aware
