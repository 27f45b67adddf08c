"""Test support: FastAPI's analysis of a route's endpoint, done once per test process rather than once per app.

Nearly every test builds its own app (its own database, its own container) from the same module-level routers.
FastAPI (0.137 and later) works out each included route's dependencies, parameter fields and response field the
first time a request meets the route *in a given app*: some 0.3-0.5 s for the first page of every app, and a
third of the whole suite's time. What it works out depends only on the endpoint, the path and the route's
dependencies, never on the app, so it is kept here per process, keyed by those objects (held, so that an id is
never reused), and every app still gets its own route contexts, handlers and dependency-override lookups. Only
module-level endpoints and dependencies are kept: a closure made for one app is analysed afresh, so no app is
kept alive by this cache.

Only what FastAPI computes is remembered, never a response; production code is untouched. If FastAPI's private
helpers change shape, nothing is patched and the suite merely runs slower (``install`` returns False)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import routing, utils

_dependants: dict[tuple[Any, ...], tuple[Any, Any]] = {}
_fields: dict[tuple[Any, ...], Any] = {}


def _module_level(call: Any) -> bool:
    """A function defined at module or class level, shared by every app (not a closure made for one)."""
    return call is None or "<locals>" not in getattr(call, "__qualname__", "<locals>")


def _remember_dependant(build: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(build)
    def remembered(*, path: str, call: Callable[..., Any], dependencies: Sequence[Any]) -> Any:
        if not all(_module_level(c) for c in (call, *(getattr(d, "dependency", None) for d in dependencies))):
            return build(path=path, call=call, dependencies=dependencies)  # made per app: never kept alive
        held = (call, tuple(dependencies))
        key = (path, id(call), tuple(id(d) for d in dependencies))
        found = _dependants.get(key)
        if found is None:
            found = _dependants[key] = (held, build(path=path, call=call, dependencies=dependencies))
        return found[1]

    return remembered


def _remember_field(create: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(create)
    def remembered(name: str, type_: Any = None, mode: str = "validation", **rest: Any) -> Any:
        if rest:  # a field with its own FieldInfo or default: built as FastAPI would
            return create(name=name, type_=type_, mode=mode, **rest)
        try:
            key = (name, type_, mode)
            hash(key)
        except TypeError:
            return create(name=name, type_=type_, mode=mode)
        found = _fields.get(key)
        if found is None:
            found = _fields[key] = create(name=name, type_=type_, mode=mode)
        return found

    return remembered


def install() -> bool:
    build = getattr(routing, "_build_dependant_with_parameterless_dependencies", None)
    create = getattr(routing, "create_model_field", None)
    if build is None or create is None or create is not utils.create_model_field:
        return False
    routing._build_dependant_with_parameterless_dependencies = _remember_dependant(build)  # type: ignore[attr-defined]
    routing.create_model_field = _remember_field(create)  # type: ignore[attr-defined]
    return True
