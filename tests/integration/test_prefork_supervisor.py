"""The supervisor of ``dualuse serve --workers N`` with stand-in workers (real forked processes): a worker that
dies is replaced, one whose app cannot start stops them all, and the caller's signal handlers come back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dualuse.entrypoints.cli import prefork
from dualuse.entrypoints.cli.prefork import STARTUP_FAILURE, Supervisor

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forks")


def test_a_worker_that_dies_is_replaced_until_the_stop_signal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prefork, "QUICK_DEATH_SECONDS", 0.05)
    started = tmp_path / "started"
    before = signal.getsignal(signal.SIGTERM)

    def work() -> None:
        with started.open("a") as out:
            out.write(f"{os.getpid()}\n")
        if len(started.read_text().splitlines()) <= 3:
            sys.exit(1)  # the first three die at once
        os.kill(os.getppid(), signal.SIGTERM)  # the fourth asks the supervisor to stop, then waits for it
        time.sleep(30)

    assert Supervisor(work, 1).run() == 0
    pids = [int(line) for line in started.read_text().splitlines()]
    assert len(set(pids)) == 4
    assert not any(Path(f"/proc/{pid}").exists() for pid in pids)
    assert signal.getsignal(signal.SIGTERM) == before


def test_a_worker_whose_app_cannot_start_is_not_replaced(tmp_path: Path) -> None:
    started = tmp_path / "started"

    def work() -> None:
        with started.open("a") as out:
            out.write(f"{os.getpid()}\n")
        sys.exit(STARTUP_FAILURE)

    assert Supervisor(work, 1).run() == 1
    assert len(started.read_text().splitlines()) == 1


RELEASE = """
from dualuse.entrypoints.cli.prefork import release_free_memory

def resident():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096

blocks = [bytes(64 * 1024) for _ in range(2000)]  # 128 MB in blocks glibc takes from its heap
pin = bytes(64 * 1024)  # after them: the freed blocks are not at the heap's end, so nothing gives them back
del blocks
before = resident()
print(release_free_memory(), before - resident())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_a_worker_hands_the_memory_it_freed_back_to_the_system() -> None:
    done = subprocess.run(
        [sys.executable, "-c", RELEASE], capture_output=True, text=True, check=True, timeout=60
    )
    released, handed_back = done.stdout.split()
    assert released == "True"
    assert int(handed_back) > 64 * 2**20  # half of it at least; nothing without the call
