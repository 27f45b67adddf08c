"""Applications for an authorisation, as the exporter files them with the competent authority.

Art. 12(1) of Regulation (EU) 2021/821 names the export authorisations a competent authority grants
(individual, global; a large project authorisation is an individual or global one, Art. 12(3)); Art. 13
adds the authorisations for brokering services and technical assistance. An application says what is to be
exported (items), to whom (parties), where (destinations) and for what (end use). Once submitted, its
content is frozen: later changes are amendments kept beside the original (see ``workflow``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from dualuse.domain.errors import ValidationError

__all__ = [
    "Actor",
    "Application",
    "ApplicationItem",
    "ApplicationStatus",
    "ApplicationType",
    "DecisionOutcome",
    "Party",
    "PartyRole",
    "PartyType",
    "check_country",
]


class ApplicationType(StrEnum):
    """The authorisation applied for (Art. 12(1) and (3); Art. 13)."""

    INDIVIDUAL = "individual"
    GLOBAL = "global"
    LARGE_PROJECT = "large_project"
    BROKERING = "brokering"
    TECHNICAL_ASSISTANCE = "technical_assistance"

    @property
    def legal_basis(self) -> str:
        """The article under which the authority grants this type."""
        if self in (ApplicationType.BROKERING, ApplicationType.TECHNICAL_ASSISTANCE):
            return "Art. 13"
        return "Art. 12"


class ApplicationStatus(StrEnum):
    """Where a case stands; the legal moves between statuses are ``workflow.TRANSITIONS``."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_ASSESSMENT = "under_assessment"
    AWAITING_EXPORTER = "awaiting_exporter"
    RECOMMENDED = "recommended"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


class DecisionOutcome(StrEnum):
    """The final decision on a case (Art. 16: the authority may refuse)."""

    GRANTED = "granted"
    PARTIALLY_GRANTED = "partially_granted"
    DENIED = "denied"


class PartyRole(StrEnum):
    """The part a party plays in the transaction."""

    CONSIGNEE = "consignee"
    END_USER = "end_user"
    ULTIMATE_END_USER = "ultimate_end_user"
    INTERMEDIARY = "intermediary"


class PartyType(StrEnum):
    """What kind of body a party is; the assessment weighs military and government end users differently."""

    GOVERNMENT = "government"
    MILITARY = "military"
    COMMERCIAL = "commercial"
    RESEARCH = "research"
    INDIVIDUAL = "individual"
    OTHER = "other"


class Actor(StrEnum):
    """Who performs a transition: the exporter, the authority's officer or its senior (who countersigns),
    or the system itself (expiry and exhaustion of a licence happen without anyone acting)."""

    EXPORTER = "exporter"
    OFFICER = "officer"
    SENIOR = "senior"
    SYSTEM = "system"


_COUNTRY = re.compile(r"[A-Z]{2}")
_CN_CODE = re.compile(r"[0-9]{8}")


def check_country(code: str, *, field: str) -> str:
    """An ISO 3166-1 alpha-2 code, upper case; refuse anything else."""
    if not _COUNTRY.fullmatch(code):
        raise ValidationError(f"{code!r} is not an ISO 3166-1 alpha-2 country code", field=field)
    return code


CONTROL_CODE_MAX_LENGTH = 40  # Annex I codes such as ``5A001.f.1`` are far shorter


# Amounts as the API takes them (``ItemIn``, ``ShipmentIn``: 18 digits): a quantity to the millionth of its
# unit, a value to the cent, so that what one entry point accepts the other does too (issue #11, F18).
QUANTITY_PLACES = 6
VALUE_PLACES = 2
AMOUNT_DIGITS = 18


def check_quantity(quantity: Decimal, *, field: str = "quantity", what: str = "quantity") -> None:
    """Refuse a quantity that is not a positive number of at most 12 whole and 6 decimal digits."""
    _check_amount(quantity, field=field, what=what, places=QUANTITY_PLACES, positive=True)


def check_value_eur(value: Decimal, *, field: str = "value_eur", what: str = "value") -> None:
    """Refuse a value in euro that is negative, not a number, finer than a cent or over 16 whole digits."""
    _check_amount(value, field=field, what=what, places=VALUE_PLACES, positive=False)


