"""Declarative base, shared column types and the clock."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names keep Alembic batch migrations working on SQLite.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JsonDocument = JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self,
        value: datetime | None,
        dialect: Dialect,  # noqa: ARG002
    ) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use reunite.db.base.utcnow()")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(
        self,
        value: Any,
        dialect: Dialect,  # noqa: ARG002
    ) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base class of every table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# How far behind the real time the clock runs in this context (see clock_from).
_CLOCK_LAG: ContextVar[timedelta] = ContextVar("reunite_clock_lag", default=timedelta(0))


def utcnow() -> datetime:
    """Return the current time in UTC, timezone-aware (as the clock runs in this context)."""
    return datetime.now(UTC) - _CLOCK_LAG.get()


@contextmanager
def clock_from(moment: datetime) -> Iterator[None]:
    """Run the clock from a past moment within this block: utcnow() says it, then ticks on.

    For history replayed through the real services, which stamp what they write with
    utcnow() (the demo's weeks of work). Only this context's clock moves; a moment ahead of
    the real time is refused, so nothing is ever dated in the future.
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; use an aware one")
    lag = datetime.now(UTC) - moment
    if lag < timedelta(0):
        raise ValueError("the clock cannot run ahead of the real time")
    token = _CLOCK_LAG.set(lag)
    try:
        yield
    finally:
        _CLOCK_LAG.reset(token)


def one_of(column: str, vocabulary: Iterable[str]) -> str:
    """Return the SQL of a check that a column holds one of a vocabulary's codes."""
    codes = ", ".join("'" + str(code).replace("'", "''") + "'" for code in vocabulary)
    return f"{column} IN ({codes})"
