"""Running queued jobs: a background thread in the server, or `reunite jobs run`."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from reunite.jobs.service import requeue_stale, run_next, worker_name

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
# A running job beats its heartbeat every few seconds; one silent this long lost its worker.
STALE_AFTER = timedelta(minutes=5)
STALE_CHECK_SECONDS = 60.0


def recover_stale(sessions: sessionmaker[Session], *, older_than: timedelta = STALE_AFTER) -> int:
    """Queue again the jobs whose worker died; return how many."""
    with sessions() as session, session.begin():
        requeued = requeue_stale(session, older_than=older_than)
    for job_id in requeued:
        log.warning("job %s queued again: its worker stopped responding", job_id)
    return len(requeued)


def run_pending(
    sessions: sessionmaker[Session],
    *,
    worker: str | None = None,
    once: bool = False,
    should_stop: Callable[[], bool] = lambda: False,
) -> int:
    """Run queued jobs one after another until none is left (or just one); return how many."""
    name = worker or worker_name()
    recover_stale(sessions)
    ran = 0
    while not should_stop() and run_next(sessions, worker=name):
        ran += 1
        if once:
            break
    return ran


class BackgroundWorker:
    """A daemon thread that polls the jobs table and runs one job at a time."""

    def __init__(
        self,
        sessions: sessionmaker[Session] | None = None,
        *,
        poll_seconds: float = POLL_SECONDS,
        stale_after: timedelta = STALE_AFTER,
        join_seconds: float = 30.0,
    ) -> None:
        self._sessions = sessions
        self.poll_seconds = poll_seconds
        self.stale_after = stale_after
        self.join_seconds = join_seconds
        self.name = worker_name()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start polling in the background."""
        if self._thread is not None and self._thread.is_alive():
            return
        if self._sessions is None:
            from reunite.db.session import default_sessions

            self._sessions = default_sessions()
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="reunite-jobs", daemon=True)
        self._thread.start()

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
        assert sessions is not None
        next_check = 0.0
        while not self._stop.is_set():
            ran = False
            try:
                if time.monotonic() >= next_check:
                    recover_stale(sessions, older_than=self.stale_after)
                    next_check = time.monotonic() + STALE_CHECK_SECONDS
                ran = run_next(sessions, worker=self.name)
            except Exception:  # noqa: BLE001 - the worker outlives a failed poll (database away)
                log.exception("the job worker could not poll the jobs table")
            if not ran:
                self._stop.wait(self.poll_seconds)
