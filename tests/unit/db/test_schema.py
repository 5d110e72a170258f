"""The schema check: a foreign key to a table nobody registered fails at once, by name."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table

from reunite.db.schema import IncompleteSchema, check_schema
from reunite.wiring import schema


def test_a_dangling_foreign_key_is_named() -> None:
    metadata = MetaData()
    Table("parents", metadata, Column("id", Integer, primary_key=True))
    Table(
        "children",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("parent_id", ForeignKey("parents.id")),
        Column("guardian_id", ForeignKey("guardians.id")),
    )
    with pytest.raises(IncompleteSchema, match=r"children\.guardian_id → guardians\.id"):
        check_schema(metadata)


def test_the_registered_schema_is_whole() -> None:
    tables = schema().tables
    # The audit log points at users, records at batches: each of those tables is there.
    assert {"audit_log", "users", "records", "batches", "jobs", "releases"} <= set(tables)
    check_schema(schema())
