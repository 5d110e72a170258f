"""Appending to the audit log, and checking that nobody rewrote it.

Each entry's hash covers its own content and the previous entry's hash, so changing,
inserting or deleting an entry anywhere breaks the chain from there on; `verify_chain`
names the first entry where it breaks. Entries are linked when their transaction commits
(under a lock on PostgreSQL, so concurrent server processes append one at a time), which
keeps the lock as short as the commit itself; a unique `prev_hash` makes a fork impossible
even without the lock. Deleting the newest entries leaves a shorter valid chain: compare the
head hash that `reunite audit verify` prints with one kept elsewhere to detect that.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, event, func, select, text
from sqlalchemy.orm import Session, SessionTransaction

from reunite.audit.enums import AuditAction
from reunite.audit.models import AuditEntry
from reunite.auth.principal import Principal
from reunite.db.base import utcnow
from reunite.db.engine import on_failure
from reunite.db.keyset import beyond, newest_first
from reunite.errors import NotFound

GENESIS = "0" * 64
_PENDING = "reunite_audit_pending"
# Refusals recorded in this transaction (by id of their pending entry): a savepoint rolled
# back keeps them; the entries it holds otherwise go with it.
_REFUSALS = "reunite_audit_refusals"
_MARKS = "reunite_audit_savepoints"
_ADVISORY_LOCK = 0x52_45_55_4E  # "REUN"
_ACTIONS = frozenset(AuditAction.values())


def record_event(
    session: Session,
    *,
    actor: Principal | None,
    action: str,
    subject_type: str = "",
    subject_id: str = "",
    details: dict[str, Any] | None = None,
    address: str = "",
    actor_name: str = "",
) -> None:
    """Add an entry to the audit log; it is written, linked, when the transaction commits.

    The action must be one the auditor's pages can name (audit.enums.AuditAction).
    """
    if action not in _ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: add it to AuditAction")
    pending: list[dict[str, Any]] = session.info.setdefault(_PENDING, [])
    pending.append(
        {
            "at": utcnow(),
            "actor_id": actor.user_id if actor is not None else None,
            "actor": actor.username if actor is not None else actor_name[:100],
            "action": action[:40],
            "subject_type": subject_type[:40],
            "subject_id": subject_id[:100],
            "details": _canonical(details or {}),
            "address": address[:64],
        }
    )


def record_refusal(
    session: Session,
    *,
    actor: Principal | None,
    action: str,
    subject_type: str = "",
    subject_id: str = "",
    details: dict[str, Any] | None = None,
    address: str = "",
    actor_name: str = "",
) -> None:
    """Audit something refused: kept whether the caller's transaction commits or rolls back.

    A refusal usually ends its transaction with a rollback, which drops what was recorded in
    it; the entry is then written in a transaction of its own (db.engine.on_failure).
    """

    def write(into: Session) -> None:
        record_event(
            into,
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            details=details,
            address=address,
            actor_name=actor_name,
        )

    write(session)
    session.info.setdefault(_REFUSALS, set()).add(id(session.info[_PENDING][-1]))
    on_failure(session, write)


def write_pending(session: Session) -> int:
    """Link and insert the entries recorded in this transaction so far; return how many."""
    pending: list[dict[str, Any]] = session.info.pop(_PENDING, [])
    session.info.pop(_REFUSALS, None)
    session.info.pop(_MARKS, None)
    if not pending:
        return 0
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
    previous = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    previous = previous or GENESIS
    for fields in pending:
        digest = entry_hash(previous, fields)
        session.add(AuditEntry(**fields, prev_hash=previous, hash=digest))
        previous = digest
        # One at a time: the ids must follow the chain's order.
        session.flush()
    return len(pending)


@event.listens_for(Session, "before_commit")
def _link_on_commit(session: Session) -> None:
    if session.info.get(_PENDING):
        write_pending(session)


@event.listens_for(Session, "after_transaction_create")
def _mark_savepoint(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        marks: dict[int, int] = session.info.setdefault(_MARKS, {})
        marks[id(transaction)] = len(session.info.get(_PENDING, []))


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, previous: SessionTransaction) -> None:
    if not previous.nested:
        # The whole transaction is gone, and what it recorded with it (refusals are written
        # again in a transaction of their own: record_refusal).
        session.info.pop(_PENDING, None)
        session.info.pop(_REFUSALS, None)
        session.info.pop(_MARKS, None)
        return
    mark = session.info.get(_MARKS, {}).pop(id(previous), None)
    pending: list[dict[str, Any]] = session.info.get(_PENDING, [])
    if mark is None or mark >= len(pending):
        return
    refusals: set[int] = session.info.get(_REFUSALS, set())
    # What happened inside the savepoint did not happen, but a refusal did.
    pending[mark:] = [entry for entry in pending[mark:] if id(entry) in refusals]


def entry_hash(previous: str, fields: dict[str, Any]) -> str:
    """Return the hash of an entry: SHA-256 over the previous hash and the entry's content."""
    content = [
        _timestamp(fields["at"]),
        fields["actor_id"],
        fields["actor"],
        fields["action"],
        fields["subject_type"],
        fields["subject_id"],
        fields["details"],
        fields["address"],
    ]
    payload = previous + json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _canonical(details: dict[str, Any]) -> str:
    return json.dumps(
        details, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    )


