"""Read, clean and prepare a list's rows for the database, ahead of the writes.

Everything a row needs before it is stored that does not depend on the database is done
here: cleaning, the record's keys (search, sort, likely duplicates: records.keys), and its
first version as JSON text. On a large list this runs in a worker process while the
importer's process writes the previous chunk, so the two use two cores; chunks come back
in file order, so errors keep their order.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Generator
from dataclasses import dataclass
from itertools import islice
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, NamedTuple

from reunite.errors import FileRejected
from reunite.exchange.readers import ListFile, RawRow, open_list
from reunite.exchange.validation import (
    FLAG_FIELDS,
    RECORD_FIELDS,
    CleanRow,
    RowCleaner,
    RowError,
    plan_columns,
)
from reunite.records.keys import key_values

# Below this size a worker process costs more to start than it saves.
WORKER_MIN_BYTES = 4 << 20
# Chunks prepared ahead of the writes: bounds the memory the worker can fill.
CHUNKS_AHEAD = 2
# <linux/prctl.h>: the signal a process gets when its parent ends.
PR_SET_PDEATHSIG = 1
# Where the kernel cannot tell a worker that its importer died, it looks this often.
PARENT_WATCH_SECONDS = 0.5
RECORD_DEFAULTS = tuple(False if f in FLAG_FIELDS else "" for f in RECORD_FIELDS)
# The text SQLAlchemy's JSON type and psycopg's Jsonb would send (json.dumps' defaults).
encode_json = json.JSONEncoder().encode


class PreparedRow(NamedTuple):
    """A valid row ready to store: plain values only, cheap to pass between processes."""

    number: int
    external_id: str
    values: tuple[Any, ...]  # one per RECORD_FIELDS; absent fields hold their defaults
    keys: tuple[str | int | None, ...]  # one per records.keys.KEY_COLUMNS
    extra_json: str
    added_json: str  # the changes of the record's first version, if the row adds it
    original_json: str

    def original(self) -> dict[str, Any]:
        """Return the row as the party sent it."""
        cells: dict[str, Any] = json.loads(self.original_json)
        return cells

    def extra(self) -> dict[str, str]:
        """Return the row's unknown columns, cleaned."""
        extra: dict[str, str] = json.loads(self.extra_json)
        return extra


@dataclass
class PreparedChunk:
    """Consecutive rows of a list: the valid ones prepared, the others with their errors."""

    rows: int
    good: list[PreparedRow]
    errors: list[RowError]
    rejected: list[RawRow]
    bytes_read: int


def prepare_row(row: CleanRow) -> PreparedRow:
    """Compute what storing a clean row needs that does not depend on the database."""
    values = tuple(map(row.fields.get, RECORD_FIELDS, RECORD_DEFAULTS))
    keyed = dict(zip(RECORD_FIELDS, values, strict=True))
    keyed["external_id"] = row.external_id
    changes: dict[str, Any] = {
        f: [None, v] for f, v in zip(RECORD_FIELDS, values, strict=True) if v not in ("", False)
    }
    if row.extra:
        changes["extra"] = [None, row.extra]
    return PreparedRow(
        row.number,
        row.external_id,
        values,
        key_values(keyed),
        encode_json(row.extra),
        encode_json(changes),
        encode_json(row.original),
    )


def prepare_chunk(cleaner: RowCleaner, chunk: list[RawRow], bytes_read: int) -> PreparedChunk:
    """Clean and prepare one chunk of raw rows."""
    prepared = PreparedChunk(len(chunk), [], [], [], bytes_read)
    for raw in chunk:
        outcome = cleaner.clean(raw)
        if isinstance(outcome, CleanRow):
            prepared.good.append(prepare_row(outcome))
        else:
            prepared.errors.extend(outcome)
            prepared.rejected.append(raw)
    return prepared