def _check_amount(amount: Decimal, *, field: str, what: str, places: int, positive: bool) -> None:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValidationError(f"{what} must be a number, not {amount}", field=field)
    if positive and amount <= 0:
        raise ValidationError(f"{what} must be positive, not {amount}", field=field)
    if amount < 0:
        raise ValidationError(f"{what} must not be negative, not {amount}", field=field)
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise ValidationError(f"{what} has at most {places} decimal places, not {amount}", field=field)
    if amount >= Decimal(10) ** (AMOUNT_DIGITS - places):
        raise ValidationError(
            f"{what} has at most {AMOUNT_DIGITS - places} digits before the decimal point", field=field
        )


def _check_text(text: str, *, field: str) -> None:
    if not text.strip():
        raise ValidationError(f"{field} must not be empty", field=field)


@dataclass(frozen=True)
class ApplicationItem:
    """One line of the application: an item, how much of it and what it is worth (Annex III Section A)."""

    control_code: str
    description: str
    quantity: Decimal
    unit: str
    value_eur: Decimal
    cn_code: str = ""  # Combined Nomenclature code, 8 digits (Annex III box 15); empty when not given

    def __post_init__(self) -> None:
        _check_text(self.control_code, field="control_code")
        if self.cn_code and not _CN_CODE.fullmatch(self.cn_code):
            raise ValidationError(
                f"a CN code has 8 digits (Annex III box 15), not {self.cn_code!r}", field="cn_code"
            )
        if len(self.control_code.strip()) > CONTROL_CODE_MAX_LENGTH:
            raise ValidationError(
                f"a control code has at most {CONTROL_CODE_MAX_LENGTH} characters", field="control_code"
            )
        _check_text(self.description, field="description")
        _check_text(self.unit, field="unit")
        check_quantity(self.quantity)
        check_value_eur(self.value_eur)


@dataclass(frozen=True)
class Party:
    """A party to the transaction, with its role, country and type; each is screened elsewhere."""

    name: str
    role: PartyRole
    country: str
    party_type: PartyType

    def __post_init__(self) -> None:
        _check_text(self.name, field="name")
        PartyRole(self.role)
        PartyType(self.party_type)
        check_country(self.country, field="country")


@dataclass(frozen=True)
class Application:
    """The exporter's request for an authorisation (Arts. 12 and 13).

    Incomplete content is allowed while the application is a draft; ``check_complete`` says what
    submission needs.
    """

    id: str
    exporter_id: str
    application_type: ApplicationType
    items: tuple[ApplicationItem, ...] = ()
    parties: tuple[Party, ...] = ()
    destinations: tuple[str, ...] = ()
    end_use: str = ""

    def __post_init__(self) -> None:
        _check_text(self.id, field="id")
        _check_text(self.exporter_id, field="exporter_id")
        ApplicationType(self.application_type)
        for destination in self.destinations:
            check_country(destination, field="destinations")

    @property
    def total_value_eur(self) -> Decimal:
        return sum((item.value_eur for item in self.items), Decimal(0))

    def parties_in_role(self, role: PartyRole) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.role is role)

    def missing(self) -> tuple[ValidationError, ...]:
        """Everything submission still needs, in the order of the application's sections (items, parties,
        destinations, end use): the applicant supplies end-user, destination and end-use information
        (Art. 12; Annex III Section A)."""
        missing: list[ValidationError] = []
        if not self.items:
            missing.append(ValidationError("an application needs at least one item", field="items"))
        if not self.parties_in_role(PartyRole.END_USER):
            missing.append(ValidationError("an application needs an end user", field="parties"))
        if not self.destinations:
            missing.append(
                ValidationError("an application needs at least one destination", field="destinations")
            )
        if not self.end_use.strip():
            missing.append(
                ValidationError("an application needs a description of the end use", field="end_use")
            )
        return tuple(missing)

    def check_complete(self) -> None:
        """Refuse to submit an application that lacks an item, an end user, a destination or the end use;
        raises ``ValidationError`` naming the first missing field (``missing`` lists them all)."""
        missing = self.missing()
        if missing:
            raise missing[0]
