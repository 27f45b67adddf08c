"""Everything the handbook is built from, as plain data (strings, numbers, lists, mappings), sorted so that
the same inputs always give the same snapshot: the handbook is a function of it, its hash identifies an
edition, and the snapshot kept with an edition is what the next one is compared with."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dualuse.domain.controllist.entries import ControlEntry
from dualuse.domain.controllist.versions import ListVersion
from dualuse.domain.duediligence import RedFlagSet
from dualuse.domain.rules.rulebook import GeneralAuthorisation, ItemScope, Rulebook

Snapshot = dict[str, Any]
SNAPSHOT_FORMAT = 1


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """A defined term of the regulation, with its article and source."""

    term: str
    definition: str
    legal_basis: str
    source: str
    verified: bool
    wording: str = "official"
    """``official`` where ``definition`` is the regulation's wording, ``summary`` where it is ours."""


@dataclass(frozen=True, slots=True)
class PenaltyFile:
    """A member state's penalties as its data file holds them (read as plain data: the handbook lists it)."""

    member_state: str
    content: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class TimeLimits:
    """The authorities' time limits for a case, per member state and status (service targets, not law)."""

    version: str
    source: str
    verified: bool
    per_state: Mapping[str, Mapping[str, int]]


_PLACEHOLDERS = {
    "item": "the item",
    "destination": "the destination",
    "member_state": "your member state",
    "embargo": "an arms embargo",
    "list_version": "in force",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def plain(text: str) -> str:
    """A rule's explanation with its placeholders put in general words (``{Item}`` → ``The item``), for a
    reader with no case at hand."""

    def words(match: re.Match[str]) -> str:
        name = match.group(1)
        found = _PLACEHOLDERS.get(name.lower(), name.replace("_", " "))
        return found[0].upper() + found[1:] if name[0].isupper() else found

    return " ".join(_PLACEHOLDER.sub(words, text).split())


def take(
    *,
    rulebook: Rulebook,
    list_version: ListVersion,
    cyber_surveillance: Iterable[ControlEntry],
    red_flags: RedFlagSet,
    time_limits: TimeLimits,
    retention_years: int,
    glossary: Sequence[GlossaryTerm],
    penalties: Sequence[PenaltyFile] | None,
) -> Snapshot:
    """The snapshot of the inputs (pure: what the service gathered from the data)."""
    return {
        "format": SNAPSHOT_FORMAT,
        "list_version": {
            "id": list_version.id,
            "title": list_version.title,
            "effective_from": list_version.effective_from.isoformat(),
            "legal_source": list_version.legal_source,
        },
        "rules_version": rulebook.version,
        "rules": [
            {
                "id": r.id,
                "activity": r.activity.value,
                "item": r.item.value,
                "outcome": r.outcome.value,
                "legal_basis": list(r.legal_basis),
                "text": plain(r.explanation),
                "summary": r.summary,
                "general_authorisations": r.general_authorisations,
                "member_state_setting": r.member_state_setting,
                "informed_any": sorted(k.value for k in r.informed_any),
                "aware_any": sorted(k.value for k in r.aware_any),
                "customs_codes": list(r.customs_codes),
                "source": r.source,
                "verified": r.verified,
            }
            for r in rulebook.rules
        ],
        "general_authorisations": [_authorisation(ga) for ga in rulebook.general_authorisations],
        "national_controls": [
            {
                "id": n.id,
                "member_state": n.member_state,
                "national_codes": sorted(n.national_codes),
                "legal_basis": list(n.legal_basis),
                "text": plain(n.explanation),
                "applied_by": sorted(n.applied_by),
                "destinations": None if n.destinations is None else sorted(n.destinations),
                "source": n.source,
                "verified": n.verified,
            }
            for n in rulebook.national_controls
        ],
        "member_states": [
            {
                "code": code,
                "name": s.name,
                "settings": sorted(s.settings),
                "general_authorisation_conditions": list(s.general_authorisation_conditions),
                "first_use": {
                    "choice": s.first_use.choice.value,
                    "registration_before_first_use": s.first_use.registration_before_first_use,
                    "source": s.first_use.source,
                    "verified": s.first_use.verified,
                },
                "licence_validity": None
                if s.licence_validity is None
                else {
                    "individual_months": s.licence_validity.individual_months,
                    "global_months": s.licence_validity.global_months,
                    "large_project_months": s.licence_validity.large_project_months,
                    "extension_months": s.licence_validity.extension_months,
                    "source": s.licence_validity.source,
                    "verified": s.licence_validity.verified,
                },
                "source": s.source,
                "verified": s.verified,
            }
            for code, s in sorted(rulebook.member_states.items())
        ],
        "sanctions": [
            {
                "id": p.id,
                "countries": sorted(p.countries),
                "legal_basis": list(p.legal_basis),
                "summary": p.summary,
                "source": p.source,
                "verified": p.verified,
            }
            for p in rulebook.sanctions
        ],
        "regimes": [
            {
                "id": r.id,
                "title": r.title,
                "consequence": r.consequence.value,
                "summary": r.summary,
                "legal_basis": list(r.legal_basis),
                "destinations": None if r.destinations is None else sorted(r.destinations),
                "source": r.source,
                "verified": all(r.verified.values()),
            }
            for r in rulebook.regimes
        ],
        "embargoes": [
            {
                "country": e.country,
                "legal_act": e.legal_act,
                "scope": e.scope.value,
                "source": e.source,
                "verified": e.verified,
            }
            for e in sorted(rulebook.embargoes, key=lambda e: (e.country, e.legal_act))
        ],
        "customs_codes": dict(sorted(rulebook.customs_codes.items())),
        "cyber_surveillance": [
            {
                "code": str(e.code),
                "title": e.title,
                "summary": e.summary,
                "source": e.source,
                "verified": e.verified,
            }
            for e in sorted(cyber_surveillance, key=lambda e: str(e.code))
        ],
        "due_diligence": {
            "version": red_flags.version,
            "flags": [
                {
                    "id": f.id,
                    "step": f.step.value,
                    "text": " ".join(f.text.split()),
                    "guidance": " ".join(f.guidance.split()),
                    "key": f.key,
                    "points_to_repression": f.points_to_repression,
                    "source": f.source,
                    "verified": f.verified,
                }
                for f in red_flags.flags
            ],
        },
        "time_limits": {
            "version": time_limits.version,
            "source": time_limits.source,
            "verified": time_limits.verified,
            "per_state": {k: dict(v) for k, v in sorted(time_limits.per_state.items())},
        },
        "records": {"retention_years": retention_years},
        "glossary": [
            {
                "term": t.term,
                "definition": " ".join(t.definition.split()),
                "legal_basis": t.legal_basis,
                "source": t.source,
                "verified": t.verified,
                "wording": t.wording,
            }
            for t in glossary
        ],
        "penalties": None
        if penalties is None
        else [
            {"member_state": p.member_state, "content": _jsonable(p.content)}
            for p in sorted(penalties, key=lambda p: p.member_state)
        ],
    }


def _scope(scope: ItemScope) -> dict[str, Any]:
    return {
        "codes": sorted(scope.codes),
        "excluded_codes": sorted(scope.excluded_codes),
        "groups": sorted(scope.groups),
        "excluded_groups": sorted(scope.excluded_groups),
        "exclude_section_i": scope.exclude_section_i,
        "exclude_cyber_surveillance": scope.exclude_cyber_surveillance,
        "information_security_only": scope.information_security_only,
    }


def _authorisation(ga: GeneralAuthorisation) -> dict[str, Any]:
    return {
        "id": ga.id,
        "title": ga.title,
        "issuer": ga.issuer,
        "customs_code": ga.customs_code,
        "legal_basis": list(ga.legal_basis),
        "items": _scope(ga.items),
        "destinations": sorted(ga.destinations),
        "conditions": list(ga.conditions),
        "blocked_by": sorted(k.value for k in ga.blocked_by),
        "circumstance": None if ga.circumstance is None else ga.circumstance.value,
        "first_use": None if ga.first_use is None else ga.first_use.describe(),
        "valid_from": None if ga.validity.start is None else ga.validity.start.isoformat(),
        "valid_to": None if ga.validity.end is None else ga.validity.end.isoformat(),
        "source": ga.source,
        "unverified": list(ga.unverified),
    }


def _jsonable(value: Any) -> Any:
    """Plain data of a YAML document (dates become ISO text)."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def content_hash(snapshot: Snapshot) -> str:
    """The SHA-256 of the snapshot's canonical JSON: two editions built from the same data have one hash."""
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
