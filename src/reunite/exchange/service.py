"""Receiving party lists as immutable batches, and sending them back out.

GC IV art. 137-138: lists of names are the raw material of tracing; each one is kept exactly
as received (by content hash) and every change to a record is traceable to the batch and row
that made it.
"""

from __future__ import annotations

import contextvars
import csv
import gc
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reunite.attachments.service import store_checked
from reunite.cases.service import open_cases
from reunite.errors import Conflict, FileRejected, InvalidInput, ReuniteError
from reunite.exchange.batch_writer import BatchWriter, database_writer
from reunite.exchange.bundles import (
    attachment_header,
    check_attachments,
    is_bundle,
    kind_of,
    open_bundle,
    plan_attachments,
)
from reunite.exchange.enums import IN_PROGRESS, BatchState
from reunite.exchange.models import LIST_KINDS, Batch, BatchRow
from reunite.exchange.preparing import PreparedChunk, PreparedRow, prepared_chunks
from reunite.exchange.readers import (
    ListFile,
    RawRow,
    cell_text,
    file_sha256,
    neutralise,
    open_list,
)
from reunite.exchange.schemas import ImportReport, ReceivedBatch
from reunite.exchange.validation import RowCleaner, RowError, plan_columns
from reunite.jobs.enums import JobState
from reunite.jobs.models import Job
from reunite.keys.service import SignatureRefused, VerifiedSignature, check_list_signature
from reunite.parties.models import Party
from reunite.records.duplicates import flag_duplicates
from reunite.review.jobs import MAX_TARGETED, enqueue_match
from reunite.vocabulary import N_, Message, say

ProgressCallback = Callable[[int, int], None]
_Write = Callable[[list[PreparedRow]], list[tuple[PreparedRow, Message]]]
# Two chunks are in memory at once while the database writes one (see database_writer).
CHUNK_ROWS = 1000
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
    added_by: int | None = None,
    signature: bytes | None = None,
) -> ImportReport:
    """Validate a list file and store it as one batch; nothing is stored when rows fail.

    The file may be a ZIP holding the list and the files its rows name (exchange.bundles):
    the files are checked first and attached to the rows' records, all or nothing with the
    list; `added_by` is the user who sent it (None on the command line).

    A batch that changed records queues a matching run, unless `queue_matching` is off
    because the caller queues a narrower one itself.

    With `accept_valid`, valid rows are stored and the failing rows are written unchanged to
    `rejects_path`. The caller commits; when this raises, the caller must roll back.

    `signature` is the list's detached signature (`reunite sign`): it must hold against the
    party's keys valid at its signing time, and is required when the party requires it.
    """
    if kind not in LIST_KINDS:
        raise InvalidInput(
            say(N_("unknown list kind {kind}; use requests or disclosures"), kind=repr(kind))
        )
    sha256 = file_sha256(path) if path.is_file() else ""
    if not path.is_file():
        open_list(path, encoding=encoding)  # says why the file cannot be read
    previous, signed = admit_list(
        session, party=party, kind=kind, sha256=sha256, signature=signature
    )
    if previous is not None:
        report = ImportReport(
            filename=path.name, kind=kind, batch_id=previous.id, already_imported=True
        )
        report.status = previous.status
        return report
    options = _Options(accept_valid, rejects_path, encoding, on_progress, queue_matching, signed)
    if path.is_file() and is_bundle(path):
        with tempfile.TemporaryDirectory(prefix="reunite-bundle-") as folder:
            return _import_bundle(
                session,
                path=path,
                folder=Path(folder),
                party=party,
                kind=kind,
                sha256=sha256,
                options=options,
                added_by=added_by,
            )
    return _import_file(
        session,
        path=path,
        shown=path.name,
        list_name=path.name,
        sha256=sha256,
        party=party,
        kind=kind,
        options=options,
    )


@dataclass(frozen=True)
class _Options:
    accept_valid: bool
    rejects_path: Path | None
    encoding: str | None
    on_progress: ProgressCallback | None
    queue_matching: bool
    signed: VerifiedSignature | None = None
    # A list stored in the background (exchange.background): written to `batch`, its rows
    # staged, and `between_chunks` (a commit) called whenever no chunk is being written.
    batch: Batch | None = None
    between_chunks: Callable[[], None] | None = None


