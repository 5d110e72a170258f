"""Database-backed jobs: atomic claims, progress, failure, crash recovery, the worker, the CLI."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from reunite.cli import app
from reunite.db.base import utcnow
from reunite.db.engine import session_factory
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.jobs.models import Job
from reunite.jobs.service import (
    MAX_RESTARTS,
    Handler,
    JobContext,
    claim_next,
    enqueue,
    fail,
    finish,
    get_job,
    requeue_stale,
    run_next,
)
from reunite.jobs.worker import BackgroundWorker
from reunite.parties.models import Party
from reunite.parties.service import add_party

from factories import REQUEST_HEADER, REQUEST_ROWS, write_csv

runner = CliRunner()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory on a fresh database whose transactions really commit."""
    return session_factory(engine)


def _queue(
    sessions: sessionmaker[Session], kind: str, payload: dict[str, object] | None = None
) -> int:
    with sessions() as session, session.begin():
        return enqueue(session, kind=kind, payload=payload).id


def _job(sessions: sessionmaker[Session], job_id: int) -> Job:
    with sessions() as session:
        return get_job(session, job_id=job_id)


def _parties(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(Party.name).order_by(Party.name)))


# Handlers used by these tests, handed to the worker like the real ones.


def _write_party(context: JobContext) -> str:
    """Write a party named in the payload, reporting progress first."""
    context.progress(1, total=2, message="halfway")
    # Progress is visible to everyone else while the job is still running.
    with context.sessions() as other:
        seen = other.get(Job, context.job_id, populate_existing=True)
        assert seen is not None and (seen.progress, seen.total, seen.message) == (1, 2, "halfway")
    context.begin_writes()
    add_party(context.session, name=str(context.payload["name"]), role="requesting")
    return f"wrote {context.payload['name']}"


def _write_then_fail(context: JobContext) -> str:
    """Write a party, then fail the way the payload says."""
    context.begin_writes()
    add_party(context.session, name="Half Written", role="requesting")
    context.session.flush()
    if context.payload.get("how") == "invalid":
        raise InvalidInput("the payload names a list that does not exist")
    raise RuntimeError("disk on fire\nsecond line of detail")


def _slow(context: JobContext) -> str:
    """Take a while without reporting progress (the heartbeat must keep the job alive)."""
    time.sleep(float(context.payload.get("seconds", 0.4)))
    return "slept"


def _interrupted(context: JobContext) -> str:  # noqa: ARG001 - the handler's signature
    """Be stopped by a person pressing Ctrl-C."""
    raise KeyboardInterrupt


HANDLERS: dict[str, Handler] = {
    "test.write": _write_party,
    "test.fail": _write_then_fail,
    "test.slow": _slow,
    "test.interrupted": _interrupted,
}


def test_enqueue_and_get_job(sessions: sessionmaker[Session]) -> None:
    job_id = _queue(sessions, "test.write", {"name": "A"})
    job = _job(sessions, job_id)
    assert (job.kind, job.status, job.payload, job.progress, job.total) == (
        "test.write",
        "queued",
        {"name": "A"},
        0,
        0,
    )
    with sessions() as session:
        with pytest.raises(NotFound):
            get_job(session, job_id=job_id + 100)
        with pytest.raises(InvalidInput):
            enqueue(session, kind="", payload={})


def test_claim_takes_the_oldest_queued_job_once(sessions: sessionmaker[Session]) -> None:
    first = _queue(sessions, "test.a")
    second = _queue(sessions, "test.b")
    with sessions() as session, session.begin():
        job = claim_next(session, worker="w1")
        assert job is not None and job.id == first
        assert (job.status, job.worker) == ("running", "w1")
        assert job.started_at is not None and job.heartbeat_at is not None
    with sessions() as session, session.begin():
        job = claim_next(session, worker="w2")
        assert job is not None and job.id == second
    with sessions() as session, session.begin():
        assert claim_next(session, worker="w3") is None
    assert _job(sessions, first).worker == "w1"


