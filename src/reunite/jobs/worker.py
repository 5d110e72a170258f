"""Running queued jobs: a process beside the server, a thread, or `reunite jobs run`.

`reunite serve` runs the worker in a process of its own (`WorkerProcess`): a matching run
is minutes of pure Python at scale, and in the server's process it would hold the
interpreter lock that every page and API call needs.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from reunite.jobs.service import (
    HEARTBEAT_SECONDS,
    Handlers,
    enqueue_daily,
    requeue_of_dead_processes,
    requeue_stale,
    run_next,
    worker_name,
)

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
# How long stopping the worker waits to deliver its stop signal before ending it instead.
STOP_SIGNAL_SECONDS = 2.0
# How much lower the job worker process's CPU priority is than the server's (nice(2)).
WORKER_NICENESS = 10
# A running job beats its heartbeat every HEARTBEAT_SECONDS; one silent for four beats lost
# its worker (a worker process this server runs is noticed at once when it dies: `on_death`).
STALE_AFTER = timedelta(seconds=4 * HEARTBEAT_SECONDS)
STALE_CHECK_SECONDS = HEARTBEAT_SECONDS


def recover_stale(sessions: sessionmaker[Session], *, older_than: timedelta = STALE_AFTER) -> int:
    """Queue again the jobs whose worker died (gone from this machine, or silent); how many."""
    with sessions() as session, session.begin():
        requeued = requeue_of_dead_processes(session)
        requeued += requeue_stale(session, older_than=older_than)
    for job_id in requeued:
        log.warning("job %s queued again: its worker stopped responding", job_id)
    return len(requeued)


def queue_daily(sessions: sessionmaker[Session], *, kinds: Sequence[str]) -> int:
    """Queue today's job of each daily kind not queued yet today; return how many."""
    queued = 0
    with sessions() as session, session.begin():
        for kind in kinds:
            queued += enqueue_daily(session, kind=kind, today=date.today()) is not None
    return queued


def run_pending(
    sessions: sessionmaker[Session],
    *,
    handlers: Handlers,
    worker: str | None = None,
    once: bool = False,
    should_stop: Callable[[], bool] = lambda: False,
) -> int:
    """Run queued jobs one after another until none is left (or just one); return how many."""
    name = worker or worker_name()
    recover_stale(sessions)
    ran = 0
    while not should_stop() and run_next(sessions, handlers=handlers, worker=name):
        ran += 1
        if once:
            break
    return ran


class StopSignal(Protocol):
    """What the worker needs of a stop flag: a thread's or a process's `Event`."""

    def is_set(self) -> bool: ...
    def set(self) -> None: ...
    def clear(self) -> None: ...
    def wait(self, timeout: float | None = None) -> bool: ...


class BackgroundWorker:
    """Polls the jobs table and runs one job at a time, in a daemon thread or in `run`."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        handlers: Handlers,
        poll_seconds: float = POLL_SECONDS,
        stale_after: timedelta = STALE_AFTER,
        join_seconds: float = 30.0,
        stop_signal: StopSignal | None = None,
        daily_kinds: Sequence[str] = (),
    ) -> None:
        self._sessions = sessions
        self._handlers = handlers
        # Kinds of job this worker queues once a day (checked with the stale jobs).
        self.daily_kinds = tuple(daily_kinds)
        self.poll_seconds = poll_seconds
        self.stale_after = stale_after
        self.join_seconds = join_seconds
        self.name = worker_name()
        self._stop: StopSignal = stop_signal if stop_signal is not None else threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start polling in a background thread."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, name="reunite-jobs", daemon=True)
        self._thread.start()

    def run(self) -> None:
        """Poll and run jobs in this thread until asked to stop."""
        self._loop()

    def stop(self) -> None:
        """Ask the thread to stop after its current job, and wait for it a while."""
        self._stop.set()
        if self._thread is not None:
            # A long job keeps running to its end; the process may exit meanwhile (the
            # thread is a daemon) and another worker re-runs the job once it is stale.
            self._thread.join(self.join_seconds)
            self._thread = None

    @property
    def running(self) -> bool:
        """Tell whether the polling thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        sessions = self._sessions
        next_check = 0.0
        while not self._stop.is_set():
            ran = False
            try:
                if time.monotonic() >= next_check:
                    recover_stale(sessions, older_than=self.stale_after)
                    if self.daily_kinds:
                        queue_daily(sessions, kinds=self.daily_kinds)
                    next_check = time.monotonic() + STALE_CHECK_SECONDS
                ran = run_next(sessions, handlers=self._handlers, worker=self.name)
            except Exception:  # noqa: BLE001 - the worker outlives a failed poll (database away)
                log.exception("the job worker could not poll the jobs table")
            if not ran:
                self._stop.wait(self.poll_seconds)


def _raise_system_exit(_signum: int, _frame: FrameType | None) -> None:
    # SystemExit unwinds the running job, which `run_next` then gives back to the queue.
    raise SystemExit(0)


