"""Database-backed jobs: queue, claim, progress, finish or fail, and recovery after a crash.

Any server process (or `reunite jobs run`) may run queued jobs; the jobs table is the only
shared state, so several processes behind a load balancer never run one job twice:

- claiming is atomic: on PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED`, on SQLite a single
  `UPDATE ... WHERE status = 'queued'` whose row count tells who won;
- progress is written in its own short transactions, so pages show it while the job runs;
- a job's own writes are one transaction, committed together with its `done` status: a
  failed job leaves nothing half-applied, only its message;
- a running job's worker beats a heartbeat; a job whose heartbeat stopped (the process
  died) is queued again by `requeue_stale`, and failed after `MAX_RESTARTS` such restarts.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, exists, or_, select, text, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from reunite.db.base import utcnow
from reunite.errors import Conflict, InvalidInput, NotFound, ReuniteError
from reunite.jobs.models import Job
from reunite.vocabulary import N_, Message, say

log = logging.getLogger(__name__)

MAX_KIND = 40
MAX_MESSAGE = 2000
# A restarted job that kills its worker again and again (say, out of memory) is given up.
MAX_RESTARTS = 3
HEARTBEAT_SECONDS = 15.0
# The key in a job's payload that counts restarts after a crash (not the handler's input).
RESTARTS_KEY = "_restarts"
_CLAIM_LOCK = 0x4A_4F_42_53  # "JOBS"


@dataclass
class JobContext:
    """What a handler gets: its job's input, a work session, and a way to report progress.

    `session` is the job's one transaction: the runner commits it together with the job's
    `done` status, or rolls it back when the handler raises. Progress goes through `sessions`
    in short transactions of its own. On SQLite only one transaction writes at a time, so a
    handler reports progress before it starts writing (`begin_writes`), never after.
    """

    job_id: int
    kind: str
    payload: dict[str, Any]
    worker: str
    sessions: sessionmaker[Session]
    session: Session

    def progress(
        self, done: int, total: int | None = None, message: Message | str | None = None
    ) -> None:
        """Record how far the job is; visible to others at once."""
        if self.session.in_transaction() and self.session.get_bind().dialect.name == "sqlite":
            # Our own transaction holds SQLite's only write lock: a second writer would wait
            # for it, that is for us. The page shows the last figures until the job ends.
            return
        set_progress(self.sessions, job_id=self.job_id, progress=done, total=total, message=message)

    def begin_writes(self) -> None:
        """Start the job's writing transaction now (on SQLite: take the write lock first)."""
        self.session.connection()


# A job's handler returns the job's closing message. The composition root hands the worker
# its handlers by kind (reunite.wiring.job_handlers): infrastructure knows no domain.
Handler = Callable[[JobContext], Message | str]
Handlers = Mapping[str, Handler]


def worker_name() -> str:
    """Name this process and thread uniquely, for the jobs it claims."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def enqueue(session: Session, *, kind: str, payload: dict[str, Any] | None = None) -> Job:
    """Queue a job; it runs once the caller's transaction commits."""
    if not kind or len(kind) > MAX_KIND:
        raise InvalidInput(f"a job kind is 1 to {MAX_KIND} characters")
    job = Job(kind=kind, status="queued", payload=dict(payload or {}), progress=0, total=0)
    session.add(job)
    session.flush()
    return job


def enqueue_daily(session: Session, *, kind: str, today: date) -> Job | None:
    """Queue today's job of a daily kind unless one for today exists; return it if queued.

    Several workers may ask at once: the job's work must bear being done twice a day.
    """
    day = today.isoformat()
    for job in session.scalars(
        select(Job).where(Job.kind == kind).order_by(Job.id.desc()).limit(5)
    ):
        if job.payload.get("day") == day:
            return None
    return enqueue(session, kind=kind, payload={"day": day})


def get_job(session: Session, *, job_id: int) -> Job:
    """Return a job by id."""
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound("no such job")
    return job


