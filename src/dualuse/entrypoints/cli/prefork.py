"""``dualuse serve --workers N`` (N > 1): the app and the screening index are built once in this process, then
N worker processes are forked from it. The workers share what was built (the operating system copies a page
only when one of them writes to it) and serve requests on one listening socket; this process only watches
over them. SQLAlchemy's advice for forked processes is followed: "Using Connection Pools with Multiprocessing
or os.fork()"."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType

import uvicorn
from fastapi import FastAPI

from dualuse.bootstrap import Container
from dualuse.domain.errors import DualUseError

# The server's own log: the supervisor's lines sit among the workers' in one stream and one format.
log = logging.getLogger("uvicorn.error")

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
# uvicorn's exit status when the app's start-up (its lifespan) fails: another fork would fail alike
STARTUP_FAILURE = 3
QUICK_DEATH_SECONDS = 1.0
# how often a worker hands the memory it freed back to the operating system (see `release_free_memory`)
TRIM_SECONDS = 10.0


def release_free_memory() -> bool:
    """Hand the memory the C allocator holds free back to the operating system (glibc's ``malloc_trim``);
    False where the C library has no such call.

    A worker's temporary arrays are freed after each query, but glibc keeps the freed memory (much of it
    on pages first shared with the other workers, now copied) for later use; handed back, a worker holds
    little more than its caches of its own."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


def _release_free_memory_every(seconds: float) -> None:
    while True:
        time.sleep(seconds)
        release_free_memory()


def warm_screening_index(container: Container) -> int:
    """Build the screening index (and the ownership graphs) for the list versions stored now; the number of
    listed entities it holds."""
    with container.uow() as uow:
        engine, _versions = container.screening_index.engine(uow)
        container.screening_index.ownership(uow)
    return sum(len(snapshot.entities) for snapshot in engine.snapshots)


def listening_socket(host: str, port: int) -> socket.socket:
    """The socket every worker accepts connections on, bound here so that all share it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise DualUseError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve_forked(container: Container, app: FastAPI, host: str, port: int, workers: int) -> int:
    """Serve ``app`` from ``workers`` forked processes until SIGINT or SIGTERM; the exit status."""
    config = uvicorn.Config(app, log_level="info")  # first: it sets up the log the lines below go to
    sock = listening_socket(host, port)  # before the index's build: a port in use is told at once
    entities = warm_screening_index(container)
    log.info("screening index built once for %d workers: %d entities", workers, entities)
    # This process needs no database connection while it supervises; the workers open their own.
    container.engine.dispose()
    # What was built is kept for the process's life: moved out of the collector's reach, so that no
    # collection in a worker writes to (and so copies) the pages it shares with the others.
    gc.collect()
    gc.freeze()
    release_free_memory()  # what the build freed: no worker is to copy it

    def work() -> None:
        container.engine.dispose(close=False)  # the pool's connections, if any, belong to this process
        log.info("worker %d serving (forked from %d)", os.getpid(), os.getppid())
        threading.Thread(
            target=_release_free_memory_every, args=(TRIM_SECONDS,), name="release-free-memory", daemon=True
        ).start()
        uvicorn.Server(config).run(sockets=[sock])

    return Supervisor(work, workers).run()


class Supervisor:
    """Keeps ``workers`` forked processes running ``work`` until told to stop."""

    def __init__(self, work: Callable[[], None], workers: int) -> None:
        self._work = work
        self._workers = workers
        self._children: dict[int, float] = {}  # pid: when it was forked (monotonic clock)
        self._stopping = False

    def run(self) -> int:
        """Fork the workers and keep them running until a stop signal; the exit status."""
        previous = {signum: signal.signal(signum, self._stop) for signum in STOP_SIGNALS}
        try:
            return self._supervise()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _supervise(self) -> int:
        for _ in range(self._workers):
            self._fork()
        status = 0
        while self._children:
            pid, wait_status = os.wait()  # retried after a signal's handler has run (PEP 475)
            forked = self._children.pop(pid, None)
            if self._stopping:
                continue
            how = _how_it_ended(wait_status)
            if os.waitstatus_to_exitcode(wait_status) == STARTUP_FAILURE:
                log.error("worker %d %s: the app could not start; stopping the others", pid, how)
                status = 1
                self._stop(signal.SIGTERM, None)
                continue
            log.warning("worker %d %s; starting another in its place", pid, how)
            if forked is not None and time.monotonic() - forked < QUICK_DEATH_SECONDS:
                time.sleep(QUICK_DEATH_SECONDS)  # no tight loop of forks if every new worker dies at once
            if not self._stopping:
                self._fork()
        log.info("all workers have stopped")
        return status

    def _fork(self) -> None:
        # A stop signal arriving between the fork and the bookkeeping would miss the new worker: hold them.
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        pid = os.fork()
        if pid == 0:
            self._child()
        self._children[pid] = time.monotonic()
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)

    def _child(self) -> None:
        """In the forked worker: run the work and exit, never returning into the parent's code."""
        code = 1
        try:
            for signum in STOP_SIGNALS:  # uvicorn installs its own once it runs; until then, stop at once
                signal.signal(signum, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
            self._work()
            code = 0
        except SystemExit as exc:
            code = 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            log.exception("worker %d failed", os.getpid())
        finally:
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        """First stop signal: ask every worker to finish its requests and stop; a second one: kill them."""
        again = self._stopping
        self._stopping = True
        if not again:
            log.info("%s: stopping %d workers", signal.Signals(signum).name, len(self._children))
        for pid in self._children:
            with contextlib.suppress(ProcessLookupError):  # already gone, not yet reaped
                os.kill(pid, signal.SIGKILL if again else signal.SIGTERM)


def _how_it_ended(wait_status: int) -> str:
    if os.WIFSIGNALED(wait_status):
        return f"was killed by {signal.Signals(os.WTERMSIG(wait_status)).name}"
    return f"exited with status {os.waitstatus_to_exitcode(wait_status)}"
