"""The daily work: the adult track and the flags, as a service, a queued job and a command."""

from __future__ import annotations

import os
import subprocess
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from integration.cases.conftest import Ways
from reunite.audit.models import AuditCheckpoint, AuditEntry
from reunite.cases import service as cases
from reunite.cases.jobs import DAILY_JOB
from reunite.cases.models import Case
from reunite.db.engine import session_factory
from reunite.exchange.service import import_list
from reunite.jobs.models import Job
from reunite.jobs.worker import queue_daily, run_pending
from reunite.keys.service import init_mediator_key
from reunite.parties.service import add_party
from reunite.wiring import job_handlers

from factories import REQUEST_HEADER, write_csv
from serving import REUNITE


def _born(years: int, days: int = 0) -> str:
    today = date.today()
    return (today.replace(year=today.year - years) + timedelta(days=days)).isoformat()


def test_the_day_moves_those_who_turned_18_and_flags_those_turning_18_soon(ways: Ways) -> None:
    soon = ways.case_of(ways.add_request("UA-31", "Бондар", "Ірина", "2009-03-01"))
    later = ways.case_of(ways.add_request("UA-32", "Бондар", "Олег", "2009-09-01"))
    partial = ways.case_of(ways.add_request("UA-33", "Бондар", "Ліна", "2009"))
    ended = ways.case_of(ways.add_request("UA-34", "Бондар", "Оля", "2009-01-05"))
    cases.transition(
        ways.session, principal=ways.who("caseworker"), case_id=ended.id, to="declined",
        reason="the family withdrew",
    )  # fmt: skip
    # Opening looked at them already (as of today, 2026-12 or later).
    report = cases.update_tracks(ways.session, today=date(2026, 12, 20))
    ways.session.expire_all()
    assert (soon.track, soon.turning_adult) == ("minor", True)  # 18 on 2027-03-01
    assert (later.track, later.turning_adult) == ("minor", False)
    assert (partial.track, partial.turning_adult) == ("minor", True)  # may turn 18 any day
    assert (report.flagged, report.moved_to_adult) == (0, 0)  # nothing new since the opening
    report = cases.update_tracks(ways.session, today=date(2027, 3, 1))
    ways.session.expire_all()
    assert (soon.track, soon.turning_adult) == ("adult", False)
    assert later.turning_adult is False and ended.track == "minor"  # a finished case stays
    assert report.moved_to_adult == 1
    report = cases.update_tracks(ways.session, today=date(2027, 6, 15))
    ways.session.expire_all()
    assert later.turning_adult is True and report.flagged == 1  # 78 days before 18
    # A second run the same day changes nothing.
    again = cases.update_tracks(ways.session, today=date(2027, 6, 15))
    assert (again.moved_to_adult, again.flagged, again.unflagged) == (0, 0, 0)
    # Those turning 18 are listed first.
    first = cases.list_cases(ways.session, principal=ways.who("caseworker"))[0]
    assert first.turning_adult


def test_the_worker_queues_the_day_once_and_runs_it(engine: Engine, tmp_path: Path) -> None:
    sessions = session_factory(engine)
    with sessions() as session, session.begin():
        party = add_party(session, name="Ukraine", role="requesting")
        path = write_csv(
            tmp_path, "r.csv", REQUEST_HEADER,
            [["UA-1", "Бондар", "Ірина", "", "F", _born(18, 30), "", "", ""]],
        )  # fmt: skip
        import_list(session, path=path, party=party, kind="requests", queue_matching=False)
        for case in session.scalars(select(Case)):
            case.turning_adult = False  # as if opened before she came within 90 days of 18
    assert queue_daily(sessions, kinds=[DAILY_JOB]) == 1
    assert queue_daily(sessions, kinds=[DAILY_JOB]) == 0
    assert run_pending(sessions, handlers=job_handlers()) == 1
    with sessions() as session:
        job = session.scalar(select(Job).where(Job.kind == DAILY_JOB))
        assert job is not None and job.status == "done"
        assert job.message.startswith("looked at 1 open cases: 0 moved to the adult track, 1 ")
        assert job.payload == {"day": date.today().isoformat()}


def test_the_command_does_the_days_work_as_its_own_process(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    with Session(engine) as session, session.begin():
        party = add_party(session, name="Ukraine", role="requesting")
        path = write_csv(
            tmp_path, "r.csv", REQUEST_HEADER,
            [["UA-1", "Бондар", "Ірина", "", "F", _born(18, -1), "", "", ""],
             ["UA-2", "Бондар", "Олег", "", "M", _born(18, 10), "", "", ""]],
        )  # fmt: skip
        import_list(session, path=path, party=party, kind="requests", queue_matching=False)
        # As if stored before: both minors (opening put the first on the adult track at once).
        for case in session.scalars(select(Case)):
            case.track, case.turning_adult = "minor", False
    env = {k: v for k, v in os.environ.items() if not k.startswith("REUNITE_")}
    env["REUNITE_DATABASE_URL"] = database_url
    env["REUNITE_MEDIATOR_KEY_FILE"] = str(tmp_path / "mediator.pem")
    init_mediator_key(tmp_path / "mediator.pem")
    result = subprocess.run(
        [str(REUNITE), "jobs", "run-daily"], env=env, cwd=tmp_path, capture_output=True,
        text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with Session(engine) as session:
        head = session.scalar(select(func.max(AuditEntry.id))) or 0
        entries = session.scalar(select(func.count()).select_from(AuditEntry))
        assert session.scalar(select(AuditCheckpoint.reason)) == "daily"
    assert result.stdout.strip().splitlines() == [
        "looked at 2 open cases: 1 moved to the adult track, 1 newly flagged as turning 18 "
        "within 90 days",
        "erased the personal data of 0 finished case(s) (0 records, 0 messages, "
        "0 attachments) kept beyond the retention period",
        f"signed a checkpoint of the audit log: {entries} entries up to entry {head}",
    ]
