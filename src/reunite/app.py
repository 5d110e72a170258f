"""The web application: routers, pages, error handlers."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select

from reunite import __version__
from reunite.db.engine import transaction
from reunite.db.session import default_sessions
from reunite.errors import ReuniteError
from reunite.exchange.models import Batch
from reunite.parties.models import Party
from reunite.records.service import count_records

WEB = Path(__file__).parent / "web"
templates = Jinja2Templates(directory=WEB / "templates")


def create_app() -> FastAPI:
    """Build the application."""
    app = FastAPI(title="Reunite", version=__version__, openapi_url="/openapi.json")
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")

    @app.exception_handler(ReuniteError)
    async def reunite_error(_request: Request, exc: ReuniteError) -> JSONResponse:
        return JSONResponse(
            {"detail": exc.detail, "code": type(exc).__name__}, status_code=exc.status
        )

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        with transaction(default_sessions()) as session:
            counts = count_records(session)
            parties = session.scalar(select(func.count()).select_from(Party)) or 0
            batches = session.scalar(select(func.count()).select_from(Batch)) or 0
        return templates.TemplateResponse(
            request,
            "home.html",
            {
                "version": __version__,
                "parties": parties,
                "batches": batches,
                "requests": counts.get("requests", 0),
                "disclosures": counts.get("disclosures", 0),
            },
        )

    return app
