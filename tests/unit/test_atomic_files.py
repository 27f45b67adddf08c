"""Output files are written all or nothing (issue #11, F21), with real files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dualuse.adapters.files import atomic_path, write_text_atomically


def _fail_midway(target: Path, text: str) -> None:
    with atomic_path(target) as partial:
        partial.write_text(text, encoding="utf-8")
        raise RuntimeError("killed")


def test_f21_a_failure_midway_leaves_the_existing_file_and_no_partial_one(tmp_path: Path) -> None:
    target = tmp_path / "results.csv"
    target.write_text("the previous results\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="killed"):
        _fail_midway(target, "half of the new resu")
    assert target.read_text(encoding="utf-8") == "the previous results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]


def test_f21_a_failure_midway_leaves_no_file_where_there_was_none(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="killed"):
        _fail_midway(tmp_path / "new.json", "{")
    assert list(tmp_path.iterdir()) == []


def test_f21_a_complete_write_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "list.yaml"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_text_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "fresh.yaml"
    write_text_atomically(fresh, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.yaml", "list.yaml"]
