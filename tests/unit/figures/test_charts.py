"""Charts drawn as SVG on the server: words escaped, bars to scale, the same numbers as CSV."""

from __future__ import annotations

import csv
import io
import re
from xml.etree import ElementTree

from reunite.figures.charts import Chart, Series, to_csv, to_svg
from reunite.figures.presenting import zone_of

CHART = Chart(
    "lists",
    "Lists <received>",
    ("Україна", 'Party "B" & co'),
    (Series("Rows", (100, 50)), Series("Median days", (2.5, 0))),
    category_heading="Party",
)


def test_the_svg_is_well_formed_with_every_word_escaped() -> None:
    for horizontal in (False, True):
        chart = Chart(**{**CHART.__dict__, "horizontal": horizontal})
        svg = str(to_svg(chart))
        root = ElementTree.fromstring(svg)  # parses: nothing unescaped broke it
        assert root.get("role") == "img"
        assert "<received>" not in svg and "&lt;received&gt;" in svg
        bars = [e for e in root.iter("{http://www.w3.org/2000/svg}rect") if e.get("class") == "bar"]
        assert len(bars) == 4
        size = "width" if horizontal else "height"
        largest = max(float(bar.get(size, "0")) for bar in bars)
        half = [float(bar.get(size, "0")) for bar in bars][2]  # the second party's rows: 50
        assert abs(half - largest / 2) < 0.2
        assert not re.search(r"\sstyle=", svg)  # the CSP allows no inline style


def test_the_csv_holds_the_charts_numbers() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(CHART))))
    assert rows == [
        ["Party", "Rows", "Median days"],
        ["Україна", "100", "2.5"],
        ['Party "B" & co', "50", "0"],
    ]


def test_a_time_zone_unknown_or_malformed_is_utc() -> None:
    assert zone_of("Europe/Kyiv").key == "Europe/Kyiv"
    assert zone_of("Mars/Olympus").key == "UTC"
    assert zone_of("../../etc/passwd").key == "UTC"
    assert zone_of(None).key == "UTC"
