"""SQL expressions the figures need that are spelled differently on SQLite and PostgreSQL.

Each is a small `GenericFunction` compiled per dialect, so that one query runs on both and
the counting stays in the database (issue 11: 100,000 cases answer in under a second).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import GenericFunction


class days_between(GenericFunction[float]):  # noqa: N801 - SQL functions are lower case
    """days_between(later, earlier): the days from one timestamp to another, with fractions."""

    type = Float()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _sqlite_days(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(julianday({later}) - julianday({earlier}))"


@compiles(days_between)
def _days(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"


class utc_month(GenericFunction[int]):  # noqa: N801 - SQL functions are lower case
    """utc_month(at): year * 100 + month of a timestamp, in UTC (202510 for October 2025)."""

    type = Integer()
    inherit_cache = True


@compiles(utc_month, "sqlite")
def _sqlite_month(element: utc_month, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite keeps the UTC wall time as text (db.base.UtcDateTime): no zone to convert.
    at = compiler.process(element.clauses, **kw)
    return f"CAST(strftime('%Y%m', {at}) AS INTEGER)"


@compiles(utc_month)
def _month(element: utc_month, compiler: SQLCompiler, **kw: Any) -> str:
    # A timestamptz is read in the session's time zone unless told: the month is UTC's.
    at = compiler.process(element.clauses, **kw)
    return f"CAST(to_char(({at}) AT TIME ZONE 'UTC', 'YYYYMM') AS INTEGER)"