def test_concurrent_claims_never_take_one_job_twice(sessions: sessionmaker[Session]) -> None:
    job_ids = {_queue(sessions, f"test.kind{i}") for i in range(8)}
    claims: list[tuple[str, int]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def claimer(name: str) -> None:
        try:
            start.wait()
            while True:
                with sessions() as session, session.begin():
                    job = claim_next(session, worker=name)
                    if job is None:
                        return
                    claims.append((name, job.id))
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=claimer, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    claimed = [job_id for _name, job_id in claims]
    assert sorted(claimed) == sorted(job_ids)  # every job once, none twice
    with sessions() as session:
        for name, job_id in claims:
            assert session.get(Job, job_id).worker == name  # type: ignore[union-attr]


def test_postgres_claim_skips_a_job_another_worker_is_claiming(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises whole write transactions")
    first = _queue(sessions, "test.a")
    second = _queue(sessions, "test.b")
    holder = sessions()
    try:
        holder.begin()
        held = claim_next(holder, worker="w1")
        assert held is not None and held.id == first
        # The claim is not committed: a second worker waits its turn, then takes the next job.
        result: list[int | None] = []

        def other() -> None:
            with sessions() as session, session.begin():
                job = claim_next(session, worker="w2")
                result.append(job.id if job is not None else None)

        thread = threading.Thread(target=other)
        thread.start()
        time.sleep(0.2)
        holder.commit()
        thread.join(10)
        assert result == [second]
    finally:
        holder.close()


def test_one_job_of_a_kind_runs_at_a_time(sessions: sessionmaker[Session]) -> None:
    first = _queue(sessions, "test.same")
    second = _queue(sessions, "test.same")
    other = _queue(sessions, "test.other")
    with sessions() as session, session.begin():
        assert claim_next(session, worker="w1").id == first  # type: ignore[union-attr]
    with sessions() as session, session.begin():
        # The second "test.same" waits while the first runs; another kind does not.
        assert claim_next(session, worker="w2").id == other  # type: ignore[union-attr]
    with sessions() as session, session.begin():
        assert claim_next(session, worker="w2") is None
    with sessions() as session, session.begin():
        finish(session, job_id=first, worker="w1", message="ok")
    with sessions() as session, session.begin():
        assert claim_next(session, worker="w2").id == second  # type: ignore[union-attr]


def test_run_next_commits_the_work_with_progress_visible_meanwhile(
    sessions: sessionmaker[Session],
) -> None:
    job_id = _queue(sessions, "test.write", {"name": "Written By A Job"})
    assert run_next(sessions, handlers=HANDLERS, worker="w1") is True
    job = _job(sessions, job_id)
    assert (job.status, job.message, job.progress, job.total) == (
        "done",
        "wrote Written By A Job",
        2,
        2,
    )
    assert job.finished_at is not None and job.worker == "w1"
    assert _parties(sessions) == ["Written By A Job"]
    assert run_next(sessions, handlers=HANDLERS, worker="w1") is False  # nothing left


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("invalid", "the payload names a list that does not exist"),
        ("crash", "unexpected error: RuntimeError: disk on fire"),
    ],
)
def test_a_failed_job_keeps_a_clear_message_and_none_of_its_writes(
    sessions: sessionmaker[Session], how: str, message: str
) -> None:
    job_id = _queue(sessions, "test.fail", {"how": how})
    assert run_next(sessions, handlers=HANDLERS, worker="w1") is True
    job = _job(sessions, job_id)
    assert (job.status, job.message) == ("failed", message)
    assert job.finished_at is not None
    assert _parties(sessions) == []  # the half-written party was rolled back


def test_a_job_of_unknown_kind_fails_with_a_message(sessions: sessionmaker[Session]) -> None:
    job_id = _queue(sessions, "test.nobody-handles-this")
    assert run_next(sessions, handlers=HANDLERS, worker="w1") is True
    job = _job(sessions, job_id)
    assert (job.status, job.message) == (
        "failed",
        "no handler for jobs of 'test.nobody-handles-this'",
    )


def test_heartbeat_beats_while_a_job_works(sessions: sessionmaker[Session]) -> None:
    job_id = _queue(sessions, "test.slow", {"seconds": 0.6})
    beats: list[object] = []
    thread = threading.Thread(
        target=run_next,
        args=(sessions,),
        kwargs={"handlers": HANDLERS, "worker": "w1", "heartbeat_seconds": 0.05},
    )
    thread.start()
    deadline = time.monotonic() + 5
    while thread.is_alive() and time.monotonic() < deadline:
        job = _job(sessions, job_id)
        if job.status == "running":
            beats.append(job.heartbeat_at)
        time.sleep(0.1)
    thread.join(10)
    assert _job(sessions, job_id).status == "done"
    assert len(set(beats)) >= 2  # the heartbeat moved on while the handler slept


