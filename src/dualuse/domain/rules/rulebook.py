"""The rules of a determination as data: control rules (Arts. 3-11), general authorisations (Art. 12,
Annex II), arms embargoes (Art. 4(1)(b)), sanctions prohibitions, national controls (Arts. 9-10) and
member-state settings. Each rule carries its legal source and whether that was verified.

The engine interprets these objects; a new delegated act, sanctions package or national measure is a change
of the data files, not of the code. Everything here is pure and immutable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from dualuse.domain.errors import ValidationError
from dualuse.domain.rules.facts import (
    Activity,
    Circumstance,
    EndUserType,
    EntityList,
    ItemKind,
    Knowledge,
)
from dualuse.domain.rules.outcome import Outcome
from dualuse.domain.union import EU_MEMBER_STATES

LEGAL_BASIS = re.compile(r"^\S.*, Art\. \d+[a-z]*\((\d+[a-z]*|[a-z])\)(\([a-z]+\))*(\([ivx]+\))?( .*)?$")
"""A legal basis names the act and the article as ``Art. N(p)`` (or ``Art. N(x)`` for an article whose
points are not numbered paragraphs): ``Regulation (EU) 2021/821, Art. 5(2)``."""


def check_legal_basis(text: str, where: str) -> None:
    """Refuse a legal basis that does not name an act and an article as ``Art. N(p)``."""
    if not LEGAL_BASIS.match(text):
        raise ValidationError(
            f"legal basis {text!r} must name the act and the article as 'Art. N(p)', "
            "e.g. 'Regulation (EU) 2021/821, Art. 5(2)'",
            field=where,
        )


@dataclass(frozen=True, slots=True)
class Validity:
    """The days a rule is in force: from ``start`` (inclusive) to ``end`` (inclusive); open when None."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValidationError("a rule cannot end before it starts", field="valid_to")

    def covers(self, day: date) -> bool:
        """True if the rule is in force on ``day``."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


ALWAYS = Validity()


class ItemCondition(StrEnum):
    """Which items a control rule is about."""

    ANY = "any"
    LISTED = "listed"
    """Items in Annex I (Art. 3(1))."""
    NOT_LISTED = "not_listed"
    """Items not in Annex I (Art. 3(2), Art. 4)."""
    NOT_LISTED_CYBER_SURVEILLANCE = "not_listed_cyber_surveillance"
    """Non-listed cyber-surveillance items (Art. 2(20), Art. 5)."""
    ANNEX_IV = "annex_iv"
    """Items in Annex IV (Art. 11(1))."""


@dataclass(frozen=True, slots=True)
class ControlRule:
    """One rule of the regulation: when it applies, what it requires and why.

    A rule applies to an item when every condition holds: the activity, the kind of item, knowledge (any
    one of ``informed_any`` in what the authority told the exporter; any one of ``aware_any`` in what the
    exporter is aware of), the destination (an arms embargo, a country group) and a member-state setting
    (such as Art. 5(3) "grounds for suspecting"). Conditions left empty always hold.
    ``general_authorisations`` says that a usable general authorisation may stand in for the individual one.
    """

    id: str
    activity: Activity
    item: ItemCondition
    outcome: Outcome
    legal_basis: tuple[str, ...]
    explanation: str
    source: str
    verified: bool
    informed_any: frozenset[Knowledge] = frozenset()
    aware_any: frozenset[Knowledge] = frozenset()
    arms_embargo: bool | None = None
    destination_in: str | None = None
    destination_not_in: str | None = None
    member_state_setting: str | None = None
    customs_codes: tuple[str, ...] = ()
    general_authorisations: bool = False
    validity: Validity = ALWAYS
    summary: str = ""
    """A short form of the explanation (a line of a batch result)."""

    def __post_init__(self) -> None:
        if not self.legal_basis:
            raise ValidationError(f"rule {self.id} needs a legal basis", field="legal_basis")
        for basis in self.legal_basis:
            check_legal_basis(basis, "legal_basis")
        if self.outcome is Outcome.PROHIBITED:
            raise ValidationError(
                "only sanctions prohibitions prohibit; a control rule cannot", field="outcome"
            )
        if self.general_authorisations and self.outcome is not Outcome.LICENCE_REQUIRED:
            raise ValidationError(
                "general authorisations can only stand in for a required licence",
                field="general_authorisations",
            )


@dataclass(frozen=True, slots=True)
class ItemScope:
    """The items a general authorisation or prohibition covers, by control list code.

    ``codes`` (empty: all of Annex I) covers each entry and everything below it; ``excluded_codes`` takes
    entries out again; ``groups`` (empty: all) keeps only product groups (D software, E technology);
    ``excluded_groups`` removes some. ``exclude_section_i`` removes Annex II Section I items
    (Art. 12(6)(a)), ``exclude_cyber_surveillance`` cyber-surveillance items (Art. 2(20)), and
    ``information_security_only`` keeps only Category 5 Part 2 items.
    """

    codes: frozenset[str] = frozenset()
    excluded_codes: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    excluded_groups: frozenset[str] = frozenset()
    exclude_section_i: bool = False
    exclude_cyber_surveillance: bool = False
    information_security_only: bool = False

    def covers(
        self, code: str, *, section_i: bool, cyber_surveillance: bool, information_security: bool
    ) -> bool:
        """True if the listed item ``code`` (canonical form) with these list flags is in scope."""
        if self.exclude_section_i and section_i:
            return False
        if self.exclude_cyber_surveillance and cyber_surveillance:
            return False
        if self.information_security_only and not information_security:
            return False
        group = code[1]
        if (self.groups and group not in self.groups) or group in self.excluded_groups:
            return False
        if self.codes and not _within(code, self.codes):
            return False
        return not _within(code, self.excluded_codes)

    def deciding_sub_items(
        self, code: str, *, section_i: bool, cyber_surveillance: bool, information_security: bool
    ) -> tuple[str, ...]:
        """The entries below ``code`` that the scope names (in ``codes`` or ``excluded_codes``) and answers
        differently from ``code`` itself: for ``5A002`` under EU003, which excludes 5A002.c, .d and .e, the
        answer depends on the sub-item. Empty where the whole entry is in or out alike."""
        flags = {
            "section_i": section_i,
            "cyber_surveillance": cyber_surveillance,
            "information_security": information_security,
        }
        whole = self.covers(code, **flags)
        prefix = code + "."
        return tuple(
            sorted(
                sub
                for sub in self.codes | self.excluded_codes
                if sub.startswith(prefix) and self.covers(sub, **flags) != whole
            )
        )


def _within(code: str, entries: frozenset[str]) -> bool:
    """True if ``code`` is one of ``entries`` or lies below one of them (``5A001.b.2.a`` below ``5A001.b.2``)."""
    if code in entries:
        return True
    position = code.rfind(".")
    while position > 0:
        code = code[:position]
        if code in entries:
            return True
        position = code.rfind(".")
    return False


class FirstUseNotice(StrEnum):
    """When Annex II has the exporter tell its authority about the first use of a Union general
    authorisation."""

    AFTER_FIRST_EXPORT = "after_first_export"
    """Within ``days`` days after the first export (EU001-EU006, Part 3), unless the member state requires
    notification before the first use."""
    BEFORE_FIRST_EXPORT = "before_first_export"
    """At least ``days`` days before the first export (EU007: 30, EU008: 10)."""


class FirstUseRegistration(StrEnum):
    """Whether the exporter registers before the first use."""

    REQUIRED = "required"
    """Annex II requires it (EU007, EU008)."""
    MEMBER_STATE_OPTION = "member_state_option"
    """A member state may require it (EU001-EU006)."""


@dataclass(frozen=True, slots=True)
class FirstUseRule:
    """Annex II's rule on telling the authority about the first use of a Union general authorisation."""

    notice: FirstUseNotice
    days: int
    member_state_may_require_before: bool
    registration: FirstUseRegistration

    def __post_init__(self) -> None:
        if not 0 <= self.days <= 366:
            raise ValidationError("the days of a first-use notice must be between 0 and 366", field="days")
        if self.member_state_may_require_before and self.notice is not FirstUseNotice.AFTER_FIRST_EXPORT:
            raise ValidationError(
                "only a notice after the first export can be brought forward by a member state",
                field="member_state_may_require_before",
            )

    def describe(self) -> str:
        """The rule as a condition the exporter reads (our words, Annex II Part 3)."""
        if self.notice is FirstUseNotice.BEFORE_FIRST_EXPORT:
            register = (
                "Register with your competent authority before the first use and notify"
                if self.registration is FirstUseRegistration.REQUIRED
                else "Notify"
            )
            return f"{register} the first use at least {self.days} days before the first export."
        text = (
            f"Notify your competent authority of the first use within {self.days} days after the first export"
        )
        if self.member_state_may_require_before:
            text += (
                ", or before the first use where your member state requires it (it may also require "
                "registration before the first use); where its choice is not known, do so before the first "
                "export and check with the authority"
            )
        return text + "."


