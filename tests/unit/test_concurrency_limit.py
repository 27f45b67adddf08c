"""The per-process request bound: at most N requests inside the app at once, the others wait (none is refused),
and lifespan events pass untouched."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

from dualuse.entrypoints.http.concurrency import ConcurrencyLimit

T = TypeVar("T")


class Probe:
    """An ASGI app that records how many requests are inside it at once."""

    def __init__(self) -> None:
        self.inside = 0
        self.most = 0
        self.served = 0
        self.scopes: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.scopes.append(scope["type"])
        await receive()
        self.inside += 1
        self.most = max(self.most, self.inside)
        await asyncio.sleep(0.01)
        self.inside -= 1
        self.served += 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run on a fresh loop in a thread of its own: the suite's browser tests keep a loop running in the
    main thread, where ``asyncio.run`` refuses to start another."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=30)


async def _request(app: Any, scope_type: str = "http") -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app({"type": scope_type, "method": "GET", "path": "/"}, receive, send)
    return sent


@pytest.mark.parametrize(("limit", "requests"), [(1, 5), (3, 20), (16, 10)])
def test_at_most_limit_requests_inside_and_every_one_served(limit: int, requests: int) -> None:
    probe = Probe()
    app = ConcurrencyLimit(probe, limit=limit)

    async def burst() -> list[list[dict[str, Any]]]:
        return await asyncio.gather(*(_request(app) for _ in range(requests)))

    responses = run(burst())
    assert probe.most == min(limit, requests)
    assert probe.served == requests
    assert all(r[0]["status"] == 200 for r in responses)


def test_other_scopes_pass_without_a_slot() -> None:
    probe = Probe()
    app = ConcurrencyLimit(probe, limit=1)

    async def lifespan_while_busy() -> None:
        busy = asyncio.create_task(_request(app))
        await asyncio.sleep(0)  # the one slot is taken
        await asyncio.wait_for(_request(app, "lifespan"), timeout=1)  # not kept waiting
        await busy

    run(lifespan_while_busy())
    assert probe.most == 2  # the lifespan call ran beside the request
    assert sorted(probe.scopes) == ["http", "lifespan"]


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        ConcurrencyLimit(Probe(), limit=0)
