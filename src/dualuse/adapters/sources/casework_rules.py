"""The casework rules shipped as YAML (``dualuse/data/casework``): flagging rules, routing rules and teams,
and each state's time limits. A file or rule that does not fit raises ``ImportFailedError`` naming the file
and the rule; nothing is half loaded. The shipped files are read once per process.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from dualuse.adapters.sources.yaml_files import load_yaml
from dualuse.domain.casework import CaseworkRules, FlagLevel, FlagRule, LetterText, RoutingRule
from dualuse.domain.casework.rules import WORDING_KEYS
from dualuse.domain.errors import ImportFailedError, ValidationError

FILES = ("flagging_rules.yaml", "routing_rules.yaml", "time_limits.yaml", "letters.yaml")


def shipped_casework_dir() -> Path:
    return Path(str(resources.files("dualuse") / "data" / "casework"))


def load_casework_rules(directory: Path | None = None) -> CaseworkRules:
    """The rules in ``directory`` (default: the shipped ones, read once)."""
    if directory is None:
        return _shipped()
    return _load(Path(directory))


@functools.lru_cache(maxsize=1)
def _shipped() -> CaseworkRules:
    return _load(shipped_casework_dir())


def _document(path: Path) -> dict[str, Any]:
    document = load_yaml(path.read_text(encoding="utf-8"), path.name)
    if not isinstance(document, dict):
        raise ImportFailedError("the file is not a mapping", location=path.name)
    return document


def _mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ImportFailedError("`when` is a mapping of conditions", location=where)
    return dict(value)


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ImportFailedError(f"`{key}` is missing", location=where)
    return value.strip()


def _verified(entry: Mapping[str, Any], where: str) -> bool:
    value = entry.get("verified")
    if not isinstance(value, bool):
        raise ImportFailedError("`verified` is true or false", location=where)
    return value


def _wording(value: object, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
    ):
        raise ImportFailedError("`wording` is a mapping of texts", location=where)
    return {k: " ".join(v.split()) for k, v in value.items()}


def _load(directory: Path) -> CaseworkRules:
    flagging, routing, limits, letter_doc = (_document(directory / name) for name in FILES)
    try:
        flag_rules = []
        for entry in flagging.get("rules") or []:
            where = f"{FILES[0]}: {entry.get('id', '?')}"
            try:
                level = FlagLevel(str(entry.get("level")))
            except ValueError:
                raise ImportFailedError(f"unknown level {entry.get('level')!r}", location=where) from None
            if not isinstance(entry.get("blocking"), bool):
                raise ImportFailedError("`blocking` is true or false", location=where)
            flag_rules.append(
                FlagRule(
                    id=_text(entry, "id", where),
                    label=_text(entry, "label", where),
                    level=level,
                    blocking=entry["blocking"],
                    when=_mapping(entry.get("when"), where),
                    source=_text(entry, "source", where),
                    verified=_verified(entry, where),
                )
            )
        routing_rules = []
        for entry in routing.get("rules") or []:
            where = f"{FILES[1]}: {entry.get('id', '?')}"
            routing_rules.append(
                RoutingRule(
                    id=_text(entry, "id", where),
                    team=_text(entry, "team", where),
                    when=_mapping(entry.get("when"), where),
                    source=_text(entry, "source", where),
                    verified=_verified(entry, where),
                )
            )
        teams = {_text(t, "id", FILES[1]): _text(t, "name", FILES[1]) for t in routing.get("teams") or []}
        time_limits: dict[str, dict[str, int]] = {}
        states = dict(limits.get("states") or {})
        for state, days in {"default": limits.get("default") or {}, **states}.items():
            if not isinstance(days, dict):
                raise ImportFailedError(f"{state}: a mapping of status to days", location=FILES[2])
            for status, value in days.items():
                if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 365:
                    raise ImportFailedError(
                        f"{state} {status}: 1 to 365 days, not {value!r}", location=FILES[2]
                    )
            time_limits[str(state)] = {str(k): v for k, v in days.items()}
        _verified(limits, FILES[2])
        letters = {}
        for state, entry in {
            "default": letter_doc.get("default") or {},
            **dict(letter_doc.get("states") or {}),
        }.items():
            where = f"{FILES[3]}: {state}"
            if not isinstance(entry, dict):
                raise ImportFailedError(
                    "a mapping of contact, appeal, appeal_source, verified", location=where
                )
            letters[str(state)] = LetterText(
                contact=_text(entry, "contact", where),
                appeal=_text(entry, "appeal", where),
                appeal_source=_text(entry, "appeal_source", where),
                verified=_verified(entry, where),
                appeal_body=str(entry.get("appeal_body") or "").strip(),
                language=str(entry.get("language") or "en").strip(),
                wording=_wording(entry.get("wording"), where),
                wording_source=str(entry.get("wording_source") or "").strip(),
                wording_verified=entry.get("wording_verified") is True,
                state=str(state),
            )
        missing = [k for k in WORDING_KEYS if k not in letters["default"].wording]
        if missing:
            raise ImportFailedError(f"the default wording lacks {missing[0]!r}", location=FILES[3])
        return CaseworkRules(
            version=str(flagging.get("version") or "?"),
            flag_rules=tuple(flag_rules),
            routing_rules=tuple(routing_rules),
            default_team=_text(routing, "default_team", FILES[1]),
            teams=teams,
            time_limits=time_limits,
            letters=letters,
        )
    except ValidationError as exc:
        raise ImportFailedError(exc.detail, location=str(directory)) from exc
