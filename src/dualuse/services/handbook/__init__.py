"""The handbook's use cases: the edition the data gives now (``current``), recording a new edition when
the data changed (``publish``)."""

from dualuse.services.handbook.editions import (
    HandbookSources,
    current,
    list_change_lines,
    list_in_force,
    publish,
    snapshot_of,
)
from dualuse.services.handbook.ports import EditionStore, RecordedEdition

__all__ = [
    "EditionStore",
    "HandbookSources",
    "RecordedEdition",
    "current",
    "list_change_lines",
    "list_in_force",
    "publish",
    "snapshot_of",
]
