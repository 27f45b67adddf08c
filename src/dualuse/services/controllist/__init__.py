"""The control list (Annex I): look-up, search, versions and their differences, amendments, and exporters' classification records kept in step with the list in force (Art. 3(1), Art. 17)."""

from __future__ import annotations

from dualuse.services.controllist.catalogue import (
    ControlListCatalogue,
    EntryView,
    ImportResult,
    classifications,
    confirm_classification,
    current_history,
    diff,
    flag_for_review,
    flag_outdated,
    import_amendment,
    list_for,
    record_classification,
    search,
    show,
    suggest,
)

__all__ = [
    "ControlListCatalogue",
    "EntryView",
    "ImportResult",
    "classifications",
    "confirm_classification",
    "current_history",
    "diff",
    "flag_for_review",
    "flag_outdated",
    "import_amendment",
    "list_for",
    "record_classification",
    "search",
    "show",
    "suggest",
]
