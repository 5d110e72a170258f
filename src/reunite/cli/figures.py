"""`reunite report` (the briefing PDF) and `reunite stats --public` (public statistics)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from reunite.cli.common import app, audit_cli, run_command, session_scope
from reunite.errors import InvalidInput


def _day(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{what}: give the date as YYYY-MM-DD") from None


@app.command("report")
def report_command(
    pdf: Annotated[Path, typer.Option("--pdf", help="The PDF file to write.")],
    start: Annotated[
        str | None, typer.Option("--from", help="First day of the period (YYYY-MM-DD, UTC).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day of the period (YYYY-MM-DD, UTC).")
    ] = None,
    language: Annotated[str, typer.Option("--lang", help="en, uk or ru.")] = "en",
    tz: Annotated[str, typer.Option(help="Time zone of the times shown (IANA name).")] = "UTC",
) -> None:
    """Write the dashboard's figures and charts as a briefing PDF (12 months unless told)."""
    from reunite.db.base import utcnow
    from reunite.figures.presenting import zone_of
    from reunite.figures.report import briefing
    from reunite.figures.service import figures, period_of
    from reunite.web.i18n import LANGUAGE_NAMES

    def body() -> None:
        if language not in LANGUAGE_NAMES:
            raise InvalidInput(f"--lang: one of {', '.join(LANGUAGE_NAMES)}")
        first, last = _day(start, "--from"), _day(end, "--to")
        now = utcnow()
        period = period_of(first, last, now=now) if first or last else None
        with session_scope() as session:
            board = figures(session, now=now, period=period)
            data = briefing(board, language=language, zone=zone_of(tz))
            pdf.write_bytes(data)
            audit_cli(
                session, "figures.briefing", subject_type="figures", subject_id="dashboard",
                details={"from": f"{board.period.start:%Y-%m-%d}", "to": end or ""},
            )  # fmt: skip
        typer.echo(f"wrote the briefing of {board.cases:,} cases to {pdf}")

    run_command(body)


@app.command("stats")
def stats_command(
    public: Annotated[
        bool, typer.Option("--public", help="Only what anyone may read (required).")
    ] = False,
    file_format: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    table: Annotated[
        str, typer.Option(help="With csv: oblast, sex, age or month (one table a file).")
    ] = "oblast",
    out: Annotated[Path | None, typer.Option(help="Write here instead of the screen.")] = None,
) -> None:
    """Print the public statistics: aggregates only, small counts hidden with complements."""
    from reunite.figures.public import DIMENSIONS, public_statistics, to_csv, to_json
    from reunite.settings import get_settings

    def body() -> None:
        if not public:
            # Only public statistics exist as a command: staff figures are the dashboard's.
            raise InvalidInput("say --public: only the public statistics are printed")
        if file_format not in ("csv", "json"):
            raise InvalidInput("--format: csv or json")
        if table not in DIMENSIONS:
            raise InvalidInput(f"--table: one of {', '.join(DIMENSIONS)}")
        with session_scope() as session:
            statistics = public_statistics(session, k=get_settings().small_cell_k)
        text = to_json(statistics) if file_format == "json" else to_csv(statistics.table(table))
        if out is None:
            typer.echo(text, nl=False)
        else:
            out.write_text(text, encoding="utf-8")
            typer.echo(f"wrote the public statistics to {out}", err=True)

    run_command(body)
