"""The determination rules shipped as YAML (``dualuse/data/rules``) read into a ``Rulebook``.

The format is described in ``dualuse/data/rules/README.md``. A file or rule that does not fit raises
``ImportFailedError`` naming the file and the rule; nothing is half loaded.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import pycountry

from dualuse.adapters.sources.yaml_files import load_yaml, located
from dualuse.domain.errors import ImportFailedError, ValidationError
from dualuse.domain.rules.facts import (
    ART_4_1_USES,
    Activity,
    Circumstance,
    EntityList,
    ItemKind,
    Knowledge,
    canonical_cn_code,
    canonical_control_code,
    country_code,
)
from dualuse.domain.rules.outcome import Outcome
from dualuse.domain.rules.rulebook import (
    REGIME_ASPECTS,
    UNKNOWN_STATE_FIRST_USE,
    ArmsEmbargo,
    Consequence,
    ControlRule,
    EmbargoScope,
    EndUserCondition,
    FirstUseNotice,
    FirstUseRegistration,
    FirstUseRule,
    GeneralAuthorisation,
    ItemCondition,
    ItemScope,
    LicenceValidity,
    MemberStateSettings,
    NationalControl,
    RegimeItems,
    Rulebook,
    SanctionsProhibition,
    SanctionsRegime,
    StateFirstUse,
    StateFirstUseChoice,
    Validity,
)
from dualuse.domain.union import EU_MEMBER_STATES
from dualuse.services.reading import day as _day
from dualuse.services.reading import mapping as _mapping
from dualuse.services.reading import text as _text
from dualuse.services.reading import texts as _texts

FILES = (
    "rulebook.yaml",
    "country_groups.yaml",
    "customs_codes.yaml",
    "eugeas.yaml",
    "ngeas.yaml",
    "embargoes.yaml",
    "sanctions.yaml",
    "sanctions_regimes.yaml",
    "national_controls.yaml",
    "member_states.yaml",
)
_T = TypeVar("_T")
SUMMARY_MAX = 100


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
    embargoes = tuple(_each(docs["embargoes.yaml"], "embargoes", "embargoes.yaml", _embargo))
    sanctions = tuple(_each(docs["sanctions.yaml"], "prohibitions", "sanctions.yaml", _prohibition))
    restricted = _Restricted(
        embargoed=frozenset(e.country for e in embargoes),
        sanctioned=frozenset(c for p in sanctions for c in p.countries),
    )
    union = _each(
        docs["eugeas.yaml"],
        "general_authorisations",
        "eugeas.yaml",
        _authorisation(group_map, common, restricted),
    )
    national = _each(
        docs["ngeas.yaml"],
        "national_general_authorisations",
        "ngeas.yaml",
        _authorisation(group_map, {}, restricted),
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
            embargoes=embargoes,
            sanctions=sanctions,
            national_controls=tuple(
                _each(
                    docs["national_controls.yaml"], "national_controls", "national_controls.yaml", _national
                )
            ),
            member_states=states,
            country_groups=group_map,
            customs_codes=customs,
            regimes=tuple(
                _each(docs["sanctions_regimes.yaml"], "regimes", "sanctions_regimes.yaml", _regime(group_map))
            ),
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
        with located(name, value, label):
            entry = _mapping(value, label)
            _require_provenance(entry)
            built.append(build(label, entry) if keyed else build(entry))
    return built


def _label(value: object, index: int) -> str:
    if isinstance(value, dict):
        for key in ("id", "country"):
            if isinstance(value.get(key), str):
                return str(value[key])
    return f"#{index + 1}"


def _require_provenance(entry: Mapping[str, Any]) -> None:
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ValidationError("every rule needs a `source`")
    verified = entry.get("verified")
    if isinstance(verified, dict):
        if not verified or not all(isinstance(v, bool) for v in verified.values()):
            raise ValidationError("`verified` per aspect must map each aspect to true or false")
    elif not isinstance(verified, bool):
        raise ValidationError("every rule needs `verified: true` or `verified: false`")


# --- builders --------------------------------------------------------------------------------------------


def _validity(entry: Mapping[str, Any]) -> Validity:
    return Validity(_day(entry, "valid_from"), _day(entry, "valid_to"))


def _countries(values: object, key: str) -> frozenset[str]:
    if not isinstance(values, list) or not values:
        raise ValidationError(f"`{key}` must be a non-empty list of ISO 3166-1 alpha-2 codes")
    return frozenset(country_code(v, key) for v in values)


def _knowledge(entry: Mapping[str, Any], key: str) -> frozenset[Knowledge]:
    return frozenset(Knowledge(v) for v in entry.get(key) or [])


def _activities(entry: Mapping[str, Any]) -> frozenset[Activity]:
    values = entry.get("activities")
    if not isinstance(values, list) or not values:
        raise ValidationError("`activities` must be a non-empty list")
    return frozenset(Activity(v) for v in values)


def _codes(values: object, key: str) -> frozenset[str]:
    if not isinstance(values, list):
        raise ValidationError(f"`{key}` must be a list of control list codes")
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
        raise ValidationError(f"unknown item scope keys: {', '.join(sorted(unknown))}")
    groups = frozenset(str(g) for g in scope.get("groups") or [])
    excluded_groups = frozenset(str(g) for g in scope.get("excluded_groups") or [])
    if not (groups | excluded_groups) <= set("ABCDE"):
        raise ValidationError("product groups must be among A-E")
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
        raise ValidationError(
            f"`summary` must be at most {SUMMARY_MAX} characters (it is a line of a batch result)"
        )
    return text


def _group(name: str, entry: Mapping[str, Any]) -> tuple[str, frozenset[str]]:
    return name, _countries(entry.get("countries"), "countries")


def _customs_code(code: str, entry: Mapping[str, Any]) -> tuple[str, str]:
    return code, _text(entry, "title")


def _rule(entry: Mapping[str, Any]) -> ControlRule:
    arms_embargo = entry.get("arms_embargo")
    if arms_embargo is not None and not isinstance(arms_embargo, bool):
        raise ValidationError("`arms_embargo` must be true, false or null")
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


# The outermost regions of member states that have ISO 3166-1 codes of their own: part of the customs
# territory of the Union, so never a destination of an export (Art. 355(1) TFEU).
OUTERMOST_REGIONS = frozenset({"GF", "GP", "MQ", "RE", "YT", "MF", "AX"})


@dataclasses.dataclass(frozen=True)
class _Restricted:
    """The countries the rulebook puts under an arms embargo or a sanctions prohibition (any date)."""

    embargoed: frozenset[str]
    sanctioned: frozenset[str]


def _every_destination() -> frozenset[str]:
    """Every ISO 3166-1 country (and Kosovo) outside the Union and its outermost regions."""
    codes = frozenset(c.alpha_2 for c in pycountry.countries) | {"XK"}
    return codes - EU_MEMBER_STATES - OUTERMOST_REGIONS


def _destinations(
    raw: object, groups: Mapping[str, frozenset[str]], restricted: _Restricted
) -> frozenset[str]:
    """A list of countries; ``{group: name}``; or ``{all_except_groups: [...], exclude_embargoed: true,
    exclude_sanctioned: true}``: every destination outside the Union but those (Annex II Section H Part 2),
    taking the rulebook's embargoes and sanctions at any date, the safe side."""
    if not isinstance(raw, dict):
        return _countries(raw, "destinations")
    unknown = set(raw) - {"group", "all_except_groups", "exclude_embargoed", "exclude_sanctioned"}
    if unknown:
        raise ValidationError(f"unknown destination keys: {', '.join(sorted(unknown))}")
    names = [raw["group"]] if "group" in raw else list(raw.get("all_except_groups") or [])
    for name in names:
        if name not in groups:
            raise ValidationError(f"unknown country group {name!r}")
    if "group" in raw:
        if len(raw) != 1:
            raise ValidationError("`destinations: {group: …}` takes no other keys")
        return groups[str(raw["group"])]
    countries = _every_destination().difference(*(groups[str(n)] for n in names))
    if raw.get("exclude_embargoed"):
        countries -= restricted.embargoed
    if raw.get("exclude_sanctioned"):
        countries -= restricted.sanctioned
    return countries


