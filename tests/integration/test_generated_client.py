"""A client generated from the running app's OpenAPI document works against it (issue 16: the document is
complete enough that a client can be generated and used).

The generator is ``openapi-python-client`` (pinned in the Makefile), installed in a folder of its own
(``.venv/tools/openapi-python-client``) because it pins older httpx and Typer than the app uses. The test
fetches ``/openapi.json`` from the app served by uvicorn on loopback, generates the client into the test's
folder, and uses it as an exporter would: who am I, classify a product, determine a transaction, list the
licences and read one, verify it publicly, and read the typed problem of a refused or missing resource.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import uvicorn

from dualuse.adapters.db import migrate
from dualuse.bootstrap import Container, bootstrap, load_demo_world, load_reference_data
from dualuse.config import Environment, Settings
from dualuse.entrypoints.api.schemas.determination import EXAMPLE
from dualuse.entrypoints.http.app import create_app
from dualuse.services import identity

GENERATOR = Path(
    os.environ.get("DUALUSE_OPENAPI_GENERATOR", str(Path(sys.prefix) / "tools" / "openapi-python-client"))
)
PACKAGE = "dualuse_api_client"
CONFIG = """\
post_hooks: []
content_type_overrides:
  application/pdf: application/octet-stream
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Container, str]]:
    """The demo world on SQLite, and an API token of the German exporter's administrator."""
    folder = tmp_path_factory.mktemp("generated-client")
    container = bootstrap(
        Settings(env=Environment.TEST, database_url=f"sqlite:///{folder / 'api.db'}", secret_key="g" * 40)
    )
    migrate.upgrade(container.engine)
    load_reference_data(container)
    load_demo_world(container)
    with container.uow() as uow:
        token = identity.create_token(
            uow, actor="test", email="exporter@demo.dualuse.eu", name="client"
        ).token
        uow.commit()
    yield container, token
    container.engine.dispose()


@pytest.fixture(scope="module")
def server(world: tuple[Container, str]) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port."""
    config = uvicorn.Config(create_app(container=world[0]), host="127.0.0.1", port=0, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(1000):
        if running.started and running.servers:
            break
        time.sleep(0.02)
    assert running.servers, "the server did not start"
    port = running.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


def generate(spec: Path, folder: Path) -> str:
    """Run the generator on ``spec``; the package lands in ``folder/PACKAGE``. Returns what it printed."""
    if not (GENERATOR / "openapi_python_client").is_dir():
        pytest.fail(f"openapi-python-client is not installed in {GENERATOR}: run `make` (see the Makefile)")
    config = folder / "generator.yaml"
    config.write_text(CONFIG)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(spec),
            "--output-path",
            str(folder / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        env={**os.environ, "PYTHONPATH": str(GENERATOR)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


@pytest.fixture
def client_package(server: str, tmp_path: Path) -> Iterator[ModuleType]:
    spec = tmp_path / "openapi.json"
    spec.write_bytes(httpx.get(f"{server}/openapi.json", timeout=30).raise_for_status().content)
    output = generate(spec, tmp_path)
    # every operation and every model was generated: the generator warns about any piece it had to leave out
    assert "Warning" not in output, output
    operations = sum(len(item) for item in json.loads(spec.read_text())["paths"].values())
    modules = [p for p in (tmp_path / PACKAGE / "api").rglob("*.py") if p.name != "__init__.py"]
    assert len(modules) == operations
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def operation(name: str) -> Any:
    """A generated operation module, e.g. ``identity.me_api_v1_me_get``."""
    return importlib.import_module(f"{PACKAGE}.api.{name}")


def model(name: str) -> Any:
    return getattr(importlib.import_module(f"{PACKAGE}.models"), name)


def test_a_client_generated_from_the_openapi_document_works_against_the_running_app(
    client_package: ModuleType, server: str, world: tuple[Container, str]
) -> None:
    _container, token = world
    Problem = model("Problem")
    with client_package.AuthenticatedClient(base_url=server, token=token) as client:
        me = operation("identity.me_api_v1_me_get").sync(client=client)
        assert isinstance(me, model("MeOut"))
        assert (me.email, me.role) == ("exporter@demo.dualuse.eu", "exporter_admin")

        classify = operation("control_list.classify_api_v1_control_list_classify_post")
        candidates = classify.sync(
            client=client, body=model("ClassifyIn")(description="IMSI catcher intercepting mobile phones")
        )
        assert candidates, "no candidate entries"
        assert all(isinstance(c, model("CandidateOut")) and 0 <= c.score <= 1 for c in candidates)

        determine = operation("determination.determine_api_v1_determinations_post")
        case = model("DetermineApiV1DeterminationsPostCase").from_dict(EXAMPLE)
        answer = determine.sync(client=client, body=case)
        assert isinstance(answer, model("DeterminationOut"))
        assert answer.understood.destination.code == "CN"
        assert [item.id for item in answer.items] == ["1"]
        assert answer.items[0].legal_basis, "a determination always names its legal basis"

        licences = operation("licensing.list_licences_api_v1_licences_get").sync(client=client)
        assert licences, "the demo exporter holds a licence"
        first = licences[0]
        licence = operation("licensing.get_licence_api_v1_licences_number_get").sync(
            first.number, client=client
        )
        assert isinstance(licence, model("LicenceOut"))
        assert (licence.number, licence.check_code) == (first.number, first.check_code)
        assert licence.items
        assert licence.items[0].line == 1

        missing = operation("licensing.get_licence_api_v1_licences_number_get").sync(
            "XX-2026-999999", client=client
        )
        assert isinstance(missing, Problem)
        assert missing.status == 404

    with client_package.Client(base_url=server) as public:
        verify = operation("licensing.verify_api_v1_verify_number_get")
        verified = verify.sync(licence.number, client=public, code=licence.check_code)
        assert isinstance(verified, model("VerificationOut"))
        assert verified.genuine is True
        assert verified.number == licence.number

        refused = operation("identity.me_api_v1_me_get").sync_detailed(client=public)
        assert refused.status_code == 401
        assert isinstance(refused.parsed, Problem)
        assert "sign in" in refused.parsed.detail
