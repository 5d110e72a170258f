"""The job worker `reunite serve` runs: a process of its own, restarted when it dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from reunite.cli import app
from reunite.db.engine import session_factory
from reunite.jobs.models import Job
from reunite.jobs.worker import WorkerProcess
from reunite.wiring import daily_job_kinds, job_worker_process

from factories import REQUEST_HEADER, REQUEST_ROWS, write_csv
from serving import wait_for

runner = CliRunner()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A dead child not yet reaped by its parent is a zombie: it runs nothing.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


def _queue_a_matching_run(tmp_path: Path, name: str) -> None:
    path = write_csv(tmp_path, f"{name}.csv", REQUEST_HEADER, REQUEST_ROWS)
    result = runner.invoke(app, ["import", str(path), "--party", "Ukraine", "--kind", "requests"])
    assert result.exit_code == 0, result.output


def _all_done(sessions: sessionmaker[Session]) -> bool:
    with sessions() as session:
        states = set(session.scalars(select(Job.status)))
    return bool(states) and states <= {"done", "failed"}


def _jobs(sessions: sessionmaker[Session]) -> list[Job]:
    """The matching runs queued by imports; the daily work the worker queues itself is apart."""
    with sessions() as session:
        daily = daily_job_kinds()
        return list(session.scalars(select(Job).where(Job.kind.not_in(daily)).order_by(Job.id)))


@pytest.fixture
def sessions(configured: str, engine: Engine, tmp_path: Path) -> sessionmaker[Session]:
    """A migrated database with a requesting party, the application pointed at it."""
    assert runner.invoke(app, ["party", "add", "Ukraine", "--role", "requesting"]).exit_code == 0
    return session_factory(engine)


@pytest.fixture
def worker(sessions: sessionmaker[Session]) -> Iterator[WorkerProcess]:
    """Yield a started worker process that polls and is watched quickly."""
    process = job_worker_process(poll_seconds=0.1, watch_seconds=0.2)
    process.start()
    yield process
    process.stop()


def test_jobs_run_in_another_process(
    sessions: sessionmaker[Session], worker: WorkerProcess, tmp_path: Path
) -> None:
    _queue_a_matching_run(tmp_path, "first")
    assert wait_for(lambda: [j.status for j in _jobs(sessions)] == ["done"])
    (job,) = _jobs(sessions)
    # The worker's name holds its process id: not the server's.
    worker_pid = int(job.worker.split(":")[1])
    assert worker_pid == worker.pid and worker_pid != os.getpid()
    assert job.message.startswith("matched the named 3 requests")
    # It runs at a lower CPU priority than the server, which answers people.
    server_niceness = os.getpriority(os.PRIO_PROCESS, 0)
    assert os.getpriority(os.PRIO_PROCESS, worker_pid) == min(server_niceness + 10, 19)


def test_a_worker_process_that_dies_is_replaced(
    sessions: sessionmaker[Session], worker: WorkerProcess, tmp_path: Path
) -> None:
    first = worker.pid
    assert first is not None
    os.kill(first, signal.SIGKILL)
    assert wait_for(lambda: worker.pid not in (None, first), seconds=30)
    assert worker.restarts == 1
    # The new process does the work.
    _queue_a_matching_run(tmp_path, "after-restart")
    assert wait_for(lambda: [j.status for j in _jobs(sessions)] == ["done"])
    assert int(_jobs(sessions)[0].worker.split(":")[1]) == worker.pid


def test_stopping_ends_the_worker_process(
    sessions: sessionmaker[Session], worker: WorkerProcess
) -> None:
    pid = worker.pid
    assert pid is not None
    # The worker queues the day's work when it starts: idle once that is done.
    assert wait_for(lambda: _all_done(sessions), seconds=60)
    started = time.monotonic()
    worker.stop()
    # An idle worker sees the request at its next poll, well before it would be forced.
    assert time.monotonic() - started < worker.idle_exit_seconds
    assert not _alive(pid)
    assert worker.pid is None


def test_a_worker_whose_server_died_stops(configured: str, engine: Engine) -> None:
    server = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os\n"
            "from reunite.wiring import daily_job_kinds, job_worker_process\n"
            "worker = job_worker_process(poll_seconds=0.1)\n"
            "worker.start()\n"
            "print(worker.pid, flush=True)\n"
            # Died, not stopped: no clean-up runs.
            "os._exit(0)\n",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    orphan = int(server.stdout.strip())
    assert wait_for(lambda: not _alive(orphan), seconds=30)


def _hold_a_job_and_hang(stop: object, poll_seconds: float, parent: int) -> None:
    """A worker process's main that claims the queued job, then hangs until it is killed."""
    from reunite.jobs.service import claim_next, worker_name
    from reunite.wiring import default_sessions

    with default_sessions()() as session, session.begin():
        claim_next(session, worker=worker_name())
    time.sleep(600)


def test_the_jobs_of_a_worker_that_dies_are_queued_again_at_once(
    sessions: sessionmaker[Session],
) -> None:
    from reunite.jobs.service import enqueue
    from reunite.wiring import requeue_jobs_of

    with sessions() as session, session.begin():
        job_id = enqueue(session, kind="match", payload={}).id
    requeued: list[int] = []
    process = WorkerProcess(
        _hold_a_job_and_hang,
        watch_seconds=0.2,
        idle_exit_seconds=0.5,
        on_death=lambda pid: requeued.extend(requeue_jobs_of(pid)),
    )
    process.start()
    try:
        assert wait_for(lambda: _jobs(sessions)[0].status == "running", seconds=30)
        holder = process.pid
        assert holder is not None and f":{holder}:" in _jobs(sessions)[0].worker
        os.kill(holder, signal.SIGKILL)
        killed = time.monotonic()
        # Noticed when the process ends, not when its heartbeat would have gone stale.
        assert wait_for(lambda: requeued == [job_id], seconds=10)
        assert time.monotonic() - killed < 10
    finally:
        process.stop()


def _hold_the_stop_signal_and_hang(stop: Any, _poll: float, _parent: int) -> None:
    # As a worker killed at the wrong moment leaves it: inside the stop signal's own lock.
    stop._cond.acquire()
    time.sleep(600)


def test_stopping_does_not_hang_on_a_signal_a_killed_worker_left_held() -> None:
    process = WorkerProcess(
        _hold_the_stop_signal_and_hang, watch_seconds=0.2, idle_exit_seconds=0.5
    )
    process.start()
    try:
        assert wait_for(lambda: process.pid is not None, seconds=30)
        time.sleep(1.0)  # the child holds the lock now
        holder = process.pid
        assert holder is not None
        os.kill(holder, signal.SIGKILL)
        # The next process gets a signal of its own; stopping it returns, the lock the
        # killed one left held notwithstanding.
        assert wait_for(lambda: process.pid not in (None, holder), seconds=30)
    finally:
        stopping = threading.Thread(target=process.stop, daemon=True)
        stopping.start()
        stopping.join(60)
    assert not stopping.is_alive(), "stopping the worker hung"
