"""The audit log is a hash chain: entries link on commit, and any rewrite is found."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reunite.audit.models import AuditEntry
from reunite.audit.service import (
    GENESIS,
    list_entries,
    record_event,
    verify_chain,
    write_pending,
)
from reunite.db.engine import session_factory, transaction


def _append(engine: Engine, count: int, action: str = "record.read") -> None:
    with transaction(session_factory(engine)) as session:
        for number in range(count):
            record_event(
                session,
                actor=None,
                actor_name="system",
                action=action,
                subject_type="record",
                subject_id=f"r{number}",
                details={"n": number, "name": "Олександр"},
                address="127.0.0.1",
            )


def test_entries_are_linked_when_the_transaction_commits(engine: Engine) -> None:
    _append(engine, 3)
    _append(engine, 2, action="login")
    with transaction(session_factory(engine)) as session:
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        assert [e.action for e in entries] == ["record.read"] * 3 + ["login"] * 2
        assert entries[0].prev_hash == GENESIS
        assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
        report = verify_chain(session)
    assert report.intact and report.entries == 5 and report.head == entries[-1].hash


def test_a_rolled_back_transaction_leaves_no_entry(engine: Engine) -> None:
    with pytest.raises(RuntimeError), transaction(session_factory(engine)) as session:
        record_event(session, actor=None, actor_name="caseworker", action="release")
        raise RuntimeError("the release failed")
    _append(engine, 1)
    with transaction(session_factory(engine)) as session:
        assert [e.action for e in list_entries(session)] == ["record.read"]


def test_changing_an_entry_behind_the_application_is_found(engine: Engine) -> None:
    _append(engine, 5)
    with engine.begin() as connection:
        third = connection.execute(text("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 2"))
        target = third.scalar_one()
        connection.execute(
            text("UPDATE audit_log SET actor = 'someone else' WHERE id = :id"), {"id": target}
        )
    with transaction(session_factory(engine)) as session:
        report = verify_chain(session)
    assert not report.intact and report.broken_at == target
    assert "content was changed" in report.reason


def test_removing_an_entry_is_found_at_the_next_one(engine: Engine) -> None:
    _append(engine, 5)
    with engine.begin() as connection:
        ids = [row[0] for row in connection.execute(text("SELECT id FROM audit_log ORDER BY id"))]
        connection.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[1]})
    with transaction(session_factory(engine)) as session:
        report = verify_chain(session)
    assert report.broken_at == ids[2] and "removed or inserted" in report.reason


def test_the_chain_cannot_fork(engine: Engine) -> None:
    _append(engine, 1)
    with transaction(session_factory(engine)) as session:
        first = session.scalars(select(AuditEntry)).one()
        session.add(
            AuditEntry(
                actor="forger",
                action="login",
                details="{}",
                prev_hash=first.prev_hash,
                hash="f" * 64,
            )
        )
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()


def test_pending_entries_can_be_written_before_commit(session: Session) -> None:
    record_event(session, actor=None, actor_name="cli", action="export", details={"rows": 3})
    assert write_pending(session) == 1
    assert write_pending(session) == 0
    (entry,) = list_entries(session)
    assert (entry.actor, entry.actor_id, entry.action) == ("cli", None, "export")
    assert entry.details == '{"rows":3}'
