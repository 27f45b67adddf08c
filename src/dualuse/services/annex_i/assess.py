"""Assess an item against one entry of the control list, sub-item by sub-item (Art. 3(1): listed items).

It asks for the parameters that decide between sibling sub-items, and says "not listed under this entry"
only when every sibling was assessed. It suggests; a person decides and records the classification."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from dualuse.domain.controllist.assessment import Assessment, assess
from dualuse.domain.controllist.codes import ControlCode
from dualuse.domain.controllist.provisions import AnnexText
from dualuse.domain.controllist.versions import ControlList
from dualuse.domain.errors import NotFoundError, ValidationError


class ProvisionSource(Protocol):
    """Port: Annex I's provisions (every sub-item, its thresholds and how siblings combine)."""

    def provisions(self) -> AnnexText: ...


def assess_item(
    source: ProvisionSource, control_list: ControlList, code: str, parameters: Mapping[str, object]
) -> Assessment:
    """The item described by ``parameters`` against entry ``code`` of ``control_list`` and its sub-items.

    Raises ``NotFoundError`` for a code the list version does not have."""
    parsed = ControlCode.parse(code)
    if control_list.get(parsed) is None:
        raise NotFoundError(f"{parsed} is not in list version {control_list.version_id}", field="code")
    return assess(source.provisions(), parsed, parameters)


def parse_params(pairs: list[str] | None) -> dict[str, object]:
    """``KEY=VALUE`` pairs (a CLI option, a line of a form) as parameters: numbers as numbers, yes/no as
    true/false, the rest as text (``14 GHz``). Raises ``ValidationError`` naming a pair without ``=``."""
    values: dict[str, object] = {}
    for pair in pairs or []:
        if not pair.strip():
            continue
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise ValidationError(
                f"a parameter must read KEY=VALUE, not {pair.strip()!r}", field="parameters"
            )
        text = raw.strip()
        value: object = text
        if text.lower() in ("yes", "true"):
            value = True
        elif text.lower() in ("no", "false"):
            value = False
        else:
            try:
                value = float(text.replace(",", "."))
            except ValueError:
                value = text
        values[key.strip()] = value
    return values
