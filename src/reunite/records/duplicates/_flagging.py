"""Flagging at import: a stored batch's records against their party's, by blocking key.

Nearly every key of a list is its record's alone, so the database first names the keys a
batch's records share with another record of the party (a grouped lookup through the key
indexes); only the few records under those keys are read and compared in Python.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from itertools import combinations
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, and_, func, select, text
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from reunite.db.base import utcnow
from reunite.db.bulk import insert_rows
from reunite.exchange.models import Batch, BatchRow
from reunite.records.access import published
from reunite.records.duplicates._rule import likely_same_child
from reunite.records.models import LinkStatus, Record, RecordLink

# Keys looked up at a time.
CHUNK = 1000
# The most records of one party that may share a blocking key and still be flagged: one
# child is not sent dozens of times; a key shared by this many is a pattern of the data
# (a placeholder date, a form filled in by rote), and flagging every pair in it would bury
# the real duplicates.
MAX_BUCKET = 50
# The most pairs one batch flags. Real lists flag a few per hundred rows; a list whose
# every row looks like dozens of others (generated, or built to hurt) would otherwise fill
# the memory of whoever stores it (10 GB for a 700,000-row list of five given names), and
# its pairs would be of no use to anybody. The count then says how many were flagged.
MAX_PAIRS = 100_000
# Records a batch adds beyond which PostgreSQL's statistics are refreshed before flagging.
ANALYZE_AFTER = 5_000
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
)
_KEYS: tuple[InstrumentedAttribute[int | None], ...] = (
    Record.dup_given_key,
    Record.dup_surname_key,
)


def flag_duplicates(session: Session, *, batch: Batch) -> int:
    """Flag the likely duplicates a stored batch brought; return how many pairs are new."""
    _refresh_statistics(session, batch)
    pairs: dict[tuple[uuid.UUID, uuid.UUID], list[str]] = {}
    for column in _KEYS:
        shared = _shared_keys(session, batch, column)
        for start in range(0, len(shared), CHUNK):
            if len(pairs) >= MAX_PAIRS:
                break
            for bucket in _buckets(session, batch, column, shared[start : start + CHUNK]):
                _compare(bucket, pairs)
    return _store(session, batch, dict(list(pairs.items())[:MAX_PAIRS]))


def _refresh_statistics(session: Session, batch: Batch) -> None:
    # A large list leaves PostgreSQL's statistics of `records` far behind (a first list of
    # 20,000 rows into an empty table is planned as a table of none): the lookups by key
    # were then planned as a scan of the whole party per key, 0.6 s a thousand keys. A
    # fresh sample (ANALYZE reads at most 30,000 rows, this transaction's included) lets the
    # planner use the key indexes instead.
    if session.get_bind().dialect.name != "postgresql":
        return
    added = session.scalar(
        select(func.count()).where(BatchRow.batch_id == batch.id, BatchRow.outcome == "added")
    )
    if (added or 0) >= ANALYZE_AFTER:
        session.execute(text("ANALYZE records"))


def _party(batch: Batch, record: Any = Record) -> ColumnElement[bool]:
    """The records of the batch's party and kind that are not withdrawn."""
    return and_(
        record.party_id == batch.party_id,
        record.kind == batch.kind,
        record.withdrawn.is_(False),
        published(record),
    )


def _shared_keys(
    session: Session, batch: Batch, column: InstrumentedAttribute[int | None]
) -> list[int]:
    """Return the keys of the batch's records that some other record of the party shares."""
    statement = shared_keys_statement(batch, column)
    return sorted(key for key in session.scalars(statement) if key is not None)


def shared_keys_statement(
    batch: Batch, column: InstrumentedAttribute[int | None]
) -> Select[int | None]:
    """Build the grouped lookup of the keys a batch's records share (tests read its plan)."""
    mine = aliased(Record)
    batch_keys = (
        select(getattr(mine, column.key))
        .join(BatchRow, BatchRow.record_id == mine.id)
        .where(
            BatchRow.batch_id == batch.id,
            BatchRow.outcome.in_(_CHECKED_OUTCOMES),
            mine.withdrawn.is_(False),
        )
    )
    return (
        select(column)
        .where(_party(batch), column.in_(batch_keys))
        .group_by(column)
        .having(func.count().between(2, MAX_BUCKET))
    )


def _buckets(
    session: Session, batch: Batch, column: InstrumentedAttribute[int | None], keys: list[int]
) -> list[list[dict[str, Any]]]:
    """Read the records under these keys, each marked whether this batch checks it."""
    checked = (
        select(BatchRow.record_id)
        .where(
            BatchRow.batch_id == batch.id,
            BatchRow.record_id == Record.id,
            BatchRow.outcome.in_(_CHECKED_OUTCOMES),
        )
        .exists()
    )
    statement = select(column, *_COLUMNS, checked.label("checked")).where(
        _party(batch), column.in_(keys)
    )
    buckets: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in session.execute(statement):
        values = row._asdict()
        buckets[values.pop(column.key)].append(values)
    return list(buckets.values())


def _compare(
    bucket: list[dict[str, Any]], pairs: dict[tuple[uuid.UUID, uuid.UUID], list[str]]
) -> None:
    for first, second in combinations(bucket, 2):
        # Pairs of records this batch did not touch were compared when they arrived.
        if not (first["checked"] or second["checked"]):
            continue
        pair = (min(first["id"], second["id"]), max(first["id"], second["id"]))
        if pair in pairs:
            continue
        evidence = likely_same_child(first, second)
        if evidence is not None:
            pairs[pair] = evidence


def _store(
    session: Session, batch: Batch, pairs: dict[tuple[uuid.UUID, uuid.UUID], list[str]]
) -> int:
    """Store the pairs not flagged before (whatever became of them); return how many."""
    new: list[tuple[Any, ...]] = []
    ordered = sorted(pairs.items())
    now = utcnow()
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        known = set(
            session.execute(
                select(RecordLink.record_id, RecordLink.other_id).where(
                    RecordLink.record_id.in_({low for (low, _), _ in chunk}),
                    RecordLink.other_id.in_({high for (_, high), _ in chunk}),
                )
            ).all()
        )
        new.extend(
            (low, high, batch.party_id, batch.kind, LinkStatus.SUSPECTED.value, evidence)
            + (now, batch.id, "")
            for (low, high), evidence in chunk
            if (low, high) not in known
        )
    insert_rows(session, _LINKS, _LINK_COLUMNS, new)
    return len(new)


def flagged_in_batch(session: Session, *, batch_id: int) -> int:
    """Count the pairs of likely duplicates a batch flagged."""
    statement = select(func.count()).where(RecordLink.found_by_batch == batch_id)
    return session.scalar(statement) or 0
