"""One place that turns the exception tree into RFC 9457 problem responses (API) or friendly pages (web)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from dualuse.domain.errors import DualUseError

PROBLEM_JSON = "application/problem+json"


def wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/") or request.url.path in {"/healthz", "/openapi.json"}:
        return False
    return "text/html" in request.headers.get("accept", "")


def problem(
    request: Request, status: int, title: str, detail: str, code: str, extra: dict[str, Any] | None = None
) -> Response:
    if wants_html(request):
        templates = request.app.state.templates
        return templates.TemplateResponse(  # type: ignore[no-any-return]
            request, "error.html", {"status": status, "title": title, "detail": detail}, status_code=status
        )
    body: dict[str, Any] = {
        "type": f"https://dualuse.eu/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def install_error_handlers(app: FastAPI) -> None:
    async def dualuse_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DualUseError)  # noqa: S101 - registered for this type only
        extra: dict[str, Any] = {"field": exc.field} if exc.field else {}
        response = problem(request, exc.status, exc.title, exc.detail, exc.code, extra)
        if exc.status == 401 and not wants_html(request):
            response.headers["WWW-Authenticate"] = "Bearer"
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
