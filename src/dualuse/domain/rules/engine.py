"""Licence determination: does a transaction need an authorisation, which one, and why.

``determine`` reads the rules of a ``Rulebook`` (kept as data) and the control list in force on the
transaction's date, and answers per item with an outcome, the legal basis, the general authorisations the
exporter may use, the customs codes to declare and a plain-English explanation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from dualuse.domain.errors import NotFoundError, ValidationError
from dualuse.domain.rules.facts import (
    ART_10_USES,
    ITEM_KIND_HELP,
    Activity,
    EndUserType,
    Knowledge,
    OrderItem,
    TransactionFacts,
    country_name,
)
from dualuse.domain.rules.outcome import Outcome, most_restrictive
from dualuse.domain.rules.rulebook import (
    EndUserCondition,
    GeneralAuthorisation,
    ItemCondition,
    ItemScope,
    RegimeItems,
    Rulebook,
    SanctionsRegime,
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

    def flagged_below(self, code: str) -> Mapping[str, ItemFlags]:
        """The listed entries below ``code`` whose flags differ from its own, with their flags: ``1C450.a.1``
        below ``1C450`` (Annex II Section I), ``5D001.e`` below ``5D001`` (cyber-surveillance)."""
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
    questions: tuple[Question, ...] = ()
    """Facts the answer still needs: a regime reaches the transaction but depends on something not stated
    (the item's kind, the end-user's type or listing). Until answered, the outcome is on the safe side."""
    unverified_basis: tuple[str, ...] = ()
    """The rules the answer rests on that were not verified against the Official Journal (with the
    unverified elements in brackets)."""
    advice: tuple[str, ...] = ()
    """What else to look at, e.g. a general authorisation that may apply but is not verified."""
    duties: tuple[str, ...] = ()
    """Duties that do not stop the export (e.g. the no-re-export clause of Art. 12g of Reg. 833/2014)."""

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
            "questions": [question.to_dict() for question in self.questions],
            "unverified_basis": list(self.unverified_basis),
            "advice": list(self.advice),
            "duties": list(self.duties),
        }


@dataclass(frozen=True, slots=True)
class Question:
    """A fact the determination needs: ``field`` is where it goes (``items[0].item_kinds``,
    ``end_user.type``, ``end_user.listed_in``), ``text`` the question in plain words, ``rules`` the
    regimes that depend on it."""

    field: str
    text: str
    rules: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """The question as JSON-ready data."""
        return {"field": self.field, "text": self.text, "rules": list(self.rules)}


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

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every item's open questions, once each."""
        seen: dict[tuple[str, str], Question] = {}
        for item in self.items:
            for question in item.questions:
                seen.setdefault((question.field, question.text), question)
        return tuple(seen.values())

    @property
    def unverified_basis(self) -> tuple[str, ...]:
        """The unverified rules any item's answer rests on."""
        return _unique(rule for item in self.items for rule in item.unverified_basis)

    def to_dict(self) -> dict[str, object]:
        """The determination as JSON-ready data."""
        return {
            "outcome": self.outcome.value,
            "activity": self.activity.value,
            "date": self.date.isoformat(),
            "items": [item.to_dict() for item in self.items],
            "list_version": self.list_version,
            "rules_version": self.rules_version,
            "questions": [question.to_dict() for question in self.questions],
            "unverified_basis": list(self.unverified_basis),
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
    unverified_label: str = ""
    """How the answer names this rule when it is unverified (default: its id)."""


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
        "aware",
        "embargo",
        "facts",
        "informed",
        "national_controls",
        "regimes",
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
        # a military end-use is a use of Art. 4(1) only where the purchasing country or the country of
        # destination is subject to an arms embargo (Art. 4(1)(b)); so for Arts. 4(2), 6-8 and Annex II
        self.informed = _art_4_1_view(facts.informed, embargo is not None)
        self.aware = _art_4_1_view(facts.aware, embargo is not None)
        self.rules = tuple(
            rule
            for rule in rulebook.rules
            if rule.activity is facts.activity
            and rule.validity.covers(day)
            and (not rule.informed_any or rule.informed_any & self.informed)
            and (not rule.aware_any or rule.aware_any & self.aware)
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
        self.regimes: tuple[tuple[SanctionsRegime, bool | None], ...] = tuple(
            (regime, reached)
            for regime in rulebook.regimes
            if facts.activity in regime.activities
            and regime.validity.covers(day)
            and regime.reaches_place(facts.destination, facts.end_user_country)
            and (reached := self._end_user_reached(regime)) is not False
        )
        """The regimes in force for the activity and place, each with whether the end-user is one it reaches
        (None: the facts do not say)."""
        self.national_controls = tuple(
            control
            for control in rulebook.national_controls
            if facts.activity in control.activities
            and control.validity.covers(day)
            and control.reaches(facts.exporter.member_state)
            and (control.member_state == facts.exporter.member_state or bool(facts.informed & ART_10_USES))
            and (control.destinations is None or facts.destination in control.destinations)
        )
        """Art. 9(1) controls of the exporter's member state; another state's list applies (Art. 10(1)) only
        where the exporter's state applies it and its authority informed the exporter of a use of concern for
        public security or human rights."""
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
            tuple((regime.id, reached) for regime, reached in self.regimes),
        )
        self.signature: tuple[object, ...] = (
            facts.activity,
            facts.exporter.member_state,
            facts.destination,
            facts.end_user_country,
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
            self.informed | self.aware,
            embargo is not None and not embargo.verified and Knowledge.MILITARY_END_USE in facts.knowledge,
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
        findings, pending, duties = self._findings(item, flags, cyber)
        questions = self._questions(item, index, findings, pending)
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
        unverified = [f.unverified_label or f.rule_id for f in top if not f.verified]
        if outcome is not Outcome.NO_LICENCE_REQUIRED:  # only a stricter answer can rest on an embargo
            unverified.extend(self._unverified_embargo())
        if outcome is Outcome.NO_LICENCE_REQUIRED and any(not f.verified for f in top):
            # the safe side: an answer that no authorisation is needed must rest on verified rules only
            outcome = Outcome.NOTIFY_AUTHORITY
            customs = ()
            lines.append(
                "That no authorisation is needed rests on a rule not yet verified against the Official "
                "Journal: consult the competent authority of {member_state} before going ahead.".format_map(
                    _Template(self.words)
                )
            )
            short = (*short, "Unverified: consult the competent authority.")
        usable: list[GeneralAuthorisation] = []
        advice: list[str] = []
        if (
            outcome is Outcome.LICENCE_REQUIRED
            and flags is not None
            and code is not None
            and all(f.general_authorisations for f in top)
        ):
            covering, blocked = self._general_authorisations(code, flags)
            # a general authorisation whose scope is not verified is never offered as usable (safe side)
            usable = [g for g in covering if g.verified]
            advice = [
                f"{g.id} may apply ({g.customs_code}) — not verified against the Official Journal "
                f"({', '.join(g.unverified)}); check its text before relying on it, until then apply for "
                f"an individual authorisation ({INDIVIDUAL_AUTHORISATION_CODE})."
                for g in covering
                if not g.verified
            ]
            if usable:
                outcome = Outcome.GENERAL_AUTHORISATION_AVAILABLE
                legal_basis = _unique((*legal_basis, *(b for g in usable for b in g.legal_basis)))
                customs = _unique(g.customs_code for g in usable)
                if explain:
                    lines.extend(self._describe_usable(usable))
                short = (
                    *short,
                    f"Usable: {', '.join(g.id for g in usable)}; notify the first use as Annex II and your member state require; report.",
                )
                applied.extend(g.id for g in usable)
            elif blocked:
                if explain:
                    lines.append(self._describe_blocked(blocked))
                short = (*short, "General authorisations unusable with the use known (Annex II Part 3).")
            if advice and not usable:
                short = (*short, "A general authorisation may apply (unverified).")
            sub_items = self._sub_item_advice(code, flags)
            if sub_items and not usable:
                short = (*short, "A general authorisation may apply to some sub-items: give the full code.")
            advice.extend(sub_items)
        if outcome is Outcome.NO_LICENCE_REQUIRED:
            national = self._unverified_national_measures()
            advice.extend(national)
            if national:
                short = (*short, "National measures of your member state not verified here.")
        advice.extend(self._pending_duty_advice(item, pending))
        if not findings:
            lines.append("No rule of this rulebook applies to this item.")
        if explain:
            lines.extend(self._notes(item, flags))
            lines.extend(advice)
            lines.extend(duties)
            lines.extend(f"Question: {q.text}" for q in questions)
        if questions:
            short = (*short, "Answer needed: " + "; ".join(q.field for q in questions) + ".")
        if duties:
            short = (*short, "A duty applies (see explanation).")
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
            questions=tuple(questions),
            unverified_basis=_unique(unverified),
            advice=tuple(advice),
            duties=tuple(duties),
        )

    def _findings(
        self, item: OrderItem, flags: ItemFlags | None, cyber: bool
    ) -> tuple[list[_Finding], list[tuple[SanctionsRegime, str]], list[str]]:
        """The rules that apply to the item; the regimes that would apply but for a fact not stated (with
        the field it goes in); and the duties that apply."""
        found: list[_Finding] = []
        pending: list[tuple[SanctionsRegime, str]] = []
        duties: list[str] = []
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
        # sanctions regimes on items by Annex I code, kind or CN code, where destination and end-user match
        for regime, reached in self.regimes:
            covered = _regime_covers(regime.items, item, flags)
            if covered is False or (covered is None and reached is None):
                continue  # both open: a regime on listed end-users asks only about items it is known to cover
            if covered is None or reached is None:
                pending.append(
                    (regime, "items.item_kinds" if covered is None else self._end_user_field(regime))
                )
                continue
            outcome = regime.consequence.outcome
            explanation = regime.explanation + (f" {regime.end_user_note}" if regime.end_user_note else "")
            if outcome is None:
                duties.append(f"{regime.title}: {' '.join(explanation.split())} ({regime.legal_basis[0]}).")
                if not regime.is_verified:
                    duties[-1] += f" Not verified: {', '.join(regime.unverified)}."
                continue
            found.append(
                _Finding(
                    regime.id,
                    outcome,
                    regime.legal_basis,
                    regime.customs_codes,
                    explanation,
                    regime.is_verified,
                    regime.summary,
                    unverified_label=f"{regime.id} ({', '.join(regime.unverified)})",
                )
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
        return found, pending, duties

    def _questions(
        self,
        item: OrderItem,
        index: int,
        findings: list[_Finding],
        pending: list[tuple[SanctionsRegime, str]],
    ) -> list[Question]:
        """Questions for the regimes that need a fact not stated, where the answer could make the outcome
        more restrictive; until answered, a regime reached by destination holds the item at
        ``licence_required`` (the safe side, never "no licence required"). Adds those findings."""
        current = most_restrictive(f.outcome for f in findings)
        licence_by_ga = current is Outcome.LICENCE_REQUIRED and all(
            f.general_authorisations for f in findings if f.outcome is current
        )
        asked: dict[str, list[SanctionsRegime]] = {}
        for regime, field_name in pending:
            outcome = regime.consequence.outcome
            if outcome is None:
                continue  # a duty: named when the fact is stated
            if not (outcome.is_more_restrictive_than(current) or (outcome is current and licence_by_ga)):
                continue
            if self.facts.destination in regime.no_question_in:
                continue
            asked.setdefault(field_name, []).append(regime)
        questions = []
        for field_name, regimes in asked.items():
            ids = tuple(r.id for r in regimes)
            if field_name == "items.item_kinds":
                kinds = sorted({k for r in regimes for k in r.items.kinds})
                text = (
                    f"Is {item.control_code or 'this item'} any of: "
                    + "; ".join(ITEM_KIND_HELP[k] for k in kinds)
                    + f" (answer with item_kinds: {', '.join(kinds)}, or [] for none of them). It matters "
                    f"under {', '.join(_unique(r.legal_basis[0] for r in regimes))}."
                )
                where = f"items[{index}].item_kinds"
            elif field_name == "end_user.listed_in":
                lists = sorted({str(r.listed_in) for r in regimes})
                text = (
                    f"Is the end-user on {', '.join(lists)}? Screen it and answer with end_user.listed_in "
                    f"(matters under {', '.join(_unique(r.legal_basis[0] for r in regimes))})."
                )
                where = field_name
            else:
                whom = (
                    "the armed forces (or is the item destined for them)"
                    if all(r.end_user is EndUserCondition.MILITARY for r in regimes)
                    else "the government, a public body or the armed forces, or acting on their behalf"
                )
                text = (
                    f"Is the end-user {whom}? Answer with end_user.type (matters under "
                    f"{', '.join(_unique(r.legal_basis[0] for r in regimes))})."
                )
                where = field_name
            questions.append(Question(where, text, ids))
            if field_name == "end_user.listed_in":
                continue  # screening answers it; no safe-side hold for every export worldwide
            held = [r for r in regimes if r.destinations is not None]
            if held:
                findings.append(
                    _Finding(
                        f"{held[0].id}?",
                        Outcome.LICENCE_REQUIRED,
                        _unique(b for r in held for b in r.legal_basis),
                        (),
                        "Not determined: "
                        + "; ".join(f"{r.title} ({r.legal_basis[0]})" for r in held)
                        + " may apply, depending on the answer to the question below. Until it is answered, "
                        "do not export without asking the competent authority of {member_state}.",
                        all(r.is_verified for r in held),
                        "Answer needed: a sanctions regime may apply; do not export until answered.",
                        unverified_label=", ".join(f"{r.id} ({', '.join(r.unverified)})" for r in held),
                    )
                )
        return questions

    def _end_user_reached(self, regime: SanctionsRegime) -> bool | None:
        """Whether the end-user is one the regime reaches; None if the facts do not say."""
        condition = regime.end_user
        if condition is EndUserCondition.ANY:
            return True
        end_user = self.facts.end_user
        if condition is EndUserCondition.LISTED:
            if end_user is None or end_user.listed_in is None:
                return None
            return regime.listed_in in end_user.listed_in
        kind = end_user.type if end_user is not None else EndUserType.UNKNOWN
        if condition is EndUserCondition.MILITARY:
            if kind is EndUserType.MILITARY or Knowledge.MILITARY_END_USE in self.facts.knowledge:
                return True
            return None if kind is EndUserType.UNKNOWN else False
        if kind in (EndUserType.GOVERNMENT, EndUserType.MILITARY):  # GOVERNMENT
            return True
        return None if kind is EndUserType.UNKNOWN else False

    @staticmethod
    def _end_user_field(regime: SanctionsRegime) -> str:
        return "end_user.listed_in" if regime.end_user is EndUserCondition.LISTED else "end_user.type"

    def _unverified_embargo(self) -> list[str]:
        """The arms embargo, when an answer about a military end-use rests on it and it is unverified."""
        embargo = self.embargo
        if embargo is None or embargo.verified or Knowledge.MILITARY_END_USE not in self.facts.knowledge:
            return []
        return [f"arms embargo on {embargo.country} ({embargo.legal_act})"]

    def _general_authorisations(
        self, code: str, flags: ItemFlags
    ) -> tuple[list[GeneralAuthorisation], list[GeneralAuthorisation]]:
        """The general authorisations that cover the export (usable), and those that would but for the
        exporter's knowledge of an Art. 4(1) use (blocked, Annex II Part 3: a military end-use only in a
        country subject to an arms embargo)."""
        knowledge = self.informed | self.aware | (self.facts.knowledge - {Knowledge.MILITARY_END_USE})
        usable: list[GeneralAuthorisation] = []
        blocked: list[GeneralAuthorisation] = []
        for authorisation in self.authorisations:
            # national general authorisations never cover Annex II Section I items (Art. 12(6)(a))
            if not _authorisation_covers(authorisation, code, flags) or self._deciding_sub_items(
                authorisation, code, flags
            ):
                continue
            (blocked if authorisation.blocked_by & knowledge else usable).append(authorisation)
        return usable, blocked

    def _deciding_sub_items(
        self, authorisation: GeneralAuthorisation, code: str, flags: ItemFlags
    ) -> tuple[str, ...]:
        """The sub-items of ``code`` that the authorisation treats otherwise than the whole entry (EU003
        excludes 5A002.c-.e; EU005 covers 5A001.b.2, .c, .d; Section I holds 1C450.a.1 but not 1C450): then
        it is never offered for the whole entry, only named as advice (the safe side)."""
        whole = _authorisation_covers(authorisation, code, flags)
        named = authorisation.items.deciding_sub_items(
            code,
            section_i=flags.section_i,
            cyber_surveillance=flags.cyber_surveillance,
            information_security=flags.information_security,
        )
        # sub-entries the list flags otherwise (Section I, Art. 12(6)(a); cyber-surveillance, Art. 2(20))
        flagged = [
            sub
            for sub, sub_flags in self.view.flagged_below(code).items()
            if _authorisation_covers(authorisation, sub, sub_flags) != whole
        ]
        return tuple(sorted({*named, *flagged}))

    def _unverified_national_measures(self) -> tuple[str, ...]:
        """Where the exporter's member state's own measures are not verified here, an answer that no
        authorisation is needed says that it covers the regulation and the measures recorded, not a national
        control list (Art. 9) or an extended catch-all (Arts. 4(3), 5(3), 8(4)) this rulebook does not hold."""
        state = self.rulebook.settings_of(self.facts.exporter.member_state)
        if state.verified:
            return ()
        return (
            "The national measures of {member_state} (a national control list under Art. 9, measures under "
            "Art. 10, catch-alls extended under Arts. 4(3), 5(3) and 8(4)) are not yet verified here: this "
            "answer covers the EU regulation; check the national measures with the competent authority of "
            "{member_state} before relying on it.".format_map(_Template(self.words)),
        )

    def _pending_duty_advice(self, item: OrderItem, pending: list[tuple[SanctionsRegime, str]]) -> list[str]:
        """A duty (e.g. the Art. 12g clause) that applies if the item is of a kind not yet stated: named as
        advice, since the answer changes no outcome but the exporter must not miss the duty."""
        advice = []
        for regime, field_name in pending:
            if regime.consequence.outcome is not None or field_name != "items.item_kinds":
                continue
            kinds = ", ".join(sorted(k.value for k in regime.items.kinds))
            advice.append(
                f"{regime.title} applies if {item.control_code or 'this item'} is of a kind it covers "
                f"({kinds}; answer with item_kinds): {regime.summary.rstrip('.')} ({regime.legal_basis[0]})."
            )
        return advice

    def _sub_item_advice(self, code: str, flags: ItemFlags) -> list[str]:
        """Advice for each general authorisation whose answer depends on which sub-item of ``code`` this is."""
        advice = []
        for authorisation in self.authorisations:
            subs = self._deciding_sub_items(authorisation, code, flags)
            if subs:
                advice.append(
                    f"{authorisation.id} ({authorisation.customs_code}) treats some sub-items of {code} "
                    f"otherwise than the rest ({', '.join(subs)} are named in Annex II): give the item's "
                    "full control code to know whether it covers this export; until then apply for an "
                    f"individual authorisation ({INDIVIDUAL_AUTHORISATION_CODE})."
                )
        return advice

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
        if Knowledge.MILITARY_END_USE in self.facts.knowledge and self.embargo is None:
            notes.append(
                f"A military end-use needs an authorisation under Art. 4(1)(b), and is to be notified under "
                f"Art. 4(2), only where the purchasing country or the country of destination is subject to an "
                f"arms embargo; {self.words['destination']}"
                + (
                    f" and {country_name(self.facts.end_user_country)}"
                    if self.facts.end_user_country != self.facts.destination
                    else ""
                )
                + " is not, in the embargo data of this rulebook, for this end-user. Art. 4(1)(c) concerns "
                "parts or components of military items exported without authorisation: answer "
                "'parts_of_illegally_exported_military_items' if that is the case."
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
        knowledge = self.informed | self.aware | (self.facts.knowledge - {Knowledge.MILITARY_END_USE})
        uses = ", ".join(sorted(k.value for k in knowledge & blocked[0].blocked_by))
        names = ", ".join(g.id for g in blocked)
        return (
            f"{names} would cover this export, but a general authorisation cannot be used when the exporter "
            f"has been informed of, or is aware of, a use its Part 3 rules out ({uses}) (Annex II, Part 3: "
            "the uses of Art. 4(1), and for EU005, EU007 and EU008 also violations of human rights); apply for an "
            "individual authorisation."
        )


class _Template(dict[str, str]):
    """Words for explanation templates; an unknown placeholder is left as it is rather than failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _authorisation_covers(authorisation: GeneralAuthorisation, code: str, flags: ItemFlags) -> bool:
    """True if the authorisation's items cover the listed ``code``; national general authorisations never
    cover Annex II Section I items (Art. 12(6)(a))."""
    if authorisation.is_national and flags.section_i:
        return False
    return _covers(authorisation.items, code, flags)


def _covers(scope: ItemScope, code: str, flags: ItemFlags) -> bool:
    return scope.covers(
        code,
        section_i=flags.section_i,
        cyber_surveillance=flags.cyber_surveillance,
        information_security=flags.information_security,
    )


def _art_4_1_view(known: frozenset[Knowledge], embargo: bool) -> frozenset[Knowledge]:
    """What the exporter knows, as Art. 4(1) sees it: a military end-use counts only under an arms embargo
    (Art. 4(1)(b)); the other uses as they are."""
    return known if embargo else known - {Knowledge.MILITARY_END_USE}


def _regime_covers(items: RegimeItems, item: OrderItem, flags: ItemFlags | None) -> bool | None:
    """True if the item is one the regime covers, False if not, None if that depends on the item's kind
    and the exporter has not stated it."""
    code = item.control_code
    if items.all_items:
        return True
    if flags is not None and code is not None:
        if items.annex_i is not None and _covers(items.annex_i, code, flags):
            return True
        if items.excludes_annex_i:
            return False
    if item.cn_code is not None and any(item.cn_code.startswith(prefix) for prefix in items.cn_codes):
        return True
    if not items.kinds:
        return False
    if item.item_kinds is None:
        return None
    return bool(items.kinds & item.item_kinds)


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
