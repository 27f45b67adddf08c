"""Passwords are hashed with Argon2id; the test environment's lighter cost never reaches production."""

from __future__ import annotations

from dualuse.adapters.security import Argon2PasswordHasher
from dualuse.bootstrap import bootstrap
from dualuse.config import Environment, Settings

SECRET = "a-production-secret-key-of-at-least-32-chars"


def test_standard_and_light_hashes_verify_each_other() -> None:
    standard, light = Argon2PasswordHasher(), Argon2PasswordHasher(light=True)
    strong = standard.hash("correct horse")
    cheap = light.hash("correct horse")
    assert strong.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert cheap.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    assert light.verify("correct horse", strong)
    assert standard.verify("correct horse", cheap)
    assert not standard.verify("wrong horse", cheap)


def test_only_the_test_environment_hashes_light(tmp_path: object) -> None:
    for env, prefix in (
        (Environment.PRODUCTION, "$argon2id$v=19$m=65536"),
        (Environment.DEVELOPMENT, "$argon2id$v=19$m=65536"),
        (Environment.TEST, "$argon2id$v=19$m=1024"),
    ):
        settings = Settings(env=env, database_url="sqlite:///:memory:", secret_key=SECRET)
        container = bootstrap(settings)
        assert container.hasher.hash("pw").startswith(prefix), env
        container.engine.dispose()
