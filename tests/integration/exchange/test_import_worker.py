"""A large list is read and cleaned in a worker process: the same answers as in-process.

The worker is forked only from a process without other threads (the CLI), and a test run
has threads of its own; so each import here runs in a fresh Python process, as
`reunite import` does, once with the worker and once without.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from reunite.db.engine import session_factory, transaction
from reunite.exchange.preparing import WORKER_MIN_BYTES
from reunite.parties.service import add_party

from factories import KOVAL, LYSENKO, REQUEST_HEADER, SHEVCHUK, write_csv, write_xlsx

REUNITE = Path(sys.executable).with_name("reunite")

# Enough rows for several chunks, with bad rows spread through them.
ROWS = 2_600
BAD_EVERY = 997

IMPORT_IN_A_FRESH_PROCESS = """
import json, sys
from pathlib import Path
from sqlalchemy import select
from reunite.db.engine import make_engine, session_factory
from reunite.errors import FileRejected
from reunite.exchange import preparing
from reunite.exchange.service import import_list
from reunite.parties.service import add_party
from reunite.records.models import Record, RecordVersion

url, path, threshold, rejects = sys.argv[1:]
preparing.WORKER_MIN_BYTES = int(threshold)
used = []
received = preparing._received
def counting(*args):
    used.append(1)
    return received(*args)
preparing._received = counting
options = {"accept_valid": True, "rejects_path": Path(rejects)} if rejects else {}
with session_factory(make_engine(url))() as session:
    party = add_party(session, name="Ukraine", role="requesting")
    try:
        report = import_list(session, path=Path(path), party=party, kind="requests", **options)
        stored = session.execute(
            select(Record.external_id, Record.surname, Record.given_name, Record.birth_date,
                   Record.search_key, RecordVersion.row_number, RecordVersion.original)
            .join(RecordVersion, RecordVersion.record_id == Record.id)
            .order_by(RecordVersion.row_number)
        )
        outcome = [report.added, report.rejected, report.errors, [list(r) for r in stored]]
    except FileRejected as exc:
        outcome = ["rejected", exc.detail, exc.problems]
    session.rollback()
print(json.dumps({"worker": bool(used), "outcome": outcome}, default=str))
"""


def _rows() -> list[list[str]]:
    rows = []
    for number in range(ROWS):
        base = (LYSENKO, KOVAL, SHEVCHUK)[number % 3]
        row = [f"UA-{number}", *base[1:]]
        if number % BAD_EVERY == 5:
            row[5] = "31.02.2015"  # no such date: a row error
        rows.append(row)
    return rows


def _import(engine: Engine, path: Path, *, worker: bool, rejects: Path | None) -> Any:
    threshold = "0" if worker else str(1 << 40)
    url = engine.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_IN_A_FRESH_PROCESS, url, str(path), threshold]
        + [str(rejects) if rejects else ""],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["worker"] is worker
    return answer["outcome"]


def test_a_refused_list_gives_the_same_errors_in_order(engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "large.csv", REQUEST_HEADER, _rows())
    here = _import(engine, path, worker=False, rejects=None)
    in_worker = _import(engine, path, worker=True, rejects=None)
    assert here[0] == "rejected" and here == in_worker
    assert [p.split(":")[1] for p in here[2]] == ["7", "1004", "2001"]


@pytest.mark.parametrize(
    ("write", "name"), [(write_csv, "large.csv"), (write_xlsx, "large.xlsx")], ids=["csv", "xlsx"]
)
def test_accepted_rows_are_stored_the_same(
    engine: Engine, tmp_path: Path, write: Callable[..., Path], name: str
) -> None:
    # An XLSX over WORKER_MIN_BYTES (in bytes of the file, as a CSV) is read in the worker too.
    path = write(tmp_path, name, REQUEST_HEADER, _rows())
    here = _import(engine, path, worker=False, rejects=tmp_path / "here.csv")
    in_worker = _import(engine, path, worker=True, rejects=tmp_path / "worker.csv")
    assert here == in_worker
    assert (here[0], here[1]) == (ROWS - 3, 3)
    assert len(here[3]) == ROWS - 3
    for rejects in ("here.csv", "worker.csv"):
        with (tmp_path / rejects).open(encoding="utf-8") as handle:
            assert len(list(csv.reader(handle))) == 1 + 3


def _children(pid: int) -> list[int]:
    """Return the processes a process started (as Linux lists them, thread by thread)."""
    found: list[int] = []
    for listing in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in listing.read_text().split()]
        except FileNotFoundError:  # the thread ended meanwhile
            continue
    return found


def _running(pid: int) -> bool:
    """Tell whether a process still runs (a zombie has ended; only its exit code is left)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads Linux's /proc")
@pytest.mark.skipif(
    len(os.sched_getaffinity(0)) < 2, reason="the worker is used with two cores or more"
)
def test_the_worker_ends_when_the_import_is_killed(engine: Engine, tmp_path: Path) -> None:
    with transaction(session_factory(engine)) as session:
        add_party(session, name="Ukraine", role="requesting")
    path = write_csv(tmp_path, "large.csv", REQUEST_HEADER, _rows() * 40)
    assert path.stat().st_size > 2 * WORKER_MIN_BYTES
    env = {**os.environ, "REUNITE_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    importer = subprocess.Popen(
        [str(REUNITE), "import", str(path), "--party", "Ukraine", "--kind", "requests"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while not workers and importer.poll() is None and time.monotonic() < deadline:
            workers = _children(importer.pid)
            time.sleep(0.01)
        assert workers, "the import started no worker process"

        os.kill(importer.pid, signal.SIGKILL)
        importer.wait(timeout=10)

        deadline = time.monotonic() + 5
        while any(map(_running, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_running, workers))
    finally:
        for pid in [importer.pid, *workers]:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
        importer.wait(timeout=10)
