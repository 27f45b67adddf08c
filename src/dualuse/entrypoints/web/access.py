"""Refusals come before form errors: a form re-renders with its errors only for someone allowed to use it.

A page that caught every ``DualUseError`` to show it beside the form turned a refusal (401/403/404) into a
400 form page, and a form that checked its input before calling the use case told a principal who may not
use it what was wrong with the input. Both are answered here: ``refused`` lets a refusal through to the
error handlers; ``require`` refuses up front, before any input is read.
"""

from __future__ import annotations

from dualuse.domain.errors import DualUseError
from dualuse.domain.identity import Permission, Principal, authorize

REFUSALS = frozenset({401, 403, 404})


def refused(exc: DualUseError) -> bool:
    """Whether ``exc`` refuses the request (not a mistake in the form, which the form shows)."""
    return exc.status in REFUSALS


def require(principal: Principal, permission: Permission) -> None:
    """Refuse, before the form is read, whoever may never use it."""
    authorize(principal, permission)
