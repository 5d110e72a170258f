"""Matching as a database job over imported lists, and the review of its candidates."""

from __future__ import annotations

import csv
import json
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from reunite.audit.models import AuditEntry
from reunite.audit.service import write_pending
from reunite.auth.principal import Principal
from reunite.auth.service import create_user, principal_of
from reunite.db.engine import session_factory
from reunite.demo.generator import generate_scenario, write_csv
from reunite.errors import InvalidInput, NotFound
from reunite.exchange.schemas import ImportReport
from reunite.exchange.service import import_list
from reunite.jobs.models import Job
from reunite.jobs.service import claim_next, enqueue, get_job, run_next
from reunite.matching import Matcher, Model
from reunite.parties.models import Party
from reunite.parties.service import add_party
from reunite.records.models import Record
from reunite.review.index_cache import drop_index_caches, index_cache_for, read_people
from reunite.review.jobs import MATCH_JOB, enqueue_match
from reunite.review.models import MatchCandidate, MatchDecision
from reunite.review.service import (
    candidates_for_record,
    count_queue,
    decide,
    get_candidate,
    latest_match_job,
    queue_filter,
    review_queue,
)
from reunite.wiring import job_handlers

from factories import REQUEST_HEADER, REQUEST_ROWS
from factories import write_csv as write_rows

PASSWORD = "correct horse battery"


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory on a fresh database whose transactions really commit."""
    return session_factory(engine)


@dataclass
class Lists:
    """Two generated party lists on disk, the true links between them, and a caseworker."""

    requests: Path
    disclosures: Path
    links: set[tuple[str, str]]
    caseworker: Principal


def _principal(session: Session, username: str, role: str, party: str | None = None) -> Principal:
    user = create_user(session, username=username, password=PASSWORD, role=role, party_name=party)
    return principal_of(session, user)


def _lists(sessions: sessionmaker[Session], folder: Path) -> Lists:
    scenario = generate_scenario(
        seed=11, n_children=90, n_requests=60, n_disclosures=75, today=date(2026, 1, 15)
    )
    requests, disclosures = folder / "requests.csv", folder / "disclosures.csv"
    write_csv(scenario.requests, requests)
    write_csv(scenario.disclosures, disclosures)
    with sessions() as session, session.begin():
        add_party(session, name="Mediator", role="mediator")
        add_party(session, name="Ukraine", role="requesting")
        add_party(session, name="Russian Federation", role="custodial")
        caseworker = _principal(session, "caseworker", "caseworker")
    return Lists(requests, disclosures, set(scenario.links), caseworker)


def _import(sessions: sessionmaker[Session], path: Path, kind: str) -> ImportReport:
    name = "Ukraine" if kind == "requests" else "Russian Federation"
    with sessions() as session, session.begin():
        party = session.scalar(select(Party).where(Party.name == name))
        assert party is not None
        return import_list(session, path=path, party=party, kind=kind)


def _queued(sessions: sessionmaker[Session]) -> list[Job]:
    with sessions() as session:
        return list(
            session.scalars(select(Job).where(Job.kind == MATCH_JOB, Job.status == "queued"))
        )


def _run(sessions: sessionmaker[Session]) -> Job:
    queued = _queued(sessions)
    assert len(queued) == 1
    assert run_next(sessions, handlers=job_handlers(), worker="test-worker")
    with sessions() as session:
        job = get_job(session, job_id=queued[0].id)
    assert job.status == "done", job.message
    return job


def _candidates(sessions: sessionmaker[Session]) -> dict[tuple[str, str], MatchCandidate]:
    """Return every stored candidate by (request external id, record external id)."""
    with sessions() as session:
        external = dict(session.execute(select(Record.id, Record.external_id)).all())
        return {
            (external[c.request_id], external[c.disclosed_id]): c
            for c in session.scalars(select(MatchCandidate))
        }


def _rewrite(source: Path, target: Path, change: dict[str, dict[str, str]]) -> Path:
    """Copy a CSV list, changing cells of some rows: {external id: {column: value}}."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    for values in change.values():
        header += [column for column in values if column not in header]
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="")
        writer.writeheader()
        for row in rows:
            writer.writerow(row | change.get(row["id"], {}))
    return target


def _imported_and_matched(sessions: sessionmaker[Session], folder: Path) -> tuple[Lists, Job]:
    lists = _lists(sessions, folder)
    _import(sessions, lists.requests, "requests")
    _import(sessions, lists.disclosures, "disclosures")
    return lists, _run(sessions)


