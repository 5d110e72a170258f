"""Keyset paging of a log that only grows: pages cut by id, newest first.

Each page costs the same however long the log is: `before` gives the entries just older
than that id, `after` the entries just newer (still listed newest first).
"""

from __future__ import annotations

from typing import TypeVarTuple

from sqlalchemy import ColumnElement, Row, Select
from sqlalchemy.orm import InstrumentedAttribute, Session

Columns = TypeVarTuple("Columns")


def newest_first(
    session: Session,
    query: Select[*Columns],
    key: InstrumentedAttribute[int],
    *,
    limit: int,
    before: int | None = None,
    after: int | None = None,
) -> list[Row[*Columns]]:
    """Return one page of the query's rows, newest first, next to `before` or `after`."""
    if before is not None:
        query = query.where(key < before)
    if after is not None:
        nearest = session.execute(query.where(key > after).order_by(key).limit(limit)).all()
        return list(reversed(nearest))
    return list(session.execute(query.order_by(key.desc()).limit(limit)).all())


def beyond(
    session: Session,
    query: Select[*Columns],
    key: InstrumentedAttribute[int],
    *,
    newest: int,
    oldest: int,
) -> tuple[bool, bool]:
    """Tell whether the query has rows older than `oldest` and newer than `newest`."""

    def any_where(condition: ColumnElement[bool]) -> bool:
        found = session.scalar(query.with_only_columns(key).where(condition).limit(1))
        return found is not None

    return any_where(key < oldest), any_where(key > newest)
