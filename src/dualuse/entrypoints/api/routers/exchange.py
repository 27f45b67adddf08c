"""The exchange between national deployments over HTTP (docs/exchange.md). Other deployments post signed
documents to ``/exchange/inbox`` without a session or token: the signature is the authentication. The key set
and the document schema are public."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body

from dualuse.entrypoints.api.schemas.exchange import ExchangeDocumentSchema, ExchangeKeySet, ExchangeReceipt
from dualuse.entrypoints.api.schemas.problems import API_ERRORS
from dualuse.entrypoints.http.deps import ContainerDep, UowDep
from dualuse.services.exchange import inbox, keys, payloads

router = APIRouter(prefix="/exchange", tags=["exchange between member states"], responses=API_ERRORS)


@router.post(
    "/inbox",
    response_model=ExchangeReceipt,
    status_code=201,
    summary="Receive a signed document from another member state's deployment (authenticated by its signature)",
)
def receive(
    document: Annotated[dict[str, Any], Body(description="an exchange document, see /exchange/schema.json")],
    uow: UowDep,
    container: ContainerDep,
) -> dict[str, Any]:
    now = datetime.now(UTC)
    envelope = inbox.accept(uow, document, container.exchange_setup(), now)
    uow.commit()
    return {
        "id": envelope.id,
        "kind": envelope.kind.value,
        "from_state": envelope.from_state,
        "received_at": now,
    }


@router.get(
    "/keys.json",
    response_model=ExchangeKeySet,
    response_model_by_alias=True,
    summary="The public keys this deployment signs exchange documents with (public)",
)
def key_set(uow: UowDep, container: ContainerDep) -> dict[str, Any]:
    return keys.key_set(uow, container.exchange_setup())


@router.get(
    "/schema.json",
    response_model=ExchangeDocumentSchema,
    summary="The JSON Schema of exchange documents (public)",
)
def schema() -> dict[str, Any]:
    return payloads.shipped_schema()
