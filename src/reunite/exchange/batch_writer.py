"""Store a list's prepared rows as records, versions and receipts, chunk after chunk.

Rows reach the database as tuples, never ORM objects: one `executemany` per table and chunk
on SQLite, `COPY` on PostgreSQL. Columns present in the file are authoritative, absent ones
stay as stored; every change makes a version; a repeated id within the file is refused.

A list stored in the background is `staged`: its new records are written to
staged_records (a table nobody reads), its changes to records others see wait in
staged_changes; `move_staged_records` moves the new ones to `records` (marked with the
batch, hidden from every reader), and `apply_staged_changes` makes the changes, in the
transaction that publishes the list.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, delete, func, insert, literal, select, text, update
from sqlalchemy.orm import Session

from reunite.db.base import utcnow
from reunite.db.bulk import insert_rows, restrict_to_values
from reunite.errors import Conflict
from reunite.exchange.models import (
    STAGED_RECORD_COLUMNS,
    Batch,
    BatchRow,
    StagedChange,
    staged_records,
)
from reunite.exchange.preparing import PreparedRow, encode_json
from reunite.exchange.validation import RECORD_FIELDS
from reunite.parties.models import Party
from reunite.records.keys import KEY_COLUMNS, KEY_FIELDS, record_keys
from reunite.records.models import Record, RecordVersion
from reunite.vocabulary import N_, Message, say

_RECORDS: Table = Record.__table__  # type: ignore[assignment]
_VERSIONS: Table = RecordVersion.__table__  # type: ignore[assignment]
_RECEIPTS: Table = BatchRow.__table__  # type: ignore[assignment]
_STAGED: Table = StagedChange.__table__  # type: ignore[assignment]
_WITHDRAWN = RECORD_FIELDS.index("withdrawn")
_RECORD_COLUMNS = (
    ("id", "party_id", "kind", "external_id")
    + RECORD_FIELDS
    + ("extra", *KEY_COLUMNS, "version", "created_batch_id", "updated_batch_id")
    + ("created_at", "updated_at", "pending_batch_id")
)
_VERSION_COLUMNS = (
    "record_id",
    "version",
    "batch_id",
    "row_number",
    "action",
    "changes",
    "original",
    "recorded_at",
)
_RECEIPT_COLUMNS = ("batch_id", "row_number", "external_id", "record_id", "outcome")
# Rows written before the first fresh statistics on PostgreSQL (then each time they double).
ANALYZE_FIRST = 20_000
# A new record of a list being stored: its record's columns, its first version and receipt.
_STAGED_RECORD_INSERT = ("batch_id", "row_number") + _RECORD_COLUMNS[:-1] + ("changes", "original")
_STAGED_COLUMNS = (
    "batch_id",
    "row_number",
    "record_id",
    "base_version",
    "action",
    "values",
    "changes",
    "original",
)


class BatchWriter:
    """Apply clean rows to the records of one party and kind, chunk by chunk."""

    def __init__(
        self,
        session: Session,
        *,
        batch: Batch,
        party: Party,
        kind: str,
        present: set[str],
        staged: bool = False,
    ) -> None:
        self.session = session
        self.staged = staged
        self.batch = batch
        self.party = party
        self.kind = kind
        self.present = [f for f in RECORD_FIELDS if f in present]
        self.present_positions = [(f, RECORD_FIELDS.index(f)) for f in self.present]
        # A party's first list of a kind can only add records (a repeated id is caught among
        # the batch's receipts first), so there is nothing to look up; on PostgreSQL that
        # lookup grew with every chunk (12.5 s of server time in a first 100k-row list).
        self.had_records = (
            session.scalar(
                select(Record.id).where(Record.party_id == party.id, Record.kind == kind).limit(1)
            )
            is not None
        )
        self.added = self.corrected = self.withdrawn = self.unchanged = 0
        self._analyze_at = ANALYZE_FIRST if session.get_bind().dialect.name == "postgresql" else 0

    def write(self, rows: list[PreparedRow]) -> list[tuple[PreparedRow, Message]]:
        """Store a chunk; return the rows refused because of other rows, with the reason."""
        self._refresh_statistics()
        rows, duplicates = self._split_duplicates(rows)
        refused = [
            (row, say(N_("id {id} repeats row {row}"), id=repr(row.external_id), row=first))
            for row, first in duplicates
        ]
        if not rows:
            return refused
        existing = self._existing({r.external_id for r in rows}) if self.had_records else {}
        now = utcnow()
        batch_id, party_id, kind = self.batch.id, self.party.id, self.kind
        # Rows go to the database as tuples in the column order of the *_COLUMNS below, JSON
        # already encoded: a dict per row and table would cost more than the insert itself.
        inserts: list[tuple[Any, ...]] = []
        updates: list[dict[str, Any]] = []
        versions: list[tuple[Any, ...]] = []
        receipts: list[tuple[Any, ...]] = []
        staged: list[tuple[Any, ...]] = []
        staged_new: list[tuple[Any, ...]] = []
        for row in rows:
            current = existing.get(row.external_id)
            if current is None and row.values[_WITHDRAWN]:
                refused.append(
                    (
                        row,
                        say(N_("cannot withdraw {id}: no such record"), id=repr(row.external_id)),
                    )
                )
                continue
            if current is None:
                record_id = uuid.uuid4()
                record = (record_id, party_id, kind, row.external_id, *row.values, row.extra_json)
                record += (*row.keys, 1, batch_id, batch_id, now, now)
                self.added += 1
                if self.staged:
                    staged_new.append(
                        (batch_id, row.number, *record, row.added_json, row.original_json)
                    )
                    continue
                inserts.append((*record, None))
                versions.append(
                    (record_id, 1, batch_id, row.number, "added")
                    + (row.added_json, row.original_json, now)
                )
                receipts.append((batch_id, row.number, row.external_id, record_id, "added"))
                continue
            changes = self._changes(current, row)
            if not changes:
                receipts.append((batch_id, row.number, row.external_id, current["id"], "unchanged"))
                self.unchanged += 1
                continue
            action = "corrected"
            if "withdrawn" in changes:
                action = "withdrawn" if row.values[_WITHDRAWN] else "restored"
            version = current["version"] + 1
            new_values = {f: pair[1] for f, pair in changes.items()}
            if any(f in changes for f in KEY_FIELDS):
                new_values |= record_keys(current | new_values)
            receipts.append((batch_id, row.number, row.external_id, current["id"], action))
            if action == "withdrawn":
                self.withdrawn += 1
            else:
                self.corrected += 1
            if self.staged:
                staged.append(
                    (batch_id, row.number, current["id"], current["version"], action)
                    + (encode_json(new_values), encode_json(changes), row.original_json)
                )
                continue
            updates.append(
                new_values
                | {
                    "id": current["id"],
                    "version": version,
                    "updated_batch_id": batch_id,
                    "updated_at": now,
                }
            )
            versions.append(
                (current["id"], version, batch_id, row.number, action, encode_json(changes))
                + (row.original_json, now)
            )
        session = self.session
        insert_rows(session, _RECORDS, _RECORD_COLUMNS, inserts, json_encoded=True)
        for changed in updates:
            session.execute(
                update(Record)
                .where(Record.id == changed["id"])
                .values({k: v for k, v in changed.items() if k != "id"})
            )
        insert_rows(session, _VERSIONS, _VERSION_COLUMNS, versions, json_encoded=True)
        insert_rows(session, _RECEIPTS, _RECEIPT_COLUMNS, receipts)
        insert_rows(session, _STAGED, _STAGED_COLUMNS, staged, json_encoded=True)
        insert_rows(session, staged_records, _STAGED_RECORD_INSERT, staged_new, json_encoded=True)
        return refused

    def _refresh_statistics(self) -> None:
        # PostgreSQL plans each chunk's lookups (the party's records by id, the batch's
        # receipts) from statistics taken when the tables were a fraction of their size:
        # it then scans the whole table per chunk, and a 700,000-row list took minutes per
        # 100,000 rows. A fresh sample (ANALYZE reads at most 30,000 rows) each time the list
        # has doubled keeps the lookups on their indexes.
        if not self._analyze_at:
            return
        written = self.added + self.corrected + self.withdrawn + self.unchanged
        if written >= self._analyze_at:
            growing = "staged_records" if self.staged else "records"
            self.session.execute(text(f"ANALYZE {growing}, batch_rows"))
            self._analyze_at = 2 * written

    def _split_duplicates(
        self, rows: list[PreparedRow]
    ) -> tuple[list[PreparedRow], list[tuple[PreparedRow, int]]]:
        first_row: dict[str, int] = {}
        unique: list[PreparedRow] = []
        duplicates: list[tuple[PreparedRow, int]] = []
        for row in rows:
            if row.external_id in first_row:
                duplicates.append((row, first_row[row.external_id]))
            else:
                first_row[row.external_id] = row.number
                unique.append(row)
        # Ids seen in earlier chunks are found in this batch's receipts (and its staged new
        # records), so memory stays flat.
        earlier: dict[str, int] = {}
        receipts = BatchRow.__table__.c
        sources = [(receipts.external_id, receipts.row_number, receipts.batch_id)]
        if self.staged:
            staged = staged_records.c
            sources.append((staged.external_id, staged.row_number, staged.batch_id))
        for external_id_column, row_column, batch_column in sources:
            statement = select(external_id_column, row_column).where(batch_column == self.batch.id)
            statement = restrict_to_values(
                self.session, statement, external_id_column, list(first_row)
            )
            for external_id, row_number in self.session.execute(statement).all():
                earlier[external_id] = row_number
        if earlier:
            duplicates.extend(
                (r, earlier[r.external_id]) for r in unique if r.external_id in earlier
            )
            unique = [r for r in unique if r.external_id not in earlier]
        return unique, duplicates

    def _existing(self, external_ids: set[str]) -> dict[str, dict[str, Any]]:
        columns = [Record.id, Record.external_id, Record.version, Record.extra] + [
            getattr(Record, f) for f in self.present
        ]
        # A changed name or date needs all of them to rebuild the record's keys.
        columns += [getattr(Record, f) for f in KEY_FIELDS if f not in self.present]
        statement = select(*columns).where(
            Record.party_id == self.party.id, Record.kind == self.kind
        )
        statement = restrict_to_values(
            self.session, statement, Record.external_id, list(external_ids)
        )
        return {row.external_id: dict(row._mapping) for row in self.session.execute(statement)}

    def _changes(self, current: dict[str, Any], row: PreparedRow) -> dict[str, list[Any]]:
        changes: dict[str, list[Any]] = {}
        for name, position in self.present_positions:
            new = row.values[position]
            if current[name] != new:
                changes[name] = [current[name], new]
        # Extra columns follow the same rule as the others: those in the file are authoritative.
        old_extra = current["extra"] or {}
        original = row.original()
        merged = {k: v for k, v in old_extra.items() if k not in original} | row.extra()
        if merged != old_extra:
            changes["extra"] = [old_extra, merged]
        return changes


STAGED_CHUNK = 1000


def staged_row_span(session: Session, *, batch_id: int) -> tuple[int, int] | None:
    """Return the first and last row numbers of a batch's staged new records (None: none)."""
    low, high = session.execute(
        select(func.min(staged_records.c.row_number), func.max(staged_records.c.row_number)).where(
            staged_records.c.batch_id == batch_id
        )
    ).one()
    return None if low is None else (int(low), int(high))


