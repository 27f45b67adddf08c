"""Licence determination: does a transaction need an authorisation, which one, and why.

``determine`` reads the rules of a ``Rulebook`` (kept as data) and the control list in force on the
transaction's date, and answers per item with an outcome, the legal basis, the general authorisations the
exporter may use, the customs codes to declare and a plain-English explanation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from dualuse.domain.errors import NotFoundError, ValidationError
from dualuse.domain.rules.facts import (
    Activity,
    EndUserType,
    Knowledge,
    OrderItem,
    TransactionFacts,
    country_name,
)
from dualuse.domain.rules.outcome import Outcome, most_restrictive
from dualuse.domain.rules.rulebook import (
    ArmsEmbargo,
    ControlRule,
    GeneralAuthorisation,
    ItemCondition,
    Rulebook,
)

INDIVIDUAL_AUTHORISATION_CODE = "X060"
GLOBAL_AUTHORISATION_CODE = "X070"


# --- the control list, as the engine needs to see it ------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ItemFlags:
    """What the control list says about a listed code, flags inherited from the entries above it:
    cyber-surveillance (Art. 2(20)), information security (Category 5 Part 2), Annex II Section I
    (excluded from general authorisations, Art. 12(6)(a)) and the Annex IV part (Art. 11(1))."""

    cyber_surveillance: bool = False
    information_security: bool = False
    eugea_excluded: bool = False
    annex_iv: str | None = None

    @property
    def section_i(self) -> bool:
        """True for an item of Annex II Section I, which holds every Annex IV item and a few more."""
        return self.eugea_excluded or self.annex_iv is not None


class ListView(Protocol):
    """One version of the control list (Annex I), as the engine reads it."""

    @property
    def version_id(self) -> str:
        """The id of the list version (``2025-11``)."""
        ...

    def flags_for(self, code: str) -> ItemFlags | None:
        """The flags of a listed code (canonical form); None if the code is not in this list version."""
        ...


class ListSource(Protocol):
    """Every version of the control list, by the date it is in force."""

    def as_of(self, day: date) -> ListView:
        """The list version in force on ``day``; ``NotFoundError`` before the first version."""
        ...


# --- the answer ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ItemDetermination:
    """The answer for one item."""

    id: str
    control_code: str | None
    cyber_surveillance_item: bool
    outcome: Outcome
    legal_basis: tuple[str, ...]
    general_authorisations: tuple[str, ...]
    customs_codes: tuple[str, ...]
    explanation: str
    rules_applied: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """The item in the determination's JSON shape."""
        return {
            "id": self.id,
            "control_code": self.control_code,
            "cyber_surveillance_item": self.cyber_surveillance_item,
            "outcome": self.outcome.value,
            "legal_basis": list(self.legal_basis),
            "general_authorisations": list(self.general_authorisations),
            "customs_codes": list(self.customs_codes),
            "explanation": self.explanation,
            "rules_applied": list(self.rules_applied),
        }


@dataclass(frozen=True, slots=True)
class Determination:
    """The answer for a transaction: the most restrictive item outcome, each item's answer, and the list
    and rulebook versions it was made with (so that it can be reproduced)."""

    outcome: Outcome
    items: tuple[ItemDetermination, ...]
    list_version: str
    rules_version: str
    activity: Activity
    date: date

    def to_dict(self) -> dict[str, object]:
        """The determination as JSON-ready data."""
        return {
            "outcome": self.outcome.value,
            "activity": self.activity.value,
            "date": self.date.isoformat(),
            "items": [item.to_dict() for item in self.items],
            "list_version": self.list_version,
            "rules_version": self.rules_version,
        }


# --- the engine ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Finding:
    """One rule that applies to an item."""

    rule_id: str
    outcome: Outcome
    legal_basis: tuple[str, ...]
    customs_codes: tuple[str, ...]
    explanation: str
    verified: bool
    general_authorisations: bool = False


