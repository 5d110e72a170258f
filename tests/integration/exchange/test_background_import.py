"""A large list is stored by the job worker in short transactions, seen whole or not at all.

Every test sends its lists through the API with the background threshold at 0 (every list
goes to the job worker), then runs the queued job as the worker does (`run_next` with the
application's handlers). While a list is staging, a hook stops the job just before it
publishes, and checks from outside what everybody else sees then.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from reunite.app import create_app
from reunite.auth.service import create_token
from reunite.cases.models import Case
from reunite.db.engine import transaction
from reunite.db.migrate import upgrade
from reunite.errors import NotFound
from reunite.exchange import background, service
from reunite.exchange.models import Batch, BatchRow, StagedChange, staged_records
from reunite.exchange.writers import export_records
from reunite.jobs.models import Job
from reunite.records.models import Record, RecordVersion
from reunite.records.service import count_own_records, count_records, get_record
from reunite.review.index_cache import read_people
from reunite.settings import get_settings
from reunite.wiring import default_engine, default_sessions

from factories import KOVAL, REQUEST_HEADER, SHEVCHUK, csv_bytes, write_csv
from serving import REUNITE, run_queued_jobs
from world import ROLES_OF_WORLD, World, build_world

NEW_ROWS = [
    ["UA-100", "Мельник", "Іван", "Петрович", "M", "2015-02-03", "Маріуполь", "", ""],
    ["UA-101", "Бондар", "Олена", "Іванівна", "F", "2013-09-30", "Херсон", "", ""],
    ["UA-102", "Ткаченко", "Марко", "", "M", "2012", "Бердянськ", "", ""],
]
# The world's own request, its birth place corrected.
CORRECTED = ["UA-1", "Лисенко", "Олександр", "Миколайович", "M", "2014-03-12", "Херсон", "", ""]


@dataclass
class Api:
    """The application, its world, and a token per user of it."""

    client: TestClient
    world: World
    tokens: dict[str, str]

    def call(self, method: str, user: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"}
        return self.client.request(method, "/api/v1" + url, headers=headers, **kwargs)

    def submit(
        self, rows: list[list[str]], *, user: str = "liaison_requesting", name: str = "big.csv"
    ) -> httpx.Response:
        kind = "requests" if user == "liaison_requesting" else "disclosures"
        content = csv_bytes(REQUEST_HEADER, rows).encode()
        return self.call(
            "POST", user, "/lists", files={"file": (name, content, "text/csv")},
            data={"kind": kind},
        )  # fmt: skip

    def status(self, batch_id: int) -> dict[str, Any]:
        answer = self.call("GET", "liaison_requesting", f"/lists/{batch_id}")
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def names_seen(self, user: str = "admin") -> set[str]:
        answer = self.call("GET", user, "/records?limit=200")
        assert answer.status_code == 200, answer.text
        return {item["external_id"] for item in answer.json()["items"]}


@pytest.fixture
def api(configured: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    upgrade(default_engine())
    with transaction(default_sessions()) as session:
        world = build_world(session, tmp_path)
        tokens = {name: create_token(session, username=name)[0] for name in ROLES_OF_WORLD}
    monkeypatch.setenv("REUNITE_BACKGROUND_LIST_KB", "0")
    monkeypatch.setenv("REUNITE_ATTACHMENTS_DIR", str(tmp_path / "store" / "attachments"))
    get_settings.cache_clear()
    yield Api(TestClient(create_app()), world, tokens)
    get_settings.cache_clear()


def _count(*conditions: Any, of: Any = Record) -> int:
    with transaction(default_sessions()) as session:
        return session.scalar(select(func.count()).select_from(of).where(*conditions)) or 0


def _pause_before_publishing(
    monkeypatch: pytest.MonkeyPatch, look: Callable[[], None]
) -> list[bool]:
    """Run `look` when every chunk is written and the list is about to be published."""
    looked: list[bool] = []
    publish = background.apply_staged_changes

    def looking(session: Any, *, batch: Batch) -> None:
        session.commit()  # what was written so far, as the chunks before it
        look()
        looked.append(True)
        publish(session, batch=batch)

    monkeypatch.setattr(background, "apply_staged_changes", looking)
    return looked


def test_a_large_list_is_queued_stored_by_the_worker_and_seen_only_whole(
    api: Api, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    answer = api.submit([*NEW_ROWS, CORRECTED])
    assert answer.status_code == 202, answer.text
    report = answer.json()
    batch_id = report["batch_id"]
    assert report["status"] == "queued" and report["stored"] is False
    status = api.status(batch_id)
    assert status["status"] == "queued" and status["receipt_url"] == ""
    assert status["matching"] is None
    refused = api.call("GET", "liaison_requesting", f"/lists/{batch_id}/receipt")
    assert refused.status_code == 409 and refused.json()["code"] == "list_not_stored"
    cases_before = _count(of=Case)

    def look() -> None:
        # Staging: the new records are written, and nobody sees any of them.
        assert _count(Record.pending_batch_id == batch_id) == 3
        assert api.status(batch_id)["status"] == "staging"
        for user in ("admin", "caseworker", "liaison_requesting"):
            seen = api.names_seen(user)
            assert "UA-1" in seen or user != "liaison_requesting"
            assert not seen & {"UA-100", "UA-101", "UA-102"}
        found = api.call("GET", "admin", "/records", params={"q": "Мельник"}).json()
        assert found["items"] == []
        with transaction(default_sessions()) as session:
            assert count_records(session)["requests"] == 1
            assert count_own_records(session, party_id=api.world.requesting.id) == 1
            with pytest.raises(NotFound):
                get_record(
                    session, party_id=api.world.requesting.id, kind="requests",
                    external_id="UA-100",
                )  # fmt: skip
            assert {p.id for p in read_people(session, "requests")} == {str(api.world.records[0])}
            out = tmp_path / "export.csv"
            export_records(
                session, party_id=api.world.requesting.id, kind="requests", file_format="csv",
                out=out,
            )  # fmt: skip
            exported = out.read_text(encoding="utf-8")
            assert "UA-100" not in exported and "Маріуполь" in exported
            # The correction waits: the record others see is unchanged.
            record = session.get(Record, api.world.records[0])
            assert record is not None and record.birth_place == "Маріуполь"
            assert record.version == 1
        assert _count(StagedChange.batch_id == batch_id, of=StagedChange) == 1
        assert _count(of=Case) == cases_before  # no case for a request nobody sees

    looked = _pause_before_publishing(monkeypatch, look)
    assert background.IMPORT_JOB in run_queued_jobs()
    assert looked == [True]
    status = api.status(batch_id)
    assert status["status"] == "stored", status
    assert (status["rows_added"], status["rows_corrected"], status["rows_read"]) == (3, 1, 4)
    assert status["receipt_url"] == f"/api/v1/lists/{batch_id}/receipt"
    assert status["matching"] in ("queued", "running", "done")
    assert api.call("GET", "liaison_requesting", f"/lists/{batch_id}/receipt").status_code == 200
    assert {"UA-100", "UA-101", "UA-102", "UA-1"} <= api.names_seen()
    assert _count(Record.pending_batch_id.is_not(None)) == 0
    assert _count(of=StagedChange) == 0 and _count(of=staged_records) == 0
    assert _count(of=Case) == cases_before + 3
    with transaction(default_sessions()) as session:
        record = session.get(Record, api.world.records[0])
        assert record is not None and record.birth_place == "Херсон" and record.version == 2
        history = session.scalars(
            select(RecordVersion.batch_id).where(RecordVersion.record_id == record.id)
        ).all()
        assert sorted(history) == [1, batch_id]
    assert not list(get_settings().incoming_path().iterdir())  # the held file is gone


def test_a_list_with_errors_is_refused_whole_and_leaves_nothing(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "CHUNK_ROWS", 2)  # several chunks, each committed
    bad = ["UA-103", "Шевчук", "Дмитро", "", "M", "31.02.2015", "Херсон", "", ""]
    rows = [*NEW_ROWS, CORRECTED, bad]
    batch_id = api.submit(rows).json()["batch_id"]
    run_queued_jobs()
    status = api.status(batch_id)
    assert status["status"] == "refused" and status["rows_added"] == 0
    assert "nothing was stored" in status["problem"]
    assert status["problem_count"] == 1 and "big.csv:6" in status["problem_lines"][0]
    assert status["receipt_url"] == "" and status["matching"] is None
    for table, condition in (
        (Record, Record.created_batch_id == batch_id),
        (BatchRow, BatchRow.batch_id == batch_id),
        (RecordVersion, RecordVersion.batch_id == batch_id),
        (StagedChange, StagedChange.batch_id == batch_id),
        (staged_records, staged_records.c.batch_id == batch_id),
    ):
        assert _count(condition, of=table) == 0, table
    assert not api.names_seen() & {"UA-100", "UA-101", "UA-102"}
    # The same file again is queued anew; the refused attempt stays, with why.
    again = api.submit(rows)
    assert again.status_code == 202 and again.json()["batch_id"] != batch_id
    assert api.status(batch_id)["status"] == "refused"


def test_another_list_of_the_same_party_waits_for_the_one_being_stored(api: Api) -> None:
    first = api.submit(NEW_ROWS).json()["batch_id"]
    second = api.submit([KOVAL, SHEVCHUK], name="other.csv")
    assert second.status_code == 409, second.text
    assert second.json()["code"] == "list_in_progress" and str(first) in second.json()["detail"]
    # The same file again is the same batch; the other party is not held up.
    assert api.submit(NEW_ROWS).json() == {**api.submit(NEW_ROWS).json(), "batch_id": first}
    other = api.submit([["RU-9", "Петров", "Иван", "", "M", "2015", "", "", ""]],
                       user="liaison_custodial")  # fmt: skip
    assert other.status_code == 202
    run_queued_jobs()
    assert api.status(first)["status"] == "stored"
    assert api.submit([KOVAL, SHEVCHUK], name="other.csv").status_code == 202


def test_a_job_stopped_while_staging_starts_over_and_stores_the_list_once(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "CHUNK_ROWS", 1)
    batch_id = api.submit([*NEW_ROWS, CORRECTED]).json()["batch_id"]
    seen_chunks: list[int] = []
    real_progress = background.JobContext.progress

    def stopping(self: Any, done: int, total: int | None = None, message: Any = None) -> None:
        if self.kind == background.IMPORT_JOB:
            seen_chunks.append(done)
        if len(seen_chunks) == 2:
            raise KeyboardInterrupt  # as a process stopped mid-list
        real_progress(self, done, total, message)

    monkeypatch.setattr(background.JobContext, "progress", stopping)
    with pytest.raises(KeyboardInterrupt):
        run_queued_jobs()
    # Two chunks are written and committed, and hidden; the job is queued again.
    assert api.status(batch_id)["status"] == "staging"
    assert _count(staged_records.c.batch_id == batch_id, of=staged_records) >= 2
    assert _count(Record.created_batch_id == batch_id) == 0  # not in records at all yet
    assert not api.names_seen() & {"UA-100", "UA-101", "UA-102"}
    monkeypatch.setattr(background.JobContext, "progress", real_progress)
    assert background.IMPORT_JOB in run_queued_jobs()
    status = api.status(batch_id)
    assert status["status"] == "stored" and status["rows_added"] == 3, status
    assert _count(Record.created_batch_id == batch_id) == 3
    assert _count(BatchRow.batch_id == batch_id, of=BatchRow) == 4


def test_a_record_changed_while_its_correction_waited_refuses_the_list(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch_id = api.submit([*NEW_ROWS, CORRECTED]).json()["batch_id"]

    def meanwhile() -> None:
        with transaction(default_sessions()) as session:
            record = session.get(Record, api.world.records[0])
            assert record is not None
            record.version += 1  # as an edit made another way while the list was read

    _pause_before_publishing(monkeypatch, meanwhile)
    run_queued_jobs()
    status = api.status(batch_id)
    assert status["status"] == "refused"
    assert "row 5" in status["problem"] and "send the list again" in status["problem"]
    assert _count(Record.created_batch_id == batch_id) == 0


def test_the_command_line_queues_a_list_for_the_worker(configured: str, tmp_path: Path) -> None:
    def reunite(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(REUNITE), *args], env=dict(os.environ), capture_output=True, text=True,
            timeout=300,
        )  # fmt: skip

    for args in (("db", "upgrade"), ("party", "add", "Ukraine", "--role", "requesting")):
        assert reunite(*args).returncode == 0
    good = write_csv(tmp_path, "good.csv", REQUEST_HEADER, NEW_ROWS)
    bad = write_csv(
        tmp_path, "bad.csv", REQUEST_HEADER, [["UA-9", "Шевчук", "Дмитро", "", "M", "31.02.2015"]]
    )
    options = ("--party", "Ukraine", "--kind", "requests", "--background")
    queued = reunite("import", str(good), *options)
    assert queued.returncode == 0, queued.stderr
    assert "good.csv: queued as batch 1" in queued.stdout
    busy = reunite("import", str(bad), *options)
    assert busy.returncode != 0 and "list 1 of Ukraine is still being stored" in busy.stderr
    assert "\tqueued" in reunite("batches").stdout
    not_with = reunite("import", str(good), *options, "--rejects", str(tmp_path / "r.csv"))
    assert not_with.returncode == 2 and "--rejects" in not_with.stderr
    ran = reunite("jobs", "run", "--once")
    assert ran.returncode == 0 and "list 1 stored: 3 rows read, 3 added" in ran.stdout, ran.stdout
    assert "rows 3: added 3" in reunite("batches").stdout
    assert reunite("import", str(bad), *options).returncode == 0
    refused = reunite("jobs", "run", "--once")
    assert "list 2 refused: bad.csv: 1 of 1 rows have errors" in refused.stdout, refused.stdout
    assert "batch 2" in reunite("batches").stdout and "\trefused" in reunite("batches").stdout
    assert reunite("audit", "verify").returncode == 0


def test_a_fault_while_storing_refuses_the_list_and_holds_nobody_up(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch_id = api.submit(NEW_ROWS).json()["batch_id"]
    store = background.store_rows

    def failing(*args: Any, **kwargs: Any) -> Any:
        store(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(background, "store_rows", failing)
    run_queued_jobs()
    status = api.status(batch_id)
    assert status["status"] == "refused"
    assert status["problem"].startswith("the list could not be stored (RuntimeError: disk full)")
    assert _count(Record.created_batch_id == batch_id) == 0
    with transaction(default_sessions()) as session:
        job = session.scalar(select(Job).where(Job.kind == background.IMPORT_JOB))
        assert job is not None and job.status == "failed" and "disk full" in job.message
    monkeypatch.setattr(background, "store_rows", store)
    assert api.submit(NEW_ROWS).status_code == 202  # sent again, queued anew
    run_queued_jobs()
    assert {"UA-100", "UA-101", "UA-102"} <= api.names_seen()