def move_staged_records(session: Session, *, batch_id: int, first: int, last: int) -> None:
    """Move a span of rows' new records to `records`, marked with their batch (hidden).

    With each its first version and its receipt, as a list stored at once writes them; the
    staged rows go. The database copies them (INSERT ... SELECT): nothing passes through here.
    """
    staged = staged_records.c
    span = (staged.batch_id == batch_id, staged.row_number.between(first, last))
    record_columns = [staged[name] for name in STAGED_RECORD_COLUMNS]
    session.execute(
        insert(_RECORDS).from_select(
            [*STAGED_RECORD_COLUMNS, "pending_batch_id"],
            select(*record_columns, literal(batch_id)).where(*span),
        )
    )
    session.execute(
        insert(_VERSIONS).from_select(
            list(_VERSION_COLUMNS),
            select(
                staged.id, literal(1), staged.batch_id, staged.row_number, literal("added"),
                staged.changes, staged.original, staged.created_at,
            ).where(*span),
        )
    )  # fmt: skip
    session.execute(
        insert(_RECEIPTS).from_select(
            list(_RECEIPT_COLUMNS),
            select(
                staged.batch_id, staged.row_number, staged.external_id, staged.id,
                literal("added"),
            ).where(*span),
        )
    )  # fmt: skip
    session.execute(delete(staged_records).where(*span))


