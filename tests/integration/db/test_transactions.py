"""Transactions that read, then write, while another connection commits in between.

A page reads the visitor's session, then writes its audit entry; meanwhile the job worker
commits its progress. On SQLite in WAL mode a deferred transaction fails at once in that
case ("database is locked"); Reunite's transactions take the write lock when they begin.
"""

from __future__ import annotations

import threading

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from reunite.db.engine import read_only_snapshot, session_factory
from reunite.parties.models import Party
from reunite.parties.service import add_party


def _add_party_in_a_thread(
    sessions: sessionmaker[Session], name: str, errors: list[BaseException]
) -> threading.Thread:
    def write() -> None:
        try:
            with sessions() as session, session.begin():
                add_party(session, name=name, role="custodial")
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    return thread


def test_a_transaction_that_read_can_still_write_after_another_committed(
    engine: Engine,
) -> None:
    sessions = session_factory(engine)
    errors: list[BaseException] = []
    with sessions() as reader_then_writer, reader_then_writer.begin():
        assert reader_then_writer.scalars(select(Party.name)).all() == []
        other = _add_party_in_a_thread(sessions, "Other", errors)
        # Give the other writer time to commit (PostgreSQL) or to queue behind us (SQLite).
        other.join(0.5)
        add_party(reader_then_writer, name="Mine", role="requesting")
    other.join(30)
    assert not other.is_alive()
    assert errors == []
    with sessions() as session:
        assert sorted(session.scalars(select(Party.name))) == ["Mine", "Other"]


def test_a_read_only_snapshot_does_not_hold_writers_back(engine: Engine) -> None:
    sessions = session_factory(engine)
    errors: list[BaseException] = []
    with sessions() as reader, reader.begin():
        read_only_snapshot(reader)
        assert reader.scalars(select(Party.name)).all() == []
        writer = _add_party_in_a_thread(sessions, "Written meanwhile", errors)
        writer.join(30)
        # The writer finished while the snapshot was still open, and the snapshot did not
        # see its row: one consistent view for the whole read.
        assert not writer.is_alive() and errors == []
        assert reader.scalars(select(Party.name)).all() == []
    with sessions() as session:
        assert session.scalars(select(Party.name)).all() == ["Written meanwhile"]
