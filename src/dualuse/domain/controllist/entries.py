"""Entries of the control list (Annex I of Regulation (EU) 2021/821)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from dualuse.domain.controllist.codes import ControlCode
from dualuse.domain.errors import ValidationError


class Regime(StrEnum):
    """The multilateral regime (or the EU itself) whose commitment an entry implements (Art. 17(1))."""

    WASSENAAR = "wassenaar"
    MTCR = "mtcr"
    NSG = "nsg"
    AUSTRALIA_GROUP = "australia_group"
    CWC = "cwc"
    EU = "eu"


class NoteKind(StrEnum):
    """What a note attached to an entry does."""

    DECONTROL = "decontrol"  # takes something out of the entry's scope
    NOTE = "note"
    TECHNICAL_NOTE = "technical_note"
    DEFINITION = "definition"


ANNEX_IV_PARTS = ("I", "II")
"""Annex IV is in two parts; an entry is in one of them or in neither (Art. 11(1))."""

CHANGEABLE_FIELDS = (
    "title",
    "summary",
    "regime",
    "parameters",
    "notes",
    "related",
    "cyber_surveillance",
    "information_security",
    "annex_iv",
    "eugea_excluded",
    "source",
    "verified",
)
"""Fields of an entry an amendment may change; the code is the entry's identity and never changes."""


@dataclass(frozen=True, slots=True)
class Note:
    """A decontrol note, note, technical note or definition attached to an entry, in our own words."""

    kind: NoteKind
    text: str


@dataclass(frozen=True)
class ControlEntry:
    """One entry of Annex I, such as ``5A001.f`` (Art. 3(1): listed items need an authorisation to export).

    ``cyber_surveillance`` marks items of Art. 2(20); ``information_security`` marks Category 5 Part 2
    (encryption and related), which is a different thing: encryption is not cyber-surveillance.
    ``annex_iv`` names the part of Annex IV ("I" or "II") whose items need an authorisation even within
    the Union (Art. 11(1)); ``eugea_excluded`` marks items in Annex II Section I, which the Union general
    export authorisations do not cover. Flags set on an entry apply to everything below it.
    ``parameters`` holds crisp technical thresholds as data (``{"symmetric_key_bits_gt": 56}``).
    """

    code: ControlCode
    title: str
    summary: str = ""
    regime: Regime = Regime.WASSENAAR
    parameters: Mapping[str, object] = field(default_factory=dict, hash=False)
    notes: tuple[Note, ...] = ()
    related: tuple[ControlCode, ...] = ()
    cyber_surveillance: bool = False
    information_security: bool = False
    annex_iv: str | None = None
    eugea_excluded: bool = False
    source: str = ""
    verified: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.code, ControlCode):
            raise ValidationError(f"entry code must be a ControlCode, not {self.code!r}", field="code")
        if not self.title.strip():
            raise ValidationError(f"{self.code}: an entry needs a title", field="title")
        if self.annex_iv not in (None, *ANNEX_IV_PARTS):
            raise ValidationError(
                f"{self.code}: annex_iv must be one of I, II or empty, not {self.annex_iv!r}",
                field="annex_iv",
            )
        # the snapshot is immutable, so its parameters must be too
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))

    def replace(self, **changes: object) -> ControlEntry:
        """A copy with ``changes`` applied (the fields an amendment changes)."""
        unknown = sorted(set(changes) - set(CHANGEABLE_FIELDS))
        if unknown:
            raise ValidationError(f"{self.code}: cannot change {', '.join(unknown)}", field=unknown[0])
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]  # values checked by __post_init__

    def field_values(self) -> dict[str, object]:
        """The changeable fields and their values, for diffs and exports."""
        return {name: getattr(self, name) for name in CHANGEABLE_FIELDS}
