"""Flagging and routing rules as data: each rule names conditions on the facts of a case (``CaseFacts``)
and what follows when all of them hold: a flag (``FlagRule``) or a team queue (``RoutingRule``). The rules
live in ``data/casework/*.yaml`` with their source and a ``verified`` mark; this module interprets them.

Conditions (all must hold; an unknown condition is refused when the rules are loaded):
``cyber_surveillance_item`` (an item the control list marks Art. 2(20)), ``destination_risk_at_least``
(a destination's risk profile at or above a level), ``end_user_risk_at_least``, ``party_screening_hit``
(a party matched a sanctions list), ``code_not_on_list`` (an item's code is not on the list in force),
``destination_in`` (one of the destinations is in the list), ``party_type_in`` (a party is of one of the
types), ``flag`` (for routing: a flag raised by the named rule is active).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from dualuse.domain.casework.flags import FlagLevel
from dualuse.domain.duediligence.risk import RiskLevel
from dualuse.domain.errors import ValidationError

__all__ = [
    "CONDITIONS",
    "CaseFacts",
    "FlagRule",
    "ItemFacts",
    "PartyFacts",
    "ProposedFlag",
    "RoutingRule",
    "evaluate_flags",
    "route",
]

RISK_ORDER: Mapping[RiskLevel, int] = MappingProxyType(
    {RiskLevel.UNKNOWN: 0, RiskLevel.LOW: 1, RiskLevel.ELEVATED: 2, RiskLevel.HIGH: 3, RiskLevel.VERY_HIGH: 4}
)


@dataclass(frozen=True)
class ItemFacts:
    control_code: str
    cyber_surveillance: bool
    on_list: bool | None  # None: no list in force to check against


@dataclass(frozen=True)
class PartyFacts:
    name: str
    role: str
    country: str
    party_type: str
    hits: int  # matches on the sanctions lists at the last screening
    risk: RiskLevel = RiskLevel.UNKNOWN


@dataclass(frozen=True)
class CaseFacts:
    """What the rules look at: the items, parties and destinations with what the evidence says of them."""

    case_id: str
    exporter_id: str
    items: tuple[ItemFacts, ...] = ()
    parties: tuple[PartyFacts, ...] = ()
    destination_risk: Mapping[str, RiskLevel] = field(default_factory=dict)
    active_flag_rules: frozenset[str] = frozenset()


def _risk(value: object, rule_id: str) -> RiskLevel:
    try:
        return RiskLevel(str(value))
    except ValueError:
        raise ValidationError(f"rule {rule_id}: unknown risk level {value!r}", field="when") from None


def _strings(value: object, rule_id: str, name: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(f"rule {rule_id}: {name} takes a list of strings", field="when")
    return frozenset(value)


CONDITIONS = frozenset(
    {
        "cyber_surveillance_item",
        "destination_risk_at_least",
        "end_user_risk_at_least",
        "party_screening_hit",
        "code_not_on_list",
        "destination_in",
        "party_type_in",
        "flag",
    }
)


@dataclass(frozen=True)
class Subjects:
    """What each condition that held was about, for the flag's subject."""

    items: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    destinations: tuple[str, ...] = ()


def _holds(when: Mapping[str, object], facts: CaseFacts, rule_id: str) -> Subjects | None:
    """The subjects the conditions held for, or None when one of them does not hold."""
    items: set[str] = set()
    parties: set[str] = set()
    destinations: set[str] = set()
    for name, value in when.items():
        found: set[str]
        if name == "cyber_surveillance_item":
            found = {i.control_code for i in facts.items if i.cyber_surveillance == bool(value)}
            items |= found
        elif name == "code_not_on_list":
            found = {i.control_code for i in facts.items if i.on_list is False} if value else {"-"}
            items |= found - {"-"}
        elif name == "destination_risk_at_least":
            floor = RISK_ORDER[_risk(value, rule_id)]
            found = {c for c, r in facts.destination_risk.items() if RISK_ORDER[r] >= floor}
            destinations |= found
        elif name == "destination_in":
            found = set(facts.destination_risk) & _strings(value, rule_id, name)
            destinations |= found
        elif name == "end_user_risk_at_least":
            floor = RISK_ORDER[_risk(value, rule_id)]
            found = {
                p.name
                for p in facts.parties
                if p.role in ("end_user", "ultimate_end_user") and RISK_ORDER[p.risk] >= floor
            }
            parties |= found
        elif name == "party_screening_hit":
            found = {p.name for p in facts.parties if (p.hits > 0) == bool(value)}
            parties |= found
        elif name == "party_type_in":
            wanted = _strings(value, rule_id, name)
            found = {p.name for p in facts.parties if p.party_type in wanted}
            parties |= found
        elif name == "flag":
            found = {str(value)} & facts.active_flag_rules
        else:
            raise ValidationError(f"rule {rule_id}: unknown condition {name!r}", field="when")
        if not found:
            return None
    return Subjects(tuple(sorted(items)), tuple(sorted(parties)), tuple(sorted(destinations)))


def check_conditions(when: Mapping[str, object], rule_id: str) -> None:
    """Refuse a rule with no condition or with a condition this module does not know."""
    if not when:
        raise ValidationError(f"rule {rule_id}: a rule needs at least one condition", field="when")
    unknown = set(when) - CONDITIONS
    if unknown:
        raise ValidationError(f"rule {rule_id}: unknown condition {sorted(unknown)[0]!r}", field="when")
    for name in ("destination_risk_at_least", "end_user_risk_at_least"):
        if name in when:
            _risk(when[name], rule_id)
    for name in ("destination_in", "party_type_in"):
        if name in when:
            _strings(when[name], rule_id, name)


