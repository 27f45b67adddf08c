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
from dualuse.domain.errors import NotFoundError


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
