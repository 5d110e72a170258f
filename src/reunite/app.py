"""The web application: pages, the JSON API, error handlers, security headers, the job worker."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from reunite import __version__
from reunite.errors import FileRejected, ReuniteError
from reunite.web.deps import LoginRequired
from reunite.web.render import WEB, render_error

# Content-Security-Policy: scripts, styles and images from this site only (HTMX is served
# from /static), no framing, forms post back here only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(*, run_jobs: bool = False) -> FastAPI:
    """Build the application; with `run_jobs` it also runs queued jobs in the background."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        from reunite.jobs.worker import BackgroundWorker

        worker = BackgroundWorker() if run_jobs else None
        if worker is not None:
            worker.start()
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()

    app = FastAPI(
        title="Reunite",
        version=__version__,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")

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

    @app.exception_handler(ReuniteError)
    async def reunite_error(request: Request, exc: ReuniteError) -> Response:
        if _is_api(request):
            body: dict[str, object] = {"detail": exc.detail, "code": type(exc).__name__}
            if isinstance(exc, FileRejected):  # a refused list: every problem, one per line
                body["problems"] = exc.problems
            return JSONResponse(body, status_code=exc.status)
        return render_error(request, exc.status, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            f"{'.'.join(str(p) for p in error.get('loc', ()))}: {error.get('msg', '')}"
            for error in exc.errors()
        ]
        detail = "; ".join(problems) or "invalid request"
        if _is_api(request):
            return JSONResponse({"detail": detail, "code": "InvalidInput"}, status_code=422)
        return render_error(request, 422, detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = str(exc.detail) if exc.status_code != 404 else "not found"
        if _is_api(request):
            code = "NotFound" if exc.status_code == 404 else "HTTPError"
            return JSONResponse({"detail": detail, "code": code}, status_code=exc.status_code)
        return render_error(request, exc.status_code, detail)

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    _include_routers(app)
    return app


def create_server_app() -> FastAPI:
    """Build the application as `reunite serve` runs it: with the job worker."""
    return create_app(run_jobs=True)


def _include_routers(app: FastAPI) -> None:
    from reunite.audit import pages as audit_pages
    from reunite.auth import pages as auth_pages
    from reunite.auth import routes as auth_routes
    from reunite.exchange import pages as exchange_pages
    from reunite.exchange import routes as exchange_routes
    from reunite.jobs import pages as job_pages
    from reunite.records import pages as record_pages
    from reunite.records import routes as record_routes
    from reunite.review import pages as review_pages
    from reunite.review import routes as review_routes
    from reunite.web import home

    for pages in (
        home,
        auth_pages,
        exchange_pages,
        record_pages,
        review_pages,
        audit_pages,
        job_pages,
    ):
        app.include_router(pages.router, include_in_schema=False)
    for routes in (auth_routes, exchange_routes, record_routes, review_routes):
        app.include_router(routes.router, prefix="/api/v1")