class StateFirstUseChoice(StrEnum):
    """What a member state chose for the first use of EU001-EU006 (Annex II Sections A-F, Part 3)."""

    AFTER_FIRST_EXPORT = "after_first_export"
    """Notification within 30 days after the first export (the rule of Annex II)."""
    BEFORE_FIRST_USE = "before_first_use"
    """Notification (or registration) before the first use."""
    UNKNOWN = "unknown"
    """Not known here: the safe reading is before the first use."""


@dataclass(frozen=True, slots=True)
class StateFirstUse:
    """A member state's choice for the first use of EU001-EU006, with its source."""

    choice: StateFirstUseChoice
    registration_before_first_use: bool | None
    source: str
    verified: bool

    @property
    def known_after(self) -> bool:
        """True only where the state is known (verified) to take notice within 30 days after the first
        export and not to require registration before the first use."""
        return (
            self.verified
            and self.choice is StateFirstUseChoice.AFTER_FIRST_EXPORT
            and self.registration_before_first_use is False
        )


UNKNOWN_STATE_FIRST_USE = StateFirstUse(StateFirstUseChoice.UNKNOWN, None, "not known", verified=False)


@dataclass(frozen=True, slots=True)
class GeneralAuthorisation:
    """A Union general export authorisation (EU001-EU008, Annex II Sections A-H, Art. 12(1)(d)) or a
    national general export authorisation (``issuer`` a member state, Art. 12(6)).

    It is usable for an export of a covered item to one of ``destinations`` while in force, unless the
    exporter is informed or aware of a use in ``blocked_by`` (Art. 4(1) uses, Annex II Part 3), and only in
    the ``circumstance`` it is made for (EU003 repair, EU004 exhibition, EU007 intra-group), if any.
    ``unverified`` names the aspects (items, destinations, conditions) not yet checked against the
    Official Journal.
    """

    id: str
    title: str
    issuer: str
    customs_code: str
    legal_basis: tuple[str, ...]
    items: ItemScope
    destinations: frozenset[str]
    conditions: tuple[str, ...]
    source: str
    blocked_by: frozenset[Knowledge] = frozenset({Knowledge.WMD, Knowledge.MILITARY_END_USE})
    circumstance: Circumstance | None = None
    unverified: tuple[str, ...] = ()
    validity: Validity = ALWAYS
    first_use: FirstUseRule | None = None
    """Annex II's rule on notifying the first use (Union authorisations); None for a national one, whose
    terms are its member state's."""

    def __post_init__(self) -> None:
        for basis in self.legal_basis:
            check_legal_basis(basis, "legal_basis")
        if self.issuer != "EU" and self.issuer not in EU_MEMBER_STATES:
            raise ValidationError(f"issuer {self.issuer!r} is neither EU nor a member state", field="issuer")
        if not self.destinations:
            raise ValidationError(f"{self.id} has no destinations", field="destinations")

    @property
    def verified(self) -> bool:
        """True if every aspect of the authorisation was checked in a named source."""
        return not self.unverified

    @property
    def is_national(self) -> bool:
        """True for a national general export authorisation (Art. 12(6))."""
        return self.issuer != "EU"


