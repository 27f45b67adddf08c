"""``dualuse serve --workers 2`` as a real process on loopback (issue #14, point 5): the screening index is built
once in the parent, two workers forked from it answer on one port, a worker killed is replaced, and SIGTERM
stops them all."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

import dualuse
from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.cli.main import app as cli
from tests.e2e.conftest import free_port
from tests.factories import make_organisation, make_person, token_for
from tests.integration.test_screening_app import ACME_FRONT, PERSON, write_list

SOURCE = Path(dualuse.__file__).resolve().parents[1]
WORKER_LINE = re.compile(r"worker (\d+) serving \(forked from (\d+)\)")
pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc")


class Server:
    def __init__(self, process: subprocess.Popen[bytes], log: Path, port: int) -> None:
        self.process = process
        self.log = log
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def workers(self) -> list[int]:
        """The workers that said they serve, in order of start (the killed ones too)."""
        return [int(m.group(1)) for m in WORKER_LINE.finditer(self.output())]

    def wait_for(self, what: str, ready: Callable[[], bool], seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while not ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{what} did not happen:\n{self.output()}")
            time.sleep(0.1)


@pytest.fixture
def server(container: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setenv("DUALUSE_DATABASE_URL", container.settings.database_url)
    monkeypatch.setenv("DUALUSE_SECRET_KEY", container.settings.secret_key)
    imported = CliRunner().invoke(
        cli, ["lists", "import", "ftm", str(write_list(tmp_path, [ACME_FRONT, PERSON]))]
    )
    assert imported.exit_code == 0, imported.output
    environment = {
        **os.environ,
        "DUALUSE_DATABASE_URL": container.settings.database_url,
        "DUALUSE_SECRET_KEY": container.settings.secret_key,
        "DUALUSE_ENV": "test",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SOURCE), os.environ.get("PYTHONPATH")])),
    }
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dualuse.entrypoints.cli.main",
                "serve",
                "--workers",
                "2",
                "--port",
                str(port),
            ],
            env=environment,
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    running = Server(process, log, port)
    try:
        running.wait_for("two workers starting", lambda: len(running.workers()) == 2)
        running.wait_for("the health check answering", lambda: _healthy(running.url))
        yield running
    finally:
        if process.poll() is None:
            process.kill()
            for pid in running.workers():
                _kill(pid)
            process.wait(timeout=10)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def _parent_of(pid: int) -> int:
    # /proc/PID/stat: "pid (name) state ppid ..."; the name may hold spaces, so split after its ")"
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _answered_by(port: int, workers: list[int]) -> int:
    """Which worker answers a new connection: the one holding the server's end of it."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert conn.recv(64).startswith(b"HTTP/1.1 200")
        client_port = conn.getsockname()[1]
        inode = _server_end_inode(port, client_port)
        for pid in workers:
            fds = Path(f"/proc/{pid}/fd")
            if any(os.readlink(fd) == f"socket:[{inode}]" for fd in fds.iterdir()):
                return pid
    raise AssertionError(f"no worker among {workers} holds the connection")


def _server_end_inode(port: int, client_port: int) -> str:
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = int(fields[1].split(":")[1], 16), int(fields[2].split(":")[1], 16)
        if (local, remote) == (port, client_port):
            return fields[9]
    raise AssertionError(f"no connection from port {client_port} to {port}")


def _screen(server: Server, token: str) -> None:
    for _ in range(4):
        response = httpx.post(
            f"{server.url}/api/v1/screening/screen",
            json={"name": "Crimson Harbor Trading", "schema": "organization"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        assert [m["entity_id"] for m in response.json()["matches"]] == ["t-1"]


def test_workers_forked_from_one_built_index_answer_are_replaced_and_stop_together(
    container: Container, server: Server
) -> None:
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
    token = token_for(container, "admin@acme.example")
    parent = server.process.pid
    first, second = server.workers()
    assert _parent_of(first) == _parent_of(second) == parent
    # the index over the imported list was built once, in the parent, before the workers were forked
    assert server.output().count("screening index built once for 2 workers: 2 entities") == 1
    first_worker_line = WORKER_LINE.search(server.output())
    assert first_worker_line is not None
    assert server.output().index("screening index built once") < first_worker_line.start()
    _screen(server, token)

    # each worker answers: with the other one paused, every connection goes to it
    for serving, paused in ((first, second), (second, first)):
        os.kill(paused, signal.SIGSTOP)
        try:
            assert _answered_by(server.port, [first, second]) == serving
        finally:
            os.kill(paused, signal.SIGCONT)

    # a worker killed outright is replaced by a new fork of the parent, and requests go on being answered
    os.kill(first, signal.SIGKILL)
    server.wait_for("a replacement worker", lambda: len(server.workers()) == 3)
    replacement = server.workers()[2]
    assert f"worker {first} was killed by SIGKILL; starting another in its place" in server.output()
    assert _parent_of(replacement) == parent
    assert not _alive(first)
    _screen(server, token)
    os.kill(second, signal.SIGSTOP)
    try:
        assert _answered_by(server.port, [replacement, second]) == replacement
    finally:
        os.kill(second, signal.SIGCONT)

    # SIGTERM to the parent stops every worker and then the parent, within a few seconds
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=10) == 0
    assert not _alive(second)
    assert not _alive(replacement)
    assert "all workers have stopped" in server.output()
