"""Bounds on what a request may carry (issue #11, F10 and F17), checked before any handler runs.

- Size: a body larger than its route's limit is refused with 413, whether it announces its length
  (``Content-Length``) or streams it in chunks; evidence uploads and control-list amendment imports have
  larger limits of their own (``Settings.max_upload_bytes``, ``max_import_bytes``).
- NUL characters: no field of any form or JSON document accepts U+0000 (PostgreSQL cannot store it in
  text), so a form field, JSON string, query string or path carrying one is refused with 400.
- Multipart: only the forms that upload files take ``multipart/form-data``; elsewhere it is refused with
  415 rather than reaching a form parser that expects ``application/x-www-form-urlencoded``.

Refusals are problem documents for the API and readable pages for browsers (``errors.problem``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from fastapi import HTTPException
from starlette.datastructures import FormData, Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dualuse.domain.errors import ValidationError
from dualuse.entrypoints.http.csrf import SELF_CHECKED_MULTIPART
from dualuse.entrypoints.http.errors import problem

# The forms that upload files (due-diligence evidence): the paths that check their own CSRF token.
UPLOAD_PATHS = SELF_CHECKED_MULTIPART
# API routes that take a whole data file in their body.
IMPORT_PATHS = (
    re.compile(r"^/api/v1/control-list/amendments$"),
    re.compile(r"^/api/v1/screening/lists/[\w-]+$"),
)
NUL_DETAIL = "the request contains a NUL character (U+0000), which no field accepts: remove it and try again"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.3g} MB"


def contains_nul(value: Any) -> bool:
    """Whether a decoded JSON value holds U+0000 in any string or key."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(contains_nul(v) for v in value)
    return False


class NulCharacterError(ValidationError):
    """A field holds U+0000."""

    status = 400
    code = "nul-character"


def refuse_nul_in_form(form: FormData) -> None:
    """For forms parsed by their handler (multipart uploads): refuse a text field holding U+0000."""
    if any("\x00" in k or (isinstance(v, str) and "\x00" in v) for k, v in form.multi_items()):
        raise NulCharacterError(NUL_DETAIL)


def _body_has_nul(body: bytes) -> bool:
    if b"\x00" in body or b"%00" in body:  # raw, or percent-encoded in a urlencoded form
        return True
    if b"\\u0000" not in body:  # the JSON escape: look closer only when it may be there
        return False
    try:
        return contains_nul(json.loads(body))
    except (ValueError, RecursionError):
        return False  # not JSON, or nested too deep to read: the handler refuses it with 400


class _TooLargeError(Exception):
    pass


class RequestGuard:
    """ASGI middleware enforcing the bounds above on every HTTP request."""

    def __init__(self, app: ASGIApp, *, body_limit: int, upload_limit: int, import_limit: int) -> None:
        self.app = app
        self.body_limit = body_limit
        self.upload_limit = upload_limit
        self.import_limit = import_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        upload = any(p.match(path) for p in UPLOAD_PATHS)
        limit = (
            self.upload_limit
            if upload
            else self.import_limit
            if any(p.match(path) for p in IMPORT_PATHS)
            else self.body_limit
        )
        headers = Headers(scope=scope)
        if "\x00" in path or b"%00" in scope.get("query_string", b""):
            await self._refuse(scope, receive, send, 400, "Invalid input", NUL_DETAIL, "nul-character")
            return
        content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if content_type == "multipart/form-data" and not upload:
            detail = "this address takes a form (application/x-www-form-urlencoded) or JSON, not multipart"
            await self._refuse(scope, receive, send, 415, "Unsupported media type", detail, "media-type")
            return
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await self._too_large(scope, receive, send, limit)
            return
        if upload:  # streamed to the handler, counted on the way: a file is not held twice
            await self.app(scope, _counted(receive, limit), send)
            return
        try:
            body = await _read_body(receive, limit)
        except _TooLargeError:
            await self._too_large(scope, receive, send, limit)
            return
        if _body_has_nul(body):
            await self._refuse(scope, receive, send, 400, "Invalid input", NUL_DETAIL, "nul-character")
            return
        await self.app(scope, _replay(body, receive), send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        detail = f"the request is larger than the {_megabytes(limit)} this address accepts"
        await self._refuse(scope, receive, send, 413, "Request too large", detail, "request-too-large")

    @staticmethod
    async def _refuse(
        scope: Scope, receive: Receive, send: Send, status: int, title: str, detail: str, code: str
    ) -> None:
        response = problem(Request(scope), status, title, detail, code)
        await response(scope, receive, send)


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away; the handler will see an empty body
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLargeError
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # later: the disconnect, as the server reports it

    return replay


def _counted(receive: Receive, limit: int) -> Receive:
    size = 0

    async def counted() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                raise HTTPException(
                    413, f"the request is larger than the {_megabytes(limit)} this address accepts"
                )
        return message

    return counted
