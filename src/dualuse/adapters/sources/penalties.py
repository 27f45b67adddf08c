"""The penalty data shipped as YAML (``dualuse/data/enforcement``): the catalogue of violation types
(``violations.yaml``) and one file of penalty ranges per member state (``penalties/<STATE>.yaml``).

Values are read through the shared reading kit (``services.reading``); a value that does not fit raises
``ImportFailedError`` naming the file, the line, the entry and the field. Nothing is half loaded.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from dualuse.adapters.sources.yaml_files import LineMapping, line_of, load_yaml, located
from dualuse.domain.enforcement import (
    AdministrativePenalty,
    CriminalPenalty,
    LegalSource,
    PenaltyCatalogue,
    PenaltyRange,
    ViolationType,
    check_administrative,
    check_criminal,
    check_range,
)
from dualuse.domain.errors import ImportFailedError, ValidationError
from dualuse.services.reading import flag, mapping, no_unknown_keys, optional_text, sequence, text

VIOLATIONS_FILE = "violations.yaml"
PENALTIES_DIR = "penalties"

_VIOLATION_KEYS = ("id", "title", "description", "legal_basis", "source", "verified")
_RANGE_KEYS = ("violation", "criminal", "administrative", "sources", "verified", "note")
_CRIMINAL_KEYS = ("max_imprisonment_years", "fine_max_eur", "fine_formula")
_ADMIN_KEYS = ("fine_min_eur", "fine_max_eur", "fine_formula", "note")
_SOURCE_KEYS = ("law", "article", "url")


def shipped_enforcement_dir() -> Path:
    """The enforcement data shipped inside the package (``dualuse/data/enforcement``)."""
    return Path(str(resources.files("dualuse") / "data" / "enforcement"))


def load_penalties(directory: Path | None = None) -> PenaltyCatalogue:
    """The catalogue in ``directory`` (default: the shipped data, read once per process)."""
    if directory is None:
        return _shipped()
    return _catalogue(Path(directory))


@functools.lru_cache(maxsize=1)
def _shipped() -> PenaltyCatalogue:
    return _catalogue(shipped_enforcement_dir())


def _read(path: Path, name: str) -> Mapping[str, Any]:
    try:
        document = load_yaml(path.read_text(encoding="utf-8"), name)
    except FileNotFoundError:
        raise ImportFailedError("file is missing", location=name) from None
    if not isinstance(document, dict):
        raise ImportFailedError("expected a mapping at the top of the file", location=name)
    return document


def _entries(document: Mapping[str, Any], key: str, name: str, label_key: str) -> list[tuple[str, Any]]:
    with located(name, document):
        raw = sequence(document.get(key), f"`{key}`", field=key)
        if not raw:
            raise ValidationError(f"`{key}` must be a non-empty list", field=key)
    out: list[tuple[str, Any]] = []
    for index, value in enumerate(raw):
        label = f"#{index + 1}"
        if isinstance(value, Mapping) and isinstance(value.get(label_key), str):
            label = str(value[label_key])
        with located(name, value, label):
            mapping(value, "each entry", field=key)
        out.append((label, value))
    return out


def _catalogue(directory: Path) -> PenaltyCatalogue:
    name = VIOLATIONS_FILE
    document = _read(directory / VIOLATIONS_FILE, name)
    with located(name, document):
        version = text(document, "version")
    violations: list[ViolationType] = []
    for label, entry in _entries(document, "violations", name, "id"):
        with located(name, entry, f"violation {label}"):
            violations.append(_violation(entry))
    ids = [v.id for v in violations]
    ranges: list[PenaltyRange] = []
    files = sorted((directory / PENALTIES_DIR).glob("*.yaml"))
    if not files:
        raise ImportFailedError("no penalty files (penalties/<STATE>.yaml)", location=str(directory))
    for path in files:
        ranges.extend(_state_file(path, ids))
    with located(name):
        return PenaltyCatalogue(version=version, violations=tuple(violations), ranges=tuple(ranges))


def _state_file(path: Path, violations: list[str]) -> list[PenaltyRange]:
    name = f"{PENALTIES_DIR}/{path.name}"
    document = _read(path, name)
    with located(name, document):
        no_unknown_keys(document, ("member_state", "version", "penalties"))
        state = text(document, "member_state")
        text(document, "version")
        if f"{state}.yaml" != path.name:
            raise ValidationError(f"the file of {state} is named {state}.yaml", field="member_state")
    ranges: list[PenaltyRange] = []
    seen: set[str] = set()
    for label, entry in _entries(document, "penalties", name, "violation"):
        try:
            penalty = check_range(_range(entry, state), violations)
            if penalty.violation in seen:
                raise ValidationError(f"{penalty.violation} is given twice", field="violation")
        except ValidationError as error:
            raise _refused(name, entry, f"penalty {label}", error) from error
        with located(name, entry, f"penalty {label}"):
            seen.add(penalty.violation)
            ranges.append(penalty)
    return ranges


def _refused(name: str, entry: object, label: str, error: ValidationError) -> ImportFailedError:
    """The refusal with the line of the nested value ``error.field`` names (``criminal.fine_max_eur``,
    ``sources[1].url``), not only the line of the entry's top-level key."""
    line = line_of(entry, error.field)
    node: object = entry
    for part in re.split(r"[.\[\]]+", error.field or ""):
        if not part:
            continue
        if isinstance(node, LineMapping) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
            line = line_of(node) or line
        else:
            break
    where = name + (f", line {line}" if line else "") + f": {label}"
    if error.field:
        where += f" ({error.field})"
    return ImportFailedError(error.detail, location=where, field=error.field)


