"""Receiving party lists as immutable batches, and sending them back out.

GC IV art. 137-138: lists of names are the raw material of tracing; each one is kept exactly
as received (by content hash) and every change to a record is traceable to the batch and row
that made it.
"""

from __future__ import annotations

import csv
import gc
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from reunite.db.base import utcnow
from reunite.db.bulk import insert_rows, restrict_to_values
from reunite.errors import FileRejected, InvalidInput
from reunite.exchange.models import LIST_KINDS, Batch, BatchRow
from reunite.exchange.preparing import (
    PreparedChunk,
    PreparedRow,
    encode_json,
    prepared_chunks,
)
from reunite.exchange.readers import ListFile, RawRow, file_sha256, open_list
from reunite.exchange.schemas import ImportReport
from reunite.exchange.validation import RECORD_FIELDS, RowCleaner, RowError, plan_columns
from reunite.parties.models import Party
from reunite.records.duplicates import flag_duplicates
from reunite.records.keys import KEY_COLUMNS, KEY_FIELDS, record_keys
from reunite.records.models import Record, RecordVersion
from reunite.review.jobs import MAX_TARGETED, enqueue_match

ProgressCallback = Callable[[int, int], None]
# Two chunks are in memory at once while the database writes one (see _database_writer).
CHUNK_ROWS = 1000
MAX_ERRORS_KEPT = 10_000
_RECORDS: Table = Record.__table__  # type: ignore[assignment]
_VERSIONS: Table = RecordVersion.__table__  # type: ignore[assignment]
_RECEIPTS: Table = BatchRow.__table__  # type: ignore[assignment]
_WITHDRAWN = RECORD_FIELDS.index("withdrawn")
_RECORD_COLUMNS = (
    ("id", "party_id", "kind", "external_id")
    + RECORD_FIELDS
    + ("extra", *KEY_COLUMNS, "version", "created_batch_id", "updated_batch_id")
    + ("created_at", "updated_at")
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


def import_list(
    session: Session,
    *,
    path: Path,
    party: Party,
    kind: str,
    accept_valid: bool = False,
    rejects_path: Path | None = None,
    encoding: str | None = None,
    on_progress: ProgressCallback | None = None,
    queue_matching: bool = True,
) -> ImportReport:
    """Validate a list file and store it as one batch; nothing is stored when rows fail.

    A batch that changed records queues a matching run, unless `queue_matching` is off
    because the caller queues a narrower one itself.

    With `accept_valid`, valid rows are stored and the failing rows are written unchanged to
    `rejects_path`. The caller commits; when this raises, the caller must roll back.
    """
    if kind not in LIST_KINDS:
        raise InvalidInput(f"unknown list kind {kind!r}; use requests or disclosures")
    started = time.perf_counter()
    report = ImportReport(filename=path.name, kind=kind)
    sha256 = file_sha256(path) if path.is_file() else ""
    previous = session.scalar(
        select(Batch).where(Batch.party_id == party.id, Batch.kind == kind, Batch.sha256 == sha256)
    )
    if previous is not None:
        report.batch_id = previous.id
        report.already_imported = True
        return report
    listing = open_list(path, encoding=encoding)
    plan = plan_columns(listing.header, filename=path.name, is_json=listing.file_format == "json")
    cleaner = RowCleaner(plan)
    batch = Batch(
        party_id=party.id,
        kind=kind,
        sha256=sha256,
        filename=path.name[:500],
        file_format=listing.file_format,
        encoding=listing.encoding,
    )
    session.add(batch)
    session.flush()
    writer = _BatchWriter(session, batch=batch, party=party, kind=kind, present=plan.fields_present)
    tally = _Tally(report, id_header=plan.id_header, stop_early=not accept_valid)
    with (
        _collector_paused(),
        _database_writer(session) as database,
    ):
        chunks = prepared_chunks(listing, cleaner, size=CHUNK_ROWS)
        writing: _ChunkInFlight | None = None
        try:
            for prepared in chunks:
                if writing is not None and tally.settle(writing, on_progress):
                    writing = None
                    break
                writing = _ChunkInFlight(prepared, database.submit(writer.write, prepared.good))
            if writing is not None:
                tally.settle(writing, on_progress)
        finally:
            chunks.close()
    errors, rejected_rows = tally.errors, tally.rejected_rows
    errors.sort(key=lambda e: e.row)
    report.errors = [e.render(path.name) for e in errors]
    report.rejected = len({e.row for e in errors})
    report.added, report.corrected = writer.added, writer.corrected
    report.withdrawn, report.unchanged = writer.withdrawn, writer.unchanged
    report.seconds = time.perf_counter() - started
    if report.rows_read == 0:
        raise FileRejected(f"{path.name}: the header is there but no rows follow")
    stored = report.added + report.corrected + report.withdrawn + report.unchanged
    if errors and (not accept_valid or stored == 0):
        why = (
            "no row is valid"
            if stored == 0
            else "fix them, or choose to store the valid rows only (--accept-valid)"
        )
        raise FileRejected(
            f"{path.name}: {report.rejected:,} of {report.rows_read:,} rows have errors; "
            f"nothing was stored ({why})",
            problems=report.errors,
        )
    if rejected_rows and rejects_path is not None:
        _write_rejects(rejects_path, listing, rejected_rows)
    # Requests (or disclosed records) of this party that look like one child: flagged for a
    # caseworker, never merged. Checked once the whole list is stored, so that its rows meet
    # each other as well as the records stored before.
    report.duplicates = flag_duplicates(session, batch=batch)
    batch.rows_read = report.rows_read
    batch.rows_added, batch.rows_corrected = report.added, report.corrected
    batch.rows_withdrawn, batch.rows_unchanged = report.withdrawn, report.unchanged
    batch.rows_rejected = report.rejected
    session.flush()
    report.batch_id = batch.id
    report.stored = True
    if queue_matching and (report.added or report.corrected or report.withdrawn):
        # The records changed: matching runs again (one queued run covers many batches).
        # New or changed requests need only themselves matched; changed disclosed records
        # may be any request's child, so they need a full run.
        changed = _changed_records(session, batch.id) if kind == "requests" else None
        enqueue_match(session, request_ids=changed)
    return report


def _changed_records(session: Session, batch_id: int) -> list[uuid.UUID] | None:
    """Return the records a batch added, corrected, withdrew or restored (None: too many)."""
    changed = list(
        session.scalars(
            select(BatchRow.record_id)
            .where(BatchRow.batch_id == batch_id, BatchRow.outcome != "unchanged")
            .limit(MAX_TARGETED + 1)
        )
    )
    return changed if len(changed) <= MAX_TARGETED else None


@dataclass
class _ChunkInFlight:
    """A cleaned chunk and the database's work on it, which may still be running."""

    prepared: PreparedChunk
    written: Future[list[tuple[PreparedRow, str]]]


class _Tally:
    """Count stored chunks into the report and gather the errors, chunk after chunk."""

    def __init__(self, report: ImportReport, *, id_header: str, stop_early: bool) -> None:
        self.report = report
        self.id_header = id_header
        self.stop_early = stop_early
        self.errors: list[RowError] = []
        self.rejected_rows: list[RawRow] = []

    def settle(self, chunk: _ChunkInFlight, on_progress: ProgressCallback | None) -> bool:
        """Wait for a chunk to be stored and count it; return True when reading should stop."""
        refused = chunk.written.result()
        prepared = chunk.prepared
        self.errors.extend(prepared.errors)
        self.rejected_rows.extend(prepared.rejected)
        for row, reason in refused:
            self.errors.append(RowError(row.number, self.id_header, reason))
            self.rejected_rows.append(RawRow(row.number, row.original()))
        self.report.rows_read += prepared.rows
        if on_progress is not None:
            on_progress(self.report.rows_read, prepared.bytes_read)
        return self.stop_early and len(self.errors) > MAX_ERRORS_KEPT


class _InlineWriter:
    """Run each write at once, in this thread (the interface of a one-thread executor)."""

    def submit(
        self,
        write: Callable[[list[PreparedRow]], list[tuple[PreparedRow, str]]],
        rows: list[PreparedRow],
    ) -> Future[list[tuple[PreparedRow, str]]]:
        done: Future[list[tuple[PreparedRow, str]]] = Future()
        done.set_result(write(rows))
        return done


@contextmanager
def _database_writer(session: Session) -> Iterator[ThreadPoolExecutor | _InlineWriter]:
    """Give a place to run chunk writes: a thread of their own on PostgreSQL, inline otherwise.

    On PostgreSQL most of a write is the server's work (indexes, the trigram index, foreign
    keys), during which this process waits: with the writes in a thread of their own, the
    next chunk is read and cleaned meanwhile, and the server and this process use both cores.
    The session is used by one thread at a time: this one leaves it alone until the writer
    is done. SQLite does its work in this process and gives the interpreter back on every
    row it inserts, so a second thread would only contend with the first.
    """
    if session.connection().dialect.name != "postgresql":
        yield _InlineWriter()
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer") as pool:
        yield pool


@contextmanager
def _collector_paused() -> Iterator[None]:
    # An import makes millions of small objects without reference cycles; the cyclic
    # collector would walk them, and every long-lived object of the process, again and
    # again (half the import's time). Reference counting still frees each chunk.
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _write_rejects(path: Path, listing: ListFile, rows: list[RawRow]) -> None:
    rows.sort(key=lambda r: r.number)
    header = list(listing.header)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for raw in rows:
            out.writerow(["" if raw.cells.get(h) is None else raw.cells.get(h) for h in header])


class _BatchWriter:
    """Apply clean rows to the records of one party and kind, chunk by chunk."""

    def __init__(
        self, session: Session, *, batch: Batch, party: Party, kind: str, present: set[str]
    ) -> None:
        self.session = session
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

    def write(self, rows: list[PreparedRow]) -> list[tuple[PreparedRow, str]]:
        """Store a chunk; return the rows refused because of other rows, with the reason."""
        rows, duplicates = self._split_duplicates(rows)
        refused = [
            (row, f"id {row.external_id!r} repeats row {first}") for row, first in duplicates
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
        for row in rows:
            current = existing.get(row.external_id)
            if current is None and row.values[_WITHDRAWN]:
                refused.append((row, f"cannot withdraw {row.external_id!r}: no such record"))
                continue
            if current is None:
                record_id = uuid.uuid4()
                inserts.append(
                    (record_id, party_id, kind, row.external_id, *row.values, row.extra_json)
                    + (*row.keys, 1, batch_id, batch_id, now, now)
                )
                versions.append(
                    (record_id, 1, batch_id, row.number, "added")
                    + (row.added_json, row.original_json, now)
                )
                receipts.append((batch_id, row.number, row.external_id, record_id, "added"))
                self.added += 1
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
            receipts.append((batch_id, row.number, row.external_id, current["id"], action))
            if action == "withdrawn":
                self.withdrawn += 1
            else:
                self.corrected += 1
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
        return refused

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
        # Ids seen in earlier chunks are found in this batch's receipts, so memory stays flat.
        statement = select(BatchRow.external_id, BatchRow.row_number).where(
            BatchRow.batch_id == self.batch.id
        )
        statement = restrict_to_values(
            self.session, statement, BatchRow.external_id, list(first_row)
        )
        earlier: dict[str, int] = {}
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


def list_batches(session: Session, *, party_name: str | None = None) -> list[str]:
    """Describe each received batch on one line, oldest first."""
    statement = select(Batch, Party.name).join(Party, Party.id == Batch.party_id)
    if party_name is not None:
        statement = statement.where(Party.name == party_name)
    lines = []
    for batch, name in session.execute(statement.order_by(Batch.id)):
        lines.append(
            f"batch {batch.id}\t{batch.received_at:%Y-%m-%d %H:%M} UTC\t{name}\t{batch.kind}\t"
            f"{batch.filename}\tsha256 {batch.sha256[:12]}…\trows {batch.rows_read:,}: "
            f"added {batch.rows_added:,}, corrected {batch.rows_corrected:,}, "
            f"withdrawn {batch.rows_withdrawn:,}, unchanged {batch.rows_unchanged:,}, "
            f"rejected {batch.rows_rejected:,}"
        )
    return lines
