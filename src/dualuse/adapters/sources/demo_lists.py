"""The fictional demo sanctions list shipped for ``make run`` (two versions, FollowTheMoney JSON lines)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from dualuse.adapters.sources import ftm
from dualuse.domain.screening.model import ListSnapshot


def demo_snapshots() -> list[ListSnapshot]:
    """Both versions of the demo list, oldest first."""
    folder = Path(str(resources.files("dualuse") / "data" / "demo"))
    return [ftm.parse(path) for path in sorted(folder.glob("*/demo-sanctions.jsonl"))]
