"""The app factory: ``create_app(settings)`` builds the web pages and the API on one FastAPI instance. It is
the one module of ``entrypoints/http`` that knows both faces; they share the rest of this package and never
import each other (import-linter)."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from asgi_csrf import asgi_csrf
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

import dualuse
from dualuse.bootstrap import Container, bootstrap
from dualuse.config import Environment, Settings
from dualuse.entrypoints.api.routers import (
    annex,
    audit,
    controllist,
    customs,
    denials,
    determinations,
    duediligence,
    enforcement,
    exchange,
    general_authorisations,
    health,
    identity,
    licensing,
    listchange,
    notices,
    oversight,
    screening,
    tracks,
    transparency,
    yente,
)
from dualuse.entrypoints.http.concurrency import ConcurrencyLimit
from dualuse.entrypoints.http.csrf import skip_multipart_self_checked
from dualuse.entrypoints.http.errors import install_error_handlers
from dualuse.entrypoints.http.install import install_http_hardening
from dualuse.entrypoints.web import (
    application_views,
    audit_views,
    casework_documents_views,
    casework_views,
    controllist_views,
    customs_views,
    denials_views,
    determination_views,
    duediligence_views,
    enforcement_views,
    exchange_views,
    general_authorisation_views,
    handbook_views,
    licensing_views,
    listchange_views,
    notice_views,
    reference_views,
    reminder_views,
    screening_views,
    tracks_views,
    transparency_views,
    views,
)
from dualuse.entrypoints.web.i18n import Language
from dualuse.entrypoints.web.signin import ReturnAfterSignIn
from dualuse.entrypoints.web.templating import STATIC_DIR, make_templates

API_DESCRIPTION = (
    "dualuse runs the EU export-control regime for dual-use items (Regulation (EU) 2021/821): the control "
    "list, licence determination, screening, licensing, due diligence and transparency. Errors are RFC 9457 "
    "problem documents. Authenticate with `Authorization: Bearer <token>` (`dualuse tokens create`)."
)


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    """When a server starts the app: what was loaded at start-up (the control list, the rulebook, the
    screening index: some 150,000 objects) lives as long as the process, so the garbage collector is told
    to leave it alone. Otherwise every full collection walks all of it, a pause of 100 ms and more that
    every request in flight waits for."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


def create_app(settings: Settings | None = None, container: Container | None = None) -> FastAPI:
    """Build the application; tests pass their own settings or container."""
    container = container or bootstrap(settings)
    settings = container.settings
    if container.anchor_key is None:
        logging.getLogger("dualuse").error(
            "NO AUDIT ANCHOR KEY: set DUALUSE_AUDIT_ANCHOR_KEY or DUALUSE_AUDIT_ANCHOR_KEY_FILE. Without it the "
            "audit trail's head is not anchored and events cut from its end go unnoticed."
        )
    app = FastAPI(
        title="dualuse",
        version=dualuse.__version__,
        description=API_DESCRIPTION,
        docs_url=None,  # served by install_http_hardening: vendored, and not public in production
        openapi_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.container = container
    container.hasher.dummy_hash()  # made now, so that no sign-in pays for it (its timing would tell)
    app.state.templates = make_templates()
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(identity.router)
    app.include_router(controllist.router)
    app.include_router(annex.router)
    app.include_router(determinations.router)
    app.include_router(screening.router)
    app.include_router(yente.router)
    app.include_router(duediligence.router)
    app.include_router(licensing.router)
    app.include_router(customs.router)
    app.include_router(tracks.router)
    app.include_router(general_authorisations.router)
    app.include_router(notices.router)
    app.include_router(listchange.router)
    app.include_router(denials.router)
    app.include_router(audit.router)
    app.include_router(exchange.router)
    app.include_router(enforcement.router)
    app.include_router(oversight.router)
    app.include_router(transparency.router)
    app.include_router(views.router)
    app.include_router(controllist_views.router)
    app.include_router(reference_views.router)
    app.include_router(determination_views.router)
    app.include_router(screening_views.router)
    app.include_router(duediligence_views.router)
    app.include_router(application_views.router)
    app.include_router(licensing_views.router)
    app.include_router(casework_views.router)
    app.include_router(casework_documents_views.router)
    app.include_router(tracks_views.router)
    app.include_router(customs_views.router)
    app.include_router(general_authorisation_views.router)
    app.include_router(notice_views.router)
    app.include_router(listchange_views.router)
    app.include_router(denials_views.router)
    app.include_router(reminder_views.router)
    app.include_router(audit_views.router)
    app.include_router(exchange_views.router)
    app.include_router(handbook_views.router)
    app.include_router(enforcement_views.router)
    app.include_router(transparency_views.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    production = settings.env is Environment.PRODUCTION
    app.add_middleware(ReturnAfterSignIn)  # a redirect to /login says which page to come back to
    app.add_middleware(Language)  # the reader's language (?lang=, cookie, Accept-Language)
    # Middleware added last runs first: CSRF wraps everything, sessions sit inside it.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=production,
        session_cookie="dualuse_session",
    )
    app.add_middleware(
        asgi_csrf,
        signing_secret=settings.secret_key,
        always_protect={"/login", "/logout"},
        skip_if_scope=skip_multipart_self_checked,
        cookie_secure=production,
        cookie_samesite="Lax",
    )
    # Outermost: a request waiting for its turn holds no thread and no database connection.
    app.add_middleware(ConcurrencyLimit, limit=settings.max_concurrent_requests)
    install_http_hardening(app, settings)  # security headers, request bounds, API docs (issue #11)
    return app
