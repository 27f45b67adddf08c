"""Password hashing (Argon2 through pwdlib) and API token secrets."""

from __future__ import annotations

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


class Argon2PasswordHasher:
    """Argon2id with the library's recommended cost; ``light`` (the test environment only) keeps the
    algorithm and lowers the cost to one pass over 1 MiB, so that a test suite creating hundreds of users does
    not spend minutes hashing. A hash records its own parameters: either verifies the other's hashes."""

    def __init__(self, *, light: bool = False) -> None:
        hasher = Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1) if light else Argon2Hasher()
        self._hash = PasswordHash((hasher,))

    def hash(self, password: str) -> str:
        return self._hash.hash(password)

    def verify(self, password: str, password_hash: str) -> bool:
        return self._hash.verify(password, password_hash)
