"""The customs data shipped as YAML (``dualuse/data/customs``): the Art. 21(4) periods of a hold."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from dualuse.adapters.sources.yaml_files import load_yaml
from dualuse.domain.customs import HoldLimits
from dualuse.domain.errors import ImportFailedError


def load_hold_limits(path: Path | None = None) -> HoldLimits:
    if path is None:
        return _shipped()
    return _load(Path(path))


@functools.lru_cache(maxsize=1)
def _shipped() -> HoldLimits:
    return _load(Path(str(resources.files("dualuse") / "data" / "customs" / "hold_limits.yaml")))


def _load(path: Path) -> HoldLimits:
    document = load_yaml(path.read_text(encoding="utf-8"), path.name)
    if not isinstance(document, dict):
        raise ImportFailedError("the file is not a mapping", location=path.name)
    days = _period(document.get("working_days"), path.name)
    extended = _period(document.get("extended_working_days"), path.name)
    if extended < days:
        raise ImportFailedError("the extended period is not shorter than the first", location=path.name)
    source, verified = document.get("source"), document.get("verified")
    if not isinstance(source, str) or not source.strip() or not isinstance(verified, bool):
        raise ImportFailedError("`source` and `verified` are required", location=path.name)
    return HoldLimits(days, extended, source.strip(), verified)


def _period(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 60:
        raise ImportFailedError(f"a period is 1 to 60 working days, not {value!r}", location=name)
    return value
