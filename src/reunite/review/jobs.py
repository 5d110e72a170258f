"""The matching job: run the engine over the stored records and keep its candidates.

A run reads the current records in one snapshot, matches in memory (reporting progress),
then writes every candidate in one transaction that also marks the job done:

- a pair seen for the first time is `proposed`;
- a `proposed` (or earlier `withdrawn`) pair the run produces again is refreshed;
- a pair people decided (`confirmed`, `rejected`) keeps its status and the evidence it was
  decided on: a rejected pair never comes back to the queue;
- a `proposed` pair the run no longer produces is `withdrawn`.

People's decisions train the model (`Matcher.learn`) before the requests are scored.
A run may name `request_ids` (one family's new request): those requests alone are scored,
against the whole index, and only their candidates change.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reunite.db.base import utcnow
from reunite.db.bulk import bulk_insert
from reunite.db.engine import read_only_snapshot
from reunite.errors import InvalidInput
from reunite.jobs.models import Job
from reunite.jobs.service import JobContext, enqueue, queued_jobs
from reunite.matching import Candidate, Matcher, MatchResult, Person
from reunite.review.index_cache import Changes, IndexCache, index_cache_for, read_people
from reunite.review.models import MatchCandidate
from reunite.vocabulary import N_, Message, say

log = logging.getLogger(__name__)

MATCH_JOB = "match"
DECIDED = ("confirmed", "rejected")
# Requests a targeted run estimates its model on: enough for stable parameters, few enough
# that one family's request is not a full run in disguise.
MODEL_SAMPLE = 5000
ID_CHUNK = 500
MAX_TARGETED = 10_000


def enqueue_match(session: Session, *, request_ids: Iterable[uuid.UUID] | None = None) -> Job:
    """Queue a matching run (every request, or only these); join a run already waiting."""
    wanted = sorted({str(i) for i in request_ids}) if request_ids is not None else None
    for job in queued_jobs(session, kind=MATCH_JOB):
        named = job.payload.get("request_ids")
        if named is None:
            # A full run is waiting: it covers these requests too.
            return job
        payload = {k: v for k, v in job.payload.items() if k != "request_ids"}
        if wanted is not None and len(set(named) | set(wanted)) <= MAX_TARGETED:
            payload["request_ids"] = sorted(set(named) | set(wanted))
        # Otherwise the waiting run becomes a full one: it covers these requests too.
        result = session.execute(
            update(Job).where(Job.id == job.id, Job.status == "queued").values(payload=payload),
            execution_options={"synchronize_session": False},
        )
        if result.rowcount:  # type: ignore[attr-defined]
            session.refresh(job)
            return job
        # A worker took it meanwhile: this change needs a run of its own.
    return enqueue(
        session, kind=MATCH_JOB, payload={} if wanted is None else {"request_ids": wanted}
    )


def _target_ids(payload: dict[str, Any]) -> list[uuid.UUID] | None:
    named = payload.get("request_ids")
    if named is None:
        return None
    if not isinstance(named, list) or len(named) > MAX_TARGETED:
        raise InvalidInput(f"request_ids must be a list of at most {MAX_TARGETED:,} record ids")
    try:
        return sorted({uuid.UUID(str(value)) for value in named})
    except ValueError:
        raise InvalidInput("request_ids holds something that is not a record id") from None


def _chunks(values: Sequence[uuid.UUID]) -> Iterator[Sequence[uuid.UUID]]:
    for start in range(0, len(values), ID_CHUNK):
        yield values[start : start + ID_CHUNK]


def _existing(
    session: Session, targets: list[uuid.UUID] | None
) -> dict[tuple[uuid.UUID, uuid.UUID], tuple[int, str]]:
    """Return the stored candidates a run may touch: (request, record) -> (id, status)."""
    columns = (
        MatchCandidate.id,
        MatchCandidate.request_id,
        MatchCandidate.disclosed_id,
        MatchCandidate.status,
    )
    statements = (
        [select(*columns)]
        if targets is None
        else [select(*columns).where(MatchCandidate.request_id.in_(c)) for c in _chunks(targets)]
    )
    found: dict[tuple[uuid.UUID, uuid.UUID], tuple[int, str]] = {}
    for statement in statements:
        for row in session.execute(statement):
            found[(row.request_id, row.disclosed_id)] = (row.id, row.status)
    return found


def _decisions(session: Session) -> list[tuple[str, str, bool]]:
    """Return people's decisions as the engine learns from them: (request, record, confirmed)."""
    statement = select(
        MatchCandidate.request_id, MatchCandidate.disclosed_id, MatchCandidate.status
    ).where(MatchCandidate.status.in_(DECIDED))
    return [
        (str(row.request_id), str(row.disclosed_id), row.status == "confirmed")
        for row in session.execute(statement)
    ]