@dataclass(frozen=True, slots=True)
class _Context:
    """What holds for the whole transaction, worked out once."""

    facts: TransactionFacts
    rulebook: Rulebook
    view: ListView
    embargo: ArmsEmbargo | None
    settings: frozenset[str]
    rules: tuple[ControlRule, ...]
    words: Mapping[str, str] = field(default_factory=dict)


def determine(facts: TransactionFacts, rulebook: Rulebook, list_source: ListSource) -> Determination:
    """Determine what the transaction needs, item by item (Arts. 3-12 and sanctions prohibitions).

    Raises ``ValidationError`` naming the field for a date before the first list version (``date``) or a
    code that is not in the list in force on the date (``items[i].control_code``): it never guesses.
    """
    try:
        view = list_source.as_of(facts.date)
    except NotFoundError as error:
        raise ValidationError(error.detail, field="date") from error
    context = _context(facts, rulebook, view)
    items = tuple(_determine_item(context, index, item) for index, item in enumerate(facts.items))
    return Determination(
        outcome=most_restrictive(item.outcome for item in items),
        items=items,
        list_version=view.version_id,
        rules_version=rulebook.version,
        activity=facts.activity,
        date=facts.date,
    )


def _context(facts: TransactionFacts, rulebook: Rulebook, view: ListView) -> _Context:
    end_user_type = facts.end_user.type if facts.end_user is not None else EndUserType.UNKNOWN
    # Art. 4(1)(b): "the purchasing country or country of destination" under an arms embargo
    embargo = rulebook.embargoed(facts.destination, facts.date, end_user_type) or rulebook.embargoed(
        facts.end_user_country, facts.date, end_user_type
    )
    rules = tuple(r for r in rulebook.rules if r.activity is facts.activity and r.validity.covers(facts.date))
    settings = rulebook.settings_of(facts.exporter.member_state)
    words = {
        "destination": f"{country_name(facts.destination)} ({facts.destination})",
        "member_state": f"{country_name(facts.exporter.member_state)} ({facts.exporter.member_state})",
        "embargo": f"{embargo.legal_act}" if embargo else "none",
        "list_version": view.version_id,
    }
    return _Context(facts, rulebook, view, embargo, settings.settings, rules, words)


def _determine_item(context: _Context, index: int, item: OrderItem) -> ItemDetermination:
    flags: ItemFlags | None = None
    if item.control_code is not None:
        flags = context.view.flags_for(item.control_code)
        if flags is None:
            raise ValidationError(
                f"{item.control_code} is not in the control list in force on {context.facts.date.isoformat()} "
                f"(list version {context.view.version_id})",
                field=f"items[{index}].control_code",
            )
    cyber = flags.cyber_surveillance if flags is not None else item.cyber_surveillance
    words = _Template(
        context.words,
        code=item.control_code or "this item",
        item=item.control_code or "this non-listed item",
    )
    findings = [
        *_sanctions(context, item, flags, words),
        *_control_rules(context, flags, cyber, words),
        *_national_controls(context, item, words),
    ]
    outcome = most_restrictive(f.outcome for f in findings)
    top = [f for f in findings if f.outcome is outcome]
    legal_basis = _unique(b for f in top for b in f.legal_basis)
    customs = _unique(c for f in top for c in f.customs_codes)
    lines = [f.explanation for f in top]
    applied = [f.rule_id for f in findings]
    usable: list[GeneralAuthorisation] = []
    if (
        outcome is Outcome.LICENCE_REQUIRED
        and flags is not None
        and item.control_code is not None
        and all(f.general_authorisations for f in top)
    ):
        usable, blocked = _general_authorisations(context, item.control_code, flags)
        if usable:
            outcome = Outcome.GENERAL_AUTHORISATION_AVAILABLE
            legal_basis = _unique((*legal_basis, *(b for g in usable for b in g.legal_basis)))
            customs = _unique(g.customs_code for g in usable)
            lines.extend(_describe_usable(context, usable))
            applied.extend(g.id for g in usable)
        elif blocked:
            lines.append(_describe_blocked(context, blocked))
    if not findings:
        lines.append("No rule of this rulebook applies to this item.")
    if (
        flags is None
        and not item.cyber_surveillance
        and Knowledge.INTERNAL_REPRESSION in context.facts.knowledge
    ):
        lines.append(
            "Knowledge of internal repression matters under Art. 5 only for cyber-surveillance items "
            "(Art. 2(20)); you answered that this item is not one."
        )
    if flags is not None and item.cyber_surveillance and not flags.cyber_surveillance:
        lines.append(
            f"The list does not mark {item.control_code} as a cyber-surveillance item; for a listed item the list "
            "decides, not the answer given."
        )
    unverified = [f.rule_id for f in findings if f.outcome is outcome and not f.verified]
    if unverified:
        lines.append(
            "Caution: this answer rests on rules not yet verified against the Official Journal "
            f"({', '.join(unverified)})."
        )
    return ItemDetermination(
        id=item.id,
        control_code=item.control_code,
        cyber_surveillance_item=cyber,
        outcome=outcome,
        legal_basis=legal_basis,
        general_authorisations=tuple(g.id for g in usable),
        customs_codes=customs,
        explanation=" ".join(lines),
        rules_applied=tuple(applied),
    )


