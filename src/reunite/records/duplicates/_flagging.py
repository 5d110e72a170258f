"""Flagging at import: a stored batch's records against their party's, by blocking key."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from reunite.db.base import utcnow
from reunite.db.bulk import insert_rows, restrict_to_values
from reunite.exchange.models import Batch, BatchRow
from reunite.records.duplicates._rule import likely_same_child
from reunite.records.models import LinkStatus, Record, RecordLink

# Records read back and compared at a time.
CHUNK = 1000
# The most records of one party that may share a blocking key and still be flagged.
MAX_BUCKET = 50
_LINKS: Table = RecordLink.__table__  # type: ignore[assignment]
_LINK_COLUMNS = (
    "record_id",
    "other_id",
    "party_id",
    "kind",
    "status",
    "evidence",
    "found_at",
    "found_by_batch",
    "reason",
)
# A batch's rows that may have made a record a duplicate of another.
_CHECKED_OUTCOMES = ("added", "corrected", "restored")
_COLUMNS = (
    Record.id,
    Record.sex,
    Record.birth_date,
    Record.given_name,
    Record.surname,
    Record.patronymic,
    Record.mother_name,
    Record.father_name,
    Record.dup_given_key,
    Record.dup_surname_key,
)


def flag_duplicates(session: Session, *, batch: Batch) -> int:
    """Flag the likely duplicates a stored batch brought; return how many pairs are new."""
    flagged = 0
    after = 0
    while True:
        rows = session.execute(
            select(BatchRow.row_number, *_COLUMNS)
            .join(Record, Record.id == BatchRow.record_id)
            .where(
                BatchRow.batch_id == batch.id,
                BatchRow.row_number > after,
                BatchRow.outcome.in_(_CHECKED_OUTCOMES),
                Record.withdrawn.is_(False),
            )
            .order_by(BatchRow.row_number)
            .limit(CHUNK)
        ).all()
        if not rows:
            return flagged
        after = rows[-1].row_number
        keyed = [dict(row._mapping) for row in rows if row.dup_given_key or row.dup_surname_key]
        if keyed:
            flagged += _flag_chunk(session, batch, keyed)


def _candidates(
    session: Session, batch: Batch, column: InstrumentedAttribute[str | None], keys: set[str]
) -> list[dict[str, Any]]:
    if not keys:
        return []
    statement = select(*_COLUMNS).where(
        Record.party_id == batch.party_id,
        Record.kind == batch.kind,
        Record.withdrawn.is_(False),
    )
    wanted = cast("InstrumentedAttribute[str]", column)
    statement = restrict_to_values(session, statement, wanted, sorted(keys))
    return [dict(row._mapping) for row in session.execute(statement)]


def _flag_chunk(session: Session, batch: Batch, rows: Sequence[dict[str, Any]]) -> int:
    by_key: dict[tuple[str, str], dict[uuid.UUID, dict[str, Any]]] = defaultdict(dict)
    for column in (Record.dup_given_key, Record.dup_surname_key):
        name = column.key
        keys = {row[name] for row in rows} - {None}
        for found in _candidates(session, batch, column, keys):
            by_key[name, found[name]][found["id"]] = found
    pairs: dict[tuple[uuid.UUID, uuid.UUID], list[str]] = {}
    for row in rows:
        others: dict[uuid.UUID, dict[str, Any]] = {}
        for name in ("dup_given_key", "dup_surname_key"):
            bucket = by_key.get((name, row[name]), {}) if row[name] is not None else {}
            # One child is not sent dozens of times: a key shared by this many records of
            # the party is a pattern of the data (a placeholder date, a form filled in by
            # rote), and flagging every pair in it would bury the real duplicates.
            if len(bucket) <= MAX_BUCKET:
                others |= bucket
        for other_id, other in others.items():
            pair = (min(row["id"], other_id), max(row["id"], other_id))
            if other_id == row["id"] or pair in pairs:
                continue
            evidence = likely_same_child(row, other)
            if evidence is not None:
                pairs[pair] = evidence
    if not pairs:
        return 0
    known = set(
        session.execute(
            select(RecordLink.record_id, RecordLink.other_id).where(
                RecordLink.record_id.in_({low for low, _ in pairs}),
                RecordLink.other_id.in_({high for _, high in pairs}),
            )
        )
        .tuples()
        .all()
    )
    now = utcnow()
    new = [
        (low, high, batch.party_id, batch.kind, LinkStatus.SUSPECTED.value, evidence)
        + (now, batch.id, "")
        for (low, high), evidence in sorted(pairs.items())
        if (low, high) not in known
    ]
    insert_rows(session, _LINKS, _LINK_COLUMNS, new)
    return len(new)


def flagged_in_batch(session: Session, *, batch_id: int) -> int:
    """Count the pairs of likely duplicates a batch flagged."""
    statement = select(func.count()).where(RecordLink.found_by_batch == batch_id)
    return session.scalar(statement) or 0
