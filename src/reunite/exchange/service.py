"""Receiving party lists as immutable batches, and sending them back out.

GC IV art. 137-138: lists of names are the raw material of tracing; each one is kept exactly
as received (by content hash) and every change to a record is traceable to the batch and row
that made it.
"""

from __future__ import annotations

import csv
import time
import uuid
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reunite.db.base import utcnow
from reunite.db.bulk import bulk_insert, restrict_to_values
from reunite.errors import FileRejected, InvalidInput
from reunite.exchange.models import LIST_KINDS, Batch, BatchRow
from reunite.exchange.readers import ListFile, RawRow, file_sha256, open_list
from reunite.exchange.schemas import ImportReport
from reunite.exchange.validation import (
    FLAG_FIELDS,
    RECORD_FIELDS,
    CleanRow,
    RowCleaner,
    RowError,
    plan_columns,
)
from reunite.parties.models import Party
from reunite.records.models import Record, RecordVersion
from reunite.records.search import SEARCH_FIELDS, search_key_of
from reunite.review.jobs import enqueue_match

ProgressCallback = Callable[[int, int], None]
CHUNK_ROWS = 2000
MAX_ERRORS_KEPT = 10_000


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
    report = ImportReport(filename=path.name)
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
    errors: list[RowError] = []
    rejected_rows: list[RawRow] = []
    for chunk in _chunks(listing.rows, CHUNK_ROWS):
        good: list[CleanRow] = []
        for raw in chunk:
            outcome = cleaner.clean(raw)
            if isinstance(outcome, CleanRow):
                good.append(outcome)
            else:
                errors.extend(outcome)
                rejected_rows.append(raw)
        for row, reason in writer.write(good):
            errors.append(RowError(row.number, plan.id_header, reason))
            rejected_rows.append(_raw_of(row))
        report.rows_read += len(chunk)
        if on_progress is not None:
            on_progress(report.rows_read, listing.bytes_read())
        if len(errors) > MAX_ERRORS_KEPT and not accept_valid:
            break
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
    batch.rows_read = report.rows_read
    batch.rows_added, batch.rows_corrected = report.added, report.corrected
    batch.rows_withdrawn, batch.rows_unchanged = report.withdrawn, report.unchanged
    batch.rows_rejected = report.rejected
    session.flush()
    report.batch_id = batch.id
    report.stored = True
    if queue_matching and (report.added or report.corrected or report.withdrawn):
        # The records changed: matching runs again (one queued run covers many batches).
        enqueue_match(session)
    return report


