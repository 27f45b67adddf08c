"""The handbook's editions kept as files, one JSON file per edition (``edition-0001.json``) holding the
edition's number, date, hash and versions and the snapshot it was built from. The files stand on their own:
they need neither the source tree nor the database, so any machine can compare the next edition with them."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from dualuse.adapters.files import write_text_atomically
from dualuse.domain.handbook import Edition, Snapshot
from dualuse.services.handbook import RecordedEdition

_NAME = re.compile(r"^edition-(\d{4,})\.json$")


class FileEditionStore:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def _numbers(self) -> list[int]:
        if not self.directory.is_dir():
            return []
        found = (_NAME.match(p.name) for p in self.directory.iterdir())
        return sorted(int(m.group(1)) for m in found if m)

    def _path(self, number: int) -> Path:
        return self.directory / f"edition-{number:04d}.json"

    def get(self, number: int) -> RecordedEdition | None:
        path = self._path(number)
        if number < 1 or not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        edition = Edition(
            number=int(data["number"]),
            made_on=date.fromisoformat(data["made_on"]),
            content_hash=str(data["content_hash"]),
            list_version=str(data["list_version"]),
            rules_version=str(data["rules_version"]),
        )
        snapshot: Snapshot = data["snapshot"]
        return RecordedEdition(edition, snapshot)

    def latest(self) -> RecordedEdition | None:
        numbers = self._numbers()
        return self.get(numbers[-1]) if numbers else None

    def record(self, edition: Edition, snapshot: Snapshot) -> None:
        """Write the edition's file whole or not at all (written beside it, then renamed into place)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        document = {
            "number": edition.number,
            "made_on": edition.made_on.isoformat(),
            "content_hash": edition.content_hash,
            "list_version": edition.list_version,
            "rules_version": edition.rules_version,
            "snapshot": snapshot,
        }
        write_text_atomically(
            self._path(edition.number), json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
        )
