"""Reading YAML that someone else wrote (issue #11, F12): the safe loader, and no anchors or aliases.

An alias repeats a node wherever it is used, so a few lines of aliases to aliases (the "billion laughs")
become millions of entries for whoever walks the document later. None of our formats needs them, so a
file that uses one is refused with the line it is on; the shipped data uses none either.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import yaml

from dualuse.domain.errors import ImportFailedError, ValidationError

# the C safe loader and dumper when libyaml is there: the same safe subset, several times faster
_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class LineMapping(dict[Any, Any]):
    """A mapping read from YAML that remembers where it was: ``line`` of its first key and ``key_lines``
    of each key (1-based), so that a value refused later can be reported with its line."""

    line: int = 0
    key_lines: dict[Any, int]


class _LineLoader(_BASE_LOADER):  # type: ignore[valid-type,misc]  # the base is chosen at import
    """The safe loader, building ``LineMapping``s."""


def _line_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Iterator[LineMapping]:
    mapping = LineMapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    yield mapping
    mapping.update(loader.construct_mapping(node))
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            mapping.key_lines[loader.construct_object(key_node)] = key_node.start_mark.line + 1


_LineLoader.add_constructor("tag:yaml.org,2002:map", _line_mapping)
# written back out (``yaml.safe_dump``, ``dump_yaml``), a ``LineMapping`` is the plain mapping it is
yaml.SafeDumper.add_representer(LineMapping, yaml.SafeDumper.represent_dict)
_DUMPER.add_representer(LineMapping, yaml.SafeDumper.represent_dict)
SAFE_LOADER: type[yaml.SafeLoader] = _LineLoader


def line_of(value: object, field: str | None = None) -> int | None:
    """The line where ``value`` (a mapping read by ``load_yaml``) or its key ``field`` was written."""
    if not isinstance(value, LineMapping):
        return None
    if field is not None:
        key = field.split(".", 1)[0].split("[", 1)[0]
        if key in value.key_lines:
            return value.key_lines[key]
    return value.line or None


@contextmanager
def located(name: str, entry: object = None, label: str | None = None) -> Iterator[None]:
    """Turn a problem with one value of ``entry`` (read from the file ``name``) into ``ImportFailedError``
    naming the file, the line, the entry's ``label`` and the field."""
    try:
        yield
    except ImportFailedError:
        raise
    except (ValidationError, ValueError, TypeError, KeyError) as error:
        field = error.field if isinstance(error, ValidationError) else None
        detail = error.detail if isinstance(error, ValidationError) else str(error)
        line = line_of(entry, field)
        where = name + (f", line {line}" if line else "") + (f": {label}" if label else "")
        if field:
            where += f" ({field})"
        raise ImportFailedError(detail, location=where, field=field) from error


def load_yaml(text: str, name: str) -> Any:
    """The document in ``text`` (safe subset of YAML, no anchors or aliases); ``ImportFailedError``
    naming ``name`` and the line when it is not valid."""
    try:
        if "&" in text or "*" in text:  # an anchor or alias needs one of these: look closer
            _refuse_anchors(text, name)
        return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506  # a safe loader
    except yaml.YAMLError as exc:
        raise ImportFailedError(f"not valid YAML: {exc}", location=name) from exc


def dump_yaml(document: Any, *, width: int = 110) -> str:
    """``document`` as YAML in the safe subset, keys in their order (libyaml's emitter when it is there: a
    whole control list in a third of the time of PyYAML's own, the same text for it)."""
    return yaml.dump(document, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=width)


def _refuse_anchors(text: str, name: str) -> None:
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        alias = isinstance(event, yaml.AliasEvent)
        anchor = getattr(event, "anchor", None)
        if alias or anchor:
            what = f"alias *{anchor}" if alias else f"anchor &{anchor}"
            line = event.start_mark.line + 1 if event.start_mark else "?"
            raise ImportFailedError(
                f"line {line}: YAML anchors and aliases are not accepted ({what}); "
                "write the value out in full",
                location=name,
            )
