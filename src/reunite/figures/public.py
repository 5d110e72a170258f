"""Public statistics: counts of children by oblast of origin, sex, age, month and status group.

Anyone may read these (the page `/statistics`, `reunite stats --public`), so they hold
aggregates only, and nothing that could point at a child: no place below oblast level, no
figure about one party's records, every count from 1 to k−1 hidden with complementary cells
(figures.suppression; k is the setting `small_cell_k`, 5 unless set). A case joined to
another as a duplicate is the same child: it is not counted twice.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.cases.age import age_between
from reunite.cases.enums import CaseStatus
from reunite.cases.models import Case
from reunite.figures.enums import AGE_BANDS, AgeBand, StatusGroup, group_of
from reunite.figures.suppression import Grid, protect_together
from reunite.matching.gazetteer import OBLASTS
from reunite.matching.places import oblast_of
from reunite.records.enums import Sex
from reunite.records.models import Record
from reunite.vocabulary import N_

UNKNOWN = ""
NOT_KNOWN = N_("not known")

# HXL hashtags of the columns (DOMAIN.md: the row just under the header).
GROUP_TAGS = {
    StatusGroup.SOUGHT: "#affected+children+sought",
    StatusGroup.LOCATED: "#affected+children+located",
    StatusGroup.REUNIFIED: "#affected+children+reunified",
    StatusGroup.OTHER: "#affected+children+other",
}
TOTAL_TAG = "#affected+children+total"


@dataclass(frozen=True)
class Dimension:
    """What a public table is counted by: its name, its heading and its row columns."""

    key: str
    title: str
    # Each row's label column(s): (heading, HXL hashtag).
    columns: tuple[tuple[str, str], ...]


DIMENSIONS = {
    "oblast": Dimension(
        "oblast",
        N_("Children by oblast of origin"),
        ((N_("Oblast code"), "#adm1+origin+code"), (N_("Oblast of origin"), "#adm1+origin+name")),
    ),
    "sex": Dimension("sex", N_("Children by sex"), ((N_("Sex"), "#x_sex"),)),
    "age": Dimension(
        "age", N_("Children by age at separation"), ((N_("Age at separation"), "#x_age_band"),)
    ),
    "month": Dimension(
        "month", N_("Children by month the search began"), ((N_("Month"), "#date+month"),)
    ),
}


@dataclass(frozen=True)
class Row:
    """A row of a public table: its code and its name in each language (code itself if none)."""

    code: str
    names: dict[str, str]

    def name(self, language: str, translate: Callable[[str], str]) -> str:
        """Return the row's name in a language (vocabulary labels through `translate`)."""
        if language in self.names:
            return self.names[language]
        label = self.names.get("label")
        return translate(label) if label is not None else self.code


@dataclass(frozen=True)
class PublicTable:
    """One public table: rows × status groups, with totals; hidden cells are None."""

    dimension: Dimension
    rows: list[Row]
    grid: Grid
    hidden: set[tuple[int, int]]

    def cell(self, r: int, c: int) -> int | None:
        """Return a published count, or None where it is hidden."""
        return None if (r, c) in self.hidden else self.grid.values[r][c]

    def body(self) -> list[tuple[Row, list[int | None]]]:
        """Return each row with its published counts (the status groups, then the total)."""
        return [
            (row, [self.cell(r, c) for c in range(self.grid.width)])
            for r, row in enumerate(self.rows)
        ]

    def totals(self) -> list[int | None]:
        """Return the published totals row."""
        return [self.cell(self.grid.height - 1, c) for c in range(self.grid.width)]


@dataclass(frozen=True)
class PublicStatistics:
    """Every public table, suppressed together (they share their totals row)."""

    k: int
    tables: list[PublicTable]

    def table(self, key: str) -> PublicTable:
        """Return the table counted by one dimension."""
        return next(table for table in self.tables if table.dimension.key == key)


def _oblast_rows() -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for oblast in OBLASTS:
        english = oblast.nouns[0] if oblast.nouns else oblast.latin
        if oblast.kind == "oblast":
            names = {"en": f"{english} oblast", "uk": f"{oblast.uk} область",
                     "ru": f"{oblast.ru} область"}  # fmt: skip
        else:
            names = {"en": english, "uk": oblast.uk, "ru": oblast.ru}
        rows[oblast.id] = Row(oblast.id, names)
    return rows


_OBLAST_IDS = frozenset(oblast.id for oblast in OBLASTS)


def _oblast(place: str) -> str | None:
    """Return the oblast of a place as written, or as retention left it (its ISO code)."""
    if not place:
        return None
    # flows.retention keeps only the oblast's code of a finished case's places.
    return place if place in _OBLAST_IDS else oblast_of(place)


