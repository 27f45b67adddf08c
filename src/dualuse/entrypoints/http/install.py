"""One call that puts the HTTP hardening of issue #11 (F7, F10, F17) on the app."""

from __future__ import annotations

from fastapi import FastAPI

from dualuse.config import Environment, Settings
from dualuse.entrypoints.http.docs import install_docs
from dualuse.entrypoints.http.headers import SecurityHeaders
from dualuse.entrypoints.http.limits import RequestGuard


def install_http_hardening(app: FastAPI, settings: Settings) -> None:
    """The API docs (signed-in users only in production), the request bounds and the security headers.
    Call it last in the app factory: middleware added last runs first, so a refused request never reaches
    the CSRF check's body parser, and every response, refusals included, carries the headers."""
    production = settings.env is Environment.PRODUCTION
    install_docs(app, signed_in_only=production)
    app.add_middleware(
        RequestGuard,
        body_limit=settings.max_body_bytes,
        upload_limit=settings.max_upload_bytes,
        import_limit=settings.max_import_bytes,
    )
    app.add_middleware(SecurityHeaders, production=production)
