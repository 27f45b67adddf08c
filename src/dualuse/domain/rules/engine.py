"""Licence determination: does a transaction need an authorisation, which one, and why.

``determine`` reads the rules of a ``Rulebook`` (kept as data) and the control list in force on the
transaction's date, and answers per item with an outcome, the legal basis, the general authorisations the
exporter may use, the customs codes to declare and a plain-English explanation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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
from dualuse.domain.rules.rulebook import GeneralAuthorisation, ItemCondition, ItemScope, Rulebook

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
    summary: str = ""
    """The explanation in a line: what a batch result shows."""

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
            "summary": self.summary,
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
    """The rule's explanation template, filled in only for the rules that decide the outcome."""
    verified: bool
    summary: str
    general_authorisations: bool = False


def determine(facts: TransactionFacts, rulebook: Rulebook, list_source: ListSource) -> Determination:
    """Determine what the transaction needs, item by item (Arts. 3-12 and sanctions prohibitions).

    Raises ``ValidationError`` naming the field for a date before the first list version (``date``) or a
    code that is not in the list in force on the date (``items[i].control_code``): it never guesses.
    """
    return PreparedTransaction(facts, rulebook, list_source).determine()


class PreparedTransaction:
    """A transaction's rules, worked out once: everything that does not depend on the item (the list
    version, the arms embargo, the member state's settings, and the rules, prohibitions and general
    authorisations whose transaction-level conditions hold). ``determine_item`` then answers per item;
    a batch reuses one prepared transaction for every item that shares its facts."""

    __slots__ = (
        "authorisations",
        "embargo",
        "facts",
        "national_controls",
        "rulebook",
        "rules",
        "sanctions",
        "signature",
        "summary_signature",
        "view",
        "words",
    )

    def __init__(self, facts: TransactionFacts, rulebook: Rulebook, list_source: ListSource) -> None:
        """Prepare ``facts``; ``ValidationError`` on ``date`` before the first list version."""
        try:
            view = list_source.as_of(facts.date)
        except NotFoundError as error:
            raise ValidationError(error.detail, field="date") from error
        day = facts.date
        end_user_type = facts.end_user.type if facts.end_user is not None else EndUserType.UNKNOWN
        # Art. 4(1)(b): "the purchasing country or country of destination" under an arms embargo
        embargo = rulebook.embargoed(facts.destination, day, end_user_type) or rulebook.embargoed(
            facts.end_user_country, day, end_user_type
        )
        settings = rulebook.settings_of(facts.exporter.member_state).settings
        groups = rulebook.country_groups
        countries = {facts.destination, facts.end_user_country}
        self.facts = facts
        self.rulebook = rulebook
        self.view = view
        self.embargo = embargo
        self.rules = tuple(
            rule
            for rule in rulebook.rules
            if rule.activity is facts.activity
            and rule.validity.covers(day)
            and (not rule.informed_any or rule.informed_any & facts.informed)
            and (not rule.aware_any or rule.aware_any & facts.aware)
            and (rule.arms_embargo is None or rule.arms_embargo == (embargo is not None))
            and (rule.destination_in is None or facts.destination in groups[rule.destination_in])
            and (rule.destination_not_in is None or facts.destination not in groups[rule.destination_not_in])
            and (rule.member_state_setting is None or rule.member_state_setting in settings)
        )
        self.sanctions = tuple(
            prohibition
            for prohibition in rulebook.sanctions
            if facts.activity in prohibition.activities
            and prohibition.validity.covers(day)
            and countries & prohibition.countries
        )
        self.authorisations = tuple(
            authorisation
            for authorisation in rulebook.general_authorisations
            if facts.activity is Activity.EXPORT
            and authorisation.validity.covers(day)
            and (not authorisation.is_national or authorisation.issuer == facts.exporter.member_state)
            and facts.destination in authorisation.destinations
            and (authorisation.circumstance is None or authorisation.circumstance in facts.circumstances)
        )
        self.national_controls = tuple(
            control
            for control in rulebook.national_controls
            if facts.activity in control.activities
            and control.validity.covers(day)
            and control.reaches(facts.exporter.member_state)
            and (control.destinations is None or facts.destination in control.destinations)
        )
        self.words = {
            "destination": f"{country_name(facts.destination)} ({facts.destination})",
            "member_state": f"{country_name(facts.exporter.member_state)} ({facts.exporter.member_state})",
            "embargo": embargo.legal_act if embargo else "none",
            "list_version": view.version_id,
        }
        applies = (
            tuple(rule.id for rule in self.rules),
            tuple(prohibition.id for prohibition in self.sanctions),
            tuple(authorisation.id for authorisation in self.authorisations),
            tuple(control.id for control in self.national_controls),
        )
        self.signature: tuple[object, ...] = (
            facts.activity,
            facts.exporter.member_state,
            facts.destination,
            view.version_id,
            embargo,
            facts.informed,
            facts.aware,
            *applies,
        )
        """Everything an item's answer depends on besides the item: two transactions with the same
        signature answer every item alike (a batch shares answers between them)."""
        self.summary_signature: tuple[object, ...] = (
            view.version_id,
            facts.knowledge,
            *applies,
        )
        """What an item's answer without the full explanation (``determine_item(explain=False)``) depends
        on besides the item: the list version, the exporter's knowledge (which blocks general
        authorisations) and the rules, prohibitions, general authorisations and national controls that
        apply. Coarser than ``signature``: the destination, member state and embargo only reach the full
        explanation's wording, or the answer through which of those apply."""

    def determine(self) -> Determination:
        """Determine every item of the transaction; the overall outcome is the most restrictive."""
        items = tuple(self.determine_item(item, index) for index, item in enumerate(self.facts.items))
        return Determination(
            outcome=most_restrictive(item.outcome for item in items),
            items=items,
            list_version=self.view.version_id,
            rules_version=self.rulebook.version,
            activity=self.facts.activity,
            date=self.facts.date,
        )

    def determine_item(self, item: OrderItem, index: int = 0, *, explain: bool = True) -> ItemDetermination:
        """Determine one item: sanctions prohibitions, the rules of Arts. 3-11 and national controls, the
        most restrictive winning; a required licence becomes ``general_authorisation_available`` where a
        general authorisation is usable (Art. 12(1)(d), 12(6)). ``ValidationError`` on
        ``items[index].control_code`` if the code is not in the list in force on the date. With
        ``explain=False`` only the one-line summary is written, not the full explanation (batch runs)."""
        flags: ItemFlags | None = None
        code = item.control_code
        if code is not None:
            flags = self.view.flags_for(code)
            if flags is None:
                raise ValidationError(
                    f"{code} is not in list version {self.view.version_id}, the control list in force on "
                    "the transaction's date",
                    field=f"items[{index}].control_code",
                )
        cyber = flags.cyber_surveillance if flags is not None else item.cyber_surveillance
        findings = self._findings(item, flags, cyber)
        outcome = most_restrictive(f.outcome for f in findings)
        top = [f for f in findings if f.outcome is outcome]
        legal_basis = _unique(b for f in top for b in f.legal_basis)
        customs = _unique(c for f in top for c in f.customs_codes)
        lines: list[str] = []
        if explain:
            words = _Template(
                self.words, code=code or "this item", item=code or "this item", Item=code or "This item"
            )
            lines = [f.explanation.format_map(words) for f in top]
        short = _unique(f.summary for f in top)
        applied = [f.rule_id for f in findings]
        unverified = [f.rule_id for f in top if not f.verified]
        usable: list[GeneralAuthorisation] = []
        if (
            outcome is Outcome.LICENCE_REQUIRED
            and flags is not None
            and code is not None
            and all(f.general_authorisations for f in top)
        ):
            usable, blocked = self._general_authorisations(code, flags)
            if usable:
                outcome = Outcome.GENERAL_AUTHORISATION_AVAILABLE
                legal_basis = _unique((*legal_basis, *(b for g in usable for b in g.legal_basis)))
                customs = _unique(g.customs_code for g in usable)
                if explain:
                    lines.extend(self._describe_usable(usable))
                short = (
                    *short,
                    f"Usable: {', '.join(g.id for g in usable)}; register before first use, report.",
                )
                applied.extend(g.id for g in usable)
                unverified.extend(f"{g.id} ({', '.join(g.unverified)})" for g in usable if g.unverified)
            elif blocked:
                if explain:
                    lines.append(self._describe_blocked(blocked))
                short = (*short, "General authorisations unusable with Art. 4(1) knowledge.")
        if not findings:
            lines.append("No rule of this rulebook applies to this item.")
        if explain:
            lines.extend(self._notes(item, flags))
        if unverified:
            lines.append(f"Not yet verified against the Official Journal: {', '.join(unverified)}.")
            short = (*short, "[unverified]")
        return ItemDetermination(
            id=item.id,
            control_code=code,
            cyber_surveillance_item=cyber,
            outcome=outcome,
            legal_basis=legal_basis,
            general_authorisations=tuple(g.id for g in usable),
            customs_codes=customs,
            explanation=" ".join(lines),
            rules_applied=tuple(applied),
            summary=" ".join(short) or "No rule applies.",
        )

    def _findings(self, item: OrderItem, flags: ItemFlags | None, cyber: bool) -> list[_Finding]:
        found: list[_Finding] = []
        code = item.control_code
        # sanctions prohibitions reach listed items (Annex I) to, or for use in, a sanctioned country
        if flags is not None and code is not None:
            found.extend(
                _Finding(
                    prohibition.id,
                    Outcome.PROHIBITED,
                    prohibition.legal_basis,
                    (),
                    prohibition.explanation,
                    prohibition.verified,
                    prohibition.summary,
                )
                for prohibition in self.sanctions
                if _covers(prohibition.items, code, flags)
            )
        # the rules of Arts. 3-11 whose transaction-level conditions hold: only the item's kind is left
        found.extend(
            _Finding(
                rule.id,
                rule.outcome,
                rule.legal_basis,
                rule.customs_codes,
                rule.explanation,
                rule.verified,
                rule.summary,
                rule.general_authorisations,
            )
            for rule in self.rules
            if _item_matches(rule.item, flags, cyber)
        )
        # Art. 9(1) national controls of the exporter's member state, and those it applies (Art. 10)
        if item.national_codes:
            found.extend(
                _Finding(
                    control.id,
                    Outcome.LICENCE_REQUIRED,
                    control.legal_basis,
                    control.customs_codes,
                    control.explanation,
                    control.verified,
                    control.summary,
                )
                for control in self.national_controls
                if control.national_codes.intersection(item.national_codes)
            )
        return found

    def _general_authorisations(
        self, code: str, flags: ItemFlags
    ) -> tuple[list[GeneralAuthorisation], list[GeneralAuthorisation]]:
        """The general authorisations that cover the export (usable), and those that would but for the
        exporter's knowledge of an Art. 4(1) use (blocked, Annex II Part 3)."""
        knowledge = self.facts.knowledge
        usable: list[GeneralAuthorisation] = []
        blocked: list[GeneralAuthorisation] = []
        for authorisation in self.authorisations:
            # national general authorisations never cover Annex II Section I items (Art. 12(6)(a))
            if not _covers(authorisation.items, code, flags) or (
                authorisation.is_national and flags.section_i
            ):
                continue
            (blocked if authorisation.blocked_by & knowledge else usable).append(authorisation)
        return usable, blocked

    def _notes(self, item: OrderItem, flags: ItemFlags | None) -> list[str]:
        notes = []
        if (
            flags is None
            and not item.cyber_surveillance
            and Knowledge.INTERNAL_REPRESSION in self.facts.knowledge
        ):
            notes.append(
                "Knowledge of internal repression matters under Art. 5 only for cyber-surveillance items "
                "(Art. 2(20)); you answered that this item is not one."
            )
        if flags is not None and item.cyber_surveillance and not flags.cyber_surveillance:
            notes.append(
                f"The list does not mark {item.control_code} as a cyber-surveillance item; for a listed item "
                "the list decides, not the answer given."
            )
        return notes

    def _describe_usable(self, usable: list[GeneralAuthorisation]) -> list[str]:
        state = self.rulebook.settings_of(self.facts.exporter.member_state)
        lines = []
        for authorisation in usable:
            lines.append(
                f"{authorisation.id} covers this export to {self.words['destination']}: declare "
                f"{authorisation.customs_code}. Conditions: {' '.join(authorisation.conditions)}"
            )
        if state.general_authorisation_conditions:
            lines.append(f"In {state.name}: {' '.join(state.general_authorisation_conditions)}")
        lines.append(
            f"Alternatively apply for an individual ({INDIVIDUAL_AUTHORISATION_CODE}) or global "
            f"({GLOBAL_AUTHORISATION_CODE}) authorisation."
        )
        return lines

    def _describe_blocked(self, blocked: list[GeneralAuthorisation]) -> str:
        uses = ", ".join(sorted(k.value for k in self.facts.knowledge & blocked[0].blocked_by))
        names = ", ".join(g.id for g in blocked)
        return (
            f"{names} would cover this export, but a general authorisation cannot be used when the exporter "
            f"has been informed of, or is aware of, an Art. 4(1) use ({uses}) (Annex II, Part 3); apply for an "
            "individual authorisation."
        )


class _Template(dict[str, str]):
    """Words for explanation templates; an unknown placeholder is left as it is rather than failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _covers(scope: ItemScope, code: str, flags: ItemFlags) -> bool:
    return scope.covers(
        code,
        section_i=flags.section_i,
        cyber_surveillance=flags.cyber_surveillance,
        information_security=flags.information_security,
    )


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


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