def apply_staged_changes(session: Session, *, batch: Batch) -> None:
    """Make the corrections and withdrawals a list stored in the background holds back.

    Each is applied to the record as it was when the list was read; a record changed since
    refuses the list (Conflict) rather than overwriting that change: the caller rolls back,
    and the list is sent again. Run within the transaction that marks the list stored.
    """
    now = utcnow()
    after = -1
    while True:
        chunk = list(
            session.scalars(
                select(StagedChange)
                .where(StagedChange.batch_id == batch.id, StagedChange.row_number > after)
                .order_by(StagedChange.row_number)
                .limit(STAGED_CHUNK)
            )
        )
        if not chunk:
            break
        versions: list[tuple[Any, ...]] = []
        for change in chunk:
            version = change.base_version + 1
            applied = session.execute(
                update(Record)
                .where(Record.id == change.record_id, Record.version == change.base_version)
                .values(
                    change.values
                    | {"version": version, "updated_batch_id": batch.id, "updated_at": now}
                ),
                execution_options={"synchronize_session": False},
            )
            if not applied.rowcount:  # type: ignore[attr-defined]
                raise Conflict(
                    say(
                        N_(
                            "row {row}: the record was changed while the list was being "
                            "stored; nothing was stored, send the list again"
                        ),
                        row=change.row_number,
                    ),
                    code="record_changed_meanwhile",
                )
            versions.append(
                (change.record_id, version, batch.id, change.row_number, change.action)
                + (encode_json(change.changes), encode_json(change.original), now)
            )
        insert_rows(session, _VERSIONS, _VERSION_COLUMNS, versions, json_encoded=True)
        after = chunk[-1].row_number
    session.execute(delete(StagedChange).where(StagedChange.batch_id == batch.id))


class InlineWriter:
    """Run each write at once, in this thread (the interface of a one-thread executor)."""

    def submit(
        self,
        write: Callable[[list[PreparedRow]], list[tuple[PreparedRow, Message]]],
        rows: list[PreparedRow],
    ) -> Future[list[tuple[PreparedRow, Message]]]:
        """Write the rows now; return the finished result."""
        done: Future[list[tuple[PreparedRow, Message]]] = Future()
        done.set_result(write(rows))
        return done


@contextmanager
def database_writer(session: Session) -> Iterator[ThreadPoolExecutor | InlineWriter]:
    """Give a place to run chunk writes: a thread of their own on PostgreSQL, inline otherwise.

    On PostgreSQL most of a write is the server's work (indexes, the trigram index, foreign
    keys), during which this process waits: with the writes in a thread of their own, the
    next chunk is read and cleaned meanwhile, and the server and this process use both cores.
    The session is used by one thread at a time: this one leaves it alone until the writer
    is done. SQLite does its work in this process and gives the interpreter back on every
    row it inserts, so a second thread would only contend with the first.
    """
    if session.connection().dialect.name != "postgresql":
        yield InlineWriter()
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer") as pool:
        yield pool