class EmbargoScope(StrEnum):
    """How far an arms embargo reaches."""

    FULL = "full"
    PARTIAL = "partial"
    NON_GOVERNMENTAL = "non_governmental"
    """Only non-governmental end-users (e.g. Iraq, Lebanon, the Democratic Republic of the Congo)."""


@dataclass(frozen=True, slots=True)
class ArmsEmbargo:
    """An arms embargo on a country (Art. 2(19)): what Art. 4(1)(b)'s military end-use control looks at."""

    country: str
    legal_act: str
    scope: EmbargoScope
    source: str
    verified: bool
    validity: Validity = ALWAYS
    note: str = ""

    def applies(self, day: date, end_user_type: EndUserType) -> bool:
        """True if the embargo is in force on ``day`` and reaches an end-user of this type."""
        if not self.validity.covers(day):
            return False
        return not (self.scope is EmbargoScope.NON_GOVERNMENTAL and end_user_type is EndUserType.GOVERNMENT)


@dataclass(frozen=True, slots=True)
class SanctionsProhibition:
    """A sanctions measure that prohibits the activity outright for items in ``items`` when the destination
    or the end-user's country is one of ``countries``; no dual-use authorisation can lift it."""

    id: str
    countries: frozenset[str]
    legal_basis: tuple[str, ...]
    activities: frozenset[Activity]
    items: ItemScope
    explanation: str
    source: str
    verified: bool
    validity: Validity = ALWAYS
    summary: str = "Prohibited by EU sanctions."

    def __post_init__(self) -> None:
        for basis in self.legal_basis:
            check_legal_basis(basis, "legal_basis")


