"""Builders of small list files and parties for tests."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from reunite.parties.models import Party
from reunite.parties.service import add_party

REQUEST_HEADER = [
    "id",
    "surname",
    "given_name",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "mother_name",
    "father_name",
]


def make_party(session: Session, name: str = "Ukraine", role: str = "requesting") -> Party:
    """Register a party for a test."""
    return add_party(session, name=name, role=role)


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]], *, delimiter: str = ",") -> str:
    """Render rows as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(
    folder: Path,
    name: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    """Write a CSV list in the given encoding and return its path."""
    path = folder / name
    path.write_bytes(csv_bytes(header, rows, delimiter=delimiter).encode(encoding))
    return path


def write_xlsx(
    folder: Path, name: str, header: Sequence[str], rows: Sequence[Sequence[Any]]
) -> Path:
    """Write an XLSX list and return its path."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    path = folder / name
    workbook.save(path)
    return path


def write_json(folder: Path, name: str, items: Any) -> Path:
    """Write a JSON list and return its path."""
    path = folder / name
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    return path


LYSENKO = [
    "UA-1",
    "Лисенко",
    "Олександр",
    "Миколайович",
    "ч",
    "12.03.2014",
    "Маріуполь",
    "Лисенко Ольга Петрівна",
    "Лисенко Микола Іванович",
]
KOVAL = ["UA-2", "Коваль", "Ганна", "Андріївна", "ж", "2016-07", "Бахмут", "", ""]
SHEVCHUK = ["UA-3", "ШЕВЧУК", "ДМИТРО", "", "M", "2011", "Херсон", "", ""]
REQUEST_ROWS = [LYSENKO, KOVAL, SHEVCHUK]
