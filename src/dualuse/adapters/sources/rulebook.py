"""The determination rules shipped as YAML (``dualuse/data/rules``) read into a ``Rulebook``.

The format is described in ``dualuse/data/rules/README.md``. A file or rule that does not fit raises
``ImportFailedError`` naming the file and the rule; nothing is half loaded.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from dualuse.adapters.sources.yaml_files import load_yaml
from dualuse.domain.errors import ImportFailedError, ValidationError
from dualuse.domain.rules.facts import (
    ART_4_1_USES,
    Activity,
    Circumstance,
    Knowledge,
    canonical_control_code,
    country_code,
)
from dualuse.domain.rules.outcome import Outcome
from dualuse.domain.rules.rulebook import (
    ArmsEmbargo,
    ControlRule,
    EmbargoScope,
    GeneralAuthorisation,
    ItemCondition,
    ItemScope,
    MemberStateSettings,
    NationalControl,
    Rulebook,
    SanctionsProhibition,
    Validity,
)
from dualuse.domain.union import EU_MEMBER_STATES

FILES = (
    "rulebook.yaml",
    "country_groups.yaml",
    "customs_codes.yaml",
    "eugeas.yaml",
    "ngeas.yaml",
    "embargoes.yaml",
    "sanctions.yaml",
    "national_controls.yaml",
    "member_states.yaml",
)
_T = TypeVar("_T")
SUMMARY_MAX = 100


class _Problem(Exception):
    """A problem with one value, turned into ``ImportFailedError`` with its file and rule."""


def shipped_rules_dir() -> Path:
    """The rules shipped inside the package (``dualuse/data/rules``)."""
    return Path(str(resources.files("dualuse") / "data" / "rules"))


def load_rulebook(directory: Path | None = None) -> Rulebook:
    """The rulebook in ``directory`` (default: the shipped one, read once per process: it is immutable)."""
    if directory is None:
        return _shipped_rulebook()
    return _load(Path(directory))


@functools.lru_cache(maxsize=1)
def _shipped_rulebook() -> Rulebook:
    return _load(shipped_rules_dir())


def _load(directory: Path) -> Rulebook:
    docs = {name: _read(directory / name, name) for name in FILES}
    groups = _each(docs["country_groups.yaml"], "groups", "country_groups.yaml", _group, keyed=True)
    group_map = dict(groups)
    customs = dict(
        _each(docs["customs_codes.yaml"], "codes", "customs_codes.yaml", _customs_code, keyed=True)
    )
    common = _mapping(docs["eugeas.yaml"].get("common", {}), "common")
    union = _each(
        docs["eugeas.yaml"], "general_authorisations", "eugeas.yaml", _authorisation(group_map, common)
    )
    national = _each(
        docs["ngeas.yaml"], "national_general_authorisations", "ngeas.yaml", _authorisation(group_map, {})
    )
    states = dict(
        _each(docs["member_states.yaml"], "member_states", "member_states.yaml", _state, keyed=True)
    )
    version = docs["rulebook.yaml"].get("version")
    if not isinstance(version, str) or not version.strip():
        raise ImportFailedError("a rulebook needs a `version` id", location="rulebook.yaml")
    try:
        return Rulebook(
            version=version,
            rules=tuple(_each(docs["rulebook.yaml"], "rules", "rulebook.yaml", _rule)),
            general_authorisations=(*union, *national),
            embargoes=tuple(_each(docs["embargoes.yaml"], "embargoes", "embargoes.yaml", _embargo)),
            sanctions=tuple(_each(docs["sanctions.yaml"], "prohibitions", "sanctions.yaml", _prohibition)),
            national_controls=tuple(
                _each(
                    docs["national_controls.yaml"], "national_controls", "national_controls.yaml", _national
                )
            ),
            member_states=states,
            country_groups=group_map,
            customs_codes=customs,
        )
    except ValidationError as error:
        raise ImportFailedError(error.detail, location=f"rules: {error.field}") from error


def _read(path: Path, name: str) -> dict[str, Any]:
    try:
        document = load_yaml(path.read_text(encoding="utf-8"), name)
    except FileNotFoundError:
        raise ImportFailedError("file is missing", location=name) from None
    if not isinstance(document, dict):
        raise ImportFailedError("expected a mapping at the top of the file", location=name)
    return document


def _each(
    document: Mapping[str, Any],
    key: str,
    name: str,
    build: Callable[..., _T],
    *,
    keyed: bool = False,
) -> list[_T]:
    """Build every rule under ``key``; a problem names the file and the rule's id (or position)."""
    raw = document.get(key)
    if raw is None:
        raise ImportFailedError(f"missing `{key}`", location=name)
    if keyed:
        if not isinstance(raw, dict):
            raise ImportFailedError(f"`{key}` must be a mapping", location=name)
        pairs: Iterable[tuple[str, Any]] = ((str(k), v) for k, v in raw.items())
    else:
        if not isinstance(raw, list):
            raise ImportFailedError(f"`{key}` must be a list", location=name)
        pairs = ((_label(v, i), v) for i, v in enumerate(raw))
    built: list[_T] = []
    for label, value in pairs:
        try:
            entry = _mapping(value, label)
            _require_provenance(entry)
            built.append(build(label, entry) if keyed else build(entry))
        except (_Problem, ValidationError, ValueError, TypeError, KeyError) as error:
            detail = error.detail if isinstance(error, ValidationError) else str(error)
            field = error.field if isinstance(error, ValidationError) else None
            where = f"{name}: {label}" + (f" ({field})" if field else "")
            raise ImportFailedError(detail, location=where) from error
    return built


