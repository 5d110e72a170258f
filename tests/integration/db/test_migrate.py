"""Migrations on a database that holds rows: SQLite's table copies must not trip its keys."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from reunite.db.base import utcnow
from reunite.db.engine import make_engine
from reunite.db.migrate import upgrade


def test_foreign_keys_are_enforced_again_after_a_migration(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine, "0003")
        parties = sa.Table("parties", sa.MetaData(), autoload_with=engine)
        with engine.begin() as connection:
            connection.execute(
                parties.insert().values(
                    id=1, name="Ukraine", role="requesting", created_at=utcnow()
                )
            )
        upgrade(engine)  # 0004 copies the parties table on SQLite, rows pointing at it or not
        batches = sa.Table("batches", sa.MetaData(), autoload_with=engine)
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
            connection.execute(
                batches.insert().values(
                    id=1, party_id=99, kind="requests", sha256="0" * 64, filename="x.csv",
                    file_format="csv", received_at=utcnow(), rows_read=0, rows_added=0,
                    rows_corrected=0, rows_withdrawn=0, rows_unchanged=0, rows_rejected=0,
                )
            )  # fmt: skip
    finally:
        engine.dispose()
