"""What the exchange endpoints answer: the receipt of an accepted document, this deployment's public key set,
and the JSON Schema of the documents."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class ExchangeReceipt(BaseModel):
    """An accepted document: stored in this deployment's inbox."""

    id: str
    kind: str
    from_state: str
    received_at: datetime


class ExchangePublicKey(BaseModel):
    key_id: str
    algorithm: str = Field(description="always Ed25519")
    public_key: str = Field(description="the 32-byte raw public key, base64")
    valid_from: str
    retired_at: str | None = Field(description="documents issued from then on are refused")


class ExchangeKeySet(BaseModel):
    """The public keys this deployment signs exchange documents with (register them with
    `dualuse exchange peer add STATE URL --key-file keys.json`)."""

    schema_: str = Field(alias="schema", serialization_alias="schema")
    states: list[str]
    keys: list[ExchangePublicKey]

    model_config = ConfigDict(populate_by_name=True)


class ExchangeDocumentSchema(BaseModel):
    """The JSON Schema (2020-12) of an exchange document; its members are JSON Schema's own."""

    model_config = ConfigDict(extra="allow")

    title: str
    type: str
