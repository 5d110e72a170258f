"""Pages of figures: the mediator's dashboard (staff) and the public statistics (anyone).

`/dashboard` shows every figure with its chart (SVG drawn here), the same numbers as a table,
and a CSV of each; `?from=&to=` set the period of the monthly series and the lists, `?tz=`
the time zone the windows are shown in (the browser's own, sent by /static/figures.js; a
cookie remembers it; UTC by default). `/dashboard/briefing.pdf` is the same as a PDF.
`/statistics` needs no login: aggregates only, small counts hidden with their complements.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from reunite.audit.service import record_event
from reunite.auth.principal import MEDIATOR_STAFF
from reunite.db.base import utcnow
from reunite.errors import InvalidInput, NotFound
from reunite.figures import public
from reunite.figures.charts import number, to_csv, to_svg
from reunite.figures.enums import StatusGroup
from reunite.figures.presenting import CHART_KEYS, charts, headlines, zone_of
from reunite.figures.report import briefing
from reunite.figures.service import Dashboard, Period, dashboard, period_of
from reunite.settings import get_settings
from reunite.vocabulary import N_, say
from reunite.web.deps import DbSession, PagePrincipal, client_address, require_role
from reunite.web.render import localise, page_language, render

router = APIRouter()

TZ_COOKIE = "tz"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(say(N_("give the date as YYYY-MM-DD"))) from None


def _period(start: str | None, end: str | None) -> Period | None:
    first, last = _day(start), _day(end)
    if first is None and last is None:
        return None
    return period_of(first, last, now=utcnow())


def start_of_end(board: Dashboard) -> str:
    """Return the last day of the dashboard's period (its end is excluded)."""
    return f"{board.period.end - timedelta(microseconds=1):%Y-%m-%d}"


Start = Annotated[str | None, Query(alias="from", max_length=10)]
End = Annotated[str | None, Query(alias="to", max_length=10)]
Zone = Annotated[str | None, Query(max_length=64)]


@router.get("/dashboard")
def dashboard_page(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    start: Start = None,
    end: End = None,
    tz: Zone = None,
) -> Response:
    """Show the mediator every figure, chart and table (the mediator's staff only)."""
    require_role(principal, *MEDIATOR_STAFF)
    language = page_language(request)
    zone = zone_of(tz or request.cookies.get(TZ_COOKIE))
    board = dashboard(session, principal=principal, period=_period(start, end))
    drawn = charts(board, language)
    context = {
        "board": board,
        "headlines": headlines(board, language, zone),
        "charts": [(drawn[key], to_svg(drawn[key])) for key in CHART_KEYS],
        "zone": zone.key,
        "start": start or board.period.start.date().isoformat(),
        "end": end or "",
        "query": request.url.query,
        "number": number,
    }
    response = render(request, "dashboard.html", context)
    if tz and zone.key == tz.strip():
        # Remembered for the next visit; the zone is no secret, scripts need not read it.
        response.set_cookie(TZ_COOKIE, zone.key, max_age=365 * 86400, samesite="lax")
    return response


@router.get("/dashboard/briefing.pdf")
def briefing_pdf(
    request: Request,
    session: DbSession,
    principal: PagePrincipal,
    start: Start = None,
    end: End = None,
    tz: Zone = None,
) -> Response:
    """Send the figures and charts as a PDF to hand over (the mediator's staff only)."""
    require_role(principal, *MEDIATOR_STAFF)
    zone = zone_of(tz or request.cookies.get(TZ_COOKIE))
    board = dashboard(session, principal=principal, period=_period(start, end))
    data = briefing(board, language=page_language(request), zone=zone, who=principal.username)
    record_event(
        session, actor=principal, action="figures.briefing", subject_type="figures",
        subject_id="dashboard", address=client_address(request),
        details={"from": f"{board.period.start:%Y-%m-%d}", "to": start_of_end(board)},
    )  # fmt: skip
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="briefing.pdf"', **NO_STORE},
    )


@router.get("/dashboard/{key}.csv")
def dashboard_csv(
    request: Request,
    key: str,
    session: DbSession,
    principal: PagePrincipal,
    start: Start = None,
    end: End = None,
) -> Response:
    """Send one chart's numbers as CSV (the mediator's staff only)."""
    require_role(principal, *MEDIATOR_STAFF)
    if key not in CHART_KEYS:
        raise NotFound("no such page")
    board = dashboard(session, principal=principal, period=_period(start, end))
    chart = charts(board, page_language(request))[key]
    return Response(
        to_csv(chart),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{key}.csv"', **NO_STORE},
    )


@router.get("/statistics")
def statistics_page(request: Request, session: DbSession) -> Response:
    """Show the public statistics: anyone, no login; small counts hidden."""
    statistics = public.public_statistics(session, k=get_settings().small_cell_k)
    language = page_language(request)

    def translate(text: str) -> str:
        return localise(language, text)

    context = {
        "statistics": statistics,
        "groups": StatusGroup,
        "name_of": lambda row: row.name(language, translate),
    }
    return render(request, "statistics.html", context)


@router.get("/statistics/{table}.csv")
def statistics_csv(table: str, session: DbSession) -> Response:
    """Send one public table as CSV with its HXL hashtag row (anyone)."""
    if table not in public.DIMENSIONS:
        raise NotFound("no such page")
    statistics = public.public_statistics(session, k=get_settings().small_cell_k)
    return Response(
        public.to_csv(statistics.table(table)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="statistics-{table}.csv"'},
    )


@router.get("/statistics.json")
def statistics_json(session: DbSession) -> Response:
    """Send every public table as JSON (anyone); a hidden count is null."""
    statistics = public.public_statistics(session, k=get_settings().small_cell_k)
    return Response(public.to_json(statistics), media_type="application/json")
