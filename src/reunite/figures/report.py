"""The briefing: the dashboard's figures and charts as a PDF a mediator can hand over.

The same headline numbers and the same charts as the page (figures.presenting), each chart
drawn as bars with fpdf and followed by its numbers as a table. Printed in the reader's
language with the DejaVu font matplotlib ships (cases.casefile.font_files), so Cyrillic
prints as written. It holds aggregates only: no child, no name.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from reunite.cases.casefile import font_files
from reunite.figures.charts import COLOURS, Chart
from reunite.figures.presenting import CHART_KEYS, Words, charts, headlines, moment_in
from reunite.figures.service import Dashboard
from reunite.vocabulary import N_

FONT = "DejaVu"
MARGIN = 15
TITLE = N_("Briefing: the figures of the way home")
PAGE_OF = N_("page {page} of {pages}")


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


class _Pdf(FPDF):
    def __init__(self, page_of: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.page_of = page_of
        regular, bold = font_files()
        self.add_font(FONT, "", str(regular))
        self.add_font(FONT, "B", str(bold))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 4, self.page_of.format(page=self.page_no(), pages="{nb}"), align="C")


def briefing(board: Dashboard, *, language: str, zone: ZoneInfo, who: str = "") -> bytes:
    """Return the briefing PDF of a dashboard, in a language, times in a zone."""
    t = Words(language)
    pdf = _Pdf(t(PAGE_OF))
    pdf.set_title(t(TITLE))
    pdf.set_author("Reunite")
    pdf.set_creation_date(board.now)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 8, t(TITLE), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    lines = [
        t(N_("as of {when}"), when=moment_in(board.now, zone)),
        t(
            N_("monthly figures from {start} to {end} (UTC)"),
            start=f"{board.period.start:%Y-%m-%d}",
            end=_last_day(board.period.end),
        ),
    ]
    if who:
        lines.append(t(N_("printed by {who}"), who=who))
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    for headline in headlines(board, language, zone):
        pdf.set_font(FONT, "B", 10)
        pdf.cell(95, 6, headline.label)
        pdf.set_font(FONT, "", 10)
        pdf.cell(20, 6, str(headline.value), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if headline.note:
            pdf.set_font(FONT, "", 8)
            pdf.cell(0, 4, headline.note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    drawn = charts(board, language)
    for key in CHART_KEYS:
        _chart(pdf, drawn[key], t)
    return bytes(pdf.output())


def _last_day(end: datetime) -> str:
    from datetime import timedelta

    return f"{end - timedelta(microseconds=1):%Y-%m-%d}"


def _chart(pdf: _Pdf, chart: Chart, t: Words) -> None:
    rows = chart.rows()
    needed = 14 + 7 * len(rows) * (1 + len(chart.series) * 0.5) + 8 * (len(rows) + 1)
    if pdf.get_y() + min(needed, 120) > pdf.h - MARGIN:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 7, chart.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if not rows:
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 5, t(N_("Nothing recorded yet.")), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    # The bars: one line per category, one bar per series.
    label_w, plot_w = 55.0, pdf.w - 2 * MARGIN - 55.0 - 12
    largest = chart.largest
    bar_h = 2.6
    pdf.set_font(FONT, "", 7.5)
    for category, values in rows:
        if pdf.get_y() + bar_h * len(values) + 2 > pdf.h - MARGIN:
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_xy(MARGIN, y)
        pdf.cell(label_w - 2, bar_h * len(values), category[:40], align="R")
        for s, value in enumerate(values):
            pdf.set_fill_color(*_rgb(COLOURS[s % len(COLOURS)]))
            width = plot_w * value / largest
            if width > 0:
                pdf.rect(MARGIN + label_w, y + bar_h * s, width, bar_h - 0.4, style="F")
            pdf.set_xy(MARGIN + label_w + width + 1, y + bar_h * s - 0.3)
            pdf.cell(12, bar_h, _number(value))
        pdf.set_xy(MARGIN, y + bar_h * len(values) + 1)
    # The numbers as a table.
    pdf.ln(2)
    width = (pdf.w - 2 * MARGIN - 60) / max(len(chart.series), 1)
    pdf.set_font(FONT, "B", 8)
    pdf.cell(60, 5, chart.category_heading, border=1)
    for series in chart.series:
        pdf.cell(width, 5, series.name[:28], border=1, align="R")
    pdf.ln(5)
    pdf.set_font(FONT, "", 8)
    for category, values in rows:
        pdf.cell(60, 5, category[:45], border=1)
        for value in values:
            pdf.cell(width, 5, _number(value), border=1, align="R")
        pdf.ln(5)
