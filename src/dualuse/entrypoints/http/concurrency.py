"""At most N requests at once in one process; the rest wait their turn in the event loop.

Handlers are synchronous: each runs on a worker thread and holds a database connection from the pool. With
no bound, a burst of requests can check out every connection while the requests holding them wait for a
thread that other requests occupy waiting for a connection: latency then grows by the pool's timeout. A
request waiting here holds neither a thread nor a connection, so with the pool sized for the bound
(``Settings.database_pool_size``) no request ever waits for a connection.
"""

from __future__ import annotations

import asyncio
import weakref

from starlette.types import ASGIApp, Receive, Scope, Send


class ConcurrencyLimit:
    """ASGI middleware: HTTP requests pass ``limit`` at a time, in the order they came; lifespan and
    other scopes pass untouched."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        if limit < 1:
            raise ValueError("the limit is at least one request")
        self.app = app
        self.limit = limit
        self._slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()  # one server runs one loop; a test client may run several
        slots = self._slots.get(loop)
        if slots is None:
            slots = self._slots[loop] = asyncio.Semaphore(self.limit)
        async with slots:
            await self.app(scope, receive, send)
