"""Two national deployments on loopback (issue 18 item 4): France's and Germany's, each a real server
(uvicorn, its own process and port) on its own SQLite file with its own signing key, each registered as the
other's peer with the CLI. France publishes a denial while Germany is down: the outbox counts the attempt and
backs off; Germany comes up and receives it once. Germany refuses a tampered copy, a replay and a document
signed with a key it does not know, each with a problem document, and stores none of them. Germany answers;
France receives the answer."""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

import dualuse
from dualuse.adapters.exchange_keys import KeyDirectory
from dualuse.bootstrap import bootstrap
from dualuse.config import Environment, Settings
from dualuse.domain.exchange import DocumentKind, canonical_bytes, unsigned_document, with_signature
from dualuse.services.exchange import inbox
from dualuse.services.exchange.ports import OutboxItem, ReceivedDocument
from tests.e2e.conftest import free_port

SOURCE = Path(dualuse.__file__).resolve().parents[1]
DENIAL = {
    "reference": "FR-2026-0042",
    "decision": "refusal",
    "decided_on": "2026-12-01",
    "destination": "IR",
    "end_user": {"name": "Pars Trading Co.", "country": "IR"},
    "item": {"description": "Frequency changers", "control_code": "3A225"},
    "reason": "Risk of diversion to a WMD programme",
}


@dataclass
class Deployment:
    state: str
    folder: Path
    port: int = field(default_factory=free_port)
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(40))
    server: subprocess.Popen[bytes] | None = None
    log: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.folder / 'dualuse.db'}"

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "DUALUSE_DATABASE_URL": self.database_url,
            "DUALUSE_SECRET_KEY": self.secret,
            "DUALUSE_ENV": "test",
            "DUALUSE_EXCHANGE_STATES": self.state,
            "DUALUSE_OPERATOR": f"operator-{self.state.lower()}",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(SOURCE), os.environ.get("PYTHONPATH")])),
        }

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "dualuse.entrypoints.cli.main", *args],
            env=self.environment(),
            cwd=self.folder,
            capture_output=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr.decode() + done.stdout.decode()
        return done.stdout.decode()

    def start(self) -> None:
        self.log = log = (self.folder / "server.log").open("wb")
        self.server = subprocess.Popen(
            [sys.executable, "-m", "dualuse.entrypoints.cli.main", "serve", "--port", str(self.port)],
            env=self.environment(),
            cwd=self.folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"{self.state} did not start:\n{(self.folder / 'server.log').read_text(errors='replace')}"
                )
            time.sleep(0.2)

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=20)
        if self.log is not None:
            self.log.close()

    def _read(self) -> tuple[list[ReceivedDocument], list[OutboxItem]]:
        container = bootstrap(
            Settings(env=Environment.TEST, database_url=self.database_url, secret_key=self.secret)
        )
        try:
            with container.uow() as uow:
                return list(inbox.received(uow)), list(uow.exchange.outbox())
        finally:
            container.engine.dispose()

    def received(self) -> list[ReceivedDocument]:
        return self._read()[0]

    def outbox(self) -> list[OutboxItem]:
        return self._read()[1]


@pytest.fixture
def france_and_germany(tmp_path: Path) -> Iterator[tuple[Deployment, Deployment]]:
    deployments = []
    for state in ("FR", "DE"):
        folder = tmp_path / state.lower()
        folder.mkdir()
        deployment = Deployment(state, folder)
        deployment.cli("db", "upgrade")
        deployment.cli("exchange", "keygen")
        deployment.cli("exchange", "public-keys", "--output", str(tmp_path / f"{state.lower()}-keys.json"))
        deployments.append(deployment)
    france, germany = deployments
    france.cli("exchange", "peer", "add", "DE", germany.url, "--key-file", str(tmp_path / "de-keys.json"))
    germany.cli("exchange", "peer", "add", "FR", france.url, "--key-file", str(tmp_path / "fr-keys.json"))
    try:
        yield france, germany
    finally:
        for deployment in deployments:
            deployment.stop()


