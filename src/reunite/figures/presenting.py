"""The dashboard's figures in the reader's words: headline numbers and charts.

The page, its CSV downloads and the briefing PDF all take their words and numbers from
here, so that they never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reunite.cases.enums import CaseStatus
from reunite.figures.charts import Chart, Series
from reunite.figures.service import Dashboard
from reunite.vocabulary import N_, Message
from reunite.web.render import localise

WINDOW_LABELS = {
    24: N_("Reunited in the last 24 hours"),
    7 * 24: N_("Reunited in the last 7 days"),
    30 * 24: N_("Reunited in the last 30 days"),
}
CHART_KEYS = ("status", "monthly", "funnel", "stage_days", "lists", "inquiries")


def zone_of(name: str | None) -> ZoneInfo:
    """Return the time zone of this IANA name (Europe/Kyiv), or UTC for none or a wrong one."""
    if name:
        try:
            return ZoneInfo(name.strip())
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo("UTC")


def moment_in(moment: datetime, zone: ZoneInfo) -> str:
    """Return a moment as the viewer reads it: 2025-10-10 15:00 (Europe/Kyiv)."""
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M} ({zone.key})"


@dataclass(frozen=True)
class Headline:
    """One headline figure: its key, its words, its number, and what it covers."""

    key: str
    label: str
    value: int
    note: str = ""


class Words:
    """Translates the figures' words into one language."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, text: str, **values: object) -> str:
        """Return a message id (with its values) in the language."""
        return localise(self.language, Message(text, values) if values else text)


def headlines(board: Dashboard, language: str, zone: ZoneInfo) -> list[Headline]:
    """Return the headline numbers: reunited per window, adults, messages waiting."""
    t = Words(language)
    lines = [
        Headline(
            f"reunited-{window.hours}h",
            t(WINDOW_LABELS[window.hours]),
            window.count,
            t(
                N_("from {start} to {end}"),
                start=moment_in(window.start, zone),
                end=moment_in(window.end, zone),
            ),
        )
        for window in board.windows
    ]
    lines += [
        Headline("cases", t(N_("Cases")), board.cases),
        Headline("adult-track", t(N_("On the adult track")), board.adult_track),
        Headline("turning-18", t(N_("Turning 18 within 90 days")), board.turning_adult),
        Headline("moderation", t(N_("Messages awaiting moderation")), board.awaiting_moderation),
        Headline("delivery", t(N_("Messages awaiting delivery")), board.awaiting_delivery),
    ]
    return lines


def charts(board: Dashboard, language: str) -> dict[str, Chart]:
    """Return the dashboard's charts by key, in the reader's language."""
    t = Words(language)
    status_labels = [t(CaseStatus(status).label) for status in board.by_status]
    found: dict[str, Chart] = {
        "status": Chart(
            "status",
            t(N_("Cases by status")),
            tuple(status_labels),
            (Series(t(N_("Cases")), tuple(board.by_status.values())),),
            category_heading=t(N_("Status")),
            horizontal=True,
        ),
        "monthly": Chart(
            "monthly",
            t(N_("Children reunited and matches confirmed, by month (UTC)")),
            tuple(month.label for month in board.series),
            (
                Series(t(N_("Children reunited")), tuple(m.reunited for m in board.series)),
                Series(t(N_("Matches confirmed")), tuple(m.confirmed for m in board.series)),
            ),
            category_heading=t(N_("Month")),
        ),
        "funnel": Chart(
            "funnel",
            t(N_("From request to home: cases that got this far")),
            tuple(t(stage.status.label) for stage in board.funnel),
            (Series(t(N_("Cases")), tuple(stage.reached for stage in board.funnel)),),
            category_heading=t(N_("Step")),
            horizontal=True,
        ),
        "stage_days": Chart(
            "stage_days",
            t(N_("Median days spent at each step")),
            tuple(t(stage.status.label) for stage in board.funnel),
            (
                Series(
                    t(N_("Median days")),
                    tuple(round(stage.median_days or 0.0, 1) for stage in board.funnel),
                ),
            ),
            category_heading=t(N_("Step")),
            horizontal=True,
        ),
        "lists": Chart(
            "lists",
            t(N_("Lists received per party: rows and rows rejected")),
            tuple(row.party.name_in(language) for row in board.lists),
            (
                Series(t(N_("Lists")), tuple(row.batches for row in board.lists)),
                Series(t(N_("Rows")), tuple(row.rows for row in board.lists)),
                Series(t(N_("Rows rejected")), tuple(row.rejected for row in board.lists)),
                Series(
                    t(N_("Share of rows rejected (%)")),
                    tuple(round(100 * row.rejected_share, 1) for row in board.lists),
                ),
                Series(t(N_("Unsigned lists")), tuple(row.unsigned for row in board.lists)),
            ),
            category_heading=t(N_("Party")),
            horizontal=True,
        ),
        "inquiries": Chart(
            "inquiries",
            t(N_("Information requests per party")),
            tuple(row.party.name_in(language) for row in board.inquiries),
            (
                Series(t(N_("Open")), tuple(row.open for row in board.inquiries)),
                Series(t(N_("Answered")), tuple(row.answered for row in board.inquiries)),
                Series(t(N_("Overdue")), tuple(row.overdue for row in board.inquiries)),
                Series(
                    t(N_("Median days to answer")),
                    tuple(round(row.median_days or 0.0, 1) for row in board.inquiries),
                ),
            ),
            category_heading=t(N_("Party")),
            horizontal=True,
        ),
    }
    return found
