"""The correlation of Combined Nomenclature codes with Annex I entries shipped in
``dualuse/data/customs/cn_correlation.yaml`` (format in that file's header)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from dualuse.adapters.sources.yaml_files import load_yaml
from dualuse.domain.controllist.codes import ControlCode, InvalidControlCodeError
from dualuse.domain.customs import CnCorrelation, CorrelationRow
from dualuse.domain.errors import ImportFailedError, ValidationError


def shipped_path() -> Path:
    """The shipped correlation file."""
    return Path(str(resources.files("dualuse") / "data" / "customs" / "cn_correlation.yaml"))


def load_cn_correlation(path: Path | None = None) -> CnCorrelation:
    """The correlation in ``path`` (default: the shipped one, read once per process); ``ImportFailedError``
    naming the row on a CN code or control code that is not one, or a row without a source."""
    if path is None:
        return _shipped()
    return _load(Path(path))


@functools.lru_cache(maxsize=1)
def _shipped() -> CnCorrelation:
    return _load(shipped_path())


def _load(path: Path) -> CnCorrelation:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ImportFailedError(f"cannot be read: {exc.strerror or exc}", location=name) from exc
    document: Any = load_yaml(text, name)
    if not isinstance(document, Mapping) or not isinstance(document.get("rows"), list):
        raise ImportFailedError("expected a mapping with source, verified and rows", location=name)
    rows = []
    for i, row in enumerate(document["rows"]):
        where = f"rows[{i}]"
        try:
            if not isinstance(row, Mapping):
                raise ValueError("expected a mapping with cn, entries, note, source and verified")
            if not str(row.get("source") or "").strip() or not isinstance(row.get("verified"), bool):
                raise ValueError("every row carries its source and a verified mark")
            entries = row.get("entries")
            if not isinstance(entries, list):
                raise ValueError("entries must be a list of Annex I codes")
            rows.append(
                CorrelationRow(
                    cn=str(row.get("cn")),
                    entries=tuple(ControlCode.parse(str(e)) for e in entries),
                    note=str(row.get("note") or ""),
                    source=str(row["source"]),
                    verified=bool(row["verified"]),
                )
            )
        except (ValueError, ValidationError, InvalidControlCodeError) as exc:
            detail = exc.detail if isinstance(exc, ValidationError) else str(exc)
            raise ImportFailedError(f"{where}: {detail}", location=name) from exc
    try:
        return CnCorrelation.of(
            rows, source=str(document.get("source") or ""), verified=bool(document.get("verified", False))
        )
    except ValueError as exc:
        raise ImportFailedError(str(exc), location=name) from exc
