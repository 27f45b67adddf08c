"""Two app processes on one PostgreSQL database (issue #16): each is a real server (uvicorn, its own process,
its own loopback port), as two machines behind a load balancer would be. What one of them records, the other
honours: a session signed out through one is refused by the other, an evidence file uploaded through one is
served by the other, and a job queued by the application is done by a `dualuse worker` process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import dualuse
from dualuse.bootstrap import Container
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.domain.jobs import JobStatus
from dualuse.services.screening import RESCREEN_JOB
from tests.e2e.conftest import free_port
from tests.factories import PASSWORD, make_organisation, make_person, token_for
from tests.integration.test_screening_app import ACME_FRONT, NEWCOMER, write_list

pytestmark = pytest.mark.postgres
SOURCE = Path(dualuse.__file__).resolve().parents[1]
POSTGRES_ONLY = [pytest.param("postgresql", marks=pytest.mark.postgres)]
TRANSACTION = {
    "title": "Monitoring centre",
    "destination": "EG",
    "end_user": {"name": "Ministry of Interior", "type": "government"},
    "item": {"description": "Monitoring centre software", "control_code": None, "cyber_surveillance": True},
}
EVIDENCE = b"%PDF-1.4 end-user statement signed in Cairo"


def _environment(container: Container) -> dict[str, str]:
    return {
        **os.environ,
        "DUALUSE_DATABASE_URL": container.settings.database_url,
        # machines serving one database share the key that signs sessions (README: several machines)
        "DUALUSE_SECRET_KEY": container.settings.secret_key,
        "DUALUSE_ENV": "test",
        # the code under test, wherever the processes run from
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SOURCE), os.environ.get("PYTHONPATH")])),
    }


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "dualuse.entrypoints.cli.main", *args]


@pytest.fixture
def two_servers(container: Container, tmp_path: Path) -> Iterator[tuple[str, str]]:
    environment = _environment(container)
    processes: list[subprocess.Popen[bytes]] = []
    urls: list[str] = []
    logs: list[Any] = []
    try:
        for name in ("a", "b"):
            port = free_port()
            machine = tmp_path / name
            machine.mkdir()
            log = (tmp_path / f"server-{name}.log").open("wb")
            logs.append(log)
            processes.append(
                subprocess.Popen(
                    _cli("serve", "--port", str(port)),
                    # a working folder (and so var/, the upload folder) of its own, as on another machine
                    env=environment | {"DUALUSE_UPLOAD_DIR": str(machine / "uploads")},
                    cwd=machine,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for process, url, name in zip(processes, urls, ("a", "b"), strict=True):
            _wait_until_up(process, url, tmp_path / f"server-{name}.log")
        yield urls[0], urls[1]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)
        for log in logs:
            log.close()


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the server at {url} did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)


_open: list[httpx.Client] = []


def _client(url: str, **options: Any) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30, **options)
    _open.append(client)
    return client


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _open:
        _open.pop().close()


def _sign_in(url: str, email: str) -> tuple[httpx.Client, str]:
    client = _client(url)
    token = client.get("/login").text.split('name="csrftoken" value="')[1].split('"')[0]
    signed_in = client.post("/login", data={"email": email, "password": PASSWORD, "csrftoken": token})
    assert signed_in.status_code == 303, signed_in.text
    assert signed_in.headers["location"] != "/login"
    return client, token


def _same_browser(client: httpx.Client, url: str) -> httpx.Client:
    """A client at another server holding the first one's cookies: one browser behind a load balancer."""
    other = _client(url)
    for cookie in client.cookies.jar:
        other.cookies.set(cookie.name, cookie.value or "")
    return other


