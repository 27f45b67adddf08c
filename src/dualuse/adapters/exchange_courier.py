"""Carries exchange documents to a peer deployment: an HTTP POST of the JSON document to ``/exchange/inbox``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from dualuse.services.exchange.ports import Delivery

INBOX_PATH = "/exchange/inbox"


class HttpCourier:
    """Posts with httpx; a peer that is down, slow or refusing is a failed delivery, never an exception."""

    def __init__(self, timeout: float = 20.0, transport: httpx.BaseTransport | None = None) -> None:
        self._timeout = timeout
        self._transport = transport

    def deliver(self, base_url: str, document: Mapping[str, Any]) -> Delivery:
        try:
            with httpx.Client(timeout=self._timeout, transport=self._transport) as client:
                response = client.post(
                    base_url.rstrip("/") + INBOX_PATH,
                    json=dict(document),
                    headers={"Accept": "application/json"},
                )
        except httpx.HTTPError as error:
            return Delivery(False, None, f"{type(error).__name__}: {error}")
        if response.is_success:
            return Delivery(True, response.status_code, "accepted")
        detail = _problem(response)
        already = response.status_code == httpx.codes.CONFLICT and "exchange-replayed" in detail
        return Delivery(False, response.status_code, f"HTTP {response.status_code}: {detail}", already)


def _problem(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(body, dict):
        return f"{body.get('type', '')} {body.get('detail', '')}".strip()
    return str(body)[:300]