def _model_sample(requests: list[Person], keep: set[str], size: int = MODEL_SAMPLE) -> list[Person]:
    """Pick the requests a targeted run trains on: the decided ones and a random sample."""
    kept = [p for p in requests if p.id in keep]
    others = [p for p in requests if p.id not in keep]
    if len(others) > size:
        others = random.Random(len(requests)).sample(others, size)
    return kept + others


@dataclass
class _Reading:
    """What a run reads in one snapshot: the requests, people's decisions, the index's gap."""

    requests: list[Person]
    decided: list[tuple[str, str, bool]]
    changes: Changes


def _read(context: JobContext, cache: IndexCache) -> _Reading:
    # One read snapshot for the records and for what people decided so far, closed
    # before the long computation so it holds nothing while the engine works.
    with context.sessions() as reading, reading.begin():
        read_only_snapshot(reading)
        return _Reading(
            requests=list(read_people(reading, "requests")),
            decided=_decisions(reading),
            changes=cache.changes(reading),
        )


def _indexed(context: JobContext, cache: IndexCache) -> tuple[_Reading, Matcher]:
    """Read the run's input and bring the cached index up to it (afresh if that fails)."""
    reading = _read(context, cache)
    context.progress(0, message=say(N_("indexing: {how}"), how=reading.changes.describe()))
    try:
        return reading, cache.apply(reading.changes)
    except Exception:
        if reading.changes.full:
            raise
        log.exception("the matching index could not be brought up to date; rebuilding it")
        cache.drop()
    reading = _read(context, cache)
    context.progress(0, message=say(N_("indexing: {how}"), how=reading.changes.describe()))
    return reading, cache.apply(reading.changes)


def run_match(context: JobContext) -> Message:
    """Match the requests against the disclosed records and store the candidates."""
    targets = _target_ids(context.payload)
    cache = index_cache_for(context.session.get_bind().engine)
    # The index is the process's, shared by its runs: one run uses it at a time, and any
    # failure while it does leaves it dropped rather than half brought up to date.
    with cache.lock:
        try:
            reading, matcher = _indexed(context, cache)
            result, total = _matched(context, matcher, reading, targets)
            indexed = len(matcher)
        except BaseException:
            cache.drop()
            raise
    context.progress(
        total,
        message=say(N_("writing {count} candidates"), count=f"{len(result.candidates):,}"),
    )
    context.begin_writes()
    counts = _store(context.session, result.candidates, targets=targets, job_id=context.job_id)
    template = (
        N_(
            "matched all {total} requests against {indexed} disclosed records: {candidates} "
            "candidates ({new} new, {refreshed} refreshed, {withdrawn} withdrawn, {decided} "
            "already decided); model trained with {decisions} decisions; {index}"
        )
        if targets is None
        else N_(
            "matched the named {total} requests against {indexed} disclosed records: "
            "{candidates} candidates ({new} new, {refreshed} refreshed, {withdrawn} "
            "withdrawn, {decided} already decided); model trained with {decisions} "
            "decisions; {index}"
        )
    )
    return say(
        template,
        total=f"{total:,}",
        indexed=f"{indexed:,}",
        candidates=f"{len(result.candidates):,}",
        new=f"{counts['new']:,}",
        refreshed=f"{counts['refreshed']:,}",
        withdrawn=f"{counts['withdrawn']:,}",
        decided=f"{counts['decided']:,}",
        decisions=f"{len(reading.decided):,}",
        index=reading.changes.describe(),
    )