def _import_bundle(
    session: Session,
    *,
    path: Path,
    folder: Path,
    party: Party,
    kind: str,
    sha256: str,
    options: _Options,
    added_by: int | None,
) -> ImportReport:
    """Import a ZIP's list and attach the files its rows name; nothing when anything fails."""
    bundle = open_bundle(path, folder)
    listing = open_list(bundle.list_path, encoding=options.encoding)
    header = attachment_header(listing.header)
    problems = plan_attachments(bundle, listing, header)
    problems += check_attachments(bundle)
    if problems:
        raise FileRejected(
            say(
                N_("{file}: problems with the files the list names: {count}; nothing was stored"),
                file=path.name,
                count=f"{len(problems):,}",
            ),
            problems=[str(problem) for problem in problems],
            lines=problems,
        )
    report = _import_file(
        session,
        path=bundle.list_path,
        shown=path.name,
        list_name=bundle.list_member,
        sha256=sha256,
        party=party,
        kind=kind,
        options=options,
        bundle_header=header,
    )
    if report.batch_id is None:
        return report
    receipts = select(BatchRow.row_number, BatchRow.record_id).where(
        BatchRow.batch_id == report.batch_id
    )
    records: dict[int, uuid.UUID] = {}
    for number, stored_as in session.execute(receipts):
        records[number] = stored_as
    for row, files in sorted(bundle.rows.items()):
        record_id = records.get(row)
        if record_id is None:
            continue  # a row refused (with accept_valid): its files go with it
        for named in files:
            stored = store_checked(
                session,
                checked=bundle.checked[named.member],
                name=named.member,
                kind=kind_of(named),
                record_id=record_id,
                batch_id=report.batch_id,
                added_by=added_by,
            )
            report.attachments += int(stored.new)
    return report


def _import_file(
    session: Session,
    *,
    path: Path,
    shown: str,
    list_name: str,
    sha256: str,
    party: Party,
    kind: str,
    options: _Options,
    bundle_header: str | None = None,
) -> ImportReport:
    accept_valid, rejects_path = options.accept_valid, options.rejects_path
    on_progress, queue_matching = options.on_progress, options.queue_matching
    started = time.perf_counter()
    report = ImportReport(filename=shown, kind=kind)
    listing = open_list(path, encoding=options.encoding)
    plan = plan_columns(listing.header, filename=list_name, is_json=listing.file_format == "json")
    named = attachment_header(listing.header)
    if named is not None:
        if bundle_header is None:
            listing.close()
            raise _attachments_without_bundle(list_name, named)
        plan.skip(named)
    cleaner = RowCleaner(plan)
    batch = options.batch or Batch(
        party_id=party.id,
        kind=kind,
        sha256=sha256,
        filename=shown[:500],
        signed_key_id=options.signed.key_id if options.signed is not None else None,
        signed_at=options.signed.signed_at if options.signed is not None else None,
    )
    batch.file_format, batch.encoding = listing.file_format, listing.encoding
    session.add(batch)
    session.flush()
    staged = options.batch is not None
    writer = BatchWriter(
        session,
        batch=batch,
        party=party,
        kind=kind,
        present=plan.fields_present,
        staged=staged,
    )
    tally = _Tally(report, id_header=plan.id_header, stop_early=not accept_valid)
    with (
        _collector_paused(),
        database_writer(session) as database,
    ):
        chunks = prepared_chunks(listing, cleaner, size=CHUNK_ROWS)
        writing: _ChunkInFlight | None = None
        try:
            for prepared in chunks:
                if writing is not None:
                    stop = tally.settle(writing, on_progress)
                    writing = None
                    if stop:
                        break
                    if options.between_chunks is not None:
                        options.between_chunks()
                written = database.submit(_in_this_context(writer.write), prepared.good)
                writing = _ChunkInFlight(prepared, written)
                if options.between_chunks is not None and written.done():
                    # Written already (SQLite writes in this thread): commit before the
                    # next chunk is cleaned, so that others may write meanwhile.
                    stop = tally.settle(writing, on_progress)
                    writing = None
                    if stop:
                        break
                    options.between_chunks()
            if writing is not None:
                tally.settle(writing, on_progress)
        finally:
            chunks.close()
    errors, rejected_rows = tally.errors, tally.rejected_rows
    errors.sort(key=lambda e: e.row)
    report.errors = [e.render(list_name) for e in errors]
    report.error_lines = [e.line(list_name) for e in errors]
    report.rejected = len({e.row for e in errors})
    report.added, report.corrected = writer.added, writer.corrected
    report.withdrawn, report.unchanged = writer.withdrawn, writer.unchanged
    report.seconds = time.perf_counter() - started
    if report.rows_read == 0:
        raise FileRejected(
            say(N_("{file}: the header is there but no rows follow"), file=list_name)
        )
    stored = report.added + report.corrected + report.withdrawn + report.unchanged
    if errors and (not accept_valid or stored == 0):
        template = (
            N_(
                "{file}: {rejected} of {rows} rows have errors; nothing was stored "
                "(no row is valid)"
            )
            if stored == 0
            else N_("{file}: {rejected} of {rows} rows have errors; nothing was stored")
        )
        raise FileRejected(
            say(
                template,
                file=list_name,
                rejected=f"{report.rejected:,}",
                rows=f"{report.rows_read:,}",
            ),
            problems=report.errors,
            lines=report.error_lines,
            some_valid=stored > 0,
        )
    if rejected_rows and rejects_path is not None:
        _write_rejects(rejects_path, listing, rejected_rows)
    batch.rows_read = report.rows_read
    batch.rows_added, batch.rows_corrected = report.added, report.corrected
    batch.rows_withdrawn, batch.rows_unchanged = report.withdrawn, report.unchanged
    batch.rows_rejected = report.rejected
    report.batch_id = batch.id
    if staged:
        # The caller publishes the list, then does what follows from it (finish_batch).
        session.flush()
        return report
    report.stored, report.status = True, BatchState.STORED.value
    finish_batch(session, batch=batch, report=report, queue_matching=queue_matching)
    return report


