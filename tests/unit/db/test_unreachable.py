"""Which database errors mean "out of reach, try again" (503) and which are faults (500)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from reunite.db.engine import is_unreachable


def _raised(url: str, statement: str, **options: object) -> SQLAlchemyError:
    engine = create_engine(url, **options)
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    except SQLAlchemyError as exc:
        return exc
    finally:
        engine.dispose()
    raise AssertionError("the statement did not fail")


def test_a_locked_sqlite_database_is_out_of_reach(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        error = _raised(
            f"sqlite:///{path}", "INSERT INTO t VALUES (1)", connect_args={"timeout": 0}
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert isinstance(error, OperationalError) and "locked" in str(error)
    assert is_unreachable(error)


def test_a_server_that_refuses_the_connection_is_out_of_reach() -> None:
    pytest.importorskip("psycopg")
    # Port 9 (discard) on the loopback: nobody listens there, the connection is refused.
    error = _raised("postgresql+psycopg://nobody@127.0.0.1:9/none", "SELECT 1")
    assert isinstance(error, OperationalError)
    assert is_unreachable(error)


@pytest.mark.parametrize(
    "statement", ["SELECT * FROM no_such_table", "SELECT no_such_column FROM t"]
)
def test_a_mistake_in_the_schema_or_the_query_is_a_fault(tmp_path: Path, statement: str) -> None:
    url = f"sqlite:///{tmp_path / 'faults.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    engine.dispose()
    error = _raised(url, statement)
    assert isinstance(error, OperationalError)  # SQLite says so with the same error class
    assert not is_unreachable(error)


def test_a_syntax_error_or_a_broken_rule_is_a_fault(tmp_path: Path) -> None:
    error = _raised(f"sqlite:///{tmp_path / 'syntax.db'}", "SELEC 1")
    assert not is_unreachable(error)
    assert not is_unreachable(ValueError("not a database error"))


@pytest.mark.parametrize(
    ("error", "away"),
    [
        ("AdminShutdown", True),  # the server restarting
        ("CannotConnectNow", True),  # the server starting
        ("TooManyConnections", True),
        ("SerializationFailure", True),
        ("DeadlockDetected", True),
        ("UndefinedTable", False),
        ("SyntaxError", False),
        ("UniqueViolation", False),
    ],
)
def test_postgresql_errors_are_told_apart_by_their_class(error: str, away: bool) -> None:
    errors = pytest.importorskip("psycopg.errors")
    raised = getattr(errors, error)("as PostgreSQL says it")
    wrapped = DBAPIError.instance("SELECT 1", {}, raised, Exception)
    assert is_unreachable(wrapped) is away


def test_an_exhausted_pool_is_out_of_reach() -> None:
    assert is_unreachable(PoolTimeout("QueuePool limit of size 5 overflow 10 reached"))


def test_a_connection_the_driver_says_was_invalidated_is_out_of_reach() -> None:
    lost = DBAPIError("SELECT 1", {}, Exception("server closed the connection"))
    lost.connection_invalidated = True
    assert is_unreachable(lost)
