"""Migration 0005: records stored before it get their name, sort and duplicate keys."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from reunite.db.base import utcnow
from reunite.db.engine import make_engine
from reunite.db.migrate import downgrade, upgrade
from reunite.records.keys import blocking_digest, record_keys
from reunite.records.models import Record
from reunite.wiring import schema

BEFORE = "0003"
TRIGRAMS = "ix_records_search_key_trgm"
FIELDS: dict[str, Any] = {
    "external_id": "UA-1",
    "surname": "Лисенко",
    "given_name": "Олександр",
    "patronymic": "Миколайович",
    "name_variants": "Lysenko Oleksandr; Саша",
    "birth_date": "2014-03-12",
    "mother_name": "Лисенко Ольга Петрівна",
    "father_name": "Лисенко Микола Іванович",
}


def _insert_old_record(engine: sa.Engine) -> uuid.UUID:
    metadata = sa.MetaData()
    parties = sa.Table("parties", metadata, autoload_with=engine)
    batches = sa.Table("batches", metadata, autoload_with=engine)
    records = sa.Table("records", metadata, autoload_with=engine)
    now = utcnow()
    record_id = uuid.uuid4()
    with engine.begin() as connection:
        connection.execute(
            parties.insert().values(id=1, name="Ukraine", role="requesting", created_at=now)
        )
        connection.execute(
            batches.insert().values(
                id=1,
                party_id=1,
                kind="requests",
                sha256="0" * 64,
                filename="old.csv",
                file_format="csv",
                received_at=now,
                **dict.fromkeys(("rows_read", "rows_added", "rows_corrected", "rows_withdrawn"), 1),
                rows_unchanged=0,
                rows_rejected=0,
            )
        )
        values: dict[str, object] = {
            c.name: "" for c in records.columns if isinstance(c.type, sa.String | sa.Text)
        }
        values |= FIELDS | {
            # Reflected, SQLite's UUID column is CHAR(32): the hex form the app stores.
            "id": record_id if engine.dialect.name == "postgresql" else record_id.hex,
            "party_id": 1,
            "kind": "requests",
            "withheld": False,
            "withdrawn": False,
            "extra": {},
            "version": 1,
            "created_batch_id": 1,
            "updated_batch_id": 1,
            "created_at": now,
            "updated_at": now,
        }
        connection.execute(records.insert().values(values))
    return record_id


def test_the_migration_fills_the_keys_of_records_stored_before_it(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine, BEFORE)
        record_id = _insert_old_record(engine)
        upgrade(engine)
        expected = record_keys(FIELDS)
        with Session(engine) as session:
            record = session.get(Record, record_id)
            assert record is not None
            got = {column: getattr(record, column) for column in expected}
        assert got == expected
        assert expected["sort_key"] == "lisenko oleksandr"
        assert expected["dup_given_key"] == blocking_digest("2014-03-12|олександр")
        assert expected["dup_surname_key"] == blocking_digest("2014-03-12|lisenko")
        child, parents = expected["search_key"].split(" | ")
        assert " lisenko " in f"{child} " and " #ua-1" in child and "olha" in parents

        # Down and up again: the columns, indexes and table come and go cleanly.
        downgrade(engine, BEFORE)
        columns = {c["name"] for c in inspect(engine).get_columns("records")}
        assert not {"sort_key", "dup_given_key", "dup_surname_key"} & columns
        assert "ix_records_surname" in {i["name"] for i in inspect(engine).get_indexes("records")}
        assert "record_links" not in inspect(engine).get_table_names()
        upgrade(engine)
        indexes = {str(i["name"]) for i in inspect(engine).get_indexes("records")}
        assert {"ix_records_sort_key", "ix_records_dup_given_key"} <= indexes
        assert "ix_records_surname" not in indexes  # the sort key serves the orders now
        with Session(engine) as session:
            assert session.get(Record, record_id).sort_key == "lisenko oleksandr"  # type: ignore[union-attr]
    finally:
        engine.dispose()


def test_the_migrated_schema_is_the_one_the_models_describe(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, schema())
    # The trigram index lives in the migrations only (PostgreSQL with pg_trgm).
    assert [d for d in differences if d[0] != "remove_index" or d[1].name != TRIGRAMS] == []