def age_band(birth: str, separated: str) -> AgeBand:
    """Return the band of a child's age at separation; unknown if dates leave it open."""
    age = age_between(birth, separated) if birth and separated else None
    if age is None:
        return AgeBand.UNKNOWN
    low, high = _band_of(age.low), _band_of(age.high)
    return low if low == high else AgeBand.UNKNOWN


def _band_of(years: int) -> AgeBand:
    for band, (first, last) in AGE_BANDS.items():
        if first <= years <= last:
            return band
    return AgeBand.UNKNOWN


def _month(moment: date) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def public_statistics(session: Session, *, k: int) -> PublicStatistics:
    """Return the public tables, every small count hidden with its complements."""
    counts: dict[str, Counter[tuple[str, StatusGroup]]] = {key: Counter() for key in DIMENSIONS}
    query = (
        select(
            Case.status,
            Case.opened_at,
            Record.last_known_place,
            Record.birth_place,
            Record.sex,
            Record.birth_date,
            Record.separation_date,
        )
        .join(Record, Record.id == Case.request_id)
        .where(Case.status != CaseStatus.DUPLICATE)
    )
    # Streamed: the place of each child is read by the gazetteer (cached), a row at a time.
    for status, opened, place, birth_place, sex, birth, separated in session.execute(
        query.execution_options(yield_per=2000)
    ):
        group = group_of(CaseStatus(status))
        oblast = _oblast(place) or _oblast(birth_place)
        counts["oblast"][(oblast or UNKNOWN, group)] += 1
        counts["sex"][(sex if sex in Sex.values() else UNKNOWN, group)] += 1
        counts["age"][(age_band(birth, separated).value, group)] += 1
        counts["month"][(_month(opened), group)] += 1

    oblasts = _oblast_rows()
    rows: dict[str, list[Row]] = {
        # Every oblast is listed, with zeros: which ones have children is no secret, and a
        # row left out would tell a reader its count was zero all the same.
        "oblast": [*oblasts.values(), Row(UNKNOWN, {"label": NOT_KNOWN})],
        "sex": [
            Row(sex.value, {"label": sex.label}) for sex in (Sex.FEMALE, Sex.MALE, Sex.UNKNOWN)
        ],
        "age": [Row(band.value, {"label": band.label}) for band in AgeBand],
    }
    months = sorted({month for month, _group in counts["month"]})
    rows["month"] = [Row(m, {}) for m in (_months_between(months[0], months[-1]) if months else [])]

    grids = [
        Grid.of([[counts[key][(row.code, group)] for group in StatusGroup] for row in rows[key]])
        for key in DIMENSIONS
    ]
    hidden = protect_together(grids, k)
    return PublicStatistics(
        k=k,
        tables=[
            PublicTable(dimension=DIMENSIONS[key], rows=rows[key], grid=grid, hidden=cells)
            for key, grid, cells in zip(DIMENSIONS, grids, hidden, strict=True)
        ],
    )


def _english(label: str) -> str:
    return label


def to_csv(table: PublicTable) -> str:
    """Return one table as CSV: a header, the HXL hashtag row, the rows, the totals.

    A hidden count is an empty cell (HXL's missing value), never a 0 nor a range.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    labels = table.dimension.columns
    groups = list(StatusGroup)
    writer.writerow([name for name, _tag in labels] + [g.label for g in groups] + ["total"])
    writer.writerow([tag for _name, tag in labels] + [GROUP_TAGS[g] for g in groups] + [TOTAL_TAG])
    for row, cells in table.body():
        names = (
            [row.code, row.name("en", _english)]
            if len(labels) == 2
            else [row.code or row.name("en", _english)]
        )
        writer.writerow(names + ["" if v is None else v for v in cells])
    total_names = ["", "total"] if len(labels) == 2 else ["total"]
    writer.writerow(total_names + ["" if v is None else v for v in table.totals()])
    return buffer.getvalue()


def to_data(statistics: PublicStatistics) -> dict[str, object]:
    """Return every public table as JSON-ready data; a hidden count is null."""
    groups = [g.value for g in StatusGroup]
    return {
        "small_cell_k": statistics.k,
        "note": "counts from 1 to k-1 are hidden (null), with complementary cells",
        "tables": [
            {
                "table": table.dimension.key,
                "rows": [
                    {
                        "code": row.code,
                        "name": row.name("en", _english),
                        "counts": dict(zip([*groups, "total"], cells, strict=True)),
                    }
                    for row, cells in table.body()
                ],
                "total": dict(zip([*groups, "total"], table.totals(), strict=True)),
            }
            for table in statistics.tables
        ],
    }


def to_json(statistics: PublicStatistics) -> str:
    """Return every public table as JSON text."""
    return json.dumps(to_data(statistics), ensure_ascii=False, indent=2)