def match_now(session: Session) -> dict[str, int]:
    """Match every request in the caller's transaction and store the candidates; no job.

    For work that must see the candidates before it commits (the demo, which confirms some
    of them in the same transaction). It builds an index of its own; the server's runs go
    through the job (run_match), which keeps its index between runs.
    """
    matcher = Matcher()
    matcher.index(read_people(session, "disclosures"))
    requests = list(read_people(session, "requests"))
    decided = _decisions(session)
    if decided:
        matcher.learn(requests, decided)
    result = matcher.match(requests, estimate_model=not decided, workers=1)
    return _store(session, result.candidates, targets=None, job_id=None)


def _matched(
    context: JobContext, matcher: Matcher, reading: _Reading, targets: list[uuid.UUID] | None
) -> tuple[MatchResult, int]:
    """Train the model and match the run's requests; return the result and their number."""
    all_requests, decided = reading.requests, reading.decided
    wanted = {str(t) for t in targets} if targets is not None else None
    requests = all_requests if wanted is None else [p for p in all_requests if p.id in wanted]
    total = len(requests)
    context.progress(
        0, total=total, message=say(N_("comparing {count} requests"), count=f"{total:,}")
    )
    if wanted is None:
        if decided:
            matcher.learn(all_requests, decided)
        estimate = not decided
    else:
        sample = _model_sample(all_requests, {r for r, _d, _c in decided} | wanted)
        if decided:
            matcher.learn(sample, decided)
        else:
            matcher.fit(sample)
        estimate = False
    result = matcher.match(
        requests,
        estimate_model=estimate,
        workers=1,
        on_progress=lambda done: context.progress(
            done, message=say(N_("compared {count} requests"), count=f"{done:,}")
        ),
    )
    return result, total


def _explanation(candidate: Candidate) -> list[list[Any]]:
    return [[name, level, round(bits, 3)] for name, level, bits in candidate.explanation]


def _store(
    session: Session,
    candidates: list[Candidate],
    *,
    targets: list[uuid.UUID] | None,
    job_id: int | None,
) -> dict[str, int]:
    """Write a run's candidates over the stored ones; return what changed."""
    existing = _existing(session, targets)
    now = utcnow()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    produced: set[tuple[uuid.UUID, uuid.UUID]] = set()
    decided = 0
    for candidate in candidates:
        key = (uuid.UUID(candidate.request_id), uuid.UUID(candidate.disclosed_id))
        if key in produced:
            continue
        produced.add(key)
        values = {
            "probability": float(candidate.probability),
            "engine_decision": candidate.decision.value,
            "rival": candidate.rival,
            "explanation": _explanation(candidate),
            "job_id": job_id,
            "updated_at": now,
        }
        found = existing.get(key)
        if found is None:
            inserts.append(
                values
                | {
                    "request_id": key[0],
                    "disclosed_id": key[1],
                    "status": "proposed",
                    "created_at": now,
                }
            )
        elif found[1] in DECIDED:
            # People decided this pair on the evidence they saw; it stays as they left it.
            decided += 1
        else:
            updates.append(values | {"id": found[0], "status": "proposed"})
    withdrawn = [
        {"id": candidate_id, "status": "withdrawn", "updated_at": now, "job_id": job_id}
        for key, (candidate_id, status) in existing.items()
        if status == "proposed" and key not in produced
    ]
    bulk_insert(session, MatchCandidate.__table__, inserts)  # type: ignore[arg-type]
    for batch in (updates, withdrawn):
        if batch:
            session.execute(update(MatchCandidate), batch)
    session.flush()
    return {
        "new": len(inserts),
        "refreshed": len(updates),
        "withdrawn": len(withdrawn),
        "decided": decided,
    }