def _label(value: object, index: int) -> str:
    if isinstance(value, dict):
        for key in ("id", "country"):
            if isinstance(value.get(key), str):
                return str(value[key])
    return f"#{index + 1}"


def _mapping(value: object, label: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Problem(f"{label}: expected a mapping")
    return value


def _require_provenance(entry: Mapping[str, Any]) -> None:
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        raise _Problem("every rule needs a `source`")
    verified = entry.get("verified")
    if isinstance(verified, dict):
        if not verified or not all(isinstance(v, bool) for v in verified.values()):
            raise _Problem("`verified` per aspect must map each aspect to true or false")
    elif not isinstance(verified, bool):
        raise _Problem("every rule needs `verified: true` or `verified: false`")


# --- builders --------------------------------------------------------------------------------------------
def _text(entry: Mapping[str, Any], key: str, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise _Problem(f"`{key}` must be non-empty text")
    return " ".join(value.split())


def _texts(entry: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = entry.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Problem(f"`{key}` must be a list of text")
    return tuple(" ".join(v.split()) for v in value)


def _day(value: object, key: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _Problem(f"`{key}` must be a date (YYYY-MM-DD) or null")


def _validity(entry: Mapping[str, Any]) -> Validity:
    return Validity(_day(entry.get("valid_from"), "valid_from"), _day(entry.get("valid_to"), "valid_to"))


def _countries(values: object, key: str) -> frozenset[str]:
    if not isinstance(values, list) or not values:
        raise _Problem(f"`{key}` must be a non-empty list of ISO 3166-1 alpha-2 codes")
    return frozenset(country_code(v, key) for v in values)


def _knowledge(entry: Mapping[str, Any], key: str) -> frozenset[Knowledge]:
    return frozenset(Knowledge(v) for v in entry.get(key) or [])


def _activities(entry: Mapping[str, Any]) -> frozenset[Activity]:
    values = entry.get("activities")
    if not isinstance(values, list) or not values:
        raise _Problem("`activities` must be a non-empty list")
    return frozenset(Activity(v) for v in values)


def _codes(values: object, key: str) -> frozenset[str]:
    if not isinstance(values, list):
        raise _Problem(f"`{key}` must be a list of control list codes")
    return frozenset(canonical_control_code(str(v)) for v in values)


def _scope(raw: object) -> ItemScope:
    scope = _mapping(raw if raw is not None else {}, "items")
    known = {
        "codes",
        "excluded_codes",
        "groups",
        "excluded_groups",
        "exclude_section_i",
        "exclude_cyber_surveillance",
        "information_security_only",
    }
    unknown = set(scope) - known
    if unknown:
        raise _Problem(f"unknown item scope keys: {', '.join(sorted(unknown))}")
    groups = frozenset(str(g) for g in scope.get("groups") or [])
    excluded_groups = frozenset(str(g) for g in scope.get("excluded_groups") or [])
    if not (groups | excluded_groups) <= set("ABCDE"):
        raise _Problem("product groups must be among A-E")
    return ItemScope(
        codes=_codes(scope.get("codes") or [], "codes"),
        excluded_codes=_codes(scope.get("excluded_codes") or [], "excluded_codes"),
        groups=groups,
        excluded_groups=excluded_groups,
        exclude_section_i=bool(scope.get("exclude_section_i", False)),
        exclude_cyber_surveillance=bool(scope.get("exclude_cyber_surveillance", False)),
        information_security_only=bool(scope.get("information_security_only", False)),
    )


def _summary(entry: Mapping[str, Any]) -> str:
    text = _text(entry, "summary")
    if len(text) > SUMMARY_MAX:
        raise _Problem(f"`summary` must be at most {SUMMARY_MAX} characters (it is a line of a batch result)")
    return text


def _group(name: str, entry: Mapping[str, Any]) -> tuple[str, frozenset[str]]:
    return name, _countries(entry.get("countries"), "countries")


def _customs_code(code: str, entry: Mapping[str, Any]) -> tuple[str, str]:
    return code, _text(entry, "title")


def _rule(entry: Mapping[str, Any]) -> ControlRule:
    arms_embargo = entry.get("arms_embargo")
    if arms_embargo is not None and not isinstance(arms_embargo, bool):
        raise _Problem("`arms_embargo` must be true, false or null")
    return ControlRule(
        id=_text(entry, "id"),
        activity=Activity(entry["activity"]),
        item=ItemCondition(entry["item"]),
        outcome=Outcome(entry["outcome"]),
        legal_basis=_texts(entry, "legal_basis"),
        explanation=_text(entry, "explanation"),
        source=_text(entry, "source"),
        verified=bool(entry["verified"]),
        informed_any=_knowledge(entry, "informed_any"),
        aware_any=_knowledge(entry, "aware_any"),
        arms_embargo=arms_embargo,
        destination_in=entry.get("destination_in"),
        destination_not_in=entry.get("destination_not_in"),
        member_state_setting=entry.get("member_state_setting"),
        customs_codes=_texts(entry, "customs_codes"),
        general_authorisations=bool(entry.get("general_authorisations", False)),
        validity=_validity(entry),
        summary=_summary(entry),
    )


def _authorisation(
    groups: Mapping[str, frozenset[str]], common: Mapping[str, Any]
) -> Callable[[Mapping[str, Any]], GeneralAuthorisation]:
    def build(entry: Mapping[str, Any]) -> GeneralAuthorisation:
        destinations = entry.get("destinations")
        if isinstance(destinations, dict):
            name = str(destinations.get("group"))
            if name not in groups:
                raise _Problem(f"unknown country group {name!r}")
            countries = groups[name]
        else:
            countries = _countries(destinations, "destinations")
        if countries & EU_MEMBER_STATES:
            raise _Problem("a general export authorisation cannot name a member state as a destination")
        verified = entry["verified"]
        aspects = verified if isinstance(verified, dict) else {"all": verified}
        unverified = [aspect for aspect, ok in aspects.items() if not ok]
        if common and not common.get("conditions_verified", False):
            unverified.append("common conditions")
        circumstance = entry.get("circumstance")
        return GeneralAuthorisation(
            id=_text(entry, "id"),
            title=_text(entry, "title"),
            issuer=str(entry.get("issuer", "EU")),
            customs_code=_text(entry, "customs_code"),
            legal_basis=_texts(entry, "legal_basis"),
            items=_scope(entry.get("items")),
            destinations=countries,
            conditions=(*_texts(entry, "conditions"), *_texts(common, "conditions")),
            source=_text(entry, "source"),
            blocked_by=_knowledge(entry, "blocked_by") or _knowledge(common, "blocked_by") or ART_4_1_USES,
            circumstance=Circumstance(circumstance) if circumstance is not None else None,
            unverified=tuple(unverified),
            validity=_validity(entry),
        )

    return build


def _embargo(entry: Mapping[str, Any]) -> ArmsEmbargo:
    return ArmsEmbargo(
        country=country_code(entry.get("country"), "country"),
        legal_act=_text(entry, "legal_act"),
        scope=EmbargoScope(entry.get("scope", "full")),
        source=_text(entry, "source"),
        verified=bool(entry["verified"]),
        validity=_validity(entry),
        note=str(entry.get("note") or ""),
    )


def _prohibition(entry: Mapping[str, Any]) -> SanctionsProhibition:
    return SanctionsProhibition(
        id=_text(entry, "id"),
        countries=_countries(entry.get("countries"), "countries"),
        legal_basis=_texts(entry, "legal_basis"),
        activities=_activities(entry),
        items=_scope(entry.get("items")),
        explanation=_text(entry, "explanation"),
        source=_text(entry, "source"),
        verified=bool(entry["verified"]),
        validity=_validity(entry),
        summary=_summary(entry),
    )


def _national(entry: Mapping[str, Any]) -> NationalControl:
    destinations = entry.get("destinations")
    applied_by = frozenset(country_code(v, "applied_by") for v in entry.get("applied_by") or [])
    member_state = country_code(entry.get("member_state"), "member_state")
    if not ({member_state} | applied_by) <= EU_MEMBER_STATES:
        raise _Problem("national controls are made and applied by member states")
    codes = _texts(entry, "national_codes")
    if not codes:
        raise _Problem("`national_codes` must name at least one national list entry")
    return NationalControl(
        id=_text(entry, "id"),
        member_state=member_state,
        national_codes=frozenset(codes),
        legal_basis=_texts(entry, "legal_basis"),
        explanation=_text(entry, "explanation"),
        source=_text(entry, "source"),
        verified=bool(entry["verified"]),
        activities=_activities(entry) if "activities" in entry else frozenset({Activity.EXPORT}),
        destinations=None if destinations is None else _countries(destinations, "destinations"),
        applied_by=applied_by,
        customs_codes=_texts(entry, "customs_codes") or ("X060",),
        validity=_validity(entry),
        **({"summary": _summary(entry)} if "summary" in entry else {}),
    )


def _state(code: str, entry: Mapping[str, Any]) -> tuple[str, MemberStateSettings]:
    member_state = country_code(code, "member_states")
    if member_state not in EU_MEMBER_STATES:
        raise _Problem(f"{member_state} is not a member state")
    return member_state, MemberStateSettings(
        member_state=member_state,
        name=_text(entry, "name"),
        source=_text(entry, "source"),
        verified=bool(entry["verified"]),
        settings=frozenset(_texts(entry, "settings")),
        general_authorisation_conditions=_texts(entry, "general_authorisation_conditions"),
    )
