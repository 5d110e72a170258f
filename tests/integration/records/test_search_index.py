"""Migration 0003: the indexes for scale come and go with upgrade and downgrade."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from reunite.db.migrate import downgrade, upgrade

TRIGRAMS = "ix_records_search_key_trgm"
LOG_PAGING = {"ix_audit_log_action_paging", "ix_audit_log_actor_paging"}


def _indexes(engine: Engine, table: str) -> set[str]:
    return {str(index["name"]) for index in inspect(engine).get_indexes(table)}


def test_the_indexes_come_and_go_with_the_migration(engine: Engine) -> None:
    postgres = engine.dialect.name == "postgresql"
    assert LOG_PAGING <= _indexes(engine, "audit_log")
    # The local PostgreSQL ships pg_trgm: the index must be there, not silently skipped.
    assert (TRIGRAMS in _indexes(engine, "records")) == postgres
    downgrade(engine, "0002")
    assert not LOG_PAGING & _indexes(engine, "audit_log")
    assert TRIGRAMS not in _indexes(engine, "records")
    upgrade(engine)
    assert (TRIGRAMS in _indexes(engine, "records")) == postgres


def test_postgresql_answers_a_name_pattern_from_the_trigram_index(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as connection:
        connection.execute(text("SET LOCAL enable_seqscan = off"))
        plan = connection.execute(
            text("EXPLAIN SELECT id FROM records WHERE search_key LIKE '% lisenko%'")
        ).scalars()
        assert any(TRIGRAMS in line for line in plan)