def _first_use(raw: object) -> FirstUseRule | None:
    if raw is None:
        return None
    entry = _mapping(raw, "first_use")
    unknown = set(entry) - {"notify", "days", "member_state_may_require_before", "registration"}
    if unknown:
        raise ValidationError(f"unknown first_use keys: {', '.join(sorted(unknown))}")
    days = entry.get("days")
    if isinstance(days, bool) or not isinstance(days, int):
        raise ValidationError("`first_use.days` must be a whole number of days")
    return FirstUseRule(
        notice=FirstUseNotice(str(entry.get("notify"))),
        days=days,
        member_state_may_require_before=bool(entry.get("member_state_may_require_before", False)),
        registration=FirstUseRegistration(str(entry.get("registration"))),
    )


def _authorisation(
    groups: Mapping[str, frozenset[str]], common: Mapping[str, Any], restricted: _Restricted
) -> Callable[[Mapping[str, Any]], GeneralAuthorisation]:
    def build(entry: Mapping[str, Any]) -> GeneralAuthorisation:
        countries = _destinations(entry.get("destinations"), groups, restricted)
        if countries & EU_MEMBER_STATES:
            raise ValidationError(
                "a general export authorisation cannot name a member state as a destination"
            )
        verified = entry["verified"]
        aspects = verified if isinstance(verified, dict) else {"all": verified}
        unverified = [aspect for aspect, ok in aspects.items() if not ok]
        if common and not common.get("conditions_verified", False):
            unverified.append("common conditions")
        circumstance = entry.get("circumstance")
        first_use = _first_use(entry.get("first_use"))
        return GeneralAuthorisation(
            id=_text(entry, "id"),
            title=_text(entry, "title"),
            issuer=str(entry.get("issuer", "EU")),
            customs_code=_text(entry, "customs_code"),
            legal_basis=_texts(entry, "legal_basis"),
            items=_scope(entry.get("items")),
            destinations=countries,
            conditions=(
                *_texts(entry, "conditions"),
                *((first_use.describe(),) if first_use is not None else ()),
                *_texts(common, "conditions"),
            ),
            source=_text(entry, "source"),
            blocked_by=_knowledge(entry, "blocked_by") or _knowledge(common, "blocked_by") or ART_4_1_USES,
            circumstance=Circumstance(circumstance) if circumstance is not None else None,
            unverified=tuple(unverified),
            validity=_validity(entry),
            first_use=first_use,
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


_REGIME_KEYS = {
    "id",
    "title",
    "act",
    "legal_basis",
    "activities",
    "destinations",
    "excluded_destinations",
    "items",
    "end_user",
    "listed_in",
    "end_user_note",
    "consequence",
    "customs_codes",
    "valid_from",
    "valid_to",
    "summary",
    "explanation",
    "source",
    "sources",
    "verified",
    "no_question_in",
}
_REGIME_ITEM_KEYS = {"annex", "description", "annex_i", "kinds", "cn_codes", "excludes_annex_i", "all_items"}


def _regime(groups: Mapping[str, frozenset[str]]) -> Callable[[Mapping[str, Any]], SanctionsRegime]:
    def countries(value: object, key: str) -> frozenset[str] | None:
        if value is None:
            return None
        if isinstance(value, dict):
            name = str(value.get("group"))
            if name not in groups:
                raise ValidationError(f"unknown country group {name!r}")
            return groups[name]
        return _countries(value, key)

    def build(entry: Mapping[str, Any]) -> SanctionsRegime:
        unknown = set(entry) - _REGIME_KEYS
        if unknown:
            raise ValidationError(f"unknown keys: {', '.join(sorted(unknown))}")
        verified = entry["verified"]
        if not isinstance(verified, dict):
            raise ValidationError(f"`verified` must mark each element: {', '.join(REGIME_ASPECTS)}")
        sources = entry.get("sources") or {}
        if not isinstance(sources, dict) or not all(isinstance(v, str) for v in sources.values()):
            raise ValidationError("`sources` must map elements to the source of each")
        items = _mapping(entry.get("items"), "items")
        unknown = set(items) - _REGIME_ITEM_KEYS
        if unknown:
            raise ValidationError(f"unknown item keys: {', '.join(sorted(unknown))}")
        listed_in = entry.get("listed_in")
        return SanctionsRegime(
            id=_text(entry, "id"),
            title=_text(entry, "title"),
            act=_text(entry, "act"),
            legal_basis=_texts(entry, "legal_basis"),
            activities=_activities(entry),
            items=RegimeItems(
                annex=_text(items, "annex"),
                description=_text(items, "description"),
                annex_i=_scope(items["annex_i"]) if items.get("annex_i") is not None else None,
                kinds=frozenset(ItemKind(k) for k in items.get("kinds") or []),
                cn_codes=frozenset(canonical_cn_code(str(c)) for c in items.get("cn_codes") or []),
                excludes_annex_i=bool(items.get("excludes_annex_i", False)),
                all_items=bool(items.get("all_items", False)),
            ),
            consequence=Consequence(str(entry.get("consequence"))),
            explanation=_text(entry, "explanation"),
            summary=_summary(entry),
            source=_text(entry, "source"),
            verified={str(k): v for k, v in verified.items()},
            sources={str(k): " ".join(v.split()) for k, v in sources.items()},
            destinations=countries(entry.get("destinations"), "destinations"),
            excluded_destinations=countries(entry.get("excluded_destinations"), "excluded_destinations")
            or frozenset(),
            end_user=EndUserCondition(entry.get("end_user", "any")),
            listed_in=EntityList(listed_in) if listed_in is not None else None,
            end_user_note=" ".join(str(entry.get("end_user_note") or "").split()),
            customs_codes=_texts(entry, "customs_codes"),
            validity=_validity(entry),
            no_question_in=countries(entry.get("no_question_in"), "no_question_in") or frozenset(),
        )

    return build


def _national(entry: Mapping[str, Any]) -> NationalControl:
    destinations = entry.get("destinations")
    applied_by = frozenset(country_code(v, "applied_by") for v in entry.get("applied_by") or [])
    member_state = country_code(entry.get("member_state"), "member_state")
    if not ({member_state} | applied_by) <= EU_MEMBER_STATES:
        raise ValidationError("national controls are made and applied by member states")
    codes = _texts(entry, "national_codes")
    if not codes:
        raise ValidationError("`national_codes` must name at least one national list entry")
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
        raise ValidationError(f"{member_state} is not a member state")
    return member_state, MemberStateSettings(
        member_state=member_state,
        name=_text(entry, "name"),
        source=_text(entry, "source"),
        verified=bool(entry["verified"]),
        settings=frozenset(_texts(entry, "settings")),
        general_authorisation_conditions=_texts(entry, "general_authorisation_conditions"),
        first_use=_state_first_use(entry["eugea_first_use"])
        if "eugea_first_use" in entry
        else UNKNOWN_STATE_FIRST_USE,
        licence_validity=_licence_validity(entry["licence_validity"])
        if "licence_validity" in entry
        else None,
    )


def _licence_validity(raw: object) -> LicenceValidity:
    entry = _mapping(raw, "licence_validity")
    _require_provenance(entry)

    def months(key: str) -> int | None:
        value = entry.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
            raise ValidationError(f"`{key}` must be a positive whole number of months or null", field=key)
        return value

    return LicenceValidity(
        individual_months=months("individual_months"),
        global_months=months("global_months"),
        large_project_months=months("large_project_months"),
        extension_months=months("extension_months"),
        source=_text(entry, "source"),
        verified=bool(entry["verified"]),
    )


def _state_first_use(raw: object) -> StateFirstUse:
    entry = _mapping(raw, "eugea_first_use")
    _require_provenance(entry)
    registration = entry.get("registration_before_first_use")
    if registration is not None and not isinstance(registration, bool):
        raise ValidationError("`registration_before_first_use` must be true, false or null (not known)")
    return StateFirstUse(
        choice=StateFirstUseChoice(str(entry.get("choice"))),
        registration_before_first_use=registration,
        source=_text(entry, "source"),
        verified=bool(entry["verified"]),
    )
