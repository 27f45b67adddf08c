"""The control list: Annex I of Regulation (EU) 2021/821 as versioned data (Art. 3(1), Art. 17(1)).

Codes (``ControlCode``), entries (``ControlEntry``), list versions and their amendments
(``ControlList``, ``ControlListHistory``), search over the list and classification suggestions.
"""

from dualuse.domain.controllist.codes import ControlCode, InvalidControlCodeError
from dualuse.domain.controllist.entries import ControlEntry, Note, NoteKind, Regime
from dualuse.domain.controllist.versions import (
    Amendment,
    AmendmentError,
    ControlList,
    ControlListError,
    ControlListHistory,
    EffectiveFlags,
    EntryChange,
    EntryDiff,
    FieldChange,
    ListDiff,
    ListVersion,
    validate_list,
)

__all__ = [
    "Amendment",
    "AmendmentError",
    "ControlCode",
    "ControlEntry",
    "ControlList",
    "ControlListError",
    "ControlListHistory",
    "EffectiveFlags",
    "EntryChange",
    "EntryDiff",
    "FieldChange",
    "InvalidControlCodeError",
    "ListDiff",
    "ListVersion",
    "Note",
    "NoteKind",
    "Regime",
    "validate_list",
]