def test_requeue_stale_recovers_jobs_whose_worker_died(sessions: sessionmaker[Session]) -> None:
    stale = _queue(sessions, "test.a")
    alive = _queue(sessions, "test.b")
    for worker in ("dead-worker", "live-worker"):
        with sessions() as session, session.begin():
            claim_next(session, worker=worker)
    with sessions() as session, session.begin():
        session.execute(
            update(Job).where(Job.id == stale).values(heartbeat_at=utcnow() - timedelta(minutes=30))
        )
    with sessions() as session, session.begin():
        assert requeue_stale(session, older_than=timedelta(minutes=5)) == [stale]
    job = _job(sessions, stale)
    assert (job.status, job.worker, job.started_at) == ("queued", "", None)
    assert "worker dead-worker stopped responding" in job.message
    assert _job(sessions, alive).status == "running"
    # The dead worker, should it wake up, may not finish a job another worker now holds.
    with sessions() as session, session.begin():
        assert claim_next(session, worker="new-worker").id == stale  # type: ignore[union-attr]
    with sessions() as session, session.begin(), pytest.raises(Conflict):
        finish(session, job_id=stale, worker="dead-worker", message="late")
    assert _job(sessions, stale).status == "running"


def test_a_job_that_keeps_killing_its_worker_is_given_up(
    sessions: sessionmaker[Session],
) -> None:
    job_id = _queue(sessions, "test.a")
    for attempt in range(MAX_RESTARTS + 1):
        with sessions() as session, session.begin():
            assert claim_next(session, worker=f"w{attempt}") is not None
            session.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(heartbeat_at=utcnow() - timedelta(hours=1))
            )
        with sessions() as session, session.begin():
            requeue_stale(session, older_than=timedelta(minutes=5))
    job = _job(sessions, job_id)
    assert job.status == "failed"
    assert f"stopped responding {MAX_RESTARTS + 1} times" in job.message


def test_fail_records_the_message(sessions: sessionmaker[Session]) -> None:
    job_id = _queue(sessions, "test.a")
    with sessions() as session, session.begin():
        claim_next(session, worker="w1")
    with sessions() as session, session.begin():
        job = fail(session, job_id=job_id, worker="w1", message="the list file vanished")
        assert (job.status, job.message) == ("failed", "the list file vanished")


def test_an_interrupted_job_is_queued_again(sessions: sessionmaker[Session]) -> None:
    job_id = _queue(sessions, "test.interrupted")
    with pytest.raises(KeyboardInterrupt):
        run_next(sessions, handlers=HANDLERS, worker="w1")
    job = _job(sessions, job_id)
    assert (job.status, job.worker) == ("queued", "")


@pytest.fixture
def worker(sessions: sessionmaker[Session]) -> Iterator[BackgroundWorker]:
    """Yield a started background worker polling quickly; stop it afterwards."""
    background = BackgroundWorker(sessions, handlers=HANDLERS, poll_seconds=0.05)
    background.start()
    yield background
    background.stop()


def test_background_worker_runs_queued_jobs_and_stops(
    sessions: sessionmaker[Session], worker: BackgroundWorker
) -> None:
    assert worker.running
    job_id = _queue(sessions, "test.write", {"name": "From The Background"})
    deadline = time.monotonic() + 20
    while _job(sessions, job_id).status in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _job(sessions, job_id).status == "done"
    assert _parties(sessions) == ["From The Background"]
    worker.stop()
    assert not worker.running


def test_cli_jobs_run_once(configured: str, tmp_path: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    idle = runner.invoke(app, ["jobs", "run", "--once"])
    assert idle.exit_code == 0 and "no job was waiting" in idle.output
    assert runner.invoke(app, ["party", "add", "Ukraine", "--role", "requesting"]).exit_code == 0
    path = write_csv(tmp_path, "r.csv", REQUEST_HEADER, REQUEST_ROWS)
    args = ["import", str(path), "--party", "Ukraine", "--kind", "requests"]
    assert runner.invoke(app, args).exit_code == 0  # queues a matching run
    result = runner.invoke(app, ["jobs", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert "job 1 (match): done: matched the named 3 requests against 0 disclosed records" in (
        result.output
    )
    again = runner.invoke(app, ["jobs", "run", "--once"])
    assert again.exit_code == 0 and "no job was waiting" in again.output


def test_cli_jobs_run_reports_a_failed_job(
    configured: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reunite.wiring.job_handlers", lambda: HANDLERS)
    with session_factory(engine)() as session, session.begin():
        enqueue(session, kind="test.fail", payload={"how": "invalid"})
    result = runner.invoke(app, ["jobs", "run", "--once"])
    assert result.exit_code == 1
    assert "job 1 (test.fail): failed: the payload names a list that does not exist" in (
        result.output
    )
    assert "1 of 1 jobs failed" in result.output
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Party)) == 0