def test_imported_lists_queue_one_run_that_stores_explained_candidates(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    lists = _lists(sessions, tmp_path)
    assert _queued(sessions) == []
    _import(sessions, lists.requests, "requests")
    _import(sessions, lists.disclosures, "disclosures")
    assert len(_queued(sessions)) == 1  # the second batch joined the waiting run

    job = _run(sessions)

    assert (job.total, job.progress) == (60, 60)
    assert job.message.startswith("matched all 60 requests against 75 disclosed records")
    candidates = _candidates(sessions)
    assert candidates and {c.status for c in candidates.values()} == {"proposed"}
    matches = {pair for pair, c in candidates.items() if c.engine_decision == "match"}
    true_matches = matches & lists.links
    assert len(true_matches) >= 0.9 * len(matches)  # the engine's best guesses are right
    assert len(true_matches) >= 0.7 * len(lists.links)
    for candidate in candidates.values():
        assert candidate.job_id == job.id and 0.0 < candidate.probability <= 1.0
        assert candidate.explanation
        for field, level, bits in candidate.explanation:
            assert isinstance(field, str) and isinstance(level, str)
            assert isinstance(bits, float)


def test_a_batch_that_changes_nothing_queues_no_run(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    lists, _job = _imported_and_matched(sessions, tmp_path)
    assert _import(sessions, lists.requests, "requests").already_imported
    # Other bytes, same rows: stored as a batch, but every row is unchanged.
    same_rows = _rewrite(lists.requests, tmp_path / "same.csv", {})
    same_rows.write_bytes(same_rows.read_bytes().replace(b"\r\n", b"\n"))
    report = _import(sessions, same_rows, "requests")
    assert report.stored and report.unchanged == 60
    assert _queued(sessions) == []


def test_enqueue_match_joins_a_waiting_run(session: Session) -> None:
    first, second, third = (uuid.uuid4() for _ in range(3))
    job = enqueue_match(session, request_ids=[first])
    assert job.payload == {"request_ids": [str(first)]}
    assert enqueue_match(session, request_ids=[second]).id == job.id
    assert job.payload == {"request_ids": sorted([str(first), str(second)])}
    assert enqueue_match(session).id == job.id
    assert job.payload == {}  # a full run covers the named requests
    assert enqueue_match(session, request_ids=[third]).id == job.id
    assert job.payload == {}
    claimed = claim_next(session, worker="w1")
    assert claimed is not None and claimed.id == job.id
    # Once a run has started, a change needs a run of its own.
    assert enqueue_match(session, request_ids=[third]).id != job.id


def test_rerun_keeps_decisions_and_never_proposes_a_rejected_pair_again(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    lists, _job = _imported_and_matched(sessions, tmp_path)
    with sessions() as session, session.begin():
        queue = review_queue(session, principal=lists.caseworker, limit=500)
        confirmed, rejected = queue[0], queue[1]
        decide(
            session,
            principal=lists.caseworker,
            candidate_id=confirmed.candidate.id,
            decision="confirmed",
            reason="birth certificate copy matches",
        )
        decide(
            session,
            principal=lists.caseworker,
            candidate_id=rejected.candidate.id,
            decision="rejected",
            reason="the mother says this is not her son",
        )
        rejected_pair = (rejected.request.external_id, rejected.disclosed.external_id)
    before = _candidates(sessions)

    # The rejected pair's disclosed record is corrected: matching runs again by itself.
    corrected = _rewrite(
        lists.disclosures,
        tmp_path / "corrected.csv",
        {rejected_pair[1]: {"birth_place": "м. Одеса"}},
    )
    assert _import(sessions, corrected, "disclosures").corrected == 1
    job = _run(sessions)

    after = _candidates(sessions)
    # Both decided pairs came out of the engine again, and were left as people decided.
    assert "2 already decided); model trained with 2 decisions" in job.message
    assert after[rejected_pair].status == "rejected"
    assert after[rejected_pair].id == before[rejected_pair].id  # the same row, not a new one
    confirmed_pair = next(p for p, c in after.items() if c.id == confirmed.candidate.id)
    assert after[confirmed_pair].status == "confirmed"
    with sessions() as session:
        proposed = review_queue(session, principal=lists.caseworker, limit=500)
        assert rejected.candidate.id not in {v.candidate.id for v in proposed}
        assert [
            v.candidate.id
            for v in review_queue(
                session, principal=lists.caseworker, chosen=queue_filter(status="rejected")
            )
        ] == [rejected.candidate.id]
        assert session.scalar(select(func.count()).select_from(MatchDecision)) == 2


def test_withdrawn_records_take_their_proposals_away(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    lists, _job = _imported_and_matched(sessions, tmp_path)
    with sessions() as session:
        top = review_queue(session, principal=lists.caseworker, limit=1)[0]
        waiting = count_queue(session, principal=lists.caseworker)
        pairs_of_request = len(
            candidates_for_record(session, principal=lists.caseworker, record_id=top.request.id)
        )
    request = top.request.external_id
    withdrawn = _rewrite(
        lists.requests, tmp_path / "withdrawn.csv", {request: {"withdrawn": "yes"}}
    )
    assert _import(sessions, withdrawn, "requests").withdrawn == 1
    with sessions() as session:
        # Out of the queue at once, before matching has run again.
        assert count_queue(session, principal=lists.caseworker) == waiting - pairs_of_request
    _run(sessions)
    statuses = {p: c.status for p, c in _candidates(sessions).items() if p[0] == request}
    assert statuses and set(statuses.values()) == {"withdrawn"}

    restored = _rewrite(lists.requests, tmp_path / "restored.csv", {request: {"withdrawn": "no"}})
    assert _import(sessions, restored, "requests").corrected == 1
    _run(sessions)
    after = {p: c.status for p, c in _candidates(sessions).items() if p[0] == request}
    assert "proposed" in after.values()
    with sessions() as session:
        assert count_queue(session, principal=lists.caseworker) == waiting


def test_a_run_for_named_requests_touches_only_their_candidates(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    lists, first = _imported_and_matched(sessions, tmp_path)
    before = _candidates(sessions)
    request = next(iter(before))[0]
    with sessions() as session, session.begin():
        record = session.scalar(select(Record).where(Record.external_id == request))
        assert record is not None
        # As if this request had just been filed through the family form.
        session.execute(delete(MatchCandidate).where(MatchCandidate.request_id == record.id))
        job = enqueue_match(session, request_ids=[record.id])
        assert job.payload == {"request_ids": [str(record.id)]}

    second = _run(sessions)

    assert (second.total, second.progress) == (1, 1)
    assert second.message.startswith("matched the named 1 requests against 75 disclosed records")
    after = _candidates(sessions)
    assert set(after) == set(before)
    for pair, candidate in after.items():
        expected = second.id if pair[0] == request else first.id
        assert candidate.job_id == expected


def test_a_run_with_malformed_request_ids_fails_clearly(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _lists(sessions, tmp_path)
    with sessions() as session, session.begin():
        job_id = enqueue(session, kind=MATCH_JOB, payload={"request_ids": ["UA-1"]}).id
    assert run_next(sessions, handlers=job_handlers(), worker="w1")
    with sessions() as session:
        job = get_job(session, job_id=job_id)
        assert (job.status, job.message) == (
            "failed",
            "request_ids holds something that is not a record id",
        )


# The index the worker keeps between runs.

Outcome = dict[tuple[str, str], tuple[object, ...]]


def _outcome(sessions: sessionmaker[Session]) -> Outcome:
    """Return what runs decided about every pair, leaving out which job wrote it and when."""
    return {
        pair: (c.status, c.probability, c.engine_decision, c.rival, c.explanation)
        for pair, c in _candidates(sessions).items()
    }


def _fresh_rerun(sessions: sessionmaker[Session], payload: dict[str, list[str]]) -> Job:
    """Run the same kind of job again on a worker that has no index yet."""
    drop_index_caches()
    with sessions() as session, session.begin():
        enqueue(session, kind=MATCH_JOB, payload=payload)
    return _run(sessions)


def _copies(source: Path, target: Path, external_ids: list[str], times: int) -> Path:
    """Write the rows of these ids again under new ids: records that score exactly alike."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["id"] in external_ids]
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for number in range(1, times + 1):
            writer.writerows(row | {"id": f"COPY{number}-{row['id']}"} for row in rows)
    return target


def _assert_same_as_fresh(sessions: sessionmaker[Session], payload: dict[str, list[str]]) -> None:
    cached = _outcome(sessions)
    fresh = _fresh_rerun(sessions, payload)
    assert "index built from" in fresh.message
    assert "(0 new, " in fresh.message and " 0 withdrawn, " in fresh.message
    assert _outcome(sessions) == cached


def test_runs_on_the_kept_index_store_what_a_fresh_index_gives(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    drop_index_caches()
    lists, first = _imported_and_matched(sessions, tmp_path)
    assert first.message.endswith("index built from 75 disclosed records")
    with sessions() as session, session.begin():
        queue = review_queue(session, principal=lists.caseworker, limit=500)
        decide(
            session,
            principal=lists.caseworker,
            candidate_id=queue[0].candidate.id,
            decision="confirmed",
            reason="documents agree",
        )
        request_ids = [
            str(i) for i in session.scalars(select(Record.id).where(Record.kind == "requests"))
        ]
        top_records = list(dict.fromkeys(view.disclosed.external_id for view in queue))[:5]

    # A new batch: copies of the likeliest records, which tie with their originals; with
    # more of them than a request keeps, which ones it keeps is down to the tie-break.
    copies = _copies(lists.disclosures, tmp_path / "copies.csv", top_records[:3], times=6)
    with sessions() as session, session.begin():
        party = session.scalar(select(Party).where(Party.name == "Russian Federation"))
        assert party is not None
        import_list(session, path=copies, party=party, kind="disclosures", queue_matching=False)
        enqueue_match(session, request_ids=[uuid.UUID(i) for i in request_ids])
    targeted = _run(sessions)
    assert targeted.message.endswith("index kept 75 records, added or replaced 18, removed 0")
    assert "against 93 disclosed records" in targeted.message
    _assert_same_as_fresh(sessions, {"request_ids": sorted(request_ids)})

    # A correction and a withdrawal; the import queues a full run.
    changed = _rewrite(
        lists.disclosures,
        tmp_path / "changed.csv",
        {top_records[3]: {"surname": "Шевчук"}, top_records[4]: {"withdrawn": "yes"}},
    )
    report = _import(sessions, changed, "disclosures")
    assert (report.corrected, report.withdrawn) == (1, 1)
    full = _run(sessions)
    assert full.message.endswith("index kept 91 records, added or replaced 1, removed 1")
    statuses = {p: c.status for p, c in _candidates(sessions).items() if p[1] == top_records[4]}
    assert statuses and set(statuses.values()) <= {"withdrawn", "confirmed"}
    _assert_same_as_fresh(sessions, {})


def test_every_run_gets_the_kept_index_with_the_default_model(
    sessions: sessionmaker[Session], engine: Engine, tmp_path: Path
) -> None:
    drop_index_caches()
    lists = _lists(sessions, tmp_path)
    _import(sessions, lists.requests, "requests")
    _import(sessions, lists.disclosures, "disclosures")
    cache = index_cache_for(engine)
    with sessions() as session:
        requests = list(read_people(session, "requests"))
        built = cache.apply(cache.changes(session))
        # A run trains the model on the index it was given...
        built.fit(requests)
        assert built.model != Model()
        unchanged = cache.changes(session)
    assert not unchanged.full and unchanged.people == unchanged.gone == []
    # ...and the next run gets the same index back, with the model a new Matcher has.
    again = cache.apply(unchanged)
    assert again is built and again.model == Model()


def test_an_index_that_cannot_be_brought_up_to_date_is_built_afresh(
    sessions: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop_index_caches()
    lists, _first = _imported_and_matched(sessions, tmp_path)
    victim = next(iter(_candidates(sessions)))[1]
    withdrawn = _rewrite(
        lists.disclosures, tmp_path / "withdrawn.csv", {victim: {"withdrawn": "yes"}}
    )
    assert _import(sessions, withdrawn, "disclosures").withdrawn == 1

    def broken(_matcher: Matcher, _disclosed_id: str) -> None:
        raise RuntimeError("the index is in a state nobody foresaw")

    # Removing is what an update does and a fresh build never needs.
    monkeypatch.setattr(Matcher, "remove", broken)
    job = _run(sessions)
    assert job.message.endswith("index built from 74 disclosed records")
    monkeypatch.undo()
    _assert_same_as_fresh(sessions, {})


# The review service on hand-made candidates.


@dataclass
class Desk:
    """Principals of every role and three candidates of known probability."""

    principals: dict[str, Principal]
    candidates: list[MatchCandidate]


def _desk(session: Session, folder: Path) -> Desk:
    add_party(session, name="Mediator", role="mediator")
    ukraine = add_party(session, name="Ukraine", role="requesting")
    russia = add_party(session, name="Russian Federation", role="custodial")
    principals = {
        "admin": _principal(session, "admin", "admin"),
        "caseworker": _principal(session, "caseworker", "caseworker"),
        "liaison": _principal(session, "liaison", "liaison", "Ukraine"),
        "family": _principal(session, "family", "family", "Ukraine"),
        "adult": _principal(session, "adult", "adult"),
        "auditor": _principal(session, "auditor", "auditor"),
    }
    requests = write_rows(folder, "requests.csv", REQUEST_HEADER, REQUEST_ROWS)
    disclosed_rows = [["RU-" + row[0][3:], *row[1:]] for row in REQUEST_ROWS]
    disclosures = write_rows(folder, "disclosures.csv", REQUEST_HEADER, disclosed_rows)
    import_list(session, path=requests, party=ukraine, kind="requests")
    import_list(session, path=disclosures, party=russia, kind="disclosures")
    ids = dict(session.execute(select(Record.external_id, Record.id)).all())
    candidates = []
    for number, probability in ((1, 0.35), (2, 0.92), (3, 0.61)):
        candidate = MatchCandidate(
            request_id=ids[f"UA-{number}"],
            disclosed_id=ids[f"RU-{number}"],
            probability=probability,
            engine_decision="match" if probability > 0.5 else "possible",
            explanation=[["given_name", "same", 4.9]],
        )
        session.add(candidate)
        candidates.append(candidate)
    session.flush()
    return Desk(principals, candidates)


def test_queue_is_ordered_by_probability_and_pages(session: Session, tmp_path: Path) -> None:
    desk = _desk(session, tmp_path)
    staff = desk.principals["caseworker"]
    queue = review_queue(session, principal=staff)
    assert [v.candidate.probability for v in queue] == [0.92, 0.61, 0.35]
    assert [(v.request.external_id, v.disclosed.external_id) for v in queue] == [
        ("UA-2", "RU-2"),
        ("UA-3", "RU-3"),
        ("UA-1", "RU-1"),
    ]
    assert all(v.decisions == [] for v in queue)
    page = review_queue(session, principal=staff, limit=2, offset=1)
    assert [v.candidate.probability for v in page] == [0.61, 0.35]
    assert count_queue(session, principal=staff) == 3
    assert count_queue(session, principal=staff, chosen=queue_filter(status="confirmed")) == 0
    with pytest.raises(InvalidInput):
        queue_filter(status="maybe")


def test_decide_keeps_every_decision_and_audits_it(session: Session, tmp_path: Path) -> None:
    desk = _desk(session, tmp_path)
    staff = desk.principals["caseworker"]
    candidate = desk.candidates[1]

    first = decide(
        session,
        principal=staff,
        candidate_id=candidate.id,
        decision="confirmed",
        reason="  photo and   birth mark agree ",
        address="203.0.113.7",
    ).decision
    assert (first.decision, first.reason, first.decided_by) == (
        "confirmed",
        "photo and birth mark agree",
        staff.user_id,
    )
    assert candidate.status == "confirmed"
    assert count_queue(session, principal=staff) == 2
    decide(
        session,
        principal=desk.principals["admin"],
        candidate_id=candidate.id,
        decision="rejected",
        reason="the family's second look: a cousin",
    )
    view = get_candidate(session, principal=staff, candidate_id=candidate.id)
    assert view.candidate.status == "rejected"
    assert [(d.decision.decision, d.decision.reason, d.decided_by) for d in view.decisions] == [
        ("confirmed", "photo and birth mark agree", "caseworker"),
        ("rejected", "the family's second look: a cousin", "admin"),
    ]
    write_pending(session)
    entries = list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.action == "match.decision").order_by(AuditEntry.id)
        )
    )
    assert [(e.actor, e.subject_type, e.subject_id) for e in entries] == [
        ("caseworker", "match_candidate", str(candidate.id)),
        ("admin", "match_candidate", str(candidate.id)),
    ]
    details = json.loads(entries[0].details)
    assert details["decision"] == "confirmed" and details["reason"] == "photo and birth mark agree"
    assert details["previous_status"] == "proposed" and entries[0].address == "203.0.113.7"


@pytest.mark.parametrize(
    ("decision", "reason", "error", "message"),
    [
        ("confirmed", "   ", InvalidInput, "a decision needs a reason"),
        ("maybe", "looks alike", InvalidInput, "a decision is confirmed, rejected or related"),
        ("rejected", "x" * 2001, InvalidInput, "longer than 2000 characters"),
    ],
)
def test_decide_refuses_bad_input_and_stores_nothing(
    session: Session,
    tmp_path: Path,
    decision: str,
    reason: str,
    error: type[Exception],
    message: str,
) -> None:
    desk = _desk(session, tmp_path)
    candidate = desk.candidates[0]
    with pytest.raises(error, match=message):
        decide(
            session,
            principal=desk.principals["caseworker"],
            candidate_id=candidate.id,
            decision=decision,
            reason=reason,
        )
    assert candidate.status == "proposed"
    assert session.scalar(select(func.count()).select_from(MatchDecision)) == 0
    assert write_pending(session) == 0


def test_an_unknown_candidate_is_not_found(session: Session, tmp_path: Path) -> None:
    desk = _desk(session, tmp_path)
    staff = desk.principals["caseworker"]
    missing = max(c.id for c in desk.candidates) + 1
    with pytest.raises(NotFound):
        get_candidate(session, principal=staff, candidate_id=missing)
    with pytest.raises(NotFound):
        decide(session, principal=staff, candidate_id=missing, decision="confirmed", reason="x")


@pytest.mark.parametrize("role", ["liaison", "family", "adult", "auditor"])
def test_review_does_not_exist_for_anyone_but_staff(
    session: Session, tmp_path: Path, role: str
) -> None:
    desk = _desk(session, tmp_path)
    who = desk.principals[role]
    candidate = desk.candidates[0]
    with pytest.raises(NotFound):
        review_queue(session, principal=who)
    with pytest.raises(NotFound):
        count_queue(session, principal=who)
    with pytest.raises(NotFound):
        get_candidate(session, principal=who, candidate_id=candidate.id)
    with pytest.raises(NotFound):
        candidates_for_record(session, principal=who, record_id=candidate.request_id)
    with pytest.raises(NotFound):
        decide(session, principal=who, candidate_id=candidate.id, decision="confirmed", reason="x")
    assert candidate.status == "proposed"
    assert session.scalar(select(func.count()).select_from(MatchDecision)) == 0


def test_candidates_for_a_record_on_either_side(session: Session, tmp_path: Path) -> None:
    desk = _desk(session, tmp_path)
    staff = desk.principals["admin"]
    candidate = desk.candidates[2]
    for record_id in (candidate.request_id, candidate.disclosed_id):
        views = candidates_for_record(session, principal=staff, record_id=record_id)
        assert [v.candidate.id for v in views] == [candidate.id]
    assert candidates_for_record(session, principal=staff, record_id=uuid.uuid4()) == []


def test_latest_match_job_shows_the_newest_run(session: Session) -> None:
    assert latest_match_job(session) is None
    enqueue(session, kind="test.other")
    job = enqueue_match(session)
    latest = latest_match_job(session)
    assert latest is not None and (latest.id, latest.status) == (job.id, "queued")


def test_a_twin_alone_is_stored_and_queued_as_related_never_as_a_match(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    lists = _lists(sessions, tmp_path)
    _import(sessions, lists.requests, "requests")
    _import(sessions, lists.disclosures, "disclosures")
    header = ["id", "surname", "given_name", "patronymic", "sex", "birth_date", "birth_place"]
    header += ["mother_name", "father_name"]
    # The family seeks Oleksandr; only his twin sister Oleksandra was disclosed, Russified.
    requests = write_rows(
        tmp_path,
        "twin-requests.csv",
        header,
        [["UA-TWIN", "Лисенко", "Олександр", "Миколайович", "ч", "12.03.2014", "Маріуполь",
          "Лисенко Ольга Петрівна", "Лисенко Микола Іванович"]],
    )  # fmt: skip
    disclosures = write_rows(
        tmp_path,
        "twin-disclosures.csv",
        header,
        [["RU-TWIN", "Лысенко", "Александра", "Николаевна", "ж", "12.03.2014", "Мариуполь",
          "Лысенко Ольга Петровна", "Лысенко Николай Иванович"]],
    )  # fmt: skip
    _import(sessions, requests, "requests")
    _import(sessions, disclosures, "disclosures")
    _run(sessions)
    with sessions() as session:
        chosen = queue_filter(reference="UA-TWIN")
        (view,) = review_queue(session, principal=lists.caseworker, chosen=chosen)
        assert view.disclosed.external_id == "RU-TWIN"
        assert view.candidate.engine_decision == "related"
