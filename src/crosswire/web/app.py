"""The crosswire web app: server-rendered pages and a JSON API over one store.

``create_app(db_path)`` builds the FastAPI app that ``crosswire serve`` runs. Pages use the same
Jinja2 templates as the static report (report/templates/_story.html), with autoescaping on.
Every response carries a strict Content-Security-Policy: scripts and styles only from /static.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from crosswire import __version__
from crosswire.errors import AmbiguousIdError
from crosswire.report.html import TEMPLATES as REPORT_TEMPLATES
from crosswire.report.html import template_env
from crosswire.store.db import Store
from crosswire.views.listing import OutletList
from crosswire.web.guard import Access, Guard
from crosswire.web.uploads import Limits, UploadQueueFull, Uploads

HERE = Path(__file__).parent
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class _BodyTooLarge(BaseException):  # not Exception: the form parser turns those into 400
    pass


class SecurityHeaders:
    """Plain ASGI middleware: adds the security headers and refuses oversized request bodies."""

    def __init__(self, app, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        too_large = JSONResponse(
            {"detail": f"request is larger than the upload limit ({self.max_body / 1048576:g} MB)"}, status_code=413
        )
        if length is not None and length.isdigit() and int(length) > self.max_body:
            return await too_large(scope, receive, self._wrap(send))
        # a body without a length (chunked) is counted as it arrives
        seen = 0
        started = False

        async def counted_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _BodyTooLarge()
            return message

        async def tracked_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            return await self.app(scope, counted_receive, self._wrap(tracked_send))
        except _BodyTooLarge:
            if not started:
                await too_large(scope, receive, self._wrap(send))

    @staticmethod
    def _wrap(send):
        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in SECURITY_HEADERS if h[0] not in names
                ]
            await send(message)

        return send_with_headers


def create_app(
    db_path: str | Path = "crosswire.db",
    *,
    limits: Limits | None = None,
    lang_factory: Callable[[], Any] | None = None,
    access: Access | None = None,
) -> FastAPI:
    """The web app over the store at db_path (created empty when missing). ``access``: the Host names it
    answers to and its token (default: loopback names, no token; see guard.py)."""
    from crosswire.web import api, docs, follow, pages

    db = str(db_path)
    limits = limits or Limits()
    access = access or Access()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.uploads.close()

    app = FastAPI(
        title="crosswire",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        description="Stories, sources and evidence from many news outlets. HTML pages and a JSON API.",
    )
    Store(db).close()  # create / migrate once, so request threads only read
    app.state.db = db
    app.state.store = Store(db)
    app.state.env = template_env([HERE / "templates"])
    app.state.outlets = OutletList(app.state.store)
    app.state.uploads = Uploads(db, limits, lang_factory)
    app.state.limits = limits
    app.state.access = access

    @app.get("/static/report.css", include_in_schema=False)
    def report_css():
        return FileResponse(REPORT_TEMPLATES / "style.css", media_type="text/css")

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(docs.router)
    app.include_router(follow.api)
    app.include_router(follow.router)
    app.include_router(pages.router)

    @app.exception_handler(UploadQueueFull)
    async def queue_full(request: Request, exc: UploadQueueFull):
        response = await http_error(request, StarletteHTTPException(503, str(exc)))
        response.headers["retry-after"] = "30"
        return response

    @app.exception_handler(AmbiguousIdError)
    async def ambiguous(request: Request, exc: AmbiguousIdError):
        return await http_error(request, StarletteHTTPException(409, str(exc)))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/") or request.url.path.startswith("/static/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        html = app.state.env.get_template("error.html").render(
            status=exc.status_code, detail=exc.detail, path=request.url.path
        )
        return HTMLResponse(html, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, exc: RequestValidationError):
        problems = [
            f"{'.'.join(str(x) for x in e.get('loc', ())[1:]) or 'request'}: {e.get('msg', 'invalid')}"
            for e in exc.errors()
        ]
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": problems}, status_code=422)
        html = app.state.env.get_template("error.html").render(
            status=422, detail="; ".join(problems), path=request.url.path
        )
        return HTMLResponse(html, status_code=422)

    app.add_middleware(GZipMiddleware, minimum_size=1024)  # pages and JSON, when the client accepts gzip
    app.add_middleware(Guard, access=access)  # Host, token, origin of writes: before any route runs
    app.add_middleware(SecurityHeaders, max_body=int(limits.max_total_bytes + 64 * 1024))  # outermost
    return app


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory crosswire.web.app:app_from_env``: the store named by $CROSSWIRE_DB."""
    return create_app(os.environ.get("CROSSWIRE_DB", "crosswire.db"))
