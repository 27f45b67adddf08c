"""Sign-in returns to the page that was asked for.

Every page that needs a signed-in user answers an anonymous GET with a redirect to ``/login``. This
middleware adds the page asked for as ``?next=`` to that redirect, in one place rather than in each view;
the sign-in form carries it and, after signing in, goes there if it is a local path (``safe_next``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from dualuse.entrypoints.http.wording import safe_next

Scope = dict[str, Any]


class ReturnAfterSignIn:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        query = scope.get("query_string", b"").decode("latin-1")
        asked = safe_next(path + (f"?{query}" if query else ""))

        async def send_with_next(message: dict[str, Any]) -> None:
            if (
                message["type"] == "http.response.start"
                and asked
                and message.get("status") in (302, 303, 307)
            ):
                headers = [
                    (k, b"/login?next=" + quote(asked, safe="/").encode())
                    if k.lower() == b"location" and v == b"/login"
                    else (k, v)
                    for k, v in message.get("headers", [])
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_next)
