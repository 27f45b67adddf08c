"""The payload of each kind of document, as pydantic models; their JSON Schema is published at
``/exchange/schema.json`` (and shipped in ``data/exchange/schema/``, kept equal to these models by a test).

Legal bases are cited with how far they were checked (/work/shared/reference/regulation-articles.md): Art.
14(1) and Art. 16(1), 16(5) seen in the official text; Art. 16(2) (review of denials) and the content of a
denial notice are not fixed by the text ("relevant information"): the fields below are our design.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from dualuse.domain.exchange import SCHEMA, DocumentError, DocumentKind

State = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code")
Text = Field(min_length=1, max_length=2000)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Party(_Strict):
    name: str = Field(min_length=1, max_length=300)
    country: str = State
    address: str | None = Field(default=None, max_length=500)


class Item(_Strict):
    description: str = Field(min_length=1, max_length=1000)
    control_code: str | None = Field(default=None, max_length=40, description="Annex I entry, e.g. 5A001.f.1")


class Denial(_Strict):
    """Art. 16(1): a refusal, annulment, suspension, substantial limitation or revocation of an
    authorisation, or a determination that an export is not to be authorised."""

    reference: str = Field(min_length=1, max_length=100, description="the issuing authority's own reference")
    decision: Literal[
        "refusal", "annulment", "suspension", "limitation", "revocation", "not_to_be_authorised"
    ]
    decided_on: date
    legal_basis: str = Field(default="Art. 16(1)", max_length=100)
    activity: Literal["export", "brokering", "technical_assistance", "transit"] = "export"
    destination: str = State
    end_user: Party
    consignee: Party | None = None
    item: Item
    reason: str = Text


class DenialWithdrawal(_Strict):
    """A denial revoked (the three-year review of Art. 16(2) is unverified: any withdrawal is accepted)."""

    reference: str = Field(min_length=1, max_length=100, description="the reference of the denial withdrawn")
    withdrawn_on: date
    reason: str = Text


class ConsultationRequest(_Strict):
    """Art. 14(1) (items in another member state; objections within 10 working days) or Art. 16(5) (an
    essentially identical transaction was denied by the consulted state)."""

    reference: str = Field(min_length=1, max_length=100)
    legal_basis: Literal["Art. 14(1)", "Art. 14(2)", "Art. 16(5)"]
    denial_reference: str | None = Field(default=None, max_length=100, description="Art. 16(5): the denial")
    destination: str = State
    end_user: Party
    item: Item
    question: str = Text
    reply_by: date | None = None


class ConsultationAnswer(_Strict):
    reference: str = Field(min_length=1, max_length=100)
    request_id: str = Field(pattern=r"^[0-9a-f-]{36}$", description="the id of the request document")
    position: Literal["no_objection", "objection", "information"]
    answer: str = Text


class CatchAllNotice(_Strict):
    """The authority informed an exporter that a non-listed item needs an authorisation (Arts. 4(1), 5(1),
    6(1), 8(1)); the other states are told so that they can act likewise."""

    reference: str = Field(min_length=1, max_length=100)
    legal_basis: Literal["Art. 4(1)", "Art. 5(1)", "Art. 6(1)", "Art. 8(1)"]
    issued_on: date
    destination: str = State
    end_user: Party
    item: Item
    summary: str = Text


class Art5Information(_Strict):
    """Art. 5(4)-(6): what a state learnt about cyber-surveillance items (an exporter's notification, a
    decision to impose an authorisation requirement)."""

    reference: str = Field(min_length=1, max_length=100)
    legal_basis: Literal["Art. 5(4)", "Art. 5(5)", "Art. 5(6)"]
    destination: str = State
    end_user: Party | None = None
    item: Item
    summary: str = Text


MODELS: Mapping[DocumentKind, type[_Strict]] = {
    DocumentKind.DENIAL: Denial,
    DocumentKind.DENIAL_WITHDRAWAL: DenialWithdrawal,
    DocumentKind.CONSULTATION_REQUEST: ConsultationRequest,
    DocumentKind.CONSULTATION_ANSWER: ConsultationAnswer,
    DocumentKind.CATCH_ALL_NOTICE: CatchAllNotice,
    DocumentKind.ART5_INFORMATION: Art5Information,
}


def check_payload(kind: DocumentKind, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload as JSON (dates as text), or ``DocumentError`` naming the first wrong field."""
    try:
        model = MODELS[kind].model_validate(dict(payload))
    except PydanticValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in ("payload", *first["loc"]))
        raise DocumentError(f"{where}: {first['msg']} (kind {kind.value})", field=where) from None
    return model.model_dump(mode="json", exclude_none=True)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of an exchange document, one branch per kind."""
    definitions: dict[str, Any] = {}
    branches = []
    for kind, model in MODELS.items():
        schema = model.model_json_schema(ref_template="#/$defs/{model}")
        definitions.update(schema.pop("$defs", {}))
        definitions[model.__name__] = schema
        branches.append(
            {
                "properties": {
                    "kind": {"const": kind.value},
                    "payload": {"$ref": f"#/$defs/{model.__name__}"},
                }
            }
        )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "/exchange/schema.json",
        "title": f"dualuse exchange document ({SCHEMA})",
        "description": (
            "A document exchanged between member states' deployments. The signature is Ed25519 over the "
            "canonical form: every member but signature as JSON with sorted keys, no whitespace, UTF-8, no "
            "floating-point numbers (RFC 8785 for these documents)."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": [
            "schema",
            "id",
            "kind",
            "from_state",
            "to_states",
            "issued_at",
            "key_id",
            "payload",
            "signature",
        ],
        "properties": {
            "schema": {"const": SCHEMA},
            "id": {"type": "string", "format": "uuid"},
            "kind": {"enum": [k.value for k in DocumentKind]},
            "from_state": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "to_states": {
                "type": "array",
                "items": {"type": "string", "pattern": "^[A-Z]{2}$"},
                "minItems": 1,
                "uniqueItems": True,
            },
            "issued_at": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"},
            "key_id": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,80}$"},
            "payload": {"type": "object"},
            "signature": {"type": "string", "contentEncoding": "base64"},
        },
        "oneOf": branches,
        "$defs": definitions,
    }


def shipped_schema() -> dict[str, Any]:
    """The schema file shipped with the package (what ``/exchange/schema.json`` serves)."""
    text = (
        resources.files("dualuse").joinpath("data/exchange/schema/exchange-1.schema.json").read_text("utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded
