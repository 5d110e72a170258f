"""The web application: pages, the JSON API, error handlers, security headers, the job worker."""

from __future__ import annotations

import gc
import importlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from reunite import __version__
from reunite.db.engine import is_unreachable
from reunite.errors import FileRejected, ReuniteError
from reunite.settings import get_settings
from reunite.vocabulary import N_
from reunite.web.deps import (
    PASSWORD_CHANGE_PATH,
    LoginRequired,
    PasswordChangeRequired,
    ensure_caller,
    ids_in_range,
    no_nul_characters,
    publish_caller_facts,
)
from reunite.web.guard import MB, Limits, RequestGuard
from reunite.web.render import WEB, publish_labels, render_error
from reunite.wiring import caller_facts, configure_library, default_sessions, template_labels

# Content-Security-Policy: scripts, styles and images from this site only (HTMX is served
# from /static), no framing, forms post back here only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)


# What an HTTP error means to a person, in words the pages translate.
HTTP_MESSAGES = {
    404: N_("not found"),
    405: N_("this address cannot be used that way: go back and use the page's own buttons"),
    413: N_("what was sent is too large"),
}
DATABASE_AWAY = N_("the database did not answer in time; try again in a moment")
# How long a client should wait before trying again after a 503.
RETRY_AFTER_SECONDS = 5

log = logging.getLogger(__name__)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(sessions: sessionmaker[Session] | None = None) -> FastAPI:
    """Build the application on a database (the configured one unless `sessions` is given).

    `reunite serve` runs the job worker beside it.
    """
    app = FastAPI(
        title="Reunite",
        version=__version__,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(ids_in_range), Depends(no_nul_characters)],
    )
    configure_library()
    publish_labels(template_labels())
    publish_caller_facts(caller_facts())
    app.state.sessions = sessions if sessions is not None else default_sessions()
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    settings = get_settings()
    app.add_middleware(
        RequestGuard,
        limits=Limits(
            upload_bytes=settings.max_upload_mb * MB,
            request_bytes=settings.max_request_mb * MB,
            attachment_bytes=settings.max_attachment_mb * MB,
        ),
        sessions=lambda scope: scope["app"].state.sessions,
    )

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if not request.url.path.startswith("/static/"):
            # Pages and API answers hold personal data: no cache keeps a copy.
            response.headers["Cache-Control"] = "no-store"
        if request.url.scheme == "https":
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        return response

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "log in first", "code": "Unauthorized"}, 401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(PasswordChangeRequired)
    async def password_change_required(request: Request, exc: PasswordChangeRequired) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": exc.detail, "code": exc.error_code}, exc.status)
        if request.headers.get("hx-request"):
            return Response(status_code=403, headers={"HX-Redirect": PASSWORD_CHANGE_PATH})
        return RedirectResponse(PASSWORD_CHANGE_PATH, status_code=303)

    @app.exception_handler(ReuniteError)
    async def reunite_error(request: Request, exc: ReuniteError) -> Response:
        if _is_api(request):
            body: dict[str, object] = {"detail": exc.detail, "code": exc.error_code}
            if isinstance(exc, FileRejected):  # a refused list: every problem, one per line
                body["problems"] = exc.problems
            return JSONResponse(body, status_code=exc.status)
        await ensure_caller(request)
        return render_error(request, exc.status, exc.message)

    @app.exception_handler(SQLAlchemyError)
    async def database_error(request: Request, exc: SQLAlchemyError) -> Response:
        if not is_unreachable(exc):
            raise exc  # a real fault: the server error middleware answers 500 and logs it
        # The database restarting, cut off or overloaded: 503, and the next request (on a
        # fresh connection: the pool checks each before use) works once it is back.
        log.warning("database unreachable on %s %s: %s", request.method, request.url.path, exc)
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if _is_api(request):
            body = {"detail": str(DATABASE_AWAY), "code": "database_unavailable"}
            return JSONResponse(body, status_code=503, headers=headers)
        await ensure_caller(request)
        page = render_error(request, 503, DATABASE_AWAY)
        page.headers.update(headers)
        return page

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            f"{'.'.join(str(p) for p in error.get('loc', ()))}: {error.get('msg', '')}"
            for error in exc.errors()
        ]
        detail = "; ".join(problems) or "invalid request"
        if _is_api(request):
            return JSONResponse({"detail": detail, "code": "InvalidInput"}, status_code=422)
        await ensure_caller(request)
        return render_error(request, 422, detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = str(exc.detail) if exc.status_code != 404 else "not found"
        if _is_api(request):
            code = "NotFound" if exc.status_code == 404 else "HTTPError"
            return JSONResponse({"detail": detail, "code": code}, status_code=exc.status_code)
        await ensure_caller(request)
        return render_error(request, exc.status_code, HTTP_MESSAGES.get(exc.status_code, detail))

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    _include_routers(app)
    _document_refusals(app)
    return app


def serving_app() -> FastAPI:
    """Build the application as `reunite serve` runs it, once in each server process.

    Everything built at start (modules, routes, templates, the schema) lives as long as the
    process; frozen, the garbage collector no longer walks it at every full collection,
    which otherwise stopped the process for up to a second under load (bench/api_load.py).
    """
    app = create_app()
    gc.collect()
    gc.freeze()
    return app


# Pages (HTML, outside the API schema) and the JSON API, each domain's `router`.
PAGE_MODULES = (
    "reunite.home.pages",
    "reunite.auth.pages",
    "reunite.auth.account_pages",
    "reunite.exchange.pages",
    "reunite.records.pages",
    "reunite.records.duplicate_pages",
    "reunite.review.pages",
    "reunite.audit.pages",
    "reunite.sharing.pages",
    "reunite.channel.pages",
    "reunite.notifications.pages",
    "reunite.cases.casefile_pages",
    "reunite.cases.round_pages",
    "reunite.cases.pages",
    "reunite.inquiries.pages",
    "reunite.attachments.pages",
    "reunite.keys.pages",
    "reunite.figures.pages",
)
API_MODULES = (
    "reunite.auth.routes",
    "reunite.exchange.routes",
    "reunite.records.routes",
    "reunite.review.routes",
    "reunite.channel.routes",
    "reunite.cases.round_routes",
    "reunite.cases.routes",
    "reunite.inquiries.routes",
    "reunite.attachments.routes",
    "reunite.sharing.routes",
    "reunite.keys.routes",
    "reunite.audit.routes",
)
API_PREFIX = "/api/v1"


def routers() -> list[tuple[APIRouter, str]]:
    """Return every domain router with its prefix (the access matrix test walks these)."""
    found: list[tuple[APIRouter, str]] = []
    for names, prefix in ((PAGE_MODULES, ""), (API_MODULES, API_PREFIX)):
        for name in names:
            router = importlib.import_module(name).router
            assert isinstance(router, APIRouter)
            found.append((router, prefix))
    return found


def _include_routers(app: FastAPI) -> None:
    for router, prefix in routers():
        app.include_router(router, prefix=prefix, include_in_schema=prefix == API_PREFIX)


_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorRead"}}}
# The refusals an API route with a body can give before its own code runs (web.guard, the
# handlers above), each as `{"detail","code"}`.
_BODY_REFUSALS = {
    "400": {"description": "The body could not be read.", "content": _ERROR},
    "413": {"description": "The body is larger than this route takes.", "content": _ERROR},
}


def _document_refusals(app: FastAPI) -> None:
    """Make the schema hold every answer an API client can get, in the shape it gets it.

    FastAPI declares its own shape for 422 (a list of problems), not ours, and no 400 or
    413; tests/integration/app/test_fuzz_api.py checks every answer against the schema.
    """

    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            for path, item in document.get("paths", {}).items():
                if not path.startswith(API_PREFIX):
                    continue
                for operation in item.values():
                    answers = operation.setdefault("responses", {})
                    if "HTTPValidationError" in str(answers.get("422", "")):
                        answers["422"] = {
                            "description": "A parameter or the body is not valid.",
                            "content": _ERROR,
                        }
                    if "requestBody" in operation:
                        for status, answer in _BODY_REFUSALS.items():
                            answers.setdefault(status, answer)
            schemas = document.get("components", {}).get("schemas", {})
            for unused in ("HTTPValidationError", "ValidationError"):
                schemas.pop(unused, None)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