def prepared_chunks(
    listing: ListFile, cleaner: RowCleaner, *, size: int
) -> Generator[PreparedChunk, None, None]:
    """Prepare a list chunk by chunk, in this process or, for a large list, in a worker."""
    if not _worth_a_worker(listing):
        return _prepared_here(listing, cleaner, size)
    listing.close()
    # Forked before any writer thread exists: a process with a single thread forks safely,
    # and the worker starts at once with the modules and name dictionaries already loaded.
    fork = multiprocessing.get_context("fork")
    results: multiprocessing.Queue[tuple[str, Any]] = fork.Queue(CHUNKS_AHEAD)
    worker = fork.Process(
        target=_work,
        args=(listing.path, listing.encoding, cleaner.today, size, results, os.getpid()),
        name="reunite-import-reader",
        daemon=True,
    )
    worker.start()
    return _received(worker, results)


def _worth_a_worker(listing: ListFile) -> bool:
    # A JSON list's header grows as its rows are read, and the rejects file needs it whole.
    if listing.file_format == "json" or listing.size < WORKER_MIN_BYTES:
        return False
    # Forking a process that runs other threads (a web server) could copy a lock one of them
    # holds; such a process prepares its lists itself.
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return False
    return hasattr(os, "sched_getaffinity") and len(os.sched_getaffinity(0)) > 1


def _prepared_here(
    listing: ListFile, cleaner: RowCleaner, size: int
) -> Generator[PreparedChunk, None, None]:
    while chunk := list(islice(listing.rows, size)):
        yield prepare_chunk(cleaner, chunk, listing.bytes_read())


def _received(
    worker: BaseProcess, results: multiprocessing.Queue[tuple[str, Any]]
) -> Generator[PreparedChunk, None, None]:
    try:
        while True:
            kind, payload = _next_result(results, worker)
            if kind == "chunk":
                yield payload
            elif kind == "done":
                return
            elif kind == "rejected":
                message, problems, lines = payload
                raise FileRejected(message, problems=problems, lines=lines)
            else:
                raise RuntimeError(f"reading the list failed in the worker process: {payload}")
    finally:
        # Stopping early (too many errors, a failed write) leaves the worker mid-file.
        if worker.is_alive():
            worker.terminate()
        worker.join()
        results.close()


def _next_result(
    results: multiprocessing.Queue[tuple[str, Any]], worker: BaseProcess
) -> tuple[str, Any]:
    while True:
        try:
            return results.get(timeout=1.0)
        except queue.Empty:
            if not worker.is_alive():
                return "failed", f"the worker stopped (exit code {worker.exitcode})"


def _work(
    path: Path,
    encoding: str | None,
    today: dt.date,
    size: int,
    results: multiprocessing.Queue[tuple[str, Any]],
    parent: int,
) -> None:
    """Run in the worker process: prepare the list's chunks and send them in order."""
    end_with_parent(parent)
    try:
        listing = open_list(path, encoding=encoding)
        plan = plan_columns(listing.header, filename=path.name)
        cleaner = RowCleaner(plan, today=today)
        for chunk in _prepared_here(listing, cleaner, size):
            results.put(("chunk", chunk))
        results.put(("done", None))
    except FileRejected as exc:
        results.put(("rejected", (exc.message, exc.problems, exc.lines)))
    except Exception as exc:  # noqa: BLE001 - reported to the importer, which raises it
        results.put(("failed", f"{type(exc).__name__}: {exc}"))


def end_with_parent(parent: int) -> None:
    """Make this process end when `parent` does, however it ends (even `kill -9`).

    A worker whose importer died would otherwise wait forever to hand over its next chunk,
    holding the list and the database's files open.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        # The kernel sends SIGKILL when the thread that forked this process ends; the worker
        # is forked by the importer's only thread (see prepared_chunks).
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            # The importer may have died between the fork and prctl, unannounced.
            if os.getppid() != parent:
                os._exit(1)
            return
    threading.Thread(
        target=_watch_parent, args=(parent,), name="reunite-parent-watch", daemon=True
    ).start()


def _watch_parent(parent: int) -> None:
    # Elsewhere: an orphan is adopted by another process, so its parent's id changes.
    while os.getppid() == parent:
        time.sleep(PARENT_WATCH_SECONDS)
    os._exit(1)
