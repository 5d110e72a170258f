"""The process-wide engine and session factory built from settings."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from reunite.db.engine import make_engine, session_factory
from reunite.settings import get_settings


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    """Return one shared engine per database URL."""
    return make_engine(url)


def default_engine() -> Engine:
    """Return the engine of the configured database."""
    return engine_for(get_settings().database_url)


def default_sessions() -> sessionmaker[Session]:
    """Return a session factory for the configured database."""
    return session_factory(default_engine())