@dataclass(frozen=True)
class FlagRule:
    """When ``when`` holds for a case, raise a flag at ``level`` (blocking or not)."""

    id: str
    label: str
    level: FlagLevel
    blocking: bool
    when: Mapping[str, object]
    source: str
    verified: bool

    def __post_init__(self) -> None:
        check_conditions(self.when, self.id)
        if "flag" in self.when:
            raise ValidationError(f"rule {self.id}: a flagging rule does not look at flags", field="when")


@dataclass(frozen=True)
class ProposedFlag:
    rule_id: str
    level: FlagLevel
    subject: str
    label: str
    blocking: bool


def _subjects(rule: FlagRule, found: Subjects, facts: CaseFacts) -> tuple[str, ...]:
    if rule.level is FlagLevel.PARTY:
        return found.parties or tuple(p.name for p in facts.parties)
    if rule.level is FlagLevel.PRODUCT:
        return found.items or tuple(i.control_code for i in facts.items)
    if rule.level is FlagLevel.DESTINATION:
        return found.destinations or tuple(sorted(facts.destination_risk))
    if rule.level is FlagLevel.ORGANISATION:
        return (facts.exporter_id,)
    return (facts.case_id,)


def evaluate_flags(rules: Sequence[FlagRule], facts: CaseFacts) -> list[ProposedFlag]:
    """The flags the rules raise on a case: one per rule and subject it holds for."""
    proposed: list[ProposedFlag] = []
    for rule in rules:
        found = _holds(rule.when, facts, rule.id)
        if found is None:
            continue
        proposed.extend(
            ProposedFlag(rule.id, rule.level, subject, rule.label, rule.blocking)
            for subject in _subjects(rule, found, facts)
        )
    return proposed


@dataclass(frozen=True)
class RoutingRule:
    """When ``when`` holds, the case goes to ``team``'s queue; the first rule that holds wins."""

    id: str
    team: str
    when: Mapping[str, object]
    source: str
    verified: bool

    def __post_init__(self) -> None:
        check_conditions(self.when, self.id)
        if not self.team.strip():
            raise ValidationError(f"rule {self.id}: a routing rule names a team", field="team")


def route(rules: Sequence[RoutingRule], facts: CaseFacts, default_team: str) -> tuple[str, str]:
    """The team whose queue the case goes to, and the rule that sent it there (empty for the default)."""
    for rule in rules:
        if _holds(rule.when, facts, rule.id) is not None:
            return rule.team, rule.id
    return default_team, ""


WORDING_KEYS = (
    "licence_title",
    "refusal_title",
    "refusal_intro",
    "considerations_intro",
    "appeal_heading",
    "no_licence_title",
    "no_licence_text",
    "no_licence_basis",
    "ruling_title",
)
"""The parts of a letter each state may word in its own language; the default (EU) wording has them all."""


@dataclass(frozen=True)
class LetterText:
    """What a state's letters say that national law decides: contact point and appeal route, sourced; and
    the letters' wording in the state's language (``wording``: one text per ``WORDING_KEYS``)."""

    contact: str
    appeal: str
    appeal_source: str
    verified: bool
    appeal_body: str = ""
    language: str = "en"
    wording: Mapping[str, str] = field(default_factory=dict)
    wording_source: str = ""
    wording_verified: bool = False
    state: str = "default"  # whose entry this is ("default" when the state has none)

    def __post_init__(self) -> None:
        unknown = set(self.wording) - set(WORDING_KEYS)
        if unknown:
            raise ValidationError(f"unknown wording {sorted(unknown)[0]!r}", field="wording")

    def say(self, key: str) -> str:
        """The state's wording of ``key`` (the default's where the state has none)."""
        return self.wording.get(key, "")


@dataclass(frozen=True)
class CaseworkRules:
    """The flagging rules, routing rules, teams and time limits in force, with the version of each file."""

    version: str
    flag_rules: tuple[FlagRule, ...]
    routing_rules: tuple[RoutingRule, ...]
    default_team: str
    teams: Mapping[str, str]  # id -> name
    time_limits: Mapping[str, Mapping[str, int]]  # member state (or "default") -> status -> days
    letters: Mapping[str, LetterText] = field(default_factory=dict)  # member state (or "default")

    def __post_init__(self) -> None:
        ids = [r.id for r in self.flag_rules]
        if len(set(ids)) != len(ids):
            raise ValidationError("two flagging rules have the same id", field="rules")
        for rule in self.routing_rules:
            if rule.team not in self.teams:
                raise ValidationError(f"rule {rule.id}: no team {rule.team!r}", field="team")
            wanted = rule.when.get("flag")
            if wanted is not None and wanted not in ids:
                raise ValidationError(f"rule {rule.id}: no flagging rule {wanted!r}", field="when")
        if self.default_team not in self.teams:
            raise ValidationError(f"no team {self.default_team!r} for the default", field="default_team")

    def letter_text(self, member_state: str) -> LetterText:
        """The state's letter text; where the state has none (or lacks a part of the wording), the
        default's."""
        default = self.letters.get("default")
        found = self.letters.get(member_state)
        if default is None:
            return found or LetterText(
                "the issuing authority", "under national administrative law", "none", False
            )
        if found is None:
            return default
        return replace(found, wording={**default.wording, **found.wording})

    def limits_for(self, member_state: str) -> Mapping[str, int]:
        return self.time_limits.get(member_state) or self.time_limits.get("default") or {}
