"""Large lists stored by the job worker in short transactions, seen whole or not at all.

A list of hundreds of thousands of rows takes a minute or more to read, clean and write.
Stored within its request, it would hold SQLite's only write lock (and PostgreSQL's locks
on the party's records) all that time, and every other user's change would wait. Instead:

1. `accept_list` (within the upload's request) checks what can be checked at once (the
   party, the signature, a repeat), keeps the file in the incoming folder, and queues a
   job; the batch is "queued", and the upload answers with it to poll.
2. `run_list_import` (the job) reads the list and writes it a chunk at a time, each chunk
   its own transaction. Its new records go to staged_records, a table nobody reads (so
   they cost the readers of `records` nothing); its corrections and withdrawals wait in
   staged_changes. The batch is "staging".
3. The new records move to `records` a span at a time (the database copies them), each
   marked with the batch (`Record.pending_batch_id`): nobody sees them yet
   (records.access.published).
4. One short transaction applies the waiting changes and marks the batch "stored": from
   that commit on, the whole list is seen at once. Duplicates are flagged, cases opened and
   matching queued after, and the marks on the new records cleared in steps.

A list with errors is "refused" and everything staged is removed, in steps; so is whatever
an earlier attempt staged when the job restarts after a crash. While a list of a party and
kind is being stored, another of the same party and kind is refused (it would meet records
that do not exist yet for anybody else).
"""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from reunite.audit.service import record_event, record_refusal
from reunite.db.engine import transaction
from reunite.errors import FileRejected, InvalidInput, ReuniteError
from reunite.exchange.batch_writer import (
    apply_staged_changes,
    move_staged_records,
    staged_row_span,
)
from reunite.exchange.enums import IN_PROGRESS, BatchState
from reunite.exchange.models import Batch, BatchRow, StagedChange, staged_records
from reunite.exchange.schemas import ImportReport
from reunite.exchange.service import (
    admit_list,
    check_opening,
    finish_batch,
    import_details,
    refusal_details,
    store_rows,
)
from reunite.jobs.models import Job
from reunite.jobs.service import JobContext, enqueue, error_summary
from reunite.parties.models import Party
from reunite.records.models import Record, RecordVersion
from reunite.settings import get_settings
from reunite.vocabulary import N_, Message, say

IMPORT_JOB = "list.import"
# Rows removed or unmarked per transaction when a list is discarded or published.
STEP_ROWS = 5000
# After each chunk the job pauses this share of the time the chunk took.
YIELD_SHARE = 0.5
# Problem lines kept with a batch (the first ones; the count says how many there were).
MAX_PROBLEMS_KEPT = 1000


def in_background(path: Path) -> bool:
    """Tell whether a list sent through the pages or the API is stored by the job worker."""
    return path.stat().st_size > get_settings().background_list_kb * 1024


def accept_list(
    session: Session,
    *,
    user_id: int | None,
    username: str,
    path: Path,
    sha256: str,
    party: Party,
    kind: str,
    accept_valid: bool,
    signature: bytes | None,
    address: str,
    encoding: str | None = None,
) -> ImportReport:
    """Keep a large list and queue the job that stores it; return its queued batch.

    The same file sent again answers with its batch (queued, being stored, or stored); a
    refused one may be sent again, and its refused batch makes way for the new one.
    """
    previous, signed = admit_list(
        session, party=party, kind=kind, sha256=sha256, signature=signature
    )
    if previous is not None:
        return _report_of(previous, already_imported=True)
    check_opening(path, encoding=encoding)
    batch = Batch(
        party_id=party.id,
        kind=kind,
        sha256=sha256,
        filename=path.name[:500],
        file_format=path.suffix.lstrip(".").lower()[:10] or "csv",
        status=BatchState.QUEUED.value,
        signed_key_id=signed.key_id if signed is not None else None,
        signed_at=signed.signed_at if signed is not None else None,
    )
    session.add(batch)
    session.flush()
    held = held_path(batch)
    held.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, held)
    job = enqueue(
        session,
        kind=IMPORT_JOB,
        payload={
            "batch_id": batch.id,
            "accept_valid": accept_valid,
            "encoding": encoding,
            "user_id": user_id,
            "username": username,
            "address": address[:100],
        },
    )
    batch.job_id = job.id
    session.flush()
    return _report_of(batch)


def held_path(batch: Batch) -> Path:
    """Return where a list waiting to be stored is kept (its batch and its own name)."""
    return get_settings().incoming_path() / f"{batch.id}-{batch.sha256[:16]}-{batch.filename}"


def _report_of(batch: Batch, *, already_imported: bool = False) -> ImportReport:
    report = ImportReport(filename=batch.filename, kind=batch.kind, batch_id=batch.id)
    report.status = batch.status
    report.stored = batch.status == BatchState.STORED
    report.already_imported = already_imported
    report.rows_read, report.added = batch.rows_read, batch.rows_added
    report.corrected, report.withdrawn = batch.rows_corrected, batch.rows_withdrawn
    report.unchanged, report.rejected = batch.rows_unchanged, batch.rows_rejected
    return report


