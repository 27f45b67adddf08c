"""One way to read untrusted structured input (YAML and JSON documents, CSV rows) into typed values.

Every reader of a file format or request body in the project — the rulebook, the control list, the
due-diligence data, the determination case — takes its values through these functions, so a value that does
not fit is refused the same way everywhere: ``ValidationError`` naming the field (``field``), which the
file readers (``adapters.sources.yaml_files.located``) turn into ``ImportFailedError`` with the file, the line
and the entry. Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

from dualuse.domain.errors import ValidationError

_E = TypeVar("_E", bound=Enum)


def _join(path: str | None, key: str) -> str:
    return f"{path}.{key}" if path else key


def mapping(value: object, what: str, *, field: str | None = None) -> Mapping[str, Any]:
    """``value`` as a mapping (an object in JSON); ``what`` names it in the message."""
    if not isinstance(value, Mapping):
        raise ValidationError(
            f"{what}: expected a mapping (an object in JSON), found {_kind(value)}", field=field
        )
    return value


def sequence(value: object, what: str, *, field: str | None = None) -> Sequence[Any]:
    """``value`` as a list (``None`` is an empty list)."""
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise ValidationError(f"{what}: expected a list, found {_kind(value)}", field=field)
    return value


def as_text(value: object, name: str, *, required: bool = False, numbers: bool = False) -> str:
    """``value`` as stripped text: ``None`` is empty unless ``required``; with ``numbers`` a number is read as
    its text (a code or title a YAML writer left unquoted)."""
    if value is None and not required:
        return ""
    allowed = (str, int, float) if numbers else (str,)
    if isinstance(value, bool) or not isinstance(value, allowed):
        raise ValidationError(f"{name} must be text", field=name)
    written = str(value).strip()
    if required and not written:
        raise ValidationError(f"{name} is required", field=name)
    return written


def as_flag(value: object, name: str) -> bool:
    """``value`` as ``true`` or ``false`` (YAML's and JSON's booleans only)."""
    if not isinstance(value, bool):
        raise ValidationError(f"{name} must be true or false, not {value!r}", field=name)
    return value


def as_list(value: object, name: str, *, single: bool = False) -> list[Any]:
    """``value`` as a list (``None`` is empty; with ``single`` one text stands for a list of it)."""
    if value is None:
        return []
    if single and isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise ValidationError(f"{name} must be a list", field=name)
    return value


def text(entry: Mapping[str, Any], key: str, *, default: str | None = None, path: str | None = None) -> str:
    """The non-empty text under ``key``, its whitespace collapsed."""
    value = entry.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"`{key}` must be non-empty text", field=_join(path, key))
    return " ".join(value.split())


def optional_text(entry: Mapping[str, Any], key: str, *, path: str | None = None) -> str | None:
    """The text under ``key``, or ``None`` when it is missing, null or blank."""
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"`{key}` must be text or null, not {_kind(value)}", field=_join(path, key))
    return " ".join(value.split()) or None


def texts(
    entry: Mapping[str, Any], key: str, *, required: bool = False, path: str | None = None
) -> tuple[str, ...]:
    """The list of text under ``key`` (missing: empty, unless ``required``)."""
    value = entry.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(f"`{key}` must be a list of text", field=_join(path, key))
    if required and not value:
        raise ValidationError(f"`{key}` must be a non-empty list of text", field=_join(path, key))
    return tuple(" ".join(v.split()) for v in value)


def flag(entry: Mapping[str, Any], key: str, *, default: bool | None = None, path: str | None = None) -> bool:
    """``true`` or ``false`` under ``key`` (YAML's and JSON's booleans only: not "yes", not 1)."""
    value = entry.get(key, default)
    if not isinstance(value, bool):
        raise ValidationError(f"`{key}` must be true or false, not {value!r}", field=_join(path, key))
    return value


def choice(
    entry: Mapping[str, Any],
    key: str,
    allowed: type[_E],
    *,
    among: Collection[_E] | None = None,
    default: _E | None = None,
    path: str | None = None,
) -> _E:
    """The member of the enumeration ``allowed`` (of those in ``among``) named by the value under ``key``."""
    raw = entry.get(key)
    if raw is None and default is not None:
        return default
    members = list(among) if among is not None else list(allowed)
    for member in members:
        if raw == member.value:
            return member
    names = ", ".join(str(m.value) for m in members)
    raise ValidationError(f"`{key}` must be one of {names}, not {raw!r}", field=_join(path, key))


def day(entry: Mapping[str, Any], key: str, *, path: str | None = None) -> date | None:
    """The date under ``key`` (a YAML date or ISO text ``YYYY-MM-DD``), or ``None`` when missing."""
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(
        f"`{key}` must be a date (YYYY-MM-DD) or null, not {value!r}", field=_join(path, key)
    )


def no_unknown_keys(entry: Mapping[str, Any], known: Iterable[str], *, path: str | None = None) -> None:
    """Refuse a key that is not in ``known`` (a misspelt field would otherwise be silently ignored)."""
    expected = set(known)
    unknown = sorted(str(k) for k in entry if k not in expected)
    if unknown:
        raise ValidationError(
            f"unknown field {unknown[0]!r}; expected one of {', '.join(sorted(expected))}",
            field=_join(path, unknown[0]),
        )


def _kind(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", type(None): "nothing"}.get(
        type(value), type(value).__name__
    )
