"""The server: one FastAPI app with the REST API (``/api``, OpenAPI at
``/api/openapi.json``, docs at ``/api/docs``), the dashboard pages and the
static files (our own and the vendored libraries), all from this package."""

from __future__ import annotations

import secrets
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from redline import __version__
from redline.nlp.kb import shipped_kb
from redline.serve import api, errors, pages
from redline.serve.config import ServeConfig
from redline.serve.database import Database
from redline.serve.kb_view import RoleIndex
from redline.serve.security import LimitsAndHeaders

PACKAGE = Path(str(files("redline.serve")))
VENDOR = PACKAGE / "static" / "vendor"
VENDORED = ("htmx.min.js", "chart.umd.js", "leaflet.js", "leaflet.css", "world.geojson",
            "swagger-ui-bundle.js", "swagger-ui.css")


def missing_assets() -> list[str]:
    """Vendored files the dashboard needs that are not in the package (run
    ``npm ci --prefix frontend`` to put them there)."""
    return [name for name in VENDORED if not (VENDOR / name).is_file()]


class _Lazy:
    """The actor role index, built on first use (once, whatever the threads)."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.value: RoleIndex | None = None
        self.lock = threading.Lock()

    def __call__(self) -> RoleIndex:
        with self.lock:
            if self.value is None:
                self.value = RoleIndex.build(shipped_kb(self.config.actor_files))
            return self.value


def create_app(config: ServeConfig) -> FastAPI:
    """The app serving ``config.db`` (opened for writing while it runs)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.db = Database(config.db)
        try:
            yield
        finally:
            app.state.db.close()

    app = FastAPI(title="redline", version=__version__, lifespan=lifespan,
                  description="News coded as PLOVER political events: events, quotes, "
                  "actors, places, dyad series, escalation and alerts.",
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)
    app.state.config = config
    app.state.cookie_key = secrets.token_bytes(32)
    app.state.kb = _Lazy(config)
    templates = Jinja2Templates(directory=str(PACKAGE / "templates"))
    templates.env.globals["version"] = __version__
    app.state.templates = templates
    errors.install(app)
    app.include_router(api.router)
    app.include_router(api.writes)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(PACKAGE / "static")), name="static")
    if config.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(config.cors_origins),
                           allow_methods=["GET", "POST", "PUT", "DELETE"],
                           allow_headers=["Authorization", "Content-Type"])
    if config.allowed_hosts != ("*",):
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(config.allowed_hosts))
    app.add_middleware(LimitsAndHeaders, max_bytes=int(config.max_request_mb * 1024 * 1024))
    return app
