"""SQL expressions the figures need that are spelled differently on SQLite and PostgreSQL.

Each is a small `GenericFunction` compiled per dialect, so that one query runs on both and
the counting stays in the database (issue 11: 100,000 cases answer in under a second).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, Integer, Select, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import GenericFunction


def dialect_of(session: Session) -> str:
    """Return the name of the database a session talks to: sqlite or postgresql."""
    return session.get_bind().dialect.name


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


def median_by_group(values: Subquery, dialect: str) -> Select[Any, Any, int]:
    """Return a query of (group, median of value, how many) over a subquery (group, value).

    PostgreSQL has the median as an ordered-set aggregate; SQLite has none, so there it is
    the middle row (or the mean of the two middle rows) of each group, found with window
    functions. Both give the same number.
    """
    if dialect == "postgresql":
        median = func.percentile_cont(0.5).within_group(values.c.value)
        return select(values.c.group, median, func.count()).group_by(values.c.group)
    ranked = select(
        values.c.group,
        values.c.value,
        func.row_number().over(partition_by=values.c.group, order_by=values.c.value).label("rank"),
        func.count().over(partition_by=values.c.group).label("n"),
    ).subquery()
    # The middle ranks of n rows (floor division on both databases).
    low = (ranked.c.n + 1) // 2
    high = (ranked.c.n + 2) // 2
    return (
        select(ranked.c.group, func.avg(ranked.c.value), func.max(ranked.c.n))
        .where((ranked.c.rank == low) | (ranked.c.rank == high))
        .group_by(ranked.c.group)
    )