def queued_jobs(session: Session, *, kind: str) -> list[Job]:
    """Return the queued jobs of a kind, oldest first."""
    return list(
        session.scalars(
            select(Job).where(Job.kind == kind, Job.status == "queued").order_by(Job.id)
        )
    )


def latest_job(session: Session, *, kind: str) -> Job | None:
    """Return the newest job of a kind, whatever its state."""
    return session.scalar(select(Job).where(Job.kind == kind).order_by(Job.id.desc()).limit(1))


def _kind_is_free() -> ColumnElement[bool]:
    # Jobs of one kind run one at a time: a matching run must not write its candidates
    # over those of a newer run that finished first.
    running = aliased(Job)
    return ~exists(select(running.id).where(running.kind == Job.kind, running.status == "running"))


def claim_next(session: Session, *, worker: str) -> Job | None:
    """Claim the oldest queued job for this worker, atomically; the caller commits at once.

    A job waits while another job of its kind is running.
    """
    now = utcnow()
    claimed = {"status": "running", "worker": worker[:100], "started_at": now, "heartbeat_at": now}
    if session.get_bind().dialect.name == "postgresql":
        # Claims are tiny; taking them one at a time lets each see the others' running jobs.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CLAIM_LOCK})
        job = session.scalar(
            select(Job)
            .where(Job.status == "queued", _kind_is_free())
            .order_by(Job.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if job is None:
            return None
        for name, value in claimed.items():
            setattr(job, name, value)
        session.flush()
        return job
    # SQLite has no row locks: one UPDATE both picks and takes the job. Its first statement
    # being a write, the transaction holds SQLite's write lock before it reads anything.
    oldest = (
        select(Job.id)
        .where(Job.status == "queued", _kind_is_free())
        .order_by(Job.id)
        .limit(1)
        .scalar_subquery()
    )
    result = session.execute(
        update(Job)
        .where(Job.id == oldest, Job.status == "queued")
        .values(claimed)
        .returning(Job.id),
        execution_options={"synchronize_session": False},
    )
    job_id = result.scalar()
    if job_id is None:
        return None
    job = session.get(Job, job_id, populate_existing=True)
    assert job is not None
    return job


def set_progress(
    sessions: sessionmaker[Session],
    *,
    job_id: int,
    progress: int,
    total: int | None = None,
    message: Message | str | None = None,
) -> None:
    """Write a running job's progress (and heartbeat) in a short transaction of its own."""
    values: dict[str, Any] = {"progress": max(progress, 0), "heartbeat_at": utcnow()}
    if total is not None:
        values["total"] = max(total, 0)
    if message is not None:
        values.update(_message_values(message))
    with sessions() as session, session.begin():
        session.execute(
            update(Job).where(Job.id == job_id, Job.status == "running").values(values),
            execution_options={"synchronize_session": False},
        )


def beat(sessions: sessionmaker[Session], *, job_id: int, worker: str) -> bool:
    """Tell that the worker running a job is alive; return whether it still holds the job."""
    with sessions() as session, session.begin():
        result = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "running", Job.worker == worker[:100])
            .values(heartbeat_at=utcnow()),
            execution_options={"synchronize_session": False},
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _message_values(message: Message | str) -> dict[str, Any]:
    said = message if isinstance(message, Message) else Message(message)
    return {"message": str(said)[:MAX_MESSAGE], "message_data": said.to_data()}


def _set_message(job: Job, message: Message) -> None:
    for name, value in _message_values(message).items():
        setattr(job, name, value)


def finish(session: Session, *, job_id: int, worker: str, message: Message | str = "") -> Job:
    """Mark a job done, in the transaction that holds its writes; refuse if it was taken away."""
    _close(session, job_id=job_id, worker=worker, status="done", message=message)
    job = get_job(session, job_id=job_id)
    session.refresh(job)
    return job


def fail(
    session: Session, *, job_id: int, message: Message | str, worker: str | None = None
) -> Job:
    """Mark a job failed with a message saying why; nothing it wrote was kept."""
    _close(session, job_id=job_id, worker=worker, status="failed", message=message)
    job = get_job(session, job_id=job_id)
    session.refresh(job)
    return job


def _close(
    session: Session, *, job_id: int, worker: str | None, status: str, message: Message | str
) -> None:
    now = utcnow()
    values: dict[str, Any] = {
        "status": status,
        **_message_values(message),
        "finished_at": now,
        "heartbeat_at": now,
    }
    condition = [Job.id == job_id, Job.status == "running"]
    if worker is not None:
        condition.append(Job.worker == worker[:100])
    if status == "done":
        values["progress"] = Job.total
    result = session.execute(
        update(Job).where(*condition).values(values),
        execution_options={"synchronize_session": False},
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        # Requeued after a stalled heartbeat, or finished elsewhere: this run's work must
        # not be kept beside the other run's.
        raise Conflict(f"job {job_id} is no longer held by this worker")


def requeue_stale(session: Session, *, older_than: timedelta) -> list[int]:
    """Queue again the running jobs whose heartbeat stopped; return their ids.

    A job restarted `MAX_RESTARTS` times already is failed instead, with a message.
    """
    cutoff: datetime = utcnow() - older_than
    stale = list(
        session.scalars(
            select(Job)
            .where(
                Job.status == "running",
                or_(
                    Job.heartbeat_at < cutoff,
                    Job.heartbeat_at.is_(None) & (Job.started_at < cutoff),
                ),
            )
            .order_by(Job.id)
            .with_for_update(skip_locked=True)
        )
    )
    return _requeue(session, stale, ended=False)


def requeue_of_process(session: Session, *, host: str, pid: int) -> list[int]:
    """Queue again, at once, the running jobs of a worker process seen to have died."""
    prefix = f"{host[:40]}:{pid}:"
    held = list(
        session.scalars(
            select(Job)
            .where(Job.status == "running", Job.worker.startswith(prefix, autoescape=True))
            .order_by(Job.id)
            .with_for_update(skip_locked=True)
        )
    )
    return _requeue(session, held, ended=True)


def _process_is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, under another user
        return False
    return False


def requeue_of_dead_processes(session: Session) -> list[int]:
    """Queue again, at once, the running jobs of this machine's worker processes now gone.

    A worker killed outright (SIGKILL, the machine's OOM killer) stops beating; rather than
    wait for its heartbeat to go stale, a worker starting on the same machine sees the
    process is gone and takes the job back. Workers are named "host:pid:…" (worker_name);
    machines sharing one hostname must not share a database's job queue.
    """
    prefix = f"{socket.gethostname()[:40]}:"
    running = session.scalars(
        select(Job)
        .where(Job.status == "running", Job.worker.startswith(prefix, autoescape=True))
        .order_by(Job.id)
        .with_for_update(skip_locked=True)
    )
    gone: list[Job] = []
    for job in running:
        pid = job.worker[len(prefix) :].split(":", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and _process_is_gone(int(pid)):
            gone.append(job)
    return _requeue(session, gone, ended=True)


def _requeue(session: Session, jobs: list[Job], *, ended: bool) -> list[int]:
    """Queue jobs again after their worker died (or fail them after too many restarts)."""
    requeued: list[int] = []
    for job in jobs:
        restarts = int(job.payload.get(RESTARTS_KEY, 0)) + 1
        last_seen = job.heartbeat_at or job.started_at
        seen: object = (
            f"{last_seen:%Y-%m-%d %H:%M:%S} UTC" if last_seen is not None else say(N_("never"))
        )
        if restarts > MAX_RESTARTS:
            job.status = "failed"
            job.finished_at = utcnow()
            _set_message(
                job,
                say(
                    N_(
                        "the worker running this job stopped responding {count} times "
                        "(last: {worker}, last heartbeat {seen}); not tried again"
                    ),
                    count=restarts,
                    worker=job.worker,
                    seen=seen,
                ),
            )
            continue
        job.payload = {**job.payload, RESTARTS_KEY: restarts}
        if ended:
            said = say(
                N_("queued again: worker {worker} ended while running it"), worker=job.worker
            )
        else:
            said = say(
                N_("queued again: worker {worker} stopped responding (last heartbeat {seen})"),
                worker=job.worker,
                seen=seen,
            )
        _set_message(job, said)
        job.status = "queued"
        job.worker = ""
        job.progress = 0
        job.started_at = None
        job.heartbeat_at = None
        requeued.append(job.id)
    session.flush()
    return requeued


class _Heartbeat(threading.Thread):
    """Beat a running job's heartbeat every few seconds until stopped."""

    def __init__(
        self, sessions: sessionmaker[Session], *, job_id: int, worker: str, every: float
    ) -> None:
        super().__init__(name=f"reunite-heartbeat-{job_id}", daemon=True)
        self.sessions = sessions
        self.job_id = job_id
        self.worker = worker
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                beat(self.sessions, job_id=self.job_id, worker=self.worker)
            except Exception:  # noqa: BLE001 - a missed beat is retried; the job goes on
                # On SQLite the job's own writing transaction holds the lock for a while.
                log.debug("heartbeat of job %s missed", self.job_id, exc_info=True)

    def stop(self) -> None:
        self.stopped.set()
        self.join()


def _give_back(sessions: sessionmaker[Session], *, job_id: int, worker: str) -> None:
    with sessions() as session, session.begin():
        session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "running", Job.worker == worker[:100])
            .values(
                status="queued",
                worker="",
                progress=0,
                started_at=None,
                heartbeat_at=None,
                **_message_values(say(N_("queued again: its worker was stopped"))),
            ),
            execution_options={"synchronize_session": False},
        )


def jobs_run_by(session: Session, *, worker: str) -> list[Job]:
    """Return the jobs a worker ran or is running, oldest first."""
    return list(session.scalars(select(Job).where(Job.worker == worker[:100]).order_by(Job.id)))


def error_summary(exc: BaseException) -> str:
    """Name an unexpected error in one line: its type and the first line of what it says."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return type(exc).__name__ + (f": {text}" if text else "")


def _describe(exc: BaseException) -> Message:
    if isinstance(exc, ReuniteError):
        return exc.message
    return say(N_("unexpected error: {error}"), error=error_summary(exc))


def run_next(
    sessions: sessionmaker[Session],
    *,
    handlers: Handlers,
    worker: str,
    heartbeat_seconds: float = HEARTBEAT_SECONDS,
) -> bool:
    """Claim and run one queued job with its kind's handler; return whether there was one."""
    with sessions() as session, session.begin():
        job = claim_next(session, worker=worker)
        if job is None:
            return False
        job_id, kind, payload = job.id, job.kind, dict(job.payload)
    handler = handlers.get(kind)
    if handler is None:
        with sessions() as session, session.begin():
            fail(
                session,
                job_id=job_id,
                worker=worker,
                message=say(N_("no handler for jobs of {kind}"), kind=repr(kind)),
            )
        return True
    heartbeat = _Heartbeat(sessions, job_id=job_id, worker=worker, every=heartbeat_seconds)
    heartbeat.start()
    try:
        with sessions() as work:
            try:
                context = JobContext(
                    job_id=job_id,
                    kind=kind,
                    payload=payload,
                    worker=worker,
                    sessions=sessions,
                    session=work,
                )
                message = handler(context)
                finish(work, job_id=job_id, worker=worker, message=message)
                work.commit()
            except BaseException:
                work.rollback()
                raise
    except (KeyboardInterrupt, SystemExit):
        # Stopped by a person or the process manager, not by the job: it runs again later.
        _give_back(sessions, job_id=job_id, worker=worker)
        raise
    except Exception as exc:  # noqa: BLE001 - any failure becomes the job's message
        log.exception("job %s (%s) failed", job_id, kind)
        try:
            with sessions() as session, session.begin():
                fail(session, job_id=job_id, worker=worker, message=_describe(exc))
        except Conflict:
            log.warning("job %s failed after it was taken away from this worker", job_id)
    finally:
        heartbeat.stop()
    return True
