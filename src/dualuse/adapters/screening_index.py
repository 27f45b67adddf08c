"""The in-memory screening index: built from the newest stored version of every list, and rebuilt
(once per process) when an import changes which versions are newest."""

from __future__ import annotations

import threading
from collections.abc import Mapping

from dualuse.domain.ownership.screen import OwnershipScreen
from dualuse.domain.screening.engine import ScreeningEngine
from dualuse.services.unit_of_work import UnitOfWork


class StoredListsIndex:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[tuple[str, int], ...] | None = None
        self._engine = ScreeningEngine()
        self._versions: dict[str, str] = {}
        self._ownership = OwnershipScreen()

    def ownership(self, uow: UnitOfWork) -> OwnershipScreen:
        """The ownership graphs of the same list versions as ``engine``."""
        self.engine(uow)
        with self._lock:
            return self._ownership

    def engine(self, uow: UnitOfWork) -> tuple[ScreeningEngine, Mapping[str, str]]:
        latest = uow.screening.latest_version_ids()
        key = tuple(sorted(latest.items()))
        with self._lock:
            if key == self._key:
                return self._engine, self._versions
            snapshots = [uow.screening.snapshot(version_id) for _source, version_id in key]
            self._engine = ScreeningEngine(snapshots)
            self._ownership = OwnershipScreen(snapshots)
            self._versions = {s.source: s.version for s in snapshots}
            self._key = key
            return self._engine, self._versions