@dataclass(frozen=True)
class ChainReport:
    """What walking the chain found."""

    entries: int
    head: str
    broken_at: int | None = None  # id of the first entry that does not verify
    reason: str = ""

    @property
    def intact(self) -> bool:
        """Tell whether every entry verified."""
        return self.broken_at is None


def _entries(session: Session, batch: int = 5000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        rows = list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.id > last).order_by(AuditEntry.id).limit(batch)
            )
        )
        if not rows:
            return
        yield from rows
        last = rows[-1].id
        for row in rows:  # a long log must not pile up in the session
            session.expunge(row)


def verify_chain(session: Session) -> ChainReport:
    """Walk the whole log in order; report the first entry whose links or content changed."""
    previous = GENESIS
    count = 0
    for entry in _entries(session):
        count += 1
        fields = {
            "at": entry.at,
            "actor_id": entry.actor_id,
            "actor": entry.actor,
            "action": entry.action,
            "subject_type": entry.subject_type,
            "subject_id": entry.subject_id,
            "details": entry.details,
            "address": entry.address,
        }
        if entry.prev_hash != previous:
            why = "it does not follow the entry before it (an entry was removed or inserted)"
            return ChainReport(count, previous, entry.id, why)
        if entry_hash(previous, fields) != entry.hash:
            return ChainReport(count, previous, entry.id, "its content was changed")
        previous = entry.hash
    return ChainReport(count, previous)


def _filtered(action: str | None, actor: str | None, subject_id: str | None) -> Select[AuditEntry]:
    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if subject_id:
        query = query.where(AuditEntry.subject_id == subject_id)
    return query


def list_entries(
    session: Session,
    *,
    action: str | None = None,
    actor: str | None = None,
    subject_id: str | None = None,
    limit: int = 100,
    before_id: int | None = None,
    after_id: int | None = None,
) -> list[AuditEntry]:
    """Return audit entries, newest first, optionally filtered, a keyset page at a time."""
    rows = newest_first(
        session,
        _filtered(action, actor, subject_id),
        AuditEntry.id,
        limit=limit,
        before=before_id,
        after=after_id,
    )
    return [row[0] for row in rows]


def entries_beyond(
    session: Session, entries: list[AuditEntry], *, action: str | None, actor: str | None
) -> tuple[bool, bool]:
    """Tell whether filtered entries older and newer than this page (newest first) exist."""
    return beyond(
        session,
        _filtered(action, actor, None),
        AuditEntry.id,
        newest=entries[0].id,
        oldest=entries[-1].id,
    )


def get_entry(session: Session, *, entry_id: int) -> AuditEntry:
    """Return one audit entry by its number."""
    entry = session.get(AuditEntry, entry_id)
    if entry is None:
        raise NotFound("no such entry")
    return entry


def count_entries(session: Session) -> int:
    """Return how many entries the log holds."""
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0