@pytest.mark.parametrize("database_url", POSTGRES_ONLY, indirect=True)
def test_two_app_processes_on_one_postgresql_honour_each_others_sessions_and_documents(
    container: Container, two_servers: tuple[str, str]
) -> None:
    url_a, url_b = two_servers
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
    api = _client(url_a, headers={"Authorization": f"Bearer {token_for(container, 'admin@acme.example')}"})
    case_id = api.post("/api/v1/due-diligence/cases", json=TRANSACTION).json()["case"]["id"]
    flags: list[dict[str, Any]] = api.get("/api/v1/due-diligence/red-flags").json()["flags"]

    # signed in through A; the same browser's next request lands on B, which knows the session
    at_a, csrf = _sign_in(url_a, "admin@acme.example")
    at_b = _same_browser(at_a, url_b)
    assert at_b.get("/due-diligence").status_code == 200

    # an evidence file uploaded through A is served by B, byte for byte
    answers = {f"answer-{f['id']}": "no" for f in flags if f["step"] == "classification"}
    uploaded = at_a.post(
        f"/due-diligence/{case_id}/steps/classification",
        data={"csrftoken": csrf, "note": "classified"} | answers,
        files={"evidence_file": ("statement.pdf", EVIDENCE, "application/pdf")},
    )
    assert uploaded.status_code == 303, uploaded.text
    page = at_b.get(f"/due-diligence/{case_id}")
    link = page.text.split(f'href="/due-diligence/{case_id}/evidence/')[1].split('"')[0]
    served = at_b.get(f"/due-diligence/{case_id}/evidence/{link}")
    assert served.status_code == 200
    assert served.content == EVIDENCE
    assert served.headers["content-type"] == "application/pdf"

    # signed out through A: B refuses the session from then on
    assert at_a.post("/logout", data={"csrftoken": csrf}).status_code == 303
    refused = at_b.get("/due-diligence")
    assert refused.status_code == 303
    assert refused.headers["location"].split("?")[0] == "/login"  # and back to the page after signing in
    assert at_b.get(f"/due-diligence/{case_id}/evidence/{link}").status_code == 303


@pytest.mark.parametrize("database_url", POSTGRES_ONLY, indirect=True)
def test_a_job_queued_by_the_application_is_done_by_a_worker_process(
    container: Container, two_servers: tuple[str, str], tmp_path: Path
) -> None:
    url_a, _ = two_servers
    acme = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE111")
    make_person(container, acme, Role.EXPORTER_ADMIN, "admin@acme.example")
    api = _client(url_a, headers={"Authorization": f"Bearer {token_for(container, 'admin@acme.example')}"})
    environment = _environment(container)
    first = subprocess.run(
        _cli("lists", "import", "ftm", str(write_list(tmp_path / "v1", [ACME_FRONT]))),
        env=environment,
        capture_output=True,
        check=False,
    )
    assert first.returncode == 0, first.stderr
    assert (
        api.post(
            "/api/v1/screening/parties", json={"name": "Blue Lantern Surveillance Systems Ltd"}
        ).status_code
        == 201
    )
    queued = subprocess.run(
        _cli(
            "lists",
            "import",
            "ftm",
            str(write_list(tmp_path / "v2", [ACME_FRONT, NEWCOMER])),
            "--in-background",
        ),
        env=environment,
        capture_output=True,
        check=False,
    )
    assert queued.returncode == 0, queued.stderr
    assert api.get("/api/v1/screening/hits", params={"alerts": True}).json() == []

    worker = subprocess.run(
        _cli("worker", "--burst"), env=environment, capture_output=True, check=False, timeout=300
    )
    assert worker.returncode == 0, worker.stderr
    with container.uow() as uow:
        # the worker also schedules the daily deadline reminders when it starts: the re-screening is the one asked for
        [job] = [j for j in uow.jobs.recent() if j.kind == RESCREEN_JOB]
    assert job.status is JobStatus.DONE
    assert (job.progress_done, job.progress_total) == (1, 1)
    assert job.locked_by is not None
    assert job.locked_by.endswith(f":{_pid_in(worker.stdout)}")
    alerts = api.get("/api/v1/screening/hits", params={"alerts": True}).json()
    assert [a["entity_name"] for a in alerts] == ["Blue Lantern Surveillance Systems"]


def _pid_in(output: bytes) -> str:
    """The worker's process id from its first line ('worker HOST:PID is waiting …')."""
    return output.decode().split("worker ", 1)[1].split(" ", 1)[0].rsplit(":", 1)[1]