def _sanctions(
    context: _Context, item: OrderItem, flags: ItemFlags | None, words: Mapping[str, str]
) -> list[_Finding]:
    """Sanctions prohibitions on listed items to (or for use in) a sanctioned country."""
    facts = context.facts
    if flags is None or item.control_code is None:
        return []
    found: list[_Finding] = []
    for prohibition in context.rulebook.sanctions:
        if facts.activity not in prohibition.activities or not prohibition.validity.covers(facts.date):
            continue
        if (
            facts.destination not in prohibition.countries
            and facts.end_user_country not in prohibition.countries
        ):
            continue
        if not prohibition.items.covers(
            item.control_code,
            section_i=flags.section_i,
            cyber_surveillance=flags.cyber_surveillance,
            information_security=flags.information_security,
        ):
            continue
        found.append(
            _Finding(
                prohibition.id,
                Outcome.PROHIBITED,
                prohibition.legal_basis,
                (),
                prohibition.explanation.format_map(words),
                prohibition.verified,
            )
        )
    return found


def _control_rules(
    context: _Context, flags: ItemFlags | None, cyber: bool, words: Mapping[str, str]
) -> list[_Finding]:
    """The rules of Arts. 3-11 whose conditions hold for the item."""
    facts = context.facts
    found: list[_Finding] = []
    for rule in context.rules:
        if not _item_matches(rule.item, flags, cyber):
            continue
        if rule.informed_any and not rule.informed_any & facts.informed:
            continue
        if rule.aware_any and not rule.aware_any & facts.aware:
            continue
        if rule.arms_embargo is not None and rule.arms_embargo != (context.embargo is not None):
            continue
        groups = context.rulebook.country_groups
        if rule.destination_in is not None and facts.destination not in groups[rule.destination_in]:
            continue
        if rule.destination_not_in is not None and facts.destination in groups[rule.destination_not_in]:
            continue
        if rule.member_state_setting is not None and rule.member_state_setting not in context.settings:
            continue
        found.append(
            _Finding(
                rule.id,
                rule.outcome,
                rule.legal_basis,
                rule.customs_codes,
                rule.explanation.format_map(words),
                rule.verified,
                rule.general_authorisations,
            )
        )
    return found


