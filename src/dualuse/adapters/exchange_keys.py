"""The deployment's Ed25519 signing keys for the exchange between national systems (pyca ``cryptography``).

Private keys live in files of their own (PKCS#8 PEM, readable by their owner only, written once like the other
keys: ``key_files.write_once``), one per key id, in ``DUALUSE_EXCHANGE_KEY_DIR`` or, by default, beside the
SQLite database (``dualuse.db`` → ``dualuse.db.exchange-keys/``) or in ``var/exchange-keys/`` for PostgreSQL.
The database holds only the public halves and their validity, so every machine can verify while only the one
holding the key directory can sign. No key is ever made on its own: ``dualuse exchange keygen`` makes the first
(the demo world makes one for itself in demo mode only).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.engine import make_url

from dualuse.adapters.key_files import write_once
from dualuse.domain.errors import ConfigurationError

PUBLIC_KEY_BYTES = 32


class Ed25519Scheme:
    """Verifies Ed25519 signatures (RFC 8032) over the canonical bytes of a document."""

    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        if len(public_key) != PUBLIC_KEY_BYTES:
            return False
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


class FileSigner:
    """Signs with one private key read from its file."""

    def __init__(self, key_id: str, private_key: Ed25519PrivateKey) -> None:
        self.key_id = key_id
        self._key = private_key

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)


def default_key_dir(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        database = Path(url.database)
        return database.with_name(database.name + ".exchange-keys")
    return Path("var") / "exchange-keys"


def key_id_for(public_key: bytes, created_at: datetime, label: str) -> str:
    """``FR-20261205-<12 hex of the SHA-256 of the public key>``: readable, and unique to the key."""
    digest = hashlib.sha256(public_key).hexdigest()[:12]
    return f"{label}-{created_at.strftime('%Y%m%d')}-{digest}"


class KeyDirectory:
    """The private keys of this deployment, one PEM file per key id."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key_id: str) -> Path:
        return self.directory / f"{key_id}.pem"

    def create(self, created_at: datetime, label: str) -> tuple[str, bytes]:
        """A new key pair: its private half written to a file of its own; returns its id and public half."""
        private = Ed25519PrivateKey.generate()
        public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        key_id = key_id_for(public, created_at, label)
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode("ascii")
        if not write_once(self._path(key_id), pem.strip()):
            raise ConfigurationError(f"a key file for {key_id} exists already in {self.directory}")
        return key_id, public

    def signer(self, key_id: str) -> FileSigner:
        path = self._path(key_id)
        if not path.exists():
            raise ConfigurationError(
                f"the private key {key_id} is not in {self.directory}: this machine cannot sign exchange "
                "documents (set DUALUSE_EXCHANGE_KEY_DIR to the directory holding it)"
            )
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ConfigurationError(f"{path} does not hold an Ed25519 private key")
        return FileSigner(key_id, loaded)


def ephemeral_signer(created_at: datetime, label: str) -> tuple[FileSigner, bytes]:
    """A key pair that lives in memory only (the demo's fictitious peer signs with one and forgets it)."""
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return FileSigner(key_id_for(public, created_at, label), private), public
