"""Killed outright in the middle of the work, then started again: nothing is half applied.

Each command runs as its own process, as an operator runs it, and is killed with SIGKILL
(no handler runs: the machine lost power, the OOM killer chose it) while it is writing:
an import in the middle of its rows, the server in the middle of storing a list sent
through the API, the job worker in the middle of a matching run. Then the same thing runs
again and completes; the records, cases and candidates are those of one whole run, and the
audit chain is intact.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from reunite.app import create_app
from reunite.db.engine import transaction
from reunite.demo.generator import write_scenario
from reunite.exchange.models import Batch, BatchRow, staged_records
from reunite.jobs.models import Job
from reunite.jobs.service import RESTARTS_KEY
from reunite.parties.service import add_party
from reunite.records.access import published
from reunite.records.models import Record
from reunite.review.models import MatchCandidate
from reunite.settings import get_settings
from reunite.wiring import default_sessions

from serving import REUNITE, free_port, wait_for
from world import PASSWORD

pytestmark = pytest.mark.slow

# Large enough that importing and matching take seconds on any machine, so that the kill
# lands in the middle (each test checks that it did).
REQUESTS, DISCLOSURES = 20_000, 30_000


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lists")
    write_scenario(folder, n_children=25_000, n_requests=REQUESTS, n_disclosures=DISCLOSURES)
    return folder


def _reunite(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(REUNITE), *args], env=dict(os.environ), capture_output=True, text=True, timeout=600
    )


def _started(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(REUNITE), *args], env=dict(os.environ), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _writing(engine: Engine) -> Callable[[], bool]:
    """Return a test of whether another process holds an open write transaction now."""
    if engine.dialect.name == "sqlite":
        path = engine.url.database
        assert path

        def sqlite_locked() -> bool:
            probe = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError as exc:
                return "locked" in str(exc)
            finally:
                probe.close()

        return sqlite_locked

    with engine.connect() as connection:
        schema = connection.scalar(text("SELECT current_schema()"))

    def rows_being_written() -> bool:
        with engine.connect() as connection:
            return bool(
                connection.scalar(
                    text(
                        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                        " JOIN pg_namespace n ON n.oid = c.relnamespace"
                        " WHERE n.nspname = :schema AND c.relname = 'records'"
                        " AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()"
                    ),
                    {"schema": schema},
                )
            )

    return rows_being_written


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _kill_while(process: subprocess.Popen[str], busy: Callable[[], bool]) -> None:
    assert wait_for(lambda: busy() or process.poll() is not None, seconds=120), (
        "never started writing"
    )
    assert process.poll() is None, "finished before it could be killed: make the lists larger"
    time.sleep(0.3)  # well into the rows
    assert busy() and process.poll() is None
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL


@pytest.fixture
def parties(configured: str) -> str:
    for args in (
        ("db", "upgrade"),
        ("party", "add", "Ukraine", "--role", "requesting"),
        ("party", "add", "Russia", "--role", "custodial"),
    ):
        done = _reunite(*args)
        assert done.returncode == 0, done.stderr
    return configured


def test_an_import_killed_midway_stores_nothing_and_a_retry_stores_it_all(
    parties: str, engine: Engine, lists: Path
) -> None:
    importing = _started(
        "import", str(lists / "disclosures.csv"), "--party", "Russia", "--kind", "disclosures"
    )
    _kill_while(importing, _writing(engine))
    # The dead process's transaction is rolled back: PostgreSQL notices the closed
    # connection, SQLite's journal is undone by the next writer.
    assert wait_for(lambda: not _writing(engine)(), seconds=60)
    assert [_count(engine, m) for m in (Batch, BatchRow, Record)] == [0, 0, 0]
    again = _reunite(
        "import", str(lists / "disclosures.csv"), "--party", "Russia", "--kind", "disclosures"
    )
    assert again.returncode == 0, again.stderr
    assert f"added {DISCLOSURES:,}" in again.stdout
    assert [_count(engine, m) for m in (Batch, BatchRow, Record)] == [1, DISCLOSURES, DISCLOSURES]
    verified = _reunite("audit", "verify")
    assert verified.returncode == 0, verified.stderr


def _liaison_token() -> str:
    created = subprocess.run(
        [str(REUNITE), "user", "create", "--username", "ru-system", "--role", "liaison",
         "--party", "Russia", "--password-stdin"],
        env=dict(os.environ), input=PASSWORD + "\n", capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    made = _reunite("token", "create", "--username", "ru-system")
    assert made.returncode == 0, made.stderr
    token = re.search(r"rnt_[\w-]+", made.stdout)
    assert token, made.stdout
    return token.group(0)


def _serve(port: int) -> subprocess.Popen[str]:
    server = _started("serve", "--port", str(port))
    url = f"http://127.0.0.1:{port}/healthz"

    def answers() -> bool:
        try:
            return httpx.get(url, timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    assert wait_for(answers, seconds=60), "the server did not start"
    return server


def test_a_server_killed_while_storing_an_uploaded_list_stores_nothing(
    parties: str, engine: Engine, lists: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stored within the request (the server's own processes inherit this).
    monkeypatch.setenv("REUNITE_BACKGROUND_LIST_KB", str(1 << 20))
    token = _liaison_token()
    port = free_port()
    upload = (lists / "disclosures.csv").read_bytes()

    def send() -> httpx.Response:
        return httpx.post(
            f"http://127.0.0.1:{port}/api/v1/lists",
            headers={"Authorization": f"Bearer {token}"},
            files={"file": ("disclosures.csv", upload, "text/csv")},
            data={"kind": "disclosures"},
            timeout=300,
        )

    answers: list[object] = []
    server = _serve(port)
    try:
        sender = threading.Thread(target=lambda: answers.append(_answer_or_error(send)))
        sender.start()
        _kill_while(server, _writing(engine))
        sender.join(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    # The caller was never told the list was stored: the connection broke.
    assert len(answers) == 1 and isinstance(answers[0], httpx.HTTPError), answers
    assert wait_for(lambda: not _writing(engine)(), seconds=60)
    assert [_count(engine, m) for m in (Batch, BatchRow, Record)] == [0, 0, 0]
    # The server started again takes the same list whole.
    server = _serve(port)
    try:
        again = send()
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert again.status_code == 201, again.text
    assert [_count(engine, m) for m in (Batch, BatchRow, Record)] == [1, DISCLOSURES, DISCLOSURES]


def test_a_list_stored_in_the_background_stalls_nobody_and_survives_its_worker_killed(
    parties: str, engine: Engine, lists: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REUNITE_BACKGROUND_LIST_KB", "0")
    get_settings.cache_clear()
    token = _liaison_token()
    upload = (lists / "disclosures.csv").read_bytes()
    accepted = TestClient(create_app()).post(
        "/api/v1/lists",
        headers={"Authorization": f"Bearer {token}"},
        files={"file": ("disclosures.csv", upload, "text/csv")},
        data={"kind": "disclosures"},
    )
    assert accepted.status_code == 202, accepted.text
    batch_id = accepted.json()["batch_id"]

    def status() -> str:
        with Session(engine) as session:
            batch = session.get(Batch, batch_id)
            assert batch is not None
            return batch.status

    def hidden() -> int:
        # Staged (nobody reads that table), or moved to records but marked with the batch.
        with Session(engine) as session:
            staged = session.scalar(
                select(func.count()).where(staged_records.c.batch_id == batch_id)
            )
            moved = session.scalar(select(func.count()).where(Record.pending_batch_id == batch_id))
            return (staged or 0) + (moved or 0)

    worker = _started("jobs", "run", "--once")
    try:
        assert wait_for(lambda: hidden() > 0 or worker.poll() is not None, seconds=120)
        assert worker.poll() is None and status() == "staging"
        # Others write while the list is being stored: each write is through while the list
        # is still staging (stored in one transaction, they waited for all of it).
        for number in range(5):
            with transaction(default_sessions()) as session:
                add_party(session, name=f"Meanwhile {number}", role="custodial")
            assert status() == "staging"
        written = hidden()
        assert written < DISCLOSURES  # well within the list
        os.kill(worker.pid, signal.SIGKILL)
        worker.communicate(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
    # Killed halfway: what it wrote stays hidden; nobody sees a record of the list.
    assert status() == "staging" and hidden() >= written
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Record).where(published())) == 0
    # A worker started again on this machine takes the job back at once, discards the
    # half-written list and stores it whole.
    resumed = _reunite("jobs", "run", "--once")
    assert resumed.returncode == 0, resumed.stderr
    assert f"list {batch_id} stored" in resumed.stdout, resumed.stdout
    assert status() == "stored" and hidden() == 0
    assert [_count(engine, m) for m in (BatchRow, Record)] == [DISCLOSURES, DISCLOSURES]
    verified = _reunite("audit", "verify")
    assert verified.returncode == 0, verified.stderr


def _answer_or_error(call: Callable[[], httpx.Response]) -> object:
    try:
        return call()
    except httpx.HTTPError as exc:
        return exc


def test_a_worker_killed_midway_through_matching_leaves_no_candidate_and_the_run_resumes(
    parties: str, engine: Engine, lists: Path
) -> None:
    for name, party, kind in (
        ("disclosures.csv", "Russia", "disclosures"),
        ("requests.csv", "Ukraine", "requests"),
    ):
        done = _reunite("import", str(lists / name), "--party", party, "--kind", kind)
        assert done.returncode == 0, done.stderr

    def matching() -> Job | None:
        with Session(engine) as session:
            return session.scalars(select(Job).where(Job.kind == "match")).one_or_none()

    worker = _started("jobs", "run", "--once")

    def running() -> bool:
        job = matching()
        return job is not None and job.status == "running"

    _kill_while(worker, running)
    held = matching()
    assert held is not None and held.status == "running"  # its worker is gone
    assert f":{worker.pid}:" in held.worker
    assert _count(engine, MatchCandidate) == 0  # the run writes in one transaction, at the end
    # A worker started again on this machine sees the holder is gone and takes the run back
    # at once (not after the heartbeat's minute), then completes it.
    resumed = _reunite("jobs", "run", "--once")
    assert resumed.returncode == 0, resumed.stderr
    finished = matching()
    assert finished is not None and finished.status == "done", finished
    assert finished.payload.get(RESTARTS_KEY) == 1
    said = re.search(r"matched all ([\d,]+) requests .*?: ([\d,]+) candidates", resumed.stdout)
    assert said, resumed.stdout
    assert said.group(1) == f"{REQUESTS:,}"
    # What is stored is exactly what the run that completed found: nothing left over.
    stored = _count(engine, MatchCandidate)
    assert f"{stored:,}" == said.group(2) and stored > REQUESTS // 2