def run_list_import(context: JobContext) -> Message:
    """The job: store a held list in short transactions, then publish it at once."""
    batch_id = int(context.payload["batch_id"])
    sessions = context.sessions
    with transaction(sessions) as session:
        batch = session.get(Batch, batch_id)
        if batch is None or batch.status == BatchState.REFUSED:
            return say(N_("list {batch} is no longer waiting"), batch=batch_id)
        status = batch.status
    if status != BatchState.STORED:
        # A restart after a crash: what the earlier attempt staged goes first.
        discard_staged(sessions, batch_id=batch_id)
        try:
            report = _store(context, batch_id)
        except ReuniteError as exc:
            return _refuse(context, batch_id, exc)
        except Exception as exc:
            # Not the list's fault (the database gone, a defect): it is refused all the same,
            # nothing of it kept, so that its party is not held up; the job fails with why.
            _refuse(context, batch_id, ReuniteError(_unexpected(exc), code="list_not_stored"))
            raise
    else:
        with transaction(sessions) as session:
            batch = session.get(Batch, batch_id)
            assert batch is not None
            report = _report_of(batch)
    with transaction(sessions) as session:
        batch = session.get(Batch, batch_id)
        assert batch is not None
        finish_batch(session, batch=batch, report=report)
    _clear_marks(sessions, batch_id=batch_id)
    _drop_held(sessions, batch_id)
    return say(
        N_(
            "list {batch} stored: {rows} rows read, {added} added, {corrected} corrected, "
            "{withdrawn} withdrawn, {rejected} left out"
        ),
        batch=batch_id,
        rows=f"{report.rows_read:,}",
        added=f"{report.added:,}",
        corrected=f"{report.corrected:,}",
        withdrawn=f"{report.withdrawn:,}",
        rejected=f"{report.rejected:,}",
    )


def _store(context: JobContext, batch_id: int) -> ImportReport:
    """Write the list chunk by chunk (each committed), then publish it in one transaction."""
    sessions = context.sessions
    # A failure leaves this session's open transaction to its close, which rolls it back.
    with sessions() as session:
        batch = session.get(Batch, batch_id)
        assert batch is not None
        party = session.get(Party, batch.party_id)
        assert party is not None
        batch.status = BatchState.STAGING.value
        session.commit()
        held = held_path(batch)
        if not held.is_file():
            raise InvalidInput(
                say(N_("{file}: the file kept for this list is gone"), file=batch.filename)
            )
        total = held.stat().st_size
        read = [0]
        since = [time.monotonic()]

        def between_chunks() -> None:
            # Our chunk is committed: the lock is free for others, and for our progress.
            session.commit()
            context.progress(read[0], total)
            # Others first: the list waits a while after each chunk, so that the
            # server's processes (and the database's, which no `nice` reaches) get the
            # cores back. Nobody waits for the list but its sender.
            time.sleep(min(YIELD_SHARE * (time.monotonic() - since[0]), 1.0))
            since[0] = time.monotonic()

        def on_progress(_rows: int, bytes_read: int) -> None:
            read[0] = bytes_read

        report = store_rows(
            session,
            path=held,
            batch=batch,
            party=party,
            accept_valid=bool(context.payload.get("accept_valid")),
            encoding=context.payload.get("encoding"),
            on_progress=on_progress,
            between_chunks=between_chunks,
        )
        session.commit()
        _move_in_steps(session, batch_id=batch_id)
        apply_staged_changes(session, batch=batch)
        batch.status = BatchState.STORED.value
        if report.errors:
            batch.problems = _problems(
                say(
                    N_("{rejected} of {rows} rows have errors; the valid rows were stored"),
                    rejected=f"{report.rejected:,}",
                    rows=f"{report.rows_read:,}",
                ),
                report.error_lines,
            )
        report.stored, report.status = True, BatchState.STORED.value
        record_event(
            session,
            actor=None,
            actor_name=str(context.payload.get("username") or ""),
            action="list.import",
            subject_type="batch",
            subject_id=str(batch_id),
            details=import_details(party, report) | {"in_background": True},
            address=str(context.payload.get("address") or ""),
        )
        session.commit()
        return report


def _move_in_steps(session: Session, *, batch_id: int) -> None:
    # The new records move to `records` hidden, a span of rows per transaction: the
    # database copies them, and others' writes wait for one span at most.
    span = staged_row_span(session, batch_id=batch_id)
    session.commit()
    if span is None:
        return
    first, last = span
    while first <= last:
        move_staged_records(session, batch_id=batch_id, first=first, last=first + STEP_ROWS - 1)
        session.commit()
        first += STEP_ROWS


