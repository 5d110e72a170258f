"""Reading records and their history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event, record_refusal
from reunite.auth.principal import Principal
from reunite.errors import NotFound
from reunite.exchange.models import Batch
from reunite.records.access import (
    RECORD_READERS,
    get_visible_record,
    parse_record_id,
    published,
    visible_records,
)
from reunite.records.models import Record, RecordVersion


def read_record(
    session: Session,
    *,
    principal: Principal,
    record_id: str,
    address: str = "",
    details: dict[str, Any] | None = None,
) -> Record:
    """Return a record the caller may see, and audit the read; anything else is "not found".

    A read refused is audited too: someone asking for a record they may not see (another
    party's, or a guessed id) is worth knowing about.
    """
    try:
        if principal.role not in RECORD_READERS:
            raise NotFound("no such record")
        record = get_visible_record(
            session, principal=principal, record_id=parse_record_id(record_id)
        )
    except NotFound:
        record_refusal(
            session,
            actor=principal,
            action="record.read.refused",
            subject_type="record",
            subject_id=record_id[:100],
            details={"why": "not visible to the caller", **(details or {})},
            address=address,
        )
        raise
    record_event(
        session,
        actor=principal,
        action="record.read",
        subject_type="record",
        subject_id=str(record.id),
        details=details,
        address=address,
    )
    return record


def get_record(session: Session, *, party_id: int, kind: str, external_id: str) -> Record:
    """Find a record by its party's own id."""
    record = session.scalar(
        select(Record).where(
            Record.party_id == party_id,
            Record.kind == kind,
            Record.external_id == external_id,
            published(),
        )
    )
    if record is None:
        raise NotFound(f"no {kind} record with id {external_id!r}")
    return record


def record_versions(session: Session, *, record: Record) -> list[RecordVersion]:
    """Return every version of a record, oldest first."""
    return list(
        session.scalars(
            select(RecordVersion)
            .where(RecordVersion.record_id == record.id)
            .order_by(RecordVersion.version)
        )
    )


@dataclass(frozen=True)
class HistoryEntry:
    """One version of a record: what changed, from which batch and row, when."""

    version: int
    action: str
    recorded_at: datetime
    batch_id: int
    filename: str
    row_number: int
    changes: dict[str, list[Any]]


@dataclass(frozen=True)
class RecordHistory:
    """A record as it stands, and every version that made it so, oldest first."""

    external_id: str
    version: int
    withdrawn: bool
    withheld: bool
    entries: list[HistoryEntry]


def record_history(
    session: Session, *, party_id: int, kind: str, external_id: str
) -> RecordHistory:
    """Return a record's versions, each with the batch that made it."""
    record = get_record(session, party_id=party_id, kind=kind, external_id=external_id)
    statement = (
        select(RecordVersion, Batch)
        .join(Batch, Batch.id == RecordVersion.batch_id)
        .where(RecordVersion.record_id == record.id)
        .order_by(RecordVersion.version)
    )
    entries = [
        HistoryEntry(
            version=version.version,
            action=version.action,
            recorded_at=version.recorded_at,
            batch_id=batch.id,
            filename=batch.filename,
            row_number=version.row_number,
            changes=version.changes,
        )
        for version, batch in session.execute(statement)
    ]
    return RecordHistory(
        external_id=record.external_id,
        version=record.version,
        withdrawn=record.withdrawn,
        withheld=record.withheld,
        entries=entries,
    )


def count_records(session: Session) -> dict[str, int]:
    """Count active records per kind (withdrawn ones excluded)."""
    statement = (
        select(Record.kind, func.count())
        .where(Record.withdrawn.is_(False), published())
        .group_by(Record.kind)
    )
    counts: dict[str, int] = {}
    for kind, count in session.execute(statement).all():
        counts[kind] = count
    return counts


def count_own_records(session: Session, *, party_id: int) -> int:
    """Count a party's own active records (withdrawn ones excluded)."""
    statement = select(func.count()).where(
        Record.party_id == party_id, Record.withdrawn.is_(False), published()
    )
    return session.scalar(statement) or 0


def count_shared_with(session: Session, *, principal: Principal) -> int:
    """Count the other parties' records the caller sees because they were released to it."""
    own = (
        Record.party_id == principal.party_id
        if principal.party_id is not None
        else Record.filed_by_user_id == principal.user_id
    )
    statement = select(func.count()).where(visible_records(principal), ~own)
    return session.scalar(statement) or 0
