"""What changed since the last edition: the difference between two snapshots, rule by rule, authorisation by
authorisation, in words a reader follows. The control list's own changes come from its version diff and are
passed in as lines (``list_changes``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from dualuse.domain.handbook.model import Change
from dualuse.domain.handbook.snapshot import Snapshot
from dualuse.domain.rules.facts import country_name

_AREAS: tuple[tuple[str, str, str], ...] = (
    # snapshot key, area as a reader names it, key that identifies an element
    ("rules", "Rule", "id"),
    ("general_authorisations", "General authorisation", "id"),
    ("national_controls", "National control", "id"),
    ("member_states", "Member state", "code"),
    ("sanctions", "Sanctions prohibition", "id"),
    ("regimes", "Sanctions regime", "id"),
    ("embargoes", "Arms embargo", "country"),
    ("cyber_surveillance", "Cyber-surveillance entry", "code"),
    ("glossary", "Glossary", "term"),
)
_IGNORED_FIELDS = frozenset({"source"})  # a source re-worded is not a change a reader acts on


def between(previous: Snapshot, current: Snapshot, list_changes: Sequence[str] = ()) -> tuple[Change, ...]:
    """The changes from ``previous`` to ``current`` (each element added, removed or changed, field by
    field; destinations and items as the countries and codes that came and went)."""
    changes: list[Change] = []
    old_list, new_list = previous.get("list_version", {}), current.get("list_version", {})
    if old_list.get("id") != new_list.get("id"):
        changes.append(
            Change(
                "Control list",
                f"version {new_list.get('id')}",
                f"replaces version {old_list.get('id')} (in force from {new_list.get('effective_from')}).",
            )
        )
    changes.extend(Change("Control list", "entries", line) for line in list_changes)
    if previous.get("rules_version") != current.get("rules_version"):
        changes.append(
            Change(
                "Rules",
                f"version {current.get('rules_version')}",
                f"replaces version {previous.get('rules_version')}.",
            )
        )
    for key, area, ident in _AREAS:
        changes.extend(_elements(area, ident, previous.get(key) or [], current.get(key) or []))
    changes.extend(_flags(previous.get("due_diligence", {}), current.get("due_diligence", {})))
    if previous.get("time_limits", {}).get("per_state") != current.get("time_limits", {}).get("per_state"):
        changes.append(Change("Time limits", "authorities' time limits", "changed (see How to apply)."))
    if previous.get("records") != current.get("records"):
        changes.append(Change("Records", "retention", "changed (see How to apply)."))
    if previous.get("penalties") != current.get("penalties"):
        changes.append(Change("Penalties", "penalties per member state", "changed (see Penalties)."))
    return tuple(changes)


def _by(items: Iterable[Mapping[str, Any]], ident: str) -> dict[str, Mapping[str, Any]]:
    return {str(item[ident]): item for item in items}


def _elements(
    area: str, ident: str, before: Iterable[Mapping[str, Any]], after: Iterable[Mapping[str, Any]]
) -> list[Change]:
    old, new = _by(before, ident), _by(after, ident)
    found: list[Change] = [Change(area, key, "added.") for key in new if key not in old]
    found.extend(Change(area, key, "removed.") for key in old if key not in new)
    for key in new:
        if key in old and old[key] != new[key]:
            found.extend(Change(area, key, line) for line in _fields(old[key], new[key]))
    return found


def _fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    for name in sorted(set(old) | set(new)):
        if name in _IGNORED_FIELDS or old.get(name) == new.get(name):
            continue
        before, after = old.get(name), new.get(name)
        describe = _DESCRIBE.get(name, _generic)
        lines.append(describe(name, before, after))
    return lines


def _set_change(label: str, name_of: Callable[[str], str]) -> Callable[[str, Any, Any], str]:
    def describe(_field: str, before: Any, after: Any) -> str:
        old, new = set(before or []), set(after or [])
        parts = []
        if new - old:
            parts.append("added " + ", ".join(name_of(v) for v in sorted(new - old)))
        if old - new:
            parts.append("removed " + ", ".join(name_of(v) for v in sorted(old - new)))
        return f"{label}: " + "; ".join(parts or ["reordered"]) + "."

    return describe


def _country(code: str) -> str:
    return f"{country_name(code)} ({code})"


def _items(_field: str, before: Any, after: Any) -> str:
    old, new = before or {}, after or {}
    parts = []
    for name in sorted(set(old) | set(new)):
        if old.get(name) == new.get(name):
            continue
        if isinstance(new.get(name), list) or isinstance(old.get(name), list):
            gained = sorted(set(new.get(name) or []) - set(old.get(name) or []))
            lost = sorted(set(old.get(name) or []) - set(new.get(name) or []))
            words = name.replace("_", " ")
            if gained:
                parts.append(f"{words} added {', '.join(gained)}")
            if lost:
                parts.append(f"{words} removed {', '.join(lost)}")
        else:
            parts.append(f"{name.replace('_', ' ')} now {new.get(name)}")
    return "items covered: " + "; ".join(parts) + "."


def _generic(name: str, before: Any, after: Any) -> str:
    words = name.replace("_", " ")
    if isinstance(after, str) and isinstance(before, str):
        return f"{words} changed, now: “{_short(after)}”."
    return f"{words} changed from {_short(before)} to {_short(after)}."


def _short(value: Any, limit: int = 160) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_DESCRIBE: dict[str, Callable[[str, Any, Any], str]] = {
    "destinations": _set_change("destinations", _country),
    "countries": _set_change("countries", _country),
    "applied_by": _set_change("applied by", _country),
    "conditions": _set_change("conditions", _short),
    "legal_basis": _set_change("legal basis", str),
    "national_codes": _set_change("national codes", str),
    "settings": _set_change("options taken up", str),
    "items": _items,
}


def _flags(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    found = _elements("Red flag", "id", before.get("flags") or [], after.get("flags") or [])
    if before.get("version") != after.get("version"):
        found.insert(
            0,
            Change("Due diligence", f"red flags {after.get('version')}", f"replace {before.get('version')}."),
        )
    return found
