"""Batch screening over HTTP against the engine in process, in one run (the yente API's ``/match``).

The OFAC SDN list of 2024-05-03 is imported into a fresh SQLite database; the app is served by uvicorn on a
loopback port; the same queries (names of ``negatives_us.csv``, people on no list, so every query runs the
whole candidate search) are screened (1) by the engine in this process and (2) through ``POST /match/default``
in batches of 100, each batch one request and one transaction that logs every query as a screening.
Target: HTTP at least half the in-process throughput.

Run: .venv/bin/python bench/screening_http.py [--queries 2000]
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from dualuse.adapters.db import migrate
from dualuse.adapters.sources.sanctions_formats import parse
from dualuse.bootstrap import bootstrap
from dualuse.config import Environment, Settings
from dualuse.domain.identity import OrganisationKind, Principal, Role
from dualuse.domain.screening import ScreeningQuery
from dualuse.entrypoints.http.app import create_app
from dualuse.services import identity
from dualuse.services import screening as svc

TARGET_RATIO = 0.5
BATCH = 100
CUTOFF = 0.5


def shared_data() -> Path:
    env = os.environ.get("DUALUSE_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()
    data = shared_data()
    folder = Path(tempfile.mkdtemp(prefix="dualuse-bench-"))
    settings = Settings(
        env=Environment.TEST, database_url=f"sqlite:///{folder / 'bench.db'}", secret_key="b" * 40
    )
    container = bootstrap(settings)
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
    with container.uow() as uow:
        engine, _versions = container.screening_index.engine(uow)

    started = time.perf_counter()
    for name in names:
        engine.screen(ScreeningQuery(name=name), threshold=CUTOFF, limit=5)
    in_process = len(names) / (time.perf_counter() - started)

    server = uvicorn.Server(
        uvicorn.Config(create_app(container=container), host="127.0.0.1", port=0, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not (server.started and server.servers):
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"ApiKey {token}"}, timeout=300
    ) as client:
        started = time.perf_counter()
        for i in range(0, len(names), BATCH):
            queries = {
                f"q{j}": {"schema": "Person", "properties": {"name": [n]}}
                for j, n in enumerate(names[i : i + BATCH])
            }
            client.post(
                "/match/default", json={"queries": queries}, params={"cutoff": CUTOFF}
            ).raise_for_status()
        over_http = len(names) / (time.perf_counter() - started)
    server.should_exit = True
    thread.join(timeout=10)
    ratio = over_http / in_process
    print(f"{len(names)} queries against {len(snapshot)} entities (OFAC SDN 2024-05-03)")
    print(f"  engine in process:          {in_process:8.0f} queries/s")
    print(f"  POST /match, {BATCH} a request: {over_http:8.0f} queries/s (each logged as a screening)")
    verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
    print(f"  ratio {ratio:.2f} (target >= {TARGET_RATIO}): {verdict}")
    return 0 if ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
