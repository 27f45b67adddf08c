"""Password hashing (Argon2 through pwdlib) and the shipped list of common passwords."""

from __future__ import annotations

import gzip
import secrets
from functools import cache
from importlib.resources import files

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


@cache
def common_passwords() -> frozenset[str]:
    """The 20,000 most common passwords, lowercased (``data/passwords/README.md`` gives the source)."""
    data = files("dualuse").joinpath("data/passwords/common-passwords.txt.gz").read_bytes()
    return frozenset(line.strip() for line in gzip.decompress(data).decode("utf-8").splitlines() if line)


class Argon2PasswordHasher:
    """Argon2id with the library's recommended cost; ``light`` (the test environment only) keeps the
    algorithm and lowers the cost to one pass over 1 MiB, so that a test suite creating hundreds of users does
    not spend minutes hashing. A hash records its own parameters: either verifies the other's hashes."""

    def __init__(self, *, light: bool = False) -> None:
        hasher = Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1) if light else Argon2Hasher()
        self._hash = PasswordHash((hasher,))
        self._dummy: str | None = None

    def hash(self, password: str) -> str:
        return self._hash.hash(password)

    def verify(self, password: str, password_hash: str) -> bool:
        return self._hash.verify(password, password_hash)

    def dummy_hash(self) -> str:
        """A hash of a random secret, made with this hasher's parameters (so verifying against it costs
        what verifying a user's hash costs); made once per process."""
        if self._dummy is None:
            self._dummy = self.hash(secrets.token_urlsafe(32))
        return self._dummy

    def is_common(self, password: str) -> bool:
        return password.lower().strip() in common_passwords()
