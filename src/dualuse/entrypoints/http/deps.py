"""FastAPI dependencies: the container, a unit of work, and who is asking."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Path, Request

from dualuse.adapters.db.uow import SqlUnitOfWork
from dualuse.bootstrap import Container
from dualuse.domain.errors import AuthenticationError, DualUseError, PermissionDeniedError
from dualuse.domain.identity import Principal
from dualuse.domain.throttling import Limit, client_key
from dualuse.services import identity
from dualuse.services.identity import sessions, throttling


async def get_container(request: Request) -> Container:  # async: no thread hop for a lookup
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def get_uow(container: ContainerDep) -> Iterator[SqlUnitOfWork]:
    with container.uow() as uow:
        yield uow


UowDep = Annotated[SqlUnitOfWork, Depends(get_uow)]


SESSION_KEY = "sid"  # the session secret in the signed cookie (its hash is in the database)


def client_address(request: Request) -> str | None:
    """The client's address (uvicorn takes it from X-Forwarded-For only behind a trusted proxy)."""
    return request.client.host if request.client else None


def get_principal(request: Request, uow: UowDep, container: ContainerDep) -> Principal:
    """A bearer token (API) or the signed-in session (web); otherwise the anonymous public. Read in the
    request's own unit of work (FastAPI shares one per request), so a request checks out one connection;
    a refused token, or a session's last use, is written in a short transaction of its own."""
    authorization = request.headers.get("authorization", "")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        # "ApiKey" is how yente's clients (the yente-client SDK, nomenklatura's enricher) send theirs
        if scheme.lower() not in ("bearer", "apikey") or not token.strip():
            raise AuthenticationError("use an 'Authorization: Bearer <token>' (or 'ApiKey <token>') header")
        try:
            principal, stored = identity.principal_for_token(uow, token.strip())
        except AuthenticationError as refused:
            sessions.refuse_token(
                container.uow(),
                container.access_policy,
                client=client_address(request),
                reason=refused.detail,
            )
            raise
        if not stored.scope.allows(request.method):
            raise PermissionDeniedError(
                f"the API token {stored.prefix}… is read-only: it may not {request.method}"
            )
        return principal
    secret = request.session.get(SESSION_KEY) if "session" in request.scope else None
    if not isinstance(secret, str):
        return Principal.public()
    check = sessions.check_session(uow, container.access_policy, secret)
    sessions.record_use(container.uow(), check)
    if check.end:
        request.session.clear()
    return check.principal


@contextmanager
def limited(container: Container, request: Request, limit: Limit, *, refusal: str) -> Iterator[None]:
    """Count the request against ``limit`` per client address (refused with 429 and ``refusal`` beyond
    it); a request refused for its content (a ``DualUseError`` inside the block) is not counted."""
    client = client_address(request)
    attempts = [(limit, client_key(client))]
    throttling.take(
        container.uow(),
        attempts,
        refusal=throttling.wait_message(refusal),
        audit_action=f"{limit.action}.throttled",
        audit_after={"client": client, "path": request.url.path},
    )
    try:
        yield
    except DualUseError:
        throttling.give_back(container.uow(), attempts)
        raise


PrincipalDep = Annotated[Principal, Depends(get_principal)]


class SignInRequiredError(AuthenticationError):
    """Nobody is signed in where someone must be: an API client is answered 401 with a problem document, a
    visitor of a page is sent to the sign-in page (``errors.install_error_handlers``)."""


async def require_user(principal: PrincipalDep) -> Principal:
    """The one sign-in check of every page and endpoint that needs a signed-in user or token holder."""
    if not principal.is_authenticated:
        raise SignInRequiredError("sign in, or send an API token")
    return principal


UserDep = Annotated[Principal, Depends(require_user)]


# Row ids are 32-bit integers on both databases: anything else is a 422, never a database error.
RowId = Annotated[int, Path(ge=1, le=2**31 - 1, description="a row id")]