class _Template(dict[str, str]):
    """Words for explanation templates; an unknown placeholder is left as it is rather than failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _item_matches(condition: ItemCondition, flags: ItemFlags | None, cyber: bool) -> bool:
    if condition is ItemCondition.ANY:
        return True
    if condition is ItemCondition.LISTED:
        return flags is not None
    if condition is ItemCondition.NOT_LISTED:
        return flags is None
    if condition is ItemCondition.NOT_LISTED_CYBER_SURVEILLANCE:
        return flags is None and cyber
    return flags is not None and flags.annex_iv is not None  # ANNEX_IV


def _national_controls(context: _Context, item: OrderItem, words: Mapping[str, str]) -> list[_Finding]:
    """Art. 9(1) national controls of the exporter's member state, and those it applies under Art. 10."""
    facts = context.facts
    if not item.national_codes:
        return []
    found: list[_Finding] = []
    for control in context.rulebook.national_controls:
        if (
            facts.activity in control.activities
            and control.validity.covers(facts.date)
            and control.reaches(facts.exporter.member_state)
            and (control.destinations is None or facts.destination in control.destinations)
            and control.national_codes.intersection(item.national_codes)
        ):
            found.append(
                _Finding(
                    control.id,
                    Outcome.LICENCE_REQUIRED,
                    control.legal_basis,
                    control.customs_codes,
                    control.explanation.format_map(words),
                    control.verified,
                )
            )
    return found


def _general_authorisations(
    context: _Context, code: str, flags: ItemFlags
) -> tuple[list[GeneralAuthorisation], list[GeneralAuthorisation]]:
    """The general authorisations that cover the export (usable), and those that would but for the
    exporter's knowledge of an Art. 4(1) use (blocked, Annex II Part 3)."""
    facts = context.facts
    usable: list[GeneralAuthorisation] = []
    blocked: list[GeneralAuthorisation] = []
    for authorisation in context.rulebook.general_authorisations:
        if not authorisation.validity.covers(facts.date):
            continue
        if authorisation.is_national and authorisation.issuer != facts.exporter.member_state:
            continue
        if facts.destination not in authorisation.destinations:
            continue
        if authorisation.circumstance is not None and authorisation.circumstance not in facts.circumstances:
            continue
        # national general authorisations never cover Annex II Section I items (Art. 12(6)(a))
        covered = authorisation.items.covers(
            code,
            section_i=flags.section_i,
            cyber_surveillance=flags.cyber_surveillance,
            information_security=flags.information_security,
        ) and not (authorisation.is_national and flags.section_i)
        if not covered:
            continue
        if authorisation.blocked_by & facts.knowledge:
            blocked.append(authorisation)
        else:
            usable.append(authorisation)
    return usable, blocked


def _describe_usable(context: _Context, usable: list[GeneralAuthorisation]) -> list[str]:
    state = context.rulebook.settings_of(context.facts.exporter.member_state)
    lines = []
    for authorisation in usable:
        text = (
            f"{authorisation.id} ({authorisation.title}) covers this export to {context.words['destination']}: "
            f"declare {authorisation.customs_code}. Conditions: {' '.join(authorisation.conditions)}"
        )
        if authorisation.unverified:
            text += f" (Not yet verified: {', '.join(authorisation.unverified)}.)"
        lines.append(text)
    if state.general_authorisation_conditions:
        lines.append(f"In {state.name}: {' '.join(state.general_authorisation_conditions)}")
    lines.append(
        f"Instead of a general authorisation you may apply for an individual ({INDIVIDUAL_AUTHORISATION_CODE}) "
        f"or global ({GLOBAL_AUTHORISATION_CODE}) authorisation."
    )
    return lines


def _describe_blocked(context: _Context, blocked: list[GeneralAuthorisation]) -> str:
    uses = ", ".join(sorted(k.value for k in context.facts.knowledge & blocked[0].blocked_by))
    names = ", ".join(g.id for g in blocked)
    return (
        f"{names} would cover this export, but a general authorisation cannot be used when the exporter has "
        f"been informed of, or is aware of, an Art. 4(1) use ({uses}); apply for an individual authorisation."
    )


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