def finish_batch(
    session: Session, *, batch: Batch, report: ImportReport, queue_matching: bool = True
) -> None:
    """Do what follows from a stored list: duplicates flagged, cases opened, matching queued."""
    # Requests (or disclosed records) of this party that look like one child: flagged for a
    # caseworker, never merged. Checked once the whole list is stored, so that its rows meet
    # each other as well as the records stored before.
    report.duplicates = flag_duplicates(session, batch=batch)
    if batch.kind == "requests":
        # Each sought child's way home starts with its request: one case each.
        report.cases_opened = open_cases(session, batch_id=batch.id)
    session.flush()
    if queue_matching and (report.added or report.corrected or report.withdrawn):
        # The records changed: matching runs again (one queued run covers many batches).
        # New or changed requests need only themselves matched; changed disclosed records
        # may be any request's child, so they need a full run.
        changed = _changed_records(session, batch.id) if batch.kind == "requests" else None
        enqueue_match(session, request_ids=changed)


def admit_list(
    session: Session, *, party: Party, kind: str, sha256: str, signature: bytes | None
) -> tuple[Batch | None, VerifiedSignature | None]:
    """Check what a list's file must pass before it is read, whichever way it is stored.

    The signature first (a repeat with a bad one is refused too); then return the batch the
    same file already made, if any; else refuse the list while another of its party and
    kind is being stored, or when it is a signed list older than the party's latest.
    """
    signed = check_list_signature(session, party=party, sha256=sha256, signature=signature)
    previous = earlier_batch(session, party=party, kind=kind, sha256=sha256)
    if previous is not None:
        return previous, signed
    refuse_while_in_progress(session, party=party, kind=kind)
    if signed is not None:
        refuse_replay(session, party=party, kind=kind, signed_at=signed.signed_at)
    return None, signed


def earlier_batch(session: Session, *, party: Party, kind: str, sha256: str) -> Batch | None:
    """Return the batch the same file made before (queued, being stored or stored).

    A refused attempt does not count: the same file may be sent again (say, now with
    "store the valid rows"); the refused batch stays, with why, for whoever polled it.
    """
    return session.scalar(
        select(Batch).where(
            Batch.party_id == party.id,
            Batch.kind == kind,
            Batch.sha256 == sha256,
            Batch.status != BatchState.REFUSED.value,
        )
    )


def check_opening(path: Path, *, encoding: str | None = None) -> None:
    """Refuse at once a list whose container or header is wrong (FileRejected), unread.

    A list stored in the background is read by the job later; what its opening shows (a
    hostile or unreadable file, a missing column) is said to the sender now.
    """
    listing = open_list(path, encoding=encoding)
    try:
        plan_columns(listing.header, filename=path.name, is_json=listing.file_format == "json")
        named = attachment_header(listing.header)
        if named is not None:
            raise _attachments_without_bundle(path.name, named)
    finally:
        listing.close()


def _attachments_without_bundle(list_name: str, column: str) -> FileRejected:
    return FileRejected(
        say(
            N_(
                "{file}: the column {column} names attachments; send the list and those "
                "files together as a ZIP"
            ),
            file=list_name,
            column=column,
        )
    )


def list_in_progress(session: Session, *, party: Party, kind: str) -> Batch | None:
    """Return the list of this party and kind still being stored, if there is one.

    Only while its job may still run: a list whose job failed without settling it (its
    worker killed again and again) holds nobody up; its rows stay hidden.
    """
    return session.scalar(
        select(Batch)
        .join(Job, Job.id == Batch.job_id)
        .where(
            Batch.party_id == party.id,
            Batch.kind == kind,
            Batch.status.in_(IN_PROGRESS),
            Job.status.in_((JobState.QUEUED.value, JobState.RUNNING.value)),
        )
        .limit(1)
    )


