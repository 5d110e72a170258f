"""Alembic environment: migrations run in batch mode so they also work on SQLite."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from reunite.db.engine import make_engine
from reunite.wiring import schema

config = context.config
target_metadata = schema()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against the connection handed over by reunite.db.migrate, or a fresh engine."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as fresh:
        _run(fresh)


run_migrations_online()