class Consequence(StrEnum):
    """What a sanctions regime does to a transaction it applies to."""

    PROHIBITED = "prohibited"
    """Prohibited outright (derogations, where the act has them, are authorisations under that act)."""
    AUTHORISATION_REQUIRED = "authorisation_required"
    """Prior authorisation by the competent authority under the sanctions act; a general authorisation
    under Reg. (EU) 2021/821 cannot stand in for it."""
    DUTY = "duty"
    """A duty that does not stop the export (e.g. a contractual no-re-export clause, Art. 12g of Reg.
    833/2014): the answer names it."""

    @property
    def outcome(self) -> Outcome | None:
        """The determination outcome it leads to; None for a duty."""
        return _CONSEQUENCE_OUTCOME[self]


_CONSEQUENCE_OUTCOME = {
    Consequence.PROHIBITED: Outcome.PROHIBITED,
    Consequence.AUTHORISATION_REQUIRED: Outcome.LICENCE_REQUIRED,
    Consequence.DUTY: None,
}


class EndUserCondition(StrEnum):
    """Whom a sanctions regime reaches."""

    ANY = "any"
    """Any person in the country or for use in it."""
    GOVERNMENT = "government"
    """The government, public bodies, corporations and agencies, or anyone acting on their behalf or at
    their direction (end-user type ``government`` or ``military``)."""
    MILITARY = "military"
    """The armed forces (end-user type ``military``, or knowledge of a military end-use)."""
    LISTED = "listed"
    """A person, entity or body on the regime's entity list (``listed_in``), wherever established."""


@dataclass(frozen=True, slots=True)
class RegimeItems:
    """The items a sanctions regime covers: Annex I entries (``annex_i``, None when it names none), item
    kinds in plain words (``kinds``) and CN codes (``cn_codes``, prefixes). ``excludes_annex_i`` keeps
    items listed in Annex I to Reg. (EU) 2021/821 out (the general note of the monitoring-equipment
    annexes). ``annex`` names the annex of the act, ``description`` says what it lists."""

    annex: str
    description: str
    annex_i: ItemScope | None = None
    kinds: frozenset[ItemKind] = frozenset()
    cn_codes: frozenset[str] = frozenset()
    excludes_annex_i: bool = False
    all_items: bool = False
    """Every item (e.g. Art. 5 of Reg. 2017/1509: any item except food or medicine)."""

    def __post_init__(self) -> None:
        if self.annex_i is None and not self.kinds and not self.cn_codes and not self.all_items:
            raise ValidationError("a regime must cover Annex I codes, item kinds or CN codes", field="items")


REGIME_ASPECTS = ("article", "items", "destinations", "end_user", "dates", "consequence")
"""The elements of a sanctions regime that are verified one by one."""


