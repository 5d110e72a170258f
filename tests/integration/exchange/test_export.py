"""Exporting lists: round trips are no-ops and spreadsheet formulas are neutralised."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.exchange.service import import_list
from reunite.exchange.writers import export_records
from reunite.records.models import Record

from factories import LYSENKO, REQUEST_HEADER, REQUEST_ROWS, make_party, write_csv

HEADER = [*REQUEST_HEADER, "distinguishing_marks"]
ROWS = [[*r, ""] for r in REQUEST_ROWS]
FORMULA = '=HYPERLINK("http://x","see")'
DANGEROUS = ["UA-7", "Бондар", "+Олег", "", "ч", "2015", "@Херсон", "-Оксана", "", FORMULA]


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_import_export_import_is_a_no_op(
    session: Session, tmp_path: Path, file_format: str
) -> None:
    party = make_party(session)
    header = [*HEADER, "school"]
    rows = [[*r, f"=school {i}"] for i, r in enumerate([*ROWS, DANGEROUS])]
    first = import_list(
        session, path=write_csv(tmp_path, "in.csv", header, rows), party=party, kind="requests"
    )
    withdraw = write_csv(
        tmp_path, "w.csv", ["id", "surname", "withdrawn"], [["UA-2", "Коваль", "так"]]
    )
    import_list(session, path=withdraw, party=party, kind="requests")
    out = tmp_path / f"out.{file_format}"

    written = export_records(
        session, party_id=party.id, kind="requests", file_format=file_format, out=out
    )
    again = import_list(session, path=out, party=party, kind="requests")

    assert written == first.added == 4
    assert (again.added, again.corrected, again.withdrawn, again.unchanged) == (0, 0, 0, 4)


def test_csv_export_neutralises_formulas(session: Session, tmp_path: Path) -> None:
    party = make_party(session)
    import_list(
        session,
        path=write_csv(tmp_path, "in.csv", HEADER, [DANGEROUS]),
        party=party,
        kind="requests",
    )
    out = tmp_path / "out.csv"
    export_records(session, party_id=party.id, kind="requests", file_format="csv", out=out)
    with out.open(encoding="utf-8") as handle:
        row = list(csv.DictReader(handle))[0]
    assert row["distinguishing_marks"] == "'" + FORMULA
    assert row["given_name"] == "'+Олег"
    assert row["birth_place"] == "'@Херсон"
    assert row["mother_name"] == "'-Оксана"


def test_xlsx_export_holds_text_not_formulas(session: Session, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    party = make_party(session)
    import_list(
        session,
        path=write_csv(tmp_path, "in.csv", HEADER, [DANGEROUS]),
        party=party,
        kind="requests",
    )
    out = tmp_path / "out.xlsx"
    export_records(session, party_id=party.id, kind="requests", file_format="xlsx", out=out)
    sheet = load_workbook(out).worksheets[0]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value]
    assert all(c.data_type == "s" for c in cells)
    assert not any(str(c.value).startswith(("=", "+", "-", "@")) for c in cells)


def test_json_export_is_a_list_of_objects(session: Session, tmp_path: Path) -> None:
    party = make_party(session)
    import_list(
        session,
        path=write_csv(tmp_path, "in.csv", REQUEST_HEADER, REQUEST_ROWS),
        party=party,
        kind="requests",
    )
    out = tmp_path / "out.json"
    export_records(session, party_id=party.id, kind="requests", file_format="json", out=out)
    items = json.loads(out.read_text(encoding="utf-8"))
    assert [i["id"] for i in items] == ["UA-1", "UA-2", "UA-3"]
    assert items[0]["surname"] == "Лисенко" and items[0]["withheld"] == "no"


EVIL_HEADER = '=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_formula_in_a_header_is_neutralised_and_round_trips(
    session: Session, tmp_path: Path, file_format: str
) -> None:
    from openpyxl import load_workbook

    party = make_party(session)
    path = write_csv(tmp_path, "in.csv", [*REQUEST_HEADER, EVIL_HEADER], [[*LYSENKO, "@x"]])
    import_list(session, path=path, party=party, kind="requests")
    out = tmp_path / f"out.{file_format}"

    export_records(session, party_id=party.id, kind="requests", file_format=file_format, out=out)

    if file_format == "csv":
        with out.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert header[-1] == "'" + EVIL_HEADER
    else:
        sheet = load_workbook(out).worksheets[0]
        cell = sheet.cell(row=1, column=sheet.max_column)
        assert cell.data_type != "f"
        assert cell.value == "'" + EVIL_HEADER
    again = import_list(session, path=out, party=party, kind="requests")
    assert (again.added, again.corrected, again.unchanged) == (0, 0, 1)
    record = session.scalar(select(Record).where(Record.party_id == party.id))
    assert record is not None and record.extra == {EVIL_HEADER: "@x"}