class WorkerMain(Protocol):
    """The worker process's main: builds its sessions and handlers, then calls `serve_jobs`.

    It is given by the composition root and must be importable by name (the process is
    spawned, not forked).
    """

    def __call__(self, stop: StopSignal, poll_seconds: float, parent: int) -> None: ...


def serve_jobs(
    stop: StopSignal,
    poll_seconds: float,
    parent: int,
    *,
    sessions: sessionmaker[Session],
    handlers: Handlers,
    daily_kinds: Sequence[str] = (),
) -> None:
    """Run jobs in this process until stopped or orphaned (the worker process's loop)."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s jobs %(name)s: %(message)s"
    )
    # Long runs (matching, the daily work) give way to the server's processes answering
    # people: on a machine of few cores a matching run would otherwise take a core from them
    # just when requests arrive (bench/api_load.py).
    os.nice(WORKER_NICENESS)
    # Ctrl-C reaches the whole process group; the server stops its worker in order instead.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _raise_system_exit)

    def watch_parent() -> None:
        while not stop.wait(2.0):
            if os.getppid() != parent:
                # The server died without stopping us: a worker of no server would run on.
                os.kill(os.getpid(), signal.SIGTERM)
                return

    threading.Thread(target=watch_parent, name="reunite-parent-watch", daemon=True).start()
    BackgroundWorker(
        sessions,
        handlers=handlers,
        poll_seconds=poll_seconds,
        stop_signal=stop,
        daily_kinds=daily_kinds,
    ).run()


class WorkerProcess:
    """The job worker in a child process, restarted by a watcher thread if it dies."""

    def __init__(
        self,
        main: WorkerMain,
        *,
        poll_seconds: float = POLL_SECONDS,
        watch_seconds: float = 5.0,
        idle_exit_seconds: float = 5.0,
        on_death: Callable[[int], object] | None = None,
    ) -> None:
        self.main = main
        # Told the process id of a worker process that died, before another starts: the
        # jobs it held go back to the queue at once, not after their heartbeat goes stale.
        self.on_death = on_death
        self.poll_seconds = poll_seconds
        self.watch_seconds = watch_seconds
        self.idle_exit_seconds = idle_exit_seconds
        # Spawned, not forked: the child starts clean, without the server's threads,
        # event loop and pooled database connections.
        self._context = multiprocessing.get_context("spawn")
        self._stop = self._context.Event()
        self._stopping = threading.Event()
        self._process: BaseProcess | None = None
        self._watcher: threading.Thread | None = None
        self.restarts = 0

    @property
    def pid(self) -> int | None:
        """Return the worker process's id while it runs."""
        process = self._process
        return process.pid if process is not None and process.is_alive() else None

    def start(self) -> None:
        """Start the worker process and the thread that restarts it when it dies."""
        self._stopping.clear()
        self._launch()
        self._watcher = threading.Thread(target=self._watch, name="reunite-jobs-watch", daemon=True)
        self._watcher.start()

    def stop(self) -> None:
        """Stop the worker: at once when idle; a running job is given back to the queue."""
        self._stopping.set()
        self._signal_stop()
        if self._watcher is not None:
            self._watcher.join()
            self._watcher = None
        process = self._process
        if process is None:
            return
        process.join(self.idle_exit_seconds)
        if process.is_alive():
            process.terminate()
            process.join(30)
        if process.is_alive():
            log.error("the job worker did not stop; killing it")
            process.kill()
            process.join()
        self._process = None

    def _signal_stop(self) -> None:
        """Tell the worker process to stop, never waiting long on the signal itself.

        The signal is a lock shared with the child: a child killed outright while holding it
        (SIGKILL, the OOM killer) leaves it held for ever, and setting it would then hang the
        server's shutdown. Past a moment the process is ended by `stop` instead.
        """
        setter = threading.Thread(target=self._stop.set, name="reunite-jobs-stop", daemon=True)
        setter.start()
        setter.join(STOP_SIGNAL_SECONDS)

    def _launch(self) -> None:
        # A new signal for each process: one a killed process may have left held is not
        # handed on to the next.
        self._stop = self._context.Event()
        if self._stopping.is_set():
            self._stop.set()
        process = self._context.Process(
            target=self.main,
            args=(self._stop, self.poll_seconds, os.getpid()),
            name="reunite-jobs",
            daemon=True,
        )
        process.start()
        self._process = process

    def _watch(self) -> None:
        while not self._stopping.wait(self.watch_seconds):
            process = self._process
            if process is not None and not process.is_alive():
                self.restarts += 1
                log.error(
                    "the job worker process ended (exit code %s); starting another (restart %d)",
                    process.exitcode,
                    self.restarts,
                )
                if self.on_death is not None and process.pid is not None:
                    try:
                        self.on_death(process.pid)
                    except Exception:  # the next stale check recovers them anyway
                        log.exception("could not queue again the jobs of the worker that died")
                self._launch()
