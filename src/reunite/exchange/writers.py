"""Write a party's records back out as CSV, XLSX or JSON, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.errors import InvalidInput
from reunite.exchange.readers import neutralise
from reunite.exchange.validation import FLAG_FIELDS, RECORD_FIELDS
from reunite.records.access import published
from reunite.records.models import Record

EXPORT_FORMATS = ("csv", "xlsx", "json")


def export_records(
    session: Session, *, party_id: int, kind: str, file_format: str, out: Path
) -> int:
    """Write every record of one party and kind to a file; return how many were written."""
    if file_format not in EXPORT_FORMATS:
        raise InvalidInput(f"unknown format {file_format!r}; use csv, xlsx or json")
    extra_columns = _extra_columns(session, party_id=party_id, kind=kind)
    header = ["id", *RECORD_FIELDS, *extra_columns]
    rows = _rows(session, party_id=party_id, kind=kind, extra_columns=extra_columns)
    if file_format == "csv":
        return _write_csv(out, header, rows)
    if file_format == "xlsx":
        return _write_xlsx(out, header, rows)
    return _write_json(out, header, rows)


def _records(session: Session, *, party_id: int, kind: str) -> Iterator[Record]:
    statement = (
        select(Record)
        .where(Record.party_id == party_id, Record.kind == kind, published())
        .order_by(Record.external_id)
        .execution_options(yield_per=2000)
    )
    yield from session.scalars(statement)


def _extra_columns(session: Session, *, party_id: int, kind: str) -> list[str]:
    seen: dict[str, None] = {}
    statement = select(Record.extra).where(
        Record.party_id == party_id, Record.kind == kind, published()
    )
    for extra in session.scalars(statement.execution_options(yield_per=5000)):
        for key in extra or {}:
            seen.setdefault(key, None)
    reserved = {"id", *RECORD_FIELDS}
    return [key for key in seen if key not in reserved]


def _rows(
    session: Session, *, party_id: int, kind: str, extra_columns: list[str]
) -> Iterator[list[str]]:
    for record in _records(session, party_id=party_id, kind=kind):
        cells: list[str] = [record.external_id]
        for name in RECORD_FIELDS:
            value: Any = getattr(record, name)
            cells.append(("yes" if value else "no") if name in FLAG_FIELDS else str(value))
        extra = record.extra or {}
        cells.extend(str(extra.get(key, "")) for key in extra_columns)
        yield cells


def _write_csv(out: Path, header: list[str], rows: Iterator[list[str]]) -> int:
    count = 0
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        # A party names its extra columns: a header is as hostile as a cell.
        writer.writerow([neutralise(h) for h in header])
        for cells in rows:
            writer.writerow([neutralise(c) for c in cells])
            count += 1
    return count


def _write_xlsx(out: Path, header: list[str], rows: Iterator[list[str]]) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("records")
    sheet.append([neutralise(h) for h in header])
    count = 0
    for cells in rows:
        sheet.append([neutralise(c) for c in cells])
        count += 1
    workbook.save(out)
    return count


def _write_json(out: Path, header: list[str], rows: Iterator[list[str]]) -> int:
    count = 0
    with out.open("w", encoding="utf-8") as handle:
        handle.write("[")
        for cells in rows:
            handle.write(",\n " if count else "\n ")
            handle.write(json.dumps(dict(zip(header, cells, strict=True)), ensure_ascii=False))
            count += 1
        handle.write("\n]\n")
    return count
