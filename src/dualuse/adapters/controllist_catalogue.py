"""The control list catalogue: shipped versions plus amendments imported at run time, with cached indexes."""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence

from dualuse.adapters.sources import annex_i, annex_i_text
from dualuse.adapters.sources.controllist_view import ControlListSource
from dualuse.domain.controllist.provisions import AnnexText
from dualuse.domain.controllist.search import SearchIndex
from dualuse.domain.controllist.versions import Amendment, ControlList, ControlListError, ControlListHistory
from dualuse.domain.errors import ImportFailedError
from dualuse.services.unit_of_work import StoredAmendment


class ShippedControlListCatalogue:
    """Histories are immutable: one is built per set of imported amendments and kept; indexes per version."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._histories: dict[tuple[str, ...], ControlListHistory] = {}
        self._indexes: dict[str, SearchIndex] = {}
        self._sources: dict[int, ControlListSource] = {}

    def history(self, stored: Sequence[StoredAmendment]) -> ControlListHistory:
        key = tuple(f"{a.version_id}@{a.effective_from.isoformat()}" for a in stored)
        with self._lock:
            cached = self._histories.get(key)
        if cached is not None:
            return cached
        history = annex_i.load_history()
        for item in stored:
            amendment = self.parse_amendment(item.content, item.filename)
            try:
                history = history.apply(amendment)
            except ControlListError as exc:  # stored amendments were validated on import
                raise ImportFailedError(str(exc), location=item.filename) from exc
        with self._lock:
            self._histories[key] = history
        return history

    def index(self, control_list: ControlList) -> SearchIndex:
        key = control_list.version_id + ":" + str(len(control_list))
        with self._lock:
            cached = self._indexes.get(key)
        if cached is None:
            cached = _build_index(control_list)
            with self._lock:
                self._indexes[key] = cached
        return cached

    def parse_amendment(self, text: str, filename: str) -> Amendment:
        return annex_i.parse_amendment_text(text, filename)

    def provisions(self) -> AnnexText:
        """Annex I down to its leaf sub-items, with thresholds and notes (the shipped derived text)."""
        return annex_i_text.load_annex_text()

    def list_source(self, history: ControlListHistory) -> ControlListSource:
        """The history as the determination engine's ``ListSource`` (one per history, kept)."""
        with self._lock:
            source = self._sources.get(id(history))
            if source is None:
                source = self._sources[id(history)] = ControlListSource(history)
        return source


def _build_index(control_list: ControlList) -> SearchIndex:
    return SearchIndex.build(control_list, _synonyms())


@functools.lru_cache(maxsize=1)
def _synonyms() -> dict[str, list[str]]:
    return annex_i.load_synonyms()
