"""Helpers for tests of concurrent writers on real databases: start requests at one moment and widen the
window between a use case's check and its write, so that a race that can happen does happen."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import pytest
from fastapi.testclient import TestClient

from dualuse.bootstrap import Container
from dualuse.entrypoints.http.app import create_app

T = TypeVar("T")


class Rendezvous:
    """A barrier that does not break: each caller waits until ``parties`` callers have arrived or
    ``timeout`` seconds have passed, then goes on. Callers held up elsewhere (a row lock taken before the
    check) therefore delay the others by at most ``timeout`` instead of deadlocking the test."""

    def __init__(self, parties: int, timeout: float = 0.5) -> None:
        self._parties = parties
        self._timeout = timeout
        self._arrived = 0
        self._condition = threading.Condition()

    def wait(self) -> None:
        with self._condition:
            self._arrived += 1
            self._condition.notify_all()
            deadline = time.monotonic() + self._timeout
            while self._arrived < self._parties:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self._condition.wait(left)


@contextmanager
def pause_before(
    monkeypatch: pytest.MonkeyPatch, owner: type, method: str, rendezvous: Rendezvous, *, after: bool = False
) -> Iterator[None]:
    """Make every call of ``owner.method`` (a repository's write) wait at ``rendezvous`` first (or, with
    ``after``, once it has run): every writer has then made its checks before any of them writes."""
    original = getattr(owner, method)

    def paused(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not after:
            rendezvous.wait()
        result = original(self, *args, **kwargs)
        if after:
            rendezvous.wait()
        return result

    with monkeypatch.context() as patch:
        patch.setattr(owner, method, paused)
        yield


def at_once(calls: Sequence[Callable[..., T]], timeout: float = 120) -> list[T]:
    """Run the calls in threads of their own, released together; their results in order (an exception
    raised by a call is re-raised here)."""
    start = threading.Barrier(len(calls), timeout=timeout)
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            start.wait()
            results[index] = call()
        except BaseException as error:  # handed back to the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    assert not any(t.is_alive() for t in threads), "a concurrent call did not finish"
    return results


def api_clients(container: Container, token: str, n: int) -> list[TestClient]:
    """``n`` API clients of one app, signed in with ``token``. The app is made ready first: a request
    matching no route has it prepare every route, which it does lazily on first use and which is not what
    a race test is about."""
    app = create_app(container=container)
    assert TestClient(app).get("/api/v1/no-such-route").status_code == 404
    made = [TestClient(app) for _ in range(n)]
    for api in made:
        api.headers["Authorization"] = f"Bearer {token}"
    return made


def statuses(responses: list[Any]) -> list[int]:
    """The HTTP statuses of ``responses``, sorted."""
    return sorted(r.status_code for r in responses)
