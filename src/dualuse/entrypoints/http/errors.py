"""One place that turns the exception tree into RFC 9457 problem responses (API) or friendly pages (web)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from dualuse.bootstrap import Container
from dualuse.domain.errors import DualUseError, NotFoundError, TooManyAttemptsError, ValidationErrors
from dualuse.domain.identity import Principal
from dualuse.entrypoints.http.deps import SignInRequiredError, get_principal
from dualuse.entrypoints.http.wording import plain, safe_next
from dualuse.services import audit

PROBLEM_JSON = "application/problem+json"


def wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/") or request.url.path in {"/healthz", "/openapi.json"}:
        return False
    return "text/html" in request.headers.get("accept", "")


SIGN_IN_PAGE = "/login"


def is_page(request: Request) -> bool:
    """Whether the request reached a web page: a route left out of the API document (the API's routes are
    all in it)."""
    route = request.scope.get("route")
    return isinstance(route, APIRoute) and not route.include_in_schema


def problem(
    request: Request, status: int, title: str, detail: str, code: str, extra: dict[str, Any] | None = None
) -> Response:
    if wants_html(request):
        return html_problem(request, status, title, detail, extra)
    body: dict[str, Any] = {
        "type": f"https://dualuse.eu/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _page_principal(request: Request) -> Principal:
    """Who the error page's header greets: the signed-in user stays signed in on an error page."""
    container: Container = request.app.state.container
    try:
        with container.uow() as uow:
            return get_principal(request, uow, container)
    except DualUseError:
        return Principal.public()


def _back_link(request: Request) -> str | None:
    """The page the form was on, when it is one of ours (a local path only)."""
    referer = request.headers.get("referer", "")
    base = str(request.base_url)
    if referer.startswith(base):
        return safe_next("/" + referer[len(base) :])
    return None


def html_problem(
    request: Request, status: int, title: str, detail: str, extra: dict[str, Any] | None = None
) -> Response:
    """A friendly page: the signed-in header, the problem in plain words, a way back. A mistake in the
    input (400/422) is shown as an error summary, never as a bare "Invalid input"."""
    templates = request.app.state.templates
    principal = _page_principal(request)
    mistakes: list[dict[str, str]] = []
    if status in (400, 422):
        raw = (extra or {}).get("errors") or [{"field": (extra or {}).get("field") or "", "message": detail}]
        mistakes = [{"field": "", "text": plain(str(e.get("message") or detail))} for e in raw]
        title = "There is a problem with what you entered"
        detail = "Nothing was changed. Go back to the form, correct what is listed and send it again."
    context = {
        "status": status,
        "title": title,
        "detail": plain(detail) if detail else "",
        "principal": principal,
        "mistakes": mistakes,
        "back": _back_link(request),
    }
    return templates.TemplateResponse(request, "error.html", context, status_code=status)  # type: ignore[no-any-return]


def is_refused_access(exc: DualUseError) -> bool:
    """A permission check said no (a 403), or a resource was answered as not found: another organisation's
    (``HiddenResourceError``) or one that does not exist. Both not-found answers are recorded alike, so that
    neither their content nor the time they take (a write to the trail) tells them apart (F16)."""
    return exc.status == 403 or isinstance(exc, NotFoundError)


def record_refusal(request: Request, exc: DualUseError) -> None:
    """Record a refused access of a signed-in user or token holder in the audit trail, in a transaction of
    its own (the request's was rolled back). Anonymous requests are not recorded: anyone could fill the
    trail with them, and they name nobody (sign-in failures and bad tokens are recorded where they fail)."""
    container: Container = request.app.state.container
    with container.uow() as uow:
        try:
            principal = get_principal(request, uow, container)
        except DualUseError:
            return
        if principal.is_authenticated:
            audit.record_refusal(
                uow, principal.label, request.method, request.url.path, exc.status, exc.detail
            )


def install_error_handlers(app: FastAPI) -> None:
    async def dualuse_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DualUseError)  # noqa: S101 - registered for this type only
        if isinstance(exc, SignInRequiredError) and is_page(request):
            return RedirectResponse(SIGN_IN_PAGE, status_code=303)
        if is_refused_access(exc):
            await run_in_threadpool(record_refusal, request, exc)
        extra: dict[str, Any] = {"field": exc.field} if exc.field else {}
        if isinstance(exc, ValidationErrors):
            extra["errors"] = [{"field": e.field or "", "message": e.detail} for e in exc.errors]
        response = problem(request, exc.status, exc.title, exc.detail, exc.code, extra)
        if exc.status == 401 and not wants_html(request):
            response.headers["WWW-Authenticate"] = "Bearer"
        if isinstance(exc, TooManyAttemptsError):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for this type only
        errors = [
            {
                "field": ".".join(str(p) for p in err.get("loc", ()) if p != "body"),
                "message": err.get("msg", ""),
            }
            for err in exc.errors()
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "invalid request"
        return problem(request, 422, "Invalid input", detail, "validation-error", {"errors": errors})

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)  # noqa: S101 - registered for this type only
        titles = {
            404: "Not found",
            405: "Method not allowed",
            413: "Request too large",
            415: "Unsupported media type",
        }
        title = titles.get(exc.status_code, "Error")
        return problem(request, exc.status_code, title, str(exc.detail), title.lower().replace(" ", "-"))

    app.add_exception_handler(DualUseError, dualuse_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
