"""Which matching run a batch queues: its own requests only, or every request."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.exchange.service import import_list
from reunite.jobs.service import queued_jobs
from reunite.records.models import Record
from reunite.review import jobs as review_jobs
from reunite.review.jobs import MATCH_JOB, enqueue_match

from factories import KOVAL, LYSENKO, REQUEST_HEADER, REQUEST_ROWS, make_party, write_csv


def _queued(session: Session) -> list[list[str] | None]:
    return [job.payload.get("request_ids") for job in queued_jobs(session, kind=MATCH_JOB)]


def _ids(session: Session, *external_ids: str) -> list[str]:
    found = session.scalars(select(Record.id).where(Record.external_id.in_(external_ids)))
    return sorted(str(record_id) for record_id in found)


def test_a_list_of_requests_queues_a_run_for_its_changed_requests(
    session: Session, tmp_path: Path
) -> None:
    party = make_party(session)
    first = write_csv(tmp_path, "first.csv", REQUEST_HEADER, REQUEST_ROWS)
    import_list(session, path=first, party=party, kind="requests")
    assert _queued(session) == [_ids(session, "UA-1", "UA-2", "UA-3")]
    for job in queued_jobs(session, kind=MATCH_JOB):
        session.delete(job)
    # A later list corrects one request and repeats another unchanged: only the first runs.
    corrected = [LYSENKO, [*KOVAL[:6], "Бахмут, Донецька обл.", "", ""]]
    later = write_csv(tmp_path, "later.csv", REQUEST_HEADER, corrected)
    report = import_list(session, path=later, party=party, kind="requests")
    assert (report.corrected, report.unchanged) == (1, 1)
    assert _queued(session) == [_ids(session, "UA-2")]


def test_a_list_of_disclosures_queues_a_full_run(session: Session, tmp_path: Path) -> None:
    party = make_party(session, name="Russian Federation", role="custodial")
    path = write_csv(tmp_path, "disclosed.csv", REQUEST_HEADER, REQUEST_ROWS)
    import_list(session, path=path, party=party, kind="disclosures")
    assert _queued(session) == [None]


def test_a_waiting_run_that_would_name_too_many_requests_runs_them_all(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(review_jobs, "MAX_TARGETED", 3)
    first = [uuid.uuid4() for _ in range(2)]
    enqueue_match(session, request_ids=first)
    assert _queued(session) == [sorted(str(i) for i in first)]
    enqueue_match(session, request_ids=[uuid.uuid4(), uuid.uuid4()])
    assert _queued(session) == [None]  # one waiting run, now over every request
