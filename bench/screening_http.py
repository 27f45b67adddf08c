"""Batch screening over HTTP against the engine in process, in one run (the yente API's ``/match``).

The OFAC SDN list of 2024-05-03 is imported into a fresh SQLite database; the app is served by uvicorn on a
loopback port from a process of its own (as a server is: the client's JSON work does not share its
interpreter); the same queries (names of ``negatives_us.csv``, people on no list, so every query runs the
whole candidate search) are screened (1) by the engine in this process and (2) through ``POST /match/default``
in batches of 100, each batch one request and one transaction that logs every query as a screening.
Both are timed cold (a freshly built index and emptied normalisation and scoring caches, as after a list
import) and warm (the same names a second time), so neither side profits from the other's caches.
Each is given as wall-clock queries/s and as queries per CPU-second of the process doing the work (this one
for the engine, the server's for HTTP, read from /proc): on a shared machine the wall clock mostly measures
what else is running, the CPU time what the work costs.
Target: HTTP at least half the in-process throughput, cold against cold and warm against warm, per CPU-second
(the wall-clock ratio is printed beside it).

Run: .venv/bin/python bench/screening_http.py [--queries 2000]
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import secrets
import socket
import sys
import tempfile
import time
from multiprocessing.queues import Queue
from pathlib import Path

import httpx
import uvicorn

from dualuse.adapters.db import migrate
from dualuse.adapters.screening_index import StoredListsIndex
from dualuse.adapters.sources.sanctions_formats import parse
from dualuse.bootstrap import bootstrap
from dualuse.config import Environment, Settings
from dualuse.domain.identity import OrganisationKind, Principal, Role
from dualuse.domain.screening import ScreeningQuery, normalise, scoring
from dualuse.entrypoints.http.app import create_app
from dualuse.services import identity
from dualuse.services import screening as svc

TARGET_RATIO = 0.5
BATCH = 100
CUTOFF = 0.5


def shared_data() -> Path:
    env = os.environ.get("DUALUSE_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def cold(container: object) -> None:
    """Forget what earlier queries left behind: the module caches, and the index (rebuilt on next use)."""
    for module in (normalise, scoring):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    container.screening_index = StoredListsIndex()  # type: ignore[attr-defined]


class Rate:
    """Queries per second of wall clock and per CPU-second of the working process."""

    def __init__(self, queries: int, wall: float, cpu: float) -> None:
        self.wall = queries / wall
        self.cpu = queries / cpu if cpu > 0 else float("inf")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settings_for(database_url: str) -> Settings:
    return Settings(env=Environment.TEST, database_url=database_url, secret_key="b" * 40)


def serve(database_url: str, ready: Queue[int]) -> None:
    """The app in a fresh process: its index built before it reports its port, its caches otherwise cold."""
    container = bootstrap(settings_for(database_url))
    with container.uow() as uow:
        container.screening_index.engine(uow)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)  # connections wait in the backlog until uvicorn accepts them
    ready.put(listener.getsockname()[1])
    config = uvicorn.Config(create_app(container=container), log_level="warning")
    uvicorn.Server(config).run(sockets=[listener])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()
    data = shared_data()
    folder = Path(tempfile.mkdtemp(prefix="dualuse-bench-"))
    database_url = f"sqlite:///{folder / 'bench.db'}"
    container = bootstrap(settings_for(database_url))
    migrate.upgrade(container.engine)
    snapshot = parse("ofac-sdn-csv", data / "sanctions" / "ofac_sdn_csv_2024" / "sdn_2024-05-03.csv")
    with container.uow() as uow:
        svc.import_snapshot(
            uow, Principal.system("bench"), snapshot, format_name="ofac-sdn-csv", filename="sdn"
        )
    with container.uow() as uow:
        org = identity.create_organisation(
            uow, actor="bench", kind=OrganisationKind.EXPORTER, name="Bench GmbH", member_state="DE"
        )
        identity.create_user(
            uow,
            container.hasher,
            actor="bench",
            email="bench@bench.example",
            full_name="Bench",
            password=secrets.token_urlsafe(24),
            role=Role.EXPORTER_ADMIN,
            organisation_id=org.id,
        )
        token = identity.create_token(uow, actor="bench", email="bench@bench.example", name="bench").token
        uow.commit()
    with (data / "screening-bench" / "negatives_us.csv").open(encoding="utf-8") as handle:
        names = [row["full_name"] for row in csv.DictReader(handle)][: args.queries]

    def in_process() -> Rate:
        with container.uow() as uow:
            engine, _versions = container.screening_index.engine(uow)
        started, cpu = time.perf_counter(), time.process_time()
        for name in names:
            engine.screen(ScreeningQuery(name=name), threshold=CUTOFF, limit=5)
        return Rate(len(names), time.perf_counter() - started, time.process_time() - cpu)

    cold(container)
    in_process_cold = in_process()
    in_process_warm = in_process()

    context = multiprocessing.get_context("spawn")
    ready: Queue[int] = context.Queue()
    server = context.Process(target=serve, args=(database_url, ready), daemon=True)
    server.start()
    port = ready.get(timeout=600)
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"ApiKey {token}"}, timeout=300
    ) as client:

        def over_http() -> Rate:
            assert server.pid is not None  # noqa: S101 - started above
            started, cpu = time.perf_counter(), cpu_seconds(server.pid)
            for i in range(0, len(names), BATCH):
                queries = {
                    f"q{j}": {"schema": "Person", "properties": {"name": [n]}}
                    for j, n in enumerate(names[i : i + BATCH])
                }
                client.post(
                    "/match/default", json={"queries": queries}, params={"cutoff": CUTOFF}
                ).raise_for_status()
            return Rate(len(names), time.perf_counter() - started, cpu_seconds(server.pid) - cpu)

        http_cold = over_http()
        http_warm = over_http()
    server.terminate()
    server.join(timeout=10)
    print(f"{len(names)} queries against {len(snapshot)} entities (OFAC SDN 2024-05-03)")
    verdicts = []
    for label, engine_rate, http_rate in (
        ("cold", in_process_cold, http_cold),
        ("warm", in_process_warm, http_warm),
    ):
        ratio, wall_ratio = http_rate.cpu / engine_rate.cpu, http_rate.wall / engine_rate.wall
        verdicts.append(ratio >= TARGET_RATIO)
        print(
            f"  {label}: engine in process        {engine_rate.cpu:8.0f} queries/CPU-s "
            f"({engine_rate.wall:6.0f} queries/s wall)"
        )
        print(
            f"  {label}: POST /match, {BATCH} a request {http_rate.cpu:8.0f} queries/CPU-s "
            f"({http_rate.wall:6.0f} queries/s wall; each logged as a screening)"
        )
        verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
        print(
            f"  {label}: ratio {ratio:.2f} per CPU-s, {wall_ratio:.2f} wall (target >= {TARGET_RATIO}): {verdict}"
        )
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
