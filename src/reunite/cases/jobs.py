"""The daily job of cases: the adult track and the flags of those turning 18 soon.

The server's job worker queues it once a day (jobs.service.enqueue_daily); `reunite jobs
run-daily` runs the same work at once, for an installation whose worker does not run (or
from cron).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from reunite.cases.service import TrackReport, update_tracks
from reunite.jobs.service import JobContext
from reunite.vocabulary import N_, Message, say

DAILY_JOB = "daily"


def daily_work(session: Session, *, today: date | None = None) -> TrackReport:
    """Do the day's work on cases: move those who turned 18, flag those turning 18 soon."""
    return update_tracks(session, today=today)


def describe(report: TrackReport) -> Message:
    """Say what the day's work did."""
    return say(
        N_(
            "looked at {cases} open cases: {adults} moved to the adult track, {flagged} newly "
            "flagged as turning 18 within 90 days"
        ),
        cases=f"{report.looked_at:,}",
        adults=f"{report.moved_to_adult:,}",
        flagged=f"{report.flagged:,}",
    )


def run_daily(context: JobContext) -> Message:
    """Run the daily work as a queued job (in the job's own transaction)."""
    day = context.payload.get("day")
    today = date.fromisoformat(day) if isinstance(day, str) else None
    return describe(daily_work(context.session, today=today))
