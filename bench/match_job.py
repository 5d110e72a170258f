"""The matching job for one family's request: index built afresh vs the worker's kept index.

Run:  .venv/bin/python bench/match_job.py [--disclosed 200000] [--requests 5000] [--url URL]

Stores N disclosed records and M requests in a fresh database (SQLite in a temporary folder
unless --url names an empty, migrated-on-the-fly database), then times three runs of the
matching job, each for one newly filed request (payload `request_ids`), through the job
queue as the server's worker runs them:

1. *cold*: the worker has no index yet and builds it from every disclosed record (what
   every run did before the index was kept);
2. *kept*: after a small batch (new, corrected and withdrawn records) and another filed
   request, the worker brings its kept index up to date from what changed;
3. *afresh*: the same job again on a worker without an index (the cache dropped): the full
   re-index run for exactly the state of run 2, side by side with it.
Runs 2 and 3 must store the same candidates; the benchmark checks that they do.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from reunite.db.base import utcnow
from reunite.db.bulk import bulk_insert
from reunite.db.engine import make_engine, session_factory, transaction
from reunite.db.migrate import upgrade
from reunite.demo.generator import stream_scenario
from reunite.exchange.models import Batch
from reunite.exchange.validation import FLAG_FIELDS, RECORD_FIELDS
from reunite.jobs.service import get_job, run_next
from reunite.parties.service import add_party
from reunite.records.models import Record
from reunite.review.index_cache import drop_index_caches
from reunite.review.jobs import enqueue_match
from reunite.review.models import MatchCandidate
from reunite.wiring import job_handlers

INSERT_CHUNK = 20_000


def _batch(session: Session, party_id: int, kind: str) -> int:
    batch = Batch(
        party_id=party_id,
        kind=kind,
        sha256=uuid.uuid4().hex * 2,
        filename="bench",
        file_format="csv",
    )
    session.add(batch)
    session.flush()
    return batch.id


def _record(row: dict[str, str], party_id: int, kind: str, batch_id: int) -> dict[str, Any]:
    now = utcnow()
    values = {f: False if f in FLAG_FIELDS else row.get(f, "") for f in RECORD_FIELDS}
    return values | {
        "id": uuid.uuid4(),
        "party_id": party_id,
        "kind": kind,
        "external_id": row["id"],
        "extra": {},
        "version": 1,
        "created_batch_id": batch_id,
        "updated_batch_id": batch_id,
        "created_at": now,
        "updated_at": now,
    }


def _store(
    sessions: sessionmaker[Session], rows: Iterator[dict[str, str]], party_id: int, kind: str
) -> list[uuid.UUID]:
    ids: list[uuid.UUID] = []
    with transaction(sessions) as session:
        batch_id = _batch(session, party_id, kind)
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(_record(row, party_id, kind, batch_id))
            if len(chunk) == INSERT_CHUNK:
                bulk_insert(session, Record.__table__, chunk)  # type: ignore[arg-type]
                ids += [r["id"] for r in chunk]
                chunk = []
        bulk_insert(session, Record.__table__, chunk)  # type: ignore[arg-type]
        ids += [r["id"] for r in chunk]
    return ids


def _file_request(sessions: sessionmaker[Session], row: dict[str, str], party_id: int) -> uuid.UUID:
    [record_id] = _store(sessions, iter([row]), party_id, "requests")
    with transaction(sessions) as session:
        enqueue_match(session, request_ids=[record_id])
    return record_id


def _run_job(sessions: sessionmaker[Session]) -> tuple[float, str]:
    started = time.perf_counter()
    assert run_next(sessions, handlers=job_handlers(), worker="bench")
    seconds = time.perf_counter() - started
    with sessions() as session:
        from reunite.jobs.models import Job

        job_id = session.scalar(select(Job.id).order_by(Job.id.desc()).limit(1))
        assert job_id is not None
        job = get_job(session, job_id=job_id)
        assert job.status == "done", job.message
        return seconds, job.message


def _candidates(sessions: sessionmaker[Session], request_id: uuid.UUID) -> list[tuple[Any, ...]]:
    with sessions() as session:
        return sorted(
            (str(c.disclosed_id), c.status, c.probability, c.engine_decision, c.explanation)
            for c in session.scalars(
                select(MatchCandidate).where(MatchCandidate.request_id == request_id)
            )
        )


def _change_a_few(
    sessions: sessionmaker[Session], disclosed: list[uuid.UUID], new_rows: list[dict[str, str]]
) -> None:
    """A small batch: new records, corrected ones (new version), withdrawn ones."""
    with transaction(sessions) as session:
        party_id = session.scalar(select(Record.party_id).where(Record.id == disclosed[0]))
        assert party_id is not None
        batch_id = _batch(session, party_id, "disclosures")
        bulk_insert(
            session,
            Record.__table__,  # type: ignore[arg-type]
            [_record(row, party_id, "disclosures", batch_id) for row in new_rows],
        )
        values = {"version": Record.version + 1, "updated_batch_id": batch_id}
        session.execute(
            update(Record)
            .where(Record.id.in_(disclosed[:10]))
            .values(values | {"birth_place": "м. Одеса"})
        )
        session.execute(
            update(Record)
            .where(Record.id.in_(disclosed[10:20]))
            .values(values | {"withdrawn": True})
        )


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--disclosed", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--url", default="")
    parser.add_argument("--seed", type=int, default=31)
    args = parser.parse_args()
    stream = stream_scenario(
        seed=args.seed,
        n_children=args.disclosed,
        n_requests=args.requests + 2,
        n_disclosures=args.disclosed + 20,
        today=date(2026, 11, 25),
    )
    with tempfile.TemporaryDirectory(prefix="reunite-bench-") as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        sessions = session_factory(engine)
        with transaction(sessions) as session:
            requesting = add_party(session, name="Ukraine", role="requesting").id
            custodial = add_party(session, name="Russian Federation", role="custodial").id
        started = time.perf_counter()
        disclosures = list(stream.iter_disclosures())
        disclosed = _store(sessions, iter(disclosures[: args.disclosed]), custodial, "disclosures")
        requests = list(stream.iter_requests())
        _store(sessions, iter(requests[: args.requests]), requesting, "requests")
        print(
            f"{engine.dialect.name}: stored {len(disclosed):,} disclosed records and "
            f"{args.requests:,} requests in {time.perf_counter() - started:.0f} s"
        )

        drop_index_caches()
        _file_request(sessions, requests[args.requests], requesting)
        cold, cold_message = _run_job(sessions)
        _change_a_few(sessions, disclosed, disclosures[args.disclosed :])
        second = _file_request(sessions, requests[args.requests + 1], requesting)
        kept, kept_message = _run_job(sessions)
        kept_candidates = _candidates(sessions, second)
        drop_index_caches()
        with transaction(sessions) as session:
            enqueue_match(session, request_ids=[second])
        afresh, afresh_message = _run_job(sessions)
        same = _candidates(sessions, second) == kept_candidates
        engine.dispose()

    print(f"{'run':<58}{'seconds':>9}")
    print(f"{'1. cold worker: index built from every record':<58}{cold:>9.2f}")
    print(f"{'2. kept index brought up to date (20 new, 10 corrected,':<58}{kept:>9.2f}")
    print(f"{'   10 withdrawn records since run 1)':<58}")
    print(f"{'3. the same job on a worker without an index':<58}{afresh:>9.2f}")
    print(f"kept index / index built afresh (run 2 / run 3): {kept / afresh:.3f}")
    print(f"run 2: {kept_message}")
    print(f"run 3: {afresh_message}")
    print(f"runs 2 and 3 stored the same candidates: {'yes' if same else 'NO'}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak memory of this process: {peak:,} MiB")
    del cold_message
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
