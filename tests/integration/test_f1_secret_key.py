"""F1: sessions and licence check codes are never signed with the public demo key unless a demo is served on
this machine alone; without a configured key one is generated on first start and kept beside the database."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner

from dualuse.adapters.db import migrate
from dualuse.adapters.secret_key import KEY_FILE_NAME
from dualuse.bootstrap import bootstrap
from dualuse.config import DEMO_SECRET_KEY, Environment, Settings
from dualuse.domain.errors import ConfigurationError
from dualuse.domain.identity import OrganisationKind, Role
from dualuse.entrypoints.http.app import create_app
from tests.factories import make_organisation, make_person


def _forged_session(secret: str, user_id: int) -> str:
    """A session cookie as Starlette's SessionMiddleware signs it, for ``user_id``."""
    payload = base64.b64encode(json.dumps({"user_id": user_id}).encode("utf-8"))
    return TimestampSigner(secret).sign(payload).decode("utf-8")


def test_f1_without_a_configured_key_one_is_generated_beside_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db' / 'dualuse.db'}"
    (tmp_path / "db").mkdir()
    first = bootstrap(Settings(database_url=url))
    second = bootstrap(Settings(database_url=url))
    key_file = tmp_path / "db" / KEY_FILE_NAME
    assert first.settings.secret_key != DEMO_SECRET_KEY
    assert len(first.settings.secret_key) >= 32
    assert second.settings.secret_key == first.settings.secret_key, "the key must survive a restart"
    assert key_file.read_text().strip() == first.settings.secret_key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    other = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'elsewhere.db'}"))
    assert other.settings.secret_key != first.settings.secret_key


def test_f1_a_session_forged_with_the_demo_key_is_not_accepted(tmp_path: Path) -> None:
    container = bootstrap(Settings(env=Environment.TEST, database_url=f"sqlite:///{tmp_path / 'app.db'}"))
    migrate.upgrade(container.engine)
    exporter = make_organisation(container, OrganisationKind.EXPORTER, "Acme GmbH", "DE", "DE123456789")
    person = make_person(container, exporter, Role.EXPORTER_ADMIN, "admin@acme.example")
    client = TestClient(create_app(container=container))
    token = client.get("/login").text.split('name="csrftoken" value="')[1].split('"')[0]
    signed_in = client.post(
        "/login", data={"email": person.email, "password": person.password, "csrftoken": token}
    )
    assert signed_in.status_code == 200, signed_in.text
    real = client.cookies["dualuse_session"]
    assert client.get("/account", follow_redirects=False).status_code == 200
    # the very same session, signed with the public demo key instead of the key in use: refused
    payload = TimestampSigner(container.settings.secret_key).unsign(real)
    client.cookies.clear()
    client.cookies.set("dualuse_session", TimestampSigner(DEMO_SECRET_KEY).sign(payload).decode("utf-8"))
    assert client.get("/account", follow_redirects=False).status_code in {302, 303, 401}
    client.cookies.set("dualuse_session", _forged_session(DEMO_SECRET_KEY, person.principal.user_id or 0))
    assert client.get("/account", follow_redirects=False).status_code in {302, 303, 401}
    container.engine.dispose()


@pytest.mark.parametrize(
    ("demo", "host"),
    [(False, "127.0.0.1"), (True, "0.0.0.0"), (True, "192.168.1.10"), (False, "0.0.0.0")],  # noqa: S104
)
def test_f1_the_demo_key_is_refused_outside_a_local_demo(demo: bool, host: str) -> None:
    with pytest.raises(ConfigurationError, match="demo key"):
        Settings(secret_key=DEMO_SECRET_KEY, demo=demo, host=host)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_f1_the_demo_key_is_accepted_in_a_demo_on_loopback(host: str) -> None:
    assert Settings(secret_key=DEMO_SECRET_KEY, demo=True, host=host).secret_key == DEMO_SECRET_KEY


def test_f1_serving_a_demo_keyed_app_on_a_public_address_is_refused() -> None:
    settings = Settings(secret_key=DEMO_SECRET_KEY, demo=True, host="127.0.0.1")
    with pytest.raises(ConfigurationError):
        settings.refuse_demo_secret("0.0.0.0")  # noqa: S104


def test_f1_a_short_configured_key_is_refused_in_every_mode() -> None:
    with pytest.raises(ConfigurationError, match="shorter"):
        Settings(secret_key="short")


def test_f1_production_on_any_database_needs_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DUALUSE_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="DUALUSE_SECRET_KEY"):
        Settings(env=Environment.PRODUCTION, database_url="postgresql+psycopg://db.example/dualuse")
