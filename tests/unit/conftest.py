"""The unit suite runs without a database: any attempt to open a connection fails the test that made it
(``make unit`` relies on this; integration tests live in tests/integration)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine


def _refuse(*_args: Any, **_kwargs: Any) -> Any:
    raise AssertionError("the unit suite uses no database: put this test in tests/integration")


@pytest.fixture(autouse=True)
def _no_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Engine, "connect", _refuse)
    monkeypatch.setattr(Engine, "raw_connection", _refuse)
