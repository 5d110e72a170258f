"""Fast multi-row writes: COPY on PostgreSQL, one prepared executemany elsewhere.

Imports write hundreds of thousands of rows; building an ORM object or compiling a statement
per row would cost more than validating the row, so values go to the driver as tuples.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import JSON, Column, ColumnElement, Select, String, Table, bindparam, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import InstrumentedAttribute, Session

Processor = Callable[[Any], Any] | None
StatementT = TypeVar("StatementT", bound=Select[*tuple[Any, ...]])
_JSON_ENCODER = json.JSONEncoder()


def bulk_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows, given as dicts with the same keys, inside the session's transaction."""
    if not rows:
        return
    names = [c.name for c in table.columns if c.name in rows[0]]
    insert_rows(session, table, names, [tuple(row[name] for name in names) for row in rows])


def insert_rows(
    session: Session,
    table: Table,
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    json_encoded: bool = False,
) -> None:
    """Insert many rows, given as tuples in the order of `names`, as fast as the database allows.

    Values are the Python values the columns' types take (UUIDs, datetimes, dicts for JSON);
    they are converted column by column, not cell by cell. With `json_encoded`, the values
    of JSON columns are already JSON text, as `json.dumps` writes it.
    """
    if not rows:
        return
    connection = session.connection()
    columns = [table.c[name] for name in names]
    quoted = ", ".join(f'"{name}"' for name in names)
    if connection.dialect.name == "postgresql":
        driver = connection.connection.driver_connection
        _copy(driver, table, columns, quoted, rows, encode_json=not json_encoded)
        return
    processors = [
        None
        if json_encoded and isinstance(c.type, JSON)
        else _bind_processor(c, connection.dialect)
        for c in columns
    ]
    if any(p is not None for p in processors):
        rows = list(zip(*_processed_columns(rows, processors), strict=True))
    placeholders = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(
        f'INSERT INTO "{table.name}" ({quoted}) VALUES ({placeholders})',
        rows,
    )


def _processed_columns(
    rows: Sequence[Sequence[Any]], processors: list[Processor]
) -> list[Sequence[Any]]:
    """Apply each column's bind processor to that column, once per distinct constant."""
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for index, process in enumerate(processors):
        if process is None:
            continue
        values = columns[index]
        first = values[0]
        # Batch ids and timestamps are the same on every row of a chunk: convert them once.
        if all(value is first for value in values):
            columns[index] = [process(first)] * len(values)
        else:
            columns[index] = list(map(process, values))
    return columns


def _is_json(column: Column[Any]) -> bool:
    return isinstance(column.type, JSON)


def _bind_processor(column: Column[Any], dialect: Dialect) -> Processor:
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def _copy(
    driver: Any,
    table: Table,
    columns: list[Column[Any]],
    names: str,
    rows: Sequence[Sequence[Any]],
    *,
    encode_json: bool,
) -> None:
    json_positions = [i for i, c in enumerate(columns) if encode_json and _is_json(c)]
    with (
        driver.cursor() as cursor,
        cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
    ):
        if not json_positions:
            for row in rows:
                copy.write_row(row)
            return
        # COPY's text format takes a JSON document as its text: dumping it here spares
        # psycopg a wrapper object and an adapter lookup per cell.
        dumps = _JSON_ENCODER.encode
        for row in rows:
            cells = list(row)
            for position in json_positions:
                cells[position] = dumps(cells[position])
            copy.write_row(cells)


def restrict_to_values(
    session: Session,
    statement: StatementT,
    column: InstrumentedAttribute[str] | ColumnElement[str],
    values: list[str],
) -> StatementT:
    """Keep rows whose column is one of many values, with a plan that probes the index.

    On PostgreSQL a long `IN (...)` of bound parameters becomes an unhashed filter that is
    checked against every row of the party when the planner's statistics are stale (they
    are, inside an import that is still filling the table); joining an unnested array makes
    the planner probe the unique index value by value instead.
    """
    if session.connection().dialect.name != "postgresql":
        return statement.where(column.in_(values))
    array = bindparam("wanted_values", values, type_=ARRAY(String))
    wanted = func.unnest(array).table_valued("value").render_derived(name="wanted")
    return statement.join(wanted, column == wanted.c.value)
