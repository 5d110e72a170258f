"""Charts drawn on the server as SVG: bars for counts, nothing fetched from anywhere.

A chart is data first (`Chart`: categories, one or more series, in the reader's words), so
that the page can show the same numbers as a table for screen readers and as CSV, and the
briefing PDF can draw the same bars (figures.report). The SVG is written by hand: a few
rectangles and texts, sized by a viewBox so that it scales with the page; colours are
attributes, not styles (the Content-Security-Policy allows no inline style).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from markupsafe import Markup, escape

# Colour-blind-safe colours (Okabe–Ito), one per series.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9")
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 28, 56


@dataclass(frozen=True)
class Series:
    """A named row of numbers, one per category."""

    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    """A chart's words and numbers: its key, title, categories and series."""

    key: str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    # The heading of the categories' column in the table and the CSV.
    category_heading: str = ""
    horizontal: bool = False

    def rows(self) -> list[tuple[str, list[float]]]:
        """Return each category with its value in each series (the table's rows)."""
        return [
            (category, [series.values[i] for series in self.series])
            for i, category in enumerate(self.categories)
        ]

    @property
    def largest(self) -> float:
        """Return the largest value drawn (1 when all are 0, so that bars stay in scale)."""
        return max([value for series in self.series for value in series.values] + [0]) or 1


def number(value: float) -> str:
    """Return a count as a whole number, a median with one decimal."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def to_csv(chart: Chart) -> str:
    """Return a chart's numbers as CSV: the categories' column, then one column per series."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([chart.category_heading] + [series.name for series in chart.series])
    for category, values in chart.rows():
        writer.writerow([category] + [number(value) for value in values])
    return buffer.getvalue()


def _nice_top(largest: float) -> float:
    """Return a round number at or above the largest value, for the axis."""
    step = 1.0
    while step * 10 < largest:
        step *= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= largest:
            return step * factor
    return step * 10


def to_svg(chart: Chart) -> Markup:
    """Return the chart as an SVG element, titled for screen readers (which get the table)."""
    return _horizontal(chart) if chart.horizontal else _vertical(chart)


def _open(chart: Chart, height: int) -> list[str]:
    title_id = f"chart-{chart.key}-title"
    return [
        f'<svg class="chart" id="chart-{escape(chart.key)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{title_id}" '
        f'preserveAspectRatio="xMidYMid meet">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
    ]


def _legend(chart: Chart, parts: list[str]) -> None:
    x = LEFT
    for index, series in enumerate(chart.series):
        colour = COLOURS[index % len(COLOURS)]
        parts.append(f'<rect x="{x}" y="8" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="17" font-size="11">{escape(series.name)}</text>')
        x += 24 + 7 * len(series.name)


def _vertical(chart: Chart) -> Markup:
    parts = _open(chart, HEIGHT)
    _legend(chart, parts)
    top = _nice_top(chart.largest)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    for tick in (0, 0.5, 1):
        y = base - plot_h * tick
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#ccc" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end">'
            f"{number(top * tick)}</text>"
        )
    groups = max(len(chart.categories), 1)
    slot = plot_w / groups
    bar = slot * 0.8 / max(len(chart.series), 1)
    for i, category in enumerate(chart.categories):
        x0 = LEFT + slot * i + slot * 0.1
        for s, series in enumerate(chart.series):
            value = series.values[i]
            h = plot_h * value / top
            parts.append(
                f'<rect class="bar" x="{x0 + bar * s:.1f}" y="{base - h:.1f}" '
                f'width="{max(bar - 1, 1):.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[s % len(COLOURS)]}"><title>{escape(category)}, '
                f"{escape(series.name)}: {number(value)}</title></rect>"
            )
        label_x = LEFT + slot * (i + 0.5)
        parts.append(
            f'<text x="{label_x:.1f}" y="{base + 14}" font-size="10" text-anchor="end" '
            f'transform="rotate(-35 {label_x:.1f} {base + 14})">{escape(category)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _horizontal(chart: Chart) -> Markup:
    row_h = 22
    label_w = 190
    height = TOP + row_h * max(len(chart.categories), 1) + 12
    parts = _open(chart, height)
    _legend(chart, parts)
    top = chart.largest
    plot_w = WIDTH - label_w - RIGHT - 40
    band = (row_h - 6) / max(len(chart.series), 1)
    for i, category in enumerate(chart.categories):
        y0 = TOP + row_h * i
        parts.append(
            f'<text x="{label_w - 6}" y="{y0 + row_h / 2 + 4:.1f}" font-size="11" '
            f'text-anchor="end">{escape(category)}</text>'
        )
        for s, series in enumerate(chart.series):
            value = series.values[i]
            w = plot_w * value / top
            y = y0 + 3 + band * s
            parts.append(
                f'<rect class="bar" x="{label_w}" y="{y:.1f}" width="{w:.1f}" '
                f'height="{max(band - 1, 1):.1f}" fill="{COLOURS[s % len(COLOURS)]}">'
                f"<title>{escape(category)}, {escape(series.name)}: {number(value)}</title>"
                "</rect>"
            )
            parts.append(
                f'<text x="{label_w + w + 4:.1f}" y="{y + band - 2:.1f}" font-size="10">'
                f"{number(value)}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))
