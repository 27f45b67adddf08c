"""Reading YAML that someone else wrote (issue #11, F12): the safe loader, and no anchors or aliases.

An alias repeats a node wherever it is used, so a few lines of aliases to aliases (the "billion laughs")
become millions of entries for whoever walks the document later. None of our formats needs them, so a
file that uses one is refused with the line it is on; the shipped data uses none either.
"""

from __future__ import annotations

from typing import Any

import yaml

from dualuse.domain.errors import ImportFailedError

# the C safe loader when libyaml is there: the same safe subset, several times faster
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str, name: str) -> Any:
    """The document in ``text`` (safe subset of YAML, no anchors or aliases); ``ImportFailedError``
    naming ``name`` and the line when it is not valid."""
    try:
        if "&" in text or "*" in text:  # an anchor or alias needs one of these: look closer
            _refuse_anchors(text, name)
        return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506  # a safe loader
    except yaml.YAMLError as exc:
        raise ImportFailedError(f"not valid YAML: {exc}", location=name) from exc


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
