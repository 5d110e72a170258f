"""Engines and sessions for SQLite (default) and PostgreSQL (production)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from reunite.db.functions import SQLITE_LOWER, lower_text

log = logging.getLogger(__name__)


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgresql:// URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the settings each database needs."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _configure_sqlite)
        # pysqlite's own transaction handling defers BEGIN; we issue it ourselves so that
        # a write transaction is really atomic (see the SQLAlchemy pysqlite notes).
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=POSTGRES_POOL_SIZE,
        max_overflow=POSTGRES_POOL_OVERFLOW,
        **kwargs,
    )


def sessions_at_once(engine: Engine) -> int:
    """Return how many request transactions the server should run at once on this engine.

    SQLite has one writer, and every request writes (its audit entry): one at a time. On
    PostgreSQL, as many as the pool has connections.
    """
    if engine.dialect.name == "sqlite":
        return 1
    return POSTGRES_POOL_SIZE + POSTGRES_POOL_OVERFLOW


# A write-ahead log larger than this is cut back after a failed write (see shrink_wal).
WAL_LIMIT_BYTES = 64 * 1024 * 1024
SQLITE_MMAP_BYTES = 1 << 30
POSTGRES_POOL_SIZE = 10
POSTGRES_POOL_OVERFLOW = 5
# Execution option for a SQLite transaction that will only read (see `_begin_sqlite`).
READ_ONLY = "reunite_read_only"


def _begin_sqlite(connection: Connection) -> None:
    # In WAL mode a transaction that read first and writes later fails at once ("database is
    # locked", no waiting) when another connection committed in between: a page that reads a
    # session and then writes its audit entry while the job worker reports progress. Taking
    # the write lock at BEGIN makes the writer wait its turn instead. Readers never block.
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def read_only_snapshot(session: Session) -> None:
    """Make the session's next transaction a read-only snapshot that blocks no writer.

    Call before the session's first statement. On SQLite the transaction then starts as a
    deferred reader; on PostgreSQL all its reads see one snapshot (REPEATABLE READ).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    else:
        session.connection(execution_options={READ_ONLY: True})


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    dbapi_connection.create_function(SQLITE_LOWER, 1, lower_text, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # A checkpoint that empties the write-ahead log also cuts it back to this size.
    cursor.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
    # Every commit by another connection empties a connection's page cache (WAL mode), and
    # with many writers (audited requests, a list stored a chunk at a time) that is every
    # few milliseconds: pages read through a memory map need no cache to be refilled.
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.close()


def shrink_wal(engine: Engine) -> None:
    """After a large write was rolled back, cut SQLite's write-ahead log back down.

    SQLite keeps the pages a refused 200 MB import spilled into its log: the file stays
    gigabytes large until a checkpoint empties it, which may be at shutdown. Nothing to do on
    PostgreSQL, nor when the log is small; a checkpoint that other readers hold back is
    simply tried again after the next failure.
    """
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return
    wal = Path(f"{engine.url.database}-wal")
    try:
        if wal.stat().st_size <= WAL_LIMIT_BYTES:
            return
    except OSError:
        return
    try:
        # Outside any transaction (the driver runs in autocommit mode): a checkpoint cannot
        # empty the log while a transaction of its own connection holds a snapshot.
        raw = engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
        finally:
            raw.close()
    except Exception:  # noqa: BLE001 - a log left long is no reason to fail the request
        log.warning("the SQLite write-ahead log could not be cut back", exc_info=True)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory bound to the engine."""
    return sessionmaker(bind=engine, expire_on_commit=False)


# Work that must be done even when the transaction fails (a refusal to write down, say):
# callbacks kept on the session, run in a fresh transaction after the rollback.
_ON_FAILURE = "reunite_on_failure"
FailureWork = Callable[[Session], None]


def on_failure(session: Session, work: FailureWork) -> None:
    """Run `work` in a fresh transaction if this session's transaction rolls back."""
    session.info.setdefault(_ON_FAILURE, []).append(work)


def forget_failure_work(session: Session) -> None:
    """Drop the failure work of a transaction that committed."""
    session.info.pop(_ON_FAILURE, None)


def run_failure_work(session: Session, factory: sessionmaker[Session]) -> None:
    """After a rollback, do the work kept for that case, in a transaction of its own."""
    works: list[FailureWork] = session.info.pop(_ON_FAILURE, [])
    if not works:
        return
    fresh = factory()
    try:
        for work in works:
            work(fresh)
        fresh.commit()
    except Exception:
        fresh.rollback()
        log.exception("the work kept for a failed transaction could not be done")
    finally:
        fresh.close()


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Open a session, commit when the block succeeds, roll back when it raises.

    After a rollback, the work the transaction kept for that case (`on_failure`) runs in a
    transaction of its own.
    """
    session = factory()
    try:
        yield session
        session.commit()
        forget_failure_work(session)
    except BaseException:
        session.rollback()
        run_failure_work(session, factory)
        shrink_wal(factory.kw["bind"])
        raise
    finally:
        session.close()


# What SQLite says when it cannot be used now (another writer holds it, the file is away);
# every other error it raises as OperationalError (syntax, a missing table) is a fault.
_SQLITE_AWAY = ("locked", "unable to open database", "disk i/o error")
# PostgreSQL's error classes for the same: the connection (08), resources such as too many
# connections (53), the server shutting down or starting (57P), a transaction the server
# chose to abort, deadlock or serialisation (40).
_POSTGRES_AWAY = ("08", "53", "57P", "40")


def is_unreachable(exc: BaseException) -> bool:
    """Tell whether a database error means "not reachable or too busy now": try again later.

    A server gone or restarting, a connection cut, the pool exhausted, a write lock held too
    long, a transaction the database chose to abort (deadlock, serialisation): none says the
    request was wrong, and the same request may succeed in a moment. A mistake in a query or
    the schema is not one of them.
    """
    if isinstance(exc, sa_exc.TimeoutError | sa_exc.InterfaceError):
        return True
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    if not isinstance(exc, sa_exc.OperationalError):
        return False
    if isinstance(exc.orig, sqlite3.Error):
        said = str(exc.orig).lower()
        return any(away in said for away in _SQLITE_AWAY)
    state = getattr(exc.orig, "sqlstate", None)
    # No state: the driver's own failure to reach the server (refused, cut, timed out).
    return state is None or str(state).startswith(_POSTGRES_AWAY)
