"""The due-diligence data shipped as YAML (``dualuse/data/duediligence``): the red flags of
Rec. 2024/2659 and the seed risk profiles.

A file, flag or profile that does not fit raises ``ImportFailedError`` naming the file and the flag (or
profile); nothing is half loaded. The shipped files are read once per process: they are immutable.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from dualuse.adapters.sources.yaml_files import load_yaml, located
from dualuse.domain.duediligence import (
    RedFlag,
    RedFlagSet,
    RiskLevel,
    RiskProfile,
    Source,
    Step,
    check_profile,
)
from dualuse.domain.errors import ImportFailedError, ValidationError
from dualuse.services.reading import choice, flag, text

RED_FLAGS_FILE = "red_flags.yaml"
RISK_SEED_FILE = "risk_profiles_seed.yaml"


def shipped_duediligence_dir() -> Path:
    """The due-diligence data shipped inside the package (``dualuse/data/duediligence``)."""
    return Path(str(resources.files("dualuse") / "data" / "duediligence"))


def load_red_flags(path: Path | None = None) -> RedFlagSet:
    """The red-flag set in ``path`` (default: the shipped ``red_flags.yaml``, read once)."""
    if path is None:
        return _shipped_red_flags()
    return _red_flags(Path(path))


def load_risk_seed(path: Path | None = None) -> tuple[RiskProfile, ...]:
    """The seed risk profiles in ``path`` (default: the shipped ``risk_profiles_seed.yaml``, read once)."""
    if path is None:
        return _shipped_risk_seed()
    return _risk_seed(Path(path))


@functools.lru_cache(maxsize=1)
def _shipped_red_flags() -> RedFlagSet:
    return _red_flags(shipped_duediligence_dir() / RED_FLAGS_FILE)


@functools.lru_cache(maxsize=1)
def _shipped_risk_seed() -> tuple[RiskProfile, ...]:
    return _risk_seed(shipped_duediligence_dir() / RISK_SEED_FILE)


# --- files ---------------------------------------------------------------------------------------------------
def _read(path: Path) -> dict[str, Any]:
    try:
        document = load_yaml(path.read_text(encoding="utf-8"), path.name)
    except FileNotFoundError:
        raise ImportFailedError("file is missing", location=path.name) from None
    if not isinstance(document, dict):
        raise ImportFailedError("expected a mapping at the top of the file", location=path.name)
    return document


def _entries(document: Mapping[str, Any], key: str, name: str) -> list[tuple[str, dict[str, Any]]]:
    raw = document.get(key)
    if not isinstance(raw, list) or not raw:
        raise ImportFailedError(f"`{key}` must be a non-empty list", location=name)
    labelled: list[tuple[str, dict[str, Any]]] = []
    for index, value in enumerate(raw):
        label = f"#{index + 1}"
        if isinstance(value, dict):
            for field in ("id", "subject"):
                if isinstance(value.get(field), str):
                    label = str(value[field])
                    break
        if not isinstance(value, dict):
            raise ImportFailedError("expected a mapping", location=f"{name}: {label}")
        labelled.append((label, value))
    return labelled


def _version(document: Mapping[str, Any], name: str) -> str:
    version = document.get("version")
    if not isinstance(version, str) or not version.strip():
        raise ImportFailedError("needs a `version` id", location=name)
    return version


def _red_flags(path: Path) -> RedFlagSet:
    name = path.name
    document = _read(path)
    version = _version(document, name)
    flags: list[RedFlag] = []
    for label, entry in _entries(document, "flags", name):
        with located(name, entry, f"flag {label}"):
            flags.append(_red_flag(entry))
    with located(name):
        return RedFlagSet(version=version, flags=tuple(flags))


def _risk_seed(path: Path) -> tuple[RiskProfile, ...]:
    name = path.name
    document = _read(path)
    _version(document, name)
    profiles: list[RiskProfile] = []
    for label, entry in _entries(document, "profiles", name):
        with located(name, entry, f"profile {label}"):
            profile = _profile(entry)
            check_profile(profile)
            profiles.append(profile)
    return tuple(profiles)


# --- builders -----------------------------------------------------------------------------------------------


def _red_flag(entry: Mapping[str, Any]) -> RedFlag:
    points_to = entry.get("points_to")
    if points_to is not None and not isinstance(points_to, str):
        raise ValidationError("`points_to` must be text or null")
    return RedFlag(
        id=text(entry, "id"),
        text=text(entry, "text"),
        step=choice(entry, "step", Step, among=[s for s in Step if s is not Step.CONCLUSION]),
        key=flag(entry, "key"),
        points_to=points_to,
        guidance=text(entry, "guidance"),
        source=text(entry, "source"),
        verified=flag(entry, "verified"),
    )


def _profile(entry: Mapping[str, Any]) -> RiskProfile:
    raw_sources = entry.get("sources")
    if not isinstance(raw_sources, list):
        raise ValidationError("`sources` must be a list")
    return RiskProfile(
        subject_kind=_subject_kind(entry),
        subject=text(entry, "subject"),
        level=choice(entry, "level", RiskLevel),
        summary=text(entry, "summary"),
        sources=tuple(_source(s) for s in raw_sources),
        entered_by=text(entry, "entered_by"),
        verified=flag(entry, "verified"),
    )


def _source(raw: object) -> Source:
    if not isinstance(raw, dict):
        raise ValidationError("each source must be a mapping with title, url and published")
    published = raw.get("published")
    if published is not None and (not isinstance(published, date) or isinstance(published, datetime)):
        raise ValidationError(f"`published` must be a date (YYYY-MM-DD) or null, not {published!r}")
    return Source(title=text(raw, "title"), url=text(raw, "url"), published=published)


def _subject_kind(entry: Mapping[str, Any]) -> str:
    kind = text(entry, "subject_kind")
    if kind not in ("country", "end_user"):
        raise ValidationError(
            f"`subject_kind` must be one of country, end_user, not {kind!r}", field="subject_kind"
        )
    return kind