def _refuse(context: JobContext, batch_id: int, exc: ReuniteError) -> Message:
    """Mark the list refused with why, remove what it staged, and audit the refusal."""
    sessions = context.sessions
    discard_staged(sessions, batch_id=batch_id)
    lines = exc.lines if isinstance(exc, FileRejected) else []
    with transaction(sessions) as session:
        batch = session.get(Batch, batch_id)
        assert batch is not None
        party = session.get(Party, batch.party_id)
        batch.status = BatchState.REFUSED.value
        batch.problems = _problems(exc.message, lines)
        batch.rows_read = batch.rows_added = batch.rows_corrected = 0
        batch.rows_withdrawn = batch.rows_unchanged = batch.rows_rejected = 0
        record_refusal(
            session,
            actor=None,
            actor_name=str(context.payload.get("username") or ""),
            action="list.refused",
            subject_type="file",
            subject_id=batch.sha256,
            details=refusal_details(party=party, kind=batch.kind, filename=batch.filename, exc=exc)
            | {"batch": batch_id},
            address=str(context.payload.get("address") or ""),
        )
    _drop_held(sessions, batch_id)
    return say(N_("list {batch} refused: {why}"), batch=batch_id, why=exc.message)


def _unexpected(exc: Exception) -> Message:
    return say(
        N_("the list could not be stored ({error}); nothing of it was kept: send it again"),
        error=error_summary(exc)[:300],
    )


def _problems(message: Message, lines: list[Message]) -> dict[str, Any]:
    return {
        "message": message.to_data(),
        "count": len(lines),
        "lines": [line.to_data() for line in lines[:MAX_PROBLEMS_KEPT]],
    }


def discard_staged(sessions: sessionmaker[Session], *, batch_id: int) -> None:
    """Remove everything a list being stored wrote, a step at a time; the batch stays.

    Nobody saw any of it: the records were hidden and the changes had not been made.
    """
    with transaction(sessions) as session:
        session.execute(delete(StagedChange).where(StagedChange.batch_id == batch_id))
        span = staged_row_span(session, batch_id=batch_id)
    if span is not None:
        first, last = span
        while first <= last:
            with transaction(sessions) as session:
                session.execute(
                    delete(staged_records).where(
                        staged_records.c.batch_id == batch_id,
                        staged_records.c.row_number.between(first, first + STEP_ROWS - 1),
                    )
                )
            first += STEP_ROWS
    _in_steps_of_marked(sessions, batch_id=batch_id, act=_delete_records)
    with transaction(sessions) as session:
        # Receipts of rows that changed records others see (no record of theirs to remove).
        session.execute(delete(BatchRow).where(BatchRow.batch_id == batch_id))


def _delete_records(session: Session, batch_id: int, records: list[uuid.UUID]) -> None:
    session.execute(
        delete(BatchRow).where(BatchRow.batch_id == batch_id, BatchRow.record_id.in_(records))
    )
    session.execute(delete(RecordVersion).where(RecordVersion.record_id.in_(records)))
    session.execute(delete(Record).where(Record.id.in_(records)))


def _in_steps_of_marked(
    sessions: sessionmaker[Session],
    *,
    batch_id: int,
    act: Callable[[Session, int, list[uuid.UUID]], None],
) -> None:
    """Act on the records marked with a batch, STEP_ROWS of them per transaction."""
    while True:
        with transaction(sessions) as session:
            records = list(
                session.scalars(
                    select(Record.id).where(Record.pending_batch_id == batch_id).limit(STEP_ROWS)
                )
            )
            if not records:
                return
            act(session, batch_id, records)


def _clear_marks(sessions: sessionmaker[Session], *, batch_id: int) -> None:
    # The list is stored and seen already (its batch says so); the marks only cost the
    # readers a look at the batch, so they go in steps that never hold the lock for long.
    _in_steps_of_marked(sessions, batch_id=batch_id, act=_unmark)


def _unmark(session: Session, _batch_id: int, records: list[uuid.UUID]) -> None:
    session.execute(
        update(Record).where(Record.id.in_(records)).values(pending_batch_id=None),
        execution_options={"synchronize_session": False},
    )


def _drop_held(sessions: sessionmaker[Session], batch_id: int) -> None:
    with transaction(sessions) as session:
        batch = session.get(Batch, batch_id)
        if batch is not None:
            held_path(batch).unlink(missing_ok=True)


@dataclass(frozen=True)
class Standing:
    """How far a list stored in the background is, and what was wrong with it."""

    bytes_read: int | None = None
    bytes_total: int | None = None
    problem: Message | None = None
    problem_count: int = 0
    problem_lines: list[Message] = field(default_factory=list)


def batch_standing(session: Session, *, batch: Batch) -> Standing:
    """Return a batch's progress (while it is being stored) and its problems, if any."""
    bytes_read = bytes_total = None
    if batch.job_id is not None and batch.status in IN_PROGRESS:
        job = session.get(Job, batch.job_id)
        if job is not None:
            bytes_read, bytes_total = job.progress, job.total or None
    problems = batch.problems or {}
    return Standing(
        bytes_read=bytes_read,
        bytes_total=bytes_total,
        problem=Message.from_data(problems.get("message")),
        problem_count=int(problems.get("count") or 0),
        problem_lines=[
            line
            for line in (Message.from_data(data) for data in problems.get("lines") or [])
            if line is not None
        ],
    )