@dataclass(frozen=True, slots=True)
class SanctionsRegime:
    """A sanctions measure on items, as its act words it: the act and article (``legal_basis``), the
    items (``items``), the end-user condition, the destinations (``destinations``: the destination or the
    end-user's country must be one; None: every destination except ``excluded_destinations``), the dates
    in force and the consequence (prohibited, prior authorisation, or a duty).

    ``verified`` holds, per element of ``REGIME_ASPECTS``, whether it was checked in a named source
    (``sources`` names the source per element, ``source`` overall). An unverified element never makes an
    answer less restrictive: the answer lists it under ``unverified_basis``.
    """

    id: str
    title: str
    act: str
    legal_basis: tuple[str, ...]
    activities: frozenset[Activity]
    items: RegimeItems
    consequence: Consequence
    explanation: str
    summary: str
    source: str
    verified: Mapping[str, bool]
    destinations: frozenset[str] | None = None
    excluded_destinations: frozenset[str] = frozenset()
    end_user: EndUserCondition = EndUserCondition.ANY
    listed_in: EntityList | None = None
    end_user_note: str = ""
    """What the act says about government or other end-users where it does not change the consequence
    (e.g. the authority must refuse an authorisation for use by the government)."""
    customs_codes: tuple[str, ...] = ()
    validity: Validity = ALWAYS
    sources: Mapping[str, str] = field(default_factory=dict)
    no_question_in: frozenset[str] = frozenset()
    """Destinations where a missing fact is not asked about (the regime still applies once it is stated),
    e.g. no Annex IV screening question for exports to the partner countries."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "verified", MappingProxyType(dict(self.verified)))
        object.__setattr__(self, "sources", MappingProxyType(dict(self.sources)))
        for basis in self.legal_basis:
            check_legal_basis(basis, "legal_basis")
        if not self.legal_basis:
            raise ValidationError(f"regime {self.id} needs a legal basis", field="legal_basis")
        unknown = (set(self.verified) | set(self.sources)) - set(REGIME_ASPECTS)
        if unknown:
            raise ValidationError(
                f"unknown aspects {', '.join(sorted(unknown))}; use {', '.join(REGIME_ASPECTS)}",
                field="verified",
            )
        missing = set(REGIME_ASPECTS) - set(self.verified)
        if missing:
            raise ValidationError(
                f"`verified` must mark every element: {', '.join(sorted(missing))} missing", field="verified"
            )
        if (self.end_user is EndUserCondition.LISTED) != (self.listed_in is not None):
            raise ValidationError(
                "`listed_in` names the entity list exactly when `end_user` is `listed`", field="listed_in"
            )
        if self.destinations is not None and self.excluded_destinations:
            raise ValidationError(
                "give either `destinations` or `excluded_destinations`", field="excluded_destinations"
            )

    @property
    def unverified(self) -> tuple[str, ...]:
        """The elements not checked in a named source."""
        return tuple(aspect for aspect in REGIME_ASPECTS if not self.verified[aspect])

    @property
    def is_verified(self) -> bool:
        """True if every element was checked in a named source."""
        return not self.unverified

    def reaches_place(self, destination: str, end_user_country: str) -> bool:
        """True if the destination or the end-user's country is one the regime covers."""
        if self.destinations is None:
            return destination not in self.excluded_destinations
        return bool({destination, end_user_country} & self.destinations)


@dataclass(frozen=True, slots=True)
class NationalControl:
    """A member state's control on non-listed items (Art. 9(1)), applied by others too (Art. 10).

    It reaches items the exporter classified under one of ``national_codes``, in one of ``activities``, to
    ``destinations`` (None: every destination), where the exporter is established in ``member_state`` or
    in one of ``applied_by``.
    """

    id: str
    member_state: str
    national_codes: frozenset[str]
    legal_basis: tuple[str, ...]
    explanation: str
    source: str
    verified: bool
    activities: frozenset[Activity] = frozenset({Activity.EXPORT})
    destinations: frozenset[str] | None = None
    applied_by: frozenset[str] = frozenset()
    customs_codes: tuple[str, ...] = ("X060",)
    validity: Validity = ALWAYS
    summary: str = "National control (Art. 9): an authorisation is needed."

    def __post_init__(self) -> None:
        for basis in self.legal_basis:
            check_legal_basis(basis, "legal_basis")

    def reaches(self, member_state: str) -> bool:
        """True if an exporter established in ``member_state`` is bound by this control."""
        return member_state == self.member_state or member_state in self.applied_by