def refuse_while_in_progress(session: Session, *, party: Party, kind: str) -> None:
    """Refuse a list while another of the same party and kind is being stored.

    Its rows would meet records nobody else sees yet (a correction of one of them, an id
    that seems new and is not).
    """
    busy = list_in_progress(session, party=party, kind=kind)
    if busy is not None:
        raise Conflict(
            say(
                N_(
                    "list {batch} of {party} is still being stored; send this one when it "
                    "is stored (poll the list's status)"
                ),
                batch=busy.id,
                party=party.name,
            ),
            code="list_in_progress",
        )


def store_rows(
    session: Session,
    *,
    path: Path,
    batch: Batch,
    party: Party,
    accept_valid: bool,
    on_progress: ProgressCallback,
    between_chunks: Callable[[], None],
    encoding: str | None = None,
) -> ImportReport:
    """Write a queued batch's list staged: new records hidden, changes held back.

    `between_chunks` is called whenever no chunk is being written (the background job
    commits there). Raises FileRejected like import_list; the caller publishes the batch
    (apply_staged_changes, its status) or discards what was staged.
    """
    options = _Options(
        accept_valid,
        None,
        encoding,
        on_progress,
        queue_matching=False,
        batch=batch,
        between_chunks=between_chunks,
    )
    return _import_file(
        session,
        path=path,
        shown=batch.filename,
        list_name=batch.filename,
        sha256=batch.sha256,
        party=party,
        kind=batch.kind,
        options=options,
    )


def import_details(party: Party, report: ImportReport) -> dict[str, Any]:
    """Return what the audit log keeps of a list received (whichever way it came)."""
    return {
        "party": party.name,
        "kind": report.kind,
        "filename": report.filename,
        "already_imported": report.already_imported,
        "status": report.status,
        "rows_read": report.rows_read,
        "added": report.added,
        "corrected": report.corrected,
        "withdrawn": report.withdrawn,
        "rejected": report.rejected,
        "duplicates": report.duplicates,
        "attachments": report.attachments,
    }


def refusal_details(
    *, party: Party | None, kind: str, filename: str, exc: ReuniteError
) -> dict[str, Any]:
    """Return what the audit log keeps of a list refused: why, never its rows."""
    problems = exc.problems if isinstance(exc, FileRejected) else []
    return {
        "party": party.name if party is not None else None,
        "kind": kind,
        "filename": filename,
        "why": exc.detail,
        "problems": len(problems),
        "first_problems": problems[:5],
        "code": exc.error_code,
    }


def refuse_replay(session: Session, *, party: Party, kind: str, signed_at: datetime) -> None:
    """Refuse a signed list signed before the party's latest accepted signed list.

    A list captured on its way and sent again later (a replay) would otherwise undo what
    the party has corrected since; the party's own retries of a list already received are
    recognised by its hash before this, and change nothing.
    """
    latest = session.scalar(
        select(func.max(Batch.signed_at)).where(Batch.party_id == party.id, Batch.kind == kind)
    )
    if latest is not None and signed_at <= latest:
        raise SignatureRefused(
            say(
                N_(
                    "this list was signed at {when}, before {party}'s latest signed list "
                    "({latest}): an old list sent again is refused"
                ),
                when=f"{signed_at:%Y-%m-%d %H:%M:%S} UTC",
                party=party.name,
                latest=f"{latest:%Y-%m-%d %H:%M:%S} UTC",
            ),
            code="signature_replayed",
        )


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
    written: Future[list[tuple[PreparedRow, Message]]]


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
    # The rows as sent, except that formulas are neutralised as in an export: the file is
    # opened in a spreadsheet on the mediator's side, and imports back unchanged.
    rows.sort(key=lambda r: r.number)
    header = list(listing.header)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow([neutralise(h) for h in header])
        for raw in rows:
            out.writerow([neutralise(cell_text(raw.cells.get(h))) for h in header])


def list_batches(session: Session, *, party_name: str | None = None) -> list[ReceivedBatch]:
    """Return the receipt of each received batch, oldest first (one party's, when named)."""
    statement = select(Batch, Party.name).join(Party, Party.id == Batch.party_id)
    if party_name is not None:
        statement = statement.where(Party.name == party_name)
    return [
        ReceivedBatch(
            id=batch.id,
            received_at=batch.received_at,
            party=name,
            kind=batch.kind,
            filename=batch.filename,
            sha256=batch.sha256,
            rows_read=batch.rows_read,
            added=batch.rows_added,
            corrected=batch.rows_corrected,
            withdrawn=batch.rows_withdrawn,
            unchanged=batch.rows_unchanged,
            rejected=batch.rows_rejected,
            status=batch.status,
        )
        for batch, name in session.execute(statement.order_by(Batch.id))
    ]


def _in_this_context(write: _Write) -> _Write:
    """Return `write` to run in the caller's context (its clock, for one) from any thread."""
    context = contextvars.copy_context()

    def run(rows: list[PreparedRow]) -> list[tuple[PreparedRow, Message]]:
        return context.run(write, rows)

    return run