def test_two_deployments_exchange_a_signed_denial_and_refuse_forgeries(
    france_and_germany: tuple[Deployment, Deployment], tmp_path: Path
) -> None:
    france, germany = france_and_germany
    payload = tmp_path / "denial.json"
    payload.write_text(json.dumps(DENIAL), encoding="utf-8")
    said = france.cli("exchange", "publish", "--kind", "denial", "--from", "FR", "--to", "DE", str(payload))
    assert "queued for DE" in said

    # Germany is down: the attempt is counted and the next one put off
    assert "0 delivered, 1 failed" in france.cli("exchange", "send-pending")
    [item] = france.outbox()
    assert item.attempts == 1
    assert item.delivered_at is None
    assert "ConnectError" in (item.last_error or "")
    first_wait = item.next_attempt_at - datetime.now(UTC)
    assert "0 delivered, 0 failed" in france.cli("exchange", "send-pending")  # not due yet
    assert "0 delivered, 1 failed" in france.cli("exchange", "send-pending", "--retry-now")
    [item] = france.outbox()
    assert item.attempts == 2
    assert item.next_attempt_at - datetime.now(UTC) > first_wait  # backed off further

    # Germany comes up: the denial is delivered, accepted once and visible there
    germany.start()
    france.start()
    assert "1 delivered, 0 failed" in france.cli("exchange", "send-pending", "--retry-now")
    [item] = france.outbox()
    assert item.delivered_at is not None
    [received] = germany.received()
    document = dict(item.document)
    assert received.document_id == document["id"]
    assert (received.kind, received.from_state, received.local) == ("denial", "FR", False)
    assert received.payload["end_user"]["name"] == "Pars Trading Co."

    def refused(doc: dict[str, Any], status: int, code: str) -> str:
        answer = httpx.post(f"{germany.url}/exchange/inbox", json=doc, timeout=30)
        assert answer.status_code == status, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["type"] == f"https://dualuse.eu/problems/{code}"
        assert len(germany.received()) == 1  # nothing stored
        detail: str = answer.json()["detail"]
        return detail

    assert document["id"] in refused(document, 409, "exchange-replayed")
    tampered = json.loads(json.dumps(document))
    tampered["payload"]["reason"] = "No reason at all"
    assert "changed after it was signed" in refused(tampered, 403, "exchange-bad-signature")
    # a key France never published, signing an otherwise well-formed French denial
    stranger = KeyDirectory(tmp_path / "stranger")
    stranger_id, _ = stranger.create(datetime.now(UTC), "FR")
    unsigned = unsigned_document(
        kind=DocumentKind.DENIAL,
        from_state="FR",
        to_states=["DE"],
        issued_at=datetime.now(UTC),
        key_id=stranger_id,
        payload=DENIAL,
    )
    unknown = with_signature(unsigned, stranger.signer(stranger_id).sign(canonical_bytes(unsigned)))
    assert stranger_id in refused(unknown, 403, "exchange-unknown-key")
    # France's real key id on a document it did not sign
    forged = {**unknown, "key_id": document["key_id"]}
    forged["signature"] = base64.b64encode(
        stranger.signer(stranger_id).sign(canonical_bytes(forged))
    ).decode()
    refused(forged, 403, "exchange-bad-signature")

    # Germany answers the way back
    answer = tmp_path / "answer.json"
    answer.write_text(
        json.dumps(
            {
                "reference": "DE-2026-7",
                "request_id": document["id"],
                "position": "information",
                "answer": "Noted.",
            }
        ),
        encoding="utf-8",
    )
    germany.cli(
        "exchange", "publish", "--kind", "consultation_answer", "--from", "DE", "--to", "FR", str(answer)
    )
    assert "1 delivered" in germany.cli("exchange", "send-pending")
    [back] = france.received()
    assert (back.kind, back.from_state, back.payload["request_id"]) == (
        "consultation_answer",
        "DE",
        document["id"],
    )
    keys = httpx.get(f"{france.url}/exchange/keys.json", timeout=30).json()
    assert keys["states"] == ["FR"]