@dataclass(frozen=True, slots=True)
class LicenceValidity:
    """How long a member state's licences run and how far it may extend them: Art. 12(3) sets "up to two
    years" (large projects four) unless the authority decides otherwise; the state's own rule says which.

    ``extension_months`` is the longest total extension beyond the initial period on a reasoned request
    (None: the state's rule provides none or it is not known here)."""

    individual_months: int | None
    global_months: int | None
    large_project_months: int | None
    extension_months: int | None
    source: str
    verified: bool

    def latest_extended_until(self, months: int, valid_from: date) -> date | None:
        """The last day a licence of ``months`` from ``valid_from`` may run once extended as far as the
        state allows (None where no extension is known)."""
        if self.extension_months is None:
            return None
        total = months + self.extension_months
        year, month = divmod(valid_from.month - 1 + total, 12)
        try:
            end = valid_from.replace(year=valid_from.year + year, month=month + 1)
        except ValueError:  # the 29th-31st of a shorter month: the period ends with that month
            end = date(valid_from.year + year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
        return end - timedelta(days=1)


@dataclass(frozen=True, slots=True)
class MemberStateSettings:
    """What a member state has chosen where the regulation lets it choose (e.g. Art. 5(3)), and what it
    adds to the use of general authorisations (registration, reporting)."""

    member_state: str
    name: str
    source: str
    verified: bool
    settings: frozenset[str] = frozenset()
    general_authorisation_conditions: tuple[str, ...] = ()
    first_use: StateFirstUse = UNKNOWN_STATE_FIRST_USE
    """The state's choice for the first use of EU001-EU006 (Annex II Part 3)."""
    licence_validity: LicenceValidity | None = None
    """How long the state's licences run and how far it extends them; None where not checked."""


@dataclass(frozen=True)
class Rulebook:
    """Every rule a determination uses, as one versioned, immutable set."""

    version: str
    rules: tuple[ControlRule, ...]
    general_authorisations: tuple[GeneralAuthorisation, ...]
    embargoes: tuple[ArmsEmbargo, ...]
    sanctions: tuple[SanctionsProhibition, ...]
    national_controls: tuple[NationalControl, ...]
    member_states: Mapping[str, MemberStateSettings]
    country_groups: Mapping[str, frozenset[str]]
    customs_codes: Mapping[str, str] = field(default_factory=dict)
    regimes: tuple[SanctionsRegime, ...] = ()
    """Sanctions measures on items by description, CN code or Annex I code (``sanctions_regimes.yaml``)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "member_states", MappingProxyType(dict(self.member_states)))
        object.__setattr__(self, "country_groups", MappingProxyType(dict(self.country_groups)))
        object.__setattr__(self, "customs_codes", MappingProxyType(dict(self.customs_codes)))
        for problem in self.problems():
            raise ValidationError(problem[1], field=problem[0])

    def problems(self) -> list[tuple[str, str]]:
        """Inconsistencies between the parts, as (rule id, problem): unknown country groups, customs codes
        or member-state settings, duplicate ids, missing member states."""
        found: list[tuple[str, str]] = []
        known_codes = set(self.customs_codes)
        used_settings = {r.member_state_setting for r in self.rules if r.member_state_setting}
        ids: set[str] = set()
        for rule in self.rules:
            if rule.id in ids:
                found.append((rule.id, "rule id used twice"))
            ids.add(rule.id)
            for group in (rule.destination_in, rule.destination_not_in):
                if group is not None and group not in self.country_groups:
                    found.append((rule.id, f"unknown country group {group!r}"))
            found.extend(
                (rule.id, f"unknown customs code {c}") for c in rule.customs_codes if c not in known_codes
            )
        for authorisation in self.general_authorisations:
            if authorisation.id in ids:
                found.append((authorisation.id, "id used twice"))
            ids.add(authorisation.id)
            if authorisation.customs_code not in known_codes:
                found.append((authorisation.id, f"unknown customs code {authorisation.customs_code}"))
        for regime in self.regimes:
            if regime.id in ids:
                found.append((regime.id, "id used twice"))
            ids.add(regime.id)
            found.extend(
                (regime.id, f"unknown customs code {c}") for c in regime.customs_codes if c not in known_codes
            )
        for control in self.national_controls:
            found.extend(
                (control.id, f"unknown customs code {c}")
                for c in control.customs_codes
                if c not in known_codes
            )
        missing = EU_MEMBER_STATES - set(self.member_states)
        if missing:
            found.append(("member_states", f"no settings for {', '.join(sorted(missing))}"))
        for state in self.member_states.values():
            unknown = state.settings - used_settings
            if unknown:
                found.append((state.member_state, f"settings no rule uses: {', '.join(sorted(unknown))}"))
        return found

    def settings_of(self, member_state: str) -> MemberStateSettings:
        """The settings of a member state (every member state has an entry)."""
        return self.member_states[member_state]

    def end_user_type_countries(self) -> frozenset[str]:
        """Countries where the end-user's type can change an answer through a sanctions regime (a regime
        reaching only the government or the armed forces)."""
        return frozenset(
            country
            for regime in self.regimes
            if regime.end_user in (EndUserCondition.GOVERNMENT, EndUserCondition.MILITARY)
            for country in regime.destinations or ()
        )

    def embargoed(self, country: str, day: date, end_user_type: EndUserType) -> ArmsEmbargo | None:
        """The arms embargo on ``country`` in force on ``day`` that reaches this end-user, if any."""
        for embargo in self.embargoes:
            if embargo.country == country and embargo.applies(day, end_user_type):
                return embargo
        return None