def _violation(entry: Mapping[str, Any]) -> ViolationType:
    no_unknown_keys(entry, _VIOLATION_KEYS)
    return ViolationType(
        id=text(entry, "id"),
        title=text(entry, "title"),
        description=text(entry, "description"),
        legal_basis=text(entry, "legal_basis"),
        source=text(entry, "source"),
        verified=flag(entry, "verified"),
    )


def _range(entry: Mapping[str, Any], state: str) -> PenaltyRange:
    no_unknown_keys(entry, _RANGE_KEYS)
    criminal = entry.get("criminal")
    administrative = entry.get("administrative")
    return PenaltyRange(
        member_state=state,
        violation=text(entry, "violation"),
        criminal=_criminal(criminal) if criminal is not None else None,
        administrative=_administrative(administrative) if administrative is not None else None,
        sources=tuple(
            _source(s, i) for i, s in enumerate(sequence(entry.get("sources"), "`sources`", field="sources"))
        ),
        verified=flag(entry, "verified"),
        note=optional_text(entry, "note") or "",
    )


def _criminal(raw: object) -> CriminalPenalty:
    entry = mapping(raw, "`criminal`", field="criminal")
    no_unknown_keys(entry, _CRIMINAL_KEYS, path="criminal")
    years = _amount(entry, "max_imprisonment_years", "criminal")
    if years is None:
        raise ValidationError("`max_imprisonment_years` is required", field="criminal.max_imprisonment_years")
    return check_criminal(
        CriminalPenalty(
            max_imprisonment_years=years,
            fine_max_eur=_amount(entry, "fine_max_eur", "criminal"),
            fine_formula=optional_text(entry, "fine_formula", path="criminal") or "",
        )
    )


def _administrative(raw: object) -> AdministrativePenalty:
    entry = mapping(raw, "`administrative`", field="administrative")
    no_unknown_keys(entry, _ADMIN_KEYS, path="administrative")
    return check_administrative(
        AdministrativePenalty(
            fine_min_eur=_amount(entry, "fine_min_eur", "administrative"),
            fine_max_eur=_amount(entry, "fine_max_eur", "administrative"),
            fine_formula=optional_text(entry, "fine_formula", path="administrative") or "",
            note=optional_text(entry, "note", path="administrative") or "",
        )
    )


def _source(raw: object, index: int) -> LegalSource:
    path = f"sources[{index}]"
    entry = mapping(raw, "each source", field=path)
    no_unknown_keys(entry, _SOURCE_KEYS, path=path)
    url = text(entry, "url", path=path)
    if not url.startswith("https://"):
        raise ValidationError("a source's url starts with https://", field=f"{path}.url")
    return LegalSource(law=text(entry, "law", path=path), article=text(entry, "article", path=path), url=url)


def _amount(entry: Mapping[str, Any], key: str, path: str) -> Decimal | None:
    """A number (int or decimal text) under ``key``, or None; never a boolean, never negative or NaN."""
    value = entry.get(key)
    field = f"{path}.{key}"
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValidationError(f"`{key}` must be a number, not {value!r}", field=field)
    try:
        amount = Decimal(str(value).replace("_", ""))
    except InvalidOperation:
        raise ValidationError(f"`{key}` must be a number, not {value!r}", field=field) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(f"`{key}` must be a positive number, not {value!r}", field=field)
    return amount
