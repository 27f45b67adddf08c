"""FastAPI dependencies: the container, a unit of work, and who is asking."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Request

from dualuse.adapters.db.uow import SqlUnitOfWork
from dualuse.bootstrap import Container
from dualuse.domain.errors import AuthenticationError
from dualuse.domain.identity import Principal
from dualuse.services import identity


async def get_container(request: Request) -> Container:  # async: no thread hop for a lookup
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def get_uow(container: ContainerDep) -> Iterator[SqlUnitOfWork]:
    with container.uow() as uow:
        yield uow


UowDep = Annotated[SqlUnitOfWork, Depends(get_uow)]


def get_principal(request: Request, uow: UowDep) -> Principal:
    """A bearer token (API) or the signed-in session (web); otherwise the anonymous public. Read in the
    request's own unit of work (FastAPI shares one per request), so a request checks out one connection."""
    authorization = request.headers.get("authorization", "")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        # "ApiKey" is how yente's clients (the yente-client SDK, nomenklatura's enricher) send theirs
        if scheme.lower() not in ("bearer", "apikey") or not token.strip():
            raise AuthenticationError("use an 'Authorization: Bearer <token>' (or 'ApiKey <token>') header")
        return identity.principal_for_token(uow, token.strip())
    user_id = request.session.get("user_id") if "session" in request.scope else None
    if isinstance(user_id, int):
        return identity.principal_for_user_id(uow, user_id)
    return Principal.public()


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def require_user(principal: PrincipalDep) -> Principal:
    if not principal.is_authenticated:
        raise AuthenticationError("sign in, or send an API token")
    return principal


UserDep = Annotated[Principal, Depends(require_user)]


# Row ids are 32-bit integers on both databases: anything else is a 422, never a database error.
RowId = Annotated[int, Path(ge=1, le=2**31 - 1, description="a row id")]
