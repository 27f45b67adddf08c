"""Small helpers shared by the repositories."""

from __future__ import annotations

from typing import Any


def new_id(result: Any) -> int:
    """The primary key an INSERT produced."""
    (inserted,) = result.inserted_primary_key
    return int(inserted)
