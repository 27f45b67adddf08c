"""The API documentation (issue #11, F7): Swagger UI served from the app itself, never from a CDN, and in
production only to signed-in users (a session or an API token); the public has no use for the schema.

Swagger UI's files (version 5, which reads OpenAPI 3.1) come from the ``swagger-ui-py`` package, found
without importing it (its code is for other frameworks); the page that starts it loads
``/static/swagger-init.js`` instead of an inline script, so the Content-Security-Policy needs no exception
for scripts.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from dualuse.domain.errors import AuthenticationError
from dualuse.entrypoints.http.deps import PrincipalDep

DOCS_URL = "/docs"
OPENAPI_URL = "/openapi.json"
ASSETS_URL = "/docs/assets"


def swagger_ui_dir() -> Path:
    """The folder of Swagger UI's files in the installed ``swagger-ui-py`` package."""
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or spec.origin is None:
        raise RuntimeError("the swagger-ui-py package is not installed")
    return Path(spec.origin).parent / "static"


DOCS_PAGE = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>dualuse API</title>
  <link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">
  <link rel="stylesheet" href="/static/swagger-a11y.css">
</head>
<body>
  <div id="swagger-ui" data-openapi-url="{OPENAPI_URL}"></div>
  <script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>
  <script src="/static/swagger-init.js"></script>
</body>
</html>
"""


def install_docs(app: FastAPI, *, signed_in_only: bool) -> None:
    """Serve ``/docs`` and ``/openapi.json``; with ``signed_in_only`` (production) the anonymous public is
    sent to sign in (``/docs``) or refused with 401 (``/openapi.json``)."""

    @app.get(OPENAPI_URL, include_in_schema=False)
    def openapi(principal: PrincipalDep) -> Response:
        if signed_in_only and not principal.is_authenticated:
            raise AuthenticationError(
                "the API description is for signed-in users: sign in, or send an API token"
            )
        schema: dict[str, Any] = app.openapi()
        return JSONResponse(schema)

    @app.get(DOCS_URL, include_in_schema=False)
    def docs(principal: PrincipalDep) -> Response:
        if signed_in_only and not principal.is_authenticated:
            return RedirectResponse("/login", status_code=303)
        return HTMLResponse(DOCS_PAGE)

    app.mount(ASSETS_URL, StaticFiles(directory=swagger_ui_dir()), name="docs-assets")
