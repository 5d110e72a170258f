"""Fast multi-row writes: COPY on PostgreSQL, one prepared executemany elsewhere.

Imports write hundreds of thousands of rows; building an ORM object or compiling a statement
per row would cost more than validating the row, so values go to the driver as tuples.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import JSON, Column, Select, String, Table, bindparam, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import InstrumentedAttribute, Session

Processor = Callable[[Any], Any] | None
StatementT = TypeVar("StatementT", bound=Select[*tuple[Any, ...]])


def bulk_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows inside the session's transaction, as fast as the database allows."""
    if not rows:
        return
    connection = session.connection()
    columns = [c for c in table.columns if c.name in rows[0]]
    names = ", ".join(f'"{c.name}"' for c in columns)
    if connection.dialect.name == "postgresql":
        _copy(connection.connection.driver_connection, table, columns, names, rows)
        return
    processors = [_bind_processor(c, connection.dialect) for c in columns]
    placeholders = ", ".join("?" for _ in columns)
    values = [
        tuple(
            row[c.name] if p is None else p(row[c.name])
            for c, p in zip(columns, processors, strict=True)
        )
        for row in rows
    ]
    connection.exec_driver_sql(
        f'INSERT INTO "{table.name}" ({names}) VALUES ({placeholders})', values
    )


def _bind_processor(column: Column[Any], dialect: Dialect) -> Processor:
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def _copy(
    driver: Any,
    table: Table,
    columns: list[Column[Any]],
    names: str,
    rows: Sequence[dict[str, Any]],
) -> None:
    from psycopg.types.json import Jsonb

    json_columns = {c.name for c in columns if isinstance(c.type, JSON)}
    with (
        driver.cursor() as cursor,
        cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row(
                [Jsonb(row[c.name]) if c.name in json_columns else row[c.name] for c in columns]
            )


def restrict_to_values(
    session: Session,
    statement: StatementT,
    column: InstrumentedAttribute[str],
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