def _chunks(rows: Iterator[RawRow], size: int) -> Iterator[list[RawRow]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _raw_of(row: CleanRow) -> RawRow:
    return RawRow(row.number, dict(row.original))


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
        self.added = self.corrected = self.withdrawn = self.unchanged = 0

    def write(self, rows: list[CleanRow]) -> list[tuple[CleanRow, str]]:
        """Store a chunk; return the rows refused because of other rows, with the reason."""
        rows, duplicates = self._split_duplicates(rows)
        refused = [
            (row, f"id {row.external_id!r} repeats row {first}") for row, first in duplicates
        ]
        if not rows:
            return refused
        existing = self._existing({r.external_id for r in rows})
        now = utcnow()
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        versions: list[dict[str, Any]] = []
        receipts: list[dict[str, Any]] = []
        for row in rows:
            current = existing.get(row.external_id)
            if current is None and row.fields.get("withdrawn"):
                refused.append((row, f"cannot withdraw {row.external_id!r}: no such record"))
                continue
            if current is None:
                record_id = uuid.uuid4()
                values = {
                    f: row.fields.get(f, False if f in FLAG_FIELDS else "") for f in RECORD_FIELDS
                }
                inserts.append(
                    values
                    | {
                        "id": record_id,
                        "party_id": self.party.id,
                        "kind": self.kind,
                        "external_id": row.external_id,
                        "extra": row.extra,
                        "search_key": search_key_of(values | {"external_id": row.external_id}),
                        "version": 1,
                        "created_batch_id": self.batch.id,
                        "updated_batch_id": self.batch.id,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                changes = {f: [None, v] for f, v in values.items() if v not in ("", False)}
                if row.extra:
                    changes["extra"] = [None, row.extra]
                versions.append(self._version(record_id, 1, row, "added", changes, now))
                receipts.append(self._receipt(row, record_id, "added"))
                self.added += 1
                continue
            changes = self._changes(current, row)
            if not changes:
                receipts.append(self._receipt(row, current["id"], "unchanged"))
                self.unchanged += 1
                continue
            action = "corrected"
            if "withdrawn" in changes:
                action = "withdrawn" if row.fields["withdrawn"] else "restored"
            version = current["version"] + 1
            new_values = {f: pair[1] for f, pair in changes.items()}
            if any(f in changes for f in SEARCH_FIELDS):
                new_values["search_key"] = search_key_of(current | new_values)
            updates.append(
                new_values
                | {
                    "id": current["id"],
                    "version": version,
                    "updated_batch_id": self.batch.id,
                    "updated_at": now,
                }
            )
            versions.append(self._version(current["id"], version, row, action, changes, now))
            receipts.append(self._receipt(row, current["id"], action))
            if action == "withdrawn":
                self.withdrawn += 1
            else:
                self.corrected += 1
        bulk_insert(self.session, Record.__table__, inserts)  # type: ignore[arg-type]
        for values in updates:
            self.session.execute(
                update(Record)
                .where(Record.id == values["id"])
                .values({k: v for k, v in values.items() if k != "id"})
            )
        bulk_insert(self.session, RecordVersion.__table__, versions)  # type: ignore[arg-type]
        bulk_insert(self.session, BatchRow.__table__, receipts)  # type: ignore[arg-type]
        return refused

    def _split_duplicates(
        self, rows: list[CleanRow]
    ) -> tuple[list[CleanRow], list[tuple[CleanRow, int]]]:
        first_row: dict[str, int] = {}
        unique: list[CleanRow] = []
        duplicates: list[tuple[CleanRow, int]] = []
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
        # A changed name needs all the names to rebuild the record's search key.
        columns += [getattr(Record, f) for f in SEARCH_FIELDS if f not in self.present]
        statement = select(*columns).where(
            Record.party_id == self.party.id, Record.kind == self.kind
        )
        statement = restrict_to_values(
            self.session, statement, Record.external_id, list(external_ids)
        )
        return {row.external_id: dict(row._mapping) for row in self.session.execute(statement)}

    def _changes(self, current: dict[str, Any], row: CleanRow) -> dict[str, list[Any]]:
        changes: dict[str, list[Any]] = {}
        for name in self.present:
            new = row.fields.get(name, "")
            if current[name] != new:
                changes[name] = [current[name], new]
        # Extra columns follow the same rule as the others: those in the file are authoritative.
        old_extra = current["extra"] or {}
        merged = {k: v for k, v in old_extra.items() if k not in row.original} | row.extra
        if merged != old_extra:
            changes["extra"] = [old_extra, merged]
        return changes

    def _version(
        self,
        record_id: uuid.UUID,
        version: int,
        row: CleanRow,
        action: str,
        changes: dict[str, list[Any]],
        now: Any,
    ) -> dict[str, Any]:
        return {
            "record_id": record_id,
            "version": version,
            "batch_id": self.batch.id,
            "row_number": row.number,
            "action": action,
            "changes": changes,
            "original": row.original,
            "recorded_at": now,
        }

    def _receipt(self, row: CleanRow, record_id: uuid.UUID, outcome: str) -> dict[str, Any]:
        return {
            "batch_id": self.batch.id,
            "row_number": row.number,
            "external_id": row.external_id,
            "record_id": record_id,
            "outcome": outcome,
        }


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
