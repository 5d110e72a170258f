"""The demo's way home: every status, rounds, siblings, adults, flags, and histories that obey
the rules of issue 9, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import os
import subprocess
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, Select, func, select, text
from sqlalchemy.orm import Session

from reunite.audit.service import verify_chain
from reunite.auth.models import User
from reunite.cases.enums import (
    Answer,
    ApprovalKind,
    ApprovalState,
    CaseStatus,
    ConsentKind,
    EventKind,
    Side,
    Track,
)
from reunite.cases.models import (
    Approval,
    BestInterests,
    Case,
    CaseEvent,
    CaseRequest,
    CaseTask,
    Consent,
    Determination,
    FollowUpVisit,
    ReturnRound,
    RoundMember,
    Signoff,
    Verification,
)
from reunite.cases.rules import WAY_HOME, may_follow
from reunite.db.base import clock_from, utcnow
from reunite.db.engine import make_engine
from reunite.db.migrate import upgrade
from reunite.demo.generator import generate_scenario
from reunite.demo.service import DEMO_HISTORY, load_demo
from reunite.demo.way_home import walk_home
from reunite.records.models import Record
from reunite.review.models import MatchCandidate
from reunite.sharing.models import Release
from reunite.wiring import schema

from serving import REUNITE

POSTGRES_URL = os.environ.get("REUNITE_TEST_POSTGRES_URL", "")
SIZE = {"n_requests": 300, "n_disclosures": 450}
S = CaseStatus


def _mapping(session: Session, statement: Select[Any, Any]) -> dict[Any, Any]:
    """Return the rows of a two-column query as a mapping of the first to the second."""
    return {row[0]: row[1] for row in session.execute(statement)}


class Demo:
    """A demo database loaded once for the module, with its ground truth."""

    def __init__(self, engine: Engine, truth: set[tuple[str, str]], lines: list[str]) -> None:
        self.engine = engine
        self.truth = truth
        self.lines = lines

    def session(self) -> Session:
        """Open a session on the demo database (read, or rolled back)."""
        return Session(self.engine)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Demo]:
    """Load a small demo, walked home, into a fresh database of each backend."""
    folder = tmp_path_factory.mktemp("way-home")
    schema_name = ""
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'reunite.db'}"
    else:
        if not POSTGRES_URL:
            pytest.skip("REUNITE_TEST_POSTGRES_URL is not set")
        schema_name = f"test_{uuid.uuid4().hex[:12]}"
        with make_engine(POSTGRES_URL).begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema_name}"'))
        separator = "&" if "?" in POSTGRES_URL else "?"
        url = f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema_name}"
    schema()
    engine = make_engine(url)
    upgrade(engine)
    truth_path = folder / "truth.csv"
    with Session(engine) as session, session.begin():
        outcome = load_demo(session, **SIZE, truth_out=truth_path, walk=walk_home)
    with truth_path.open(encoding="utf-8") as handle:
        truth = {(row["request_id"], row["disclosed_id"]) for row in csv.DictReader(handle)}
    try:
        yield Demo(engine, truth, outcome.lines)
    finally:
        engine.dispose()
        if schema_name:
            with make_engine(POSTGRES_URL).begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema_name}" CASCADE'))


def test_every_status_of_a_case_is_present(demo: Demo) -> None:
    with demo.session() as session:
        statuses = Counter(session.scalars(select(Case.status)))
    assert set(statuses) == set(S.values()), set(S.values()) - set(statuses)
    # Most cases are still open or traced: the walked ones are a share.
    assert statuses[S.OPEN] > len(statuses)
    assert any(line.startswith("way home:") for line in demo.lines)


def test_the_confirmed_matches_are_the_true_pairs(demo: Demo) -> None:
    with demo.session() as session:
        external = _mapping(session, select(Record.id, Record.external_id))
        confirmed = session.execute(
            select(MatchCandidate.id, MatchCandidate.request_id, MatchCandidate.disclosed_id).where(
                MatchCandidate.status == "confirmed"
            )
        ).all()
        assert confirmed
        for _id, request_id, disclosed_id in confirmed:
            assert (external[request_id], external[disclosed_id]) in demo.truth
        located = session.scalars(
            select(Case).where(Case.status.not_in([S.OPEN, S.TRACING, S.DUPLICATE, S.TRANSFERRED]))
        ).all()
        by_id = {row.id: row for row in confirmed}
        for case in located:
            assert case.candidate_id in by_id, case.number
            assert by_id[case.candidate_id].disclosed_id == case.disclosed_id


def test_records_are_released_for_verification_and_never_for_an_adult_without_consent(
    demo: Demo,
) -> None:
    with demo.session() as session:
        releases = session.scalars(select(Release)).all()
        assert releases
        cases = {case.candidate_id: case for case in session.scalars(select(Case))}
        parties = _mapping(session, select(Record.id, Record.party_id))
        requests: dict[int, set[uuid.UUID]] = defaultdict(set)
        for link in session.scalars(select(CaseRequest)):
            requests[link.case_id].add(link.request_id)
        for release in releases:
            # Each rests on the confirmed match of its case, and goes to the other party.
            case = cases[release.candidate_id]
            assert release.record_id in requests[case.id] | {case.disclosed_id}
            assert release.to_party_id != parties[release.record_id]
            if case.track == Track.ADULT:
                consent = session.scalar(
                    select(Consent)
                    .where(Consent.case_id == case.id, Consent.kind == ConsentKind.CONTACT)
                    .where(Consent.given_at <= release.released_at)
                    .order_by(Consent.id.desc())
                    .limit(1)
                )
                assert consent is not None and consent.answer == Answer.YES, case.number
        verified = session.scalars(select(Case).where(Case.status == S.VERIFIED)).all()
        released = {release.record_id for release in releases}
        assert any(case.disclosed_id in released for case in verified)


def test_a_finished_round_one_under_way_and_one_planned(demo: Demo) -> None:
    today = date.today()
    with demo.session() as session:
        rounds = session.scalars(select(ReturnRound).order_by(ReturnRound.planned_on)).all()
        assert len(rounds) == 3
        finished, under_way, planned = rounds
        status = _mapping(session, select(Case.id, Case.status))

        def members(round_: ReturnRound) -> list[RoundMember]:
            return list(
                session.scalars(select(RoundMember).where(RoundMember.round_id == round_.id))
            )

        home = members(finished)
        assert home and all(m.departed_at and m.handed_over_at for m in home)
        assert {status[m.case_id] for m in home} >= {S.CLOSED, S.FOLLOW_UP, S.REUNITED}
        assert finished.planned_on < today - timedelta(days=182)
        on_way = members(under_way)
        assert all(m.departed_at is not None for m in on_way)
        assert {status[m.case_id] for m in on_way if m.handed_over_at is None} == {S.IN_TRANSIT}
        assert {status[m.case_id] for m in on_way if m.handed_over_at} == {S.REUNITED}
        waiting = members(planned)
        assert planned.planned_on > today and waiting
        assert all(m.departed_at is None for m in waiting)
        assert {status[m.case_id] for m in waiting} == {S.RETURN_APPROVED}
        # The visits of the finished round's closed cases are done or waived; some are done.
        closed = [m.case_id for m in home if status[m.case_id] == S.CLOSED]
        visits = session.scalars(
            select(FollowUpVisit).where(FollowUpVisit.case_id.in_(closed))
        ).all()
        assert visits and all(v.done_on or v.waived_reason for v in visits)
        # Handed over in the last 24 hours: the home page's count of the day.
        since = utcnow() - timedelta(hours=24)
        assert any(m.handed_over_at and m.handed_over_at > since for m in on_way)


def test_siblings_are_grouped_and_travel_together(demo: Demo) -> None:
    with demo.session() as session:
        groups: dict[int, list[int]] = defaultdict(list)
        for case_id, group_id in session.execute(
            select(Case.id, Case.family_group_id).where(Case.family_group_id.is_not(None))
        ):
            groups[group_id].append(case_id)
        assert groups and all(len(cases) >= 2 for cases in groups.values())
        round_of = {
            member.case_id: member.round_id
            for member in session.scalars(select(RoundMember).where(RoundMember.apart_reason == ""))
        }
        travelling = [cases for cases in groups.values() if set(cases) & set(round_of)]
        assert travelling, "no family group in a round"
        for cases in travelling:
            assert len({round_of.get(case_id) for case_id in cases}) == 1
        # A group is one family of the generator's truth: siblings, never strangers.
        scenario = generate_scenario(
            seed=2022,
            n_children=max(SIZE.values()),
            n_requests=SIZE["n_requests"],
            n_disclosures=SIZE["n_disclosures"],
            today=date.today(),
        )
        family_of = {r: c.family.id for c in scenario.children for r in c.request_ids}
        external = _mapping(
            session,
            select(Case.id, Record.external_id).join(Record, Record.id == Case.request_id),
        )
        for cases in groups.values():
            assert len({family_of[external[case_id]] for case_id in cases}) == 1


def test_adults_on_their_own_track_answer_for_themselves(demo: Demo) -> None:
    with demo.session() as session:
        linked = session.scalars(select(Case).where(Case.adult_user_id.is_not(None))).all()
        assert len(linked) >= 4
        assert all(case.track == Track.ADULT for case in linked)
        roles = _mapping(session, select(User.id, User.role))
        assert {roles[case.adult_user_id] for case in linked} == {"adult"}
        assert len({case.adult_user_id for case in linked}) == len(linked)
        demo_adult = session.scalar(select(User.id).where(User.username == "demo-adult"))
        assert demo_adult in {case.adult_user_id for case in linked}
        consents = session.scalars(select(Consent)).all()
        owner = {case.id: case.adult_user_id for case in linked}
        assert all(consent.given_by == owner[consent.case_id] for consent in consents)
        answers = {(c.kind, c.answer) for c in consents}
        assert {("contact", "yes"), ("contact", "no"), ("return", "yes")} <= answers
        refused = [c.case_id for c in consents if c.answer == Answer.NO]
        assert {session.get(Case, case_id).status for case_id in refused} == {S.DECLINED}
        # Adults the demo found but nobody linked yet are on the adult track too.
        assert (
            session.scalar(
                select(func.count()).where(Case.track == Track.ADULT, Case.adult_user_id.is_(None))
            )
            or 0
        ) > 0


def test_flags_overdue_work_and_a_caseload_for_each_caseworker(demo: Demo) -> None:
    today = date.today()
    with demo.session() as session:
        assert session.scalar(select(func.count()).where(Case.turning_adult.is_(True)))
        overdue = session.scalar(
            select(func.count()).where(CaseTask.due_on < today, CaseTask.done_at.is_(None))
        )
        upcoming = session.scalar(
            select(func.count()).where(CaseTask.due_on >= today, CaseTask.done_at.is_(None))
        )
        done = session.scalar(select(func.count()).where(CaseTask.done_at.is_not(None)))
        assert overdue and upcoming and done
        late_visits = session.scalar(
            select(func.count()).where(
                FollowUpVisit.due_on < today,
                FollowUpVisit.done_on.is_(None),
                FollowUpVisit.waived_reason == "",
            )
        )
        assert late_visits
        loads = Counter(
            session.scalars(
                select(User.username)
                .join(Case, Case.assigned_to == User.id)
                .where(Case.status != S.OPEN)
            )
        )
        assert loads["demo-caseworker"] > 5 and loads["demo-caseworker-2"] > 5
        pending = Counter(
            session.scalars(select(Approval.kind).where(Approval.state == ApprovalState.PENDING))
        )
        assert pending[ApprovalKind.VERIFICATION] and pending[ApprovalKind.BEST_INTERESTS]


def _check_case(session: Session, case: Case) -> None:
    """Assert that a case's timeline and what it rests on obey issue 9's rules."""
    events = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()
    times = [event.at for event in events]
    assert times == sorted(times), f"{case.number}: the timeline is out of order"
    status = S.OPEN
    for event in events:
        if event.kind != EventKind.TRANSITION:
            continue
        assert event.from_status == status, case.number
        wanted = S(event.to_status)
        assert may_follow(status, wanted), f"{case.number}: {status} → {wanted}"
        before = [e for e in events if e.id < event.id]
        _check_step(session, case, wanted, event, before)
        status = wanted
    assert status == case.status, case.number


def _approved(session: Session, case: Case, kind: ApprovalKind, until: datetime) -> Approval:
    approval = session.scalar(
        select(Approval)
        .where(
            Approval.case_id == case.id,
            Approval.kind == kind,
            Approval.state == ApprovalState.APPROVED,
            Approval.decided_at <= until,
        )
        .order_by(Approval.id.desc())
        .limit(1)
    )
    assert approval is not None, f"{case.number}: no approved {kind}"
    assert approval.decided_by != approval.requested_by, f"{case.number}: four eyes"
    return approval


def _check_step(
    session: Session, case: Case, wanted: S, event: CaseEvent, before: list[CaseEvent]
) -> None:
    kinds = {e.kind for e in before}
    if wanted == S.VERIFIED:
        verification = session.scalar(
            select(Verification)
            .where(Verification.case_id == case.id, Verification.recorded_at <= event.at)
            .order_by(Verification.id.desc())
            .limit(1)
        )
        assert verification is not None, case.number
        signed = session.scalars(
            select(Signoff.side).where(Signoff.verification_id == verification.id)
        ).all()
        assert sorted(signed) == sorted(Side.values()), case.number
        _approved(session, case, ApprovalKind.VERIFICATION, event.at)
    elif wanted == S.CONTACT_ESTABLISHED:
        assert EventKind.CONTACT in kinds, case.number
        if case.track == Track.ADULT:
            _consented(session, case, ConsentKind.CONTACT, event.at)
    elif wanted == S.RETURN_APPROVED:
        _approved(session, case, ApprovalKind.RETURN, event.at)
        if case.track == Track.ADULT:
            _consented(session, case, ConsentKind.RETURN, event.at)
        else:
            assessment = session.scalar(
                select(BestInterests)
                .where(BestInterests.case_id == case.id)
                .order_by(BestInterests.id.desc())
                .limit(1)
            )
            assert assessment is not None, case.number
            _approved(session, case, ApprovalKind.BEST_INTERESTS, event.at)
            if assessment.red_flag:
                determination = session.scalar(
                    select(Determination).where(Determination.case_id == case.id)
                )
                assert determination is not None and len(determination.panel) >= 3
                assert determination.return_in_best_interests
    elif wanted == S.IN_TRANSIT:
        assert EventKind.DEPARTURE in kinds, case.number
    elif wanted == S.REUNITED:
        assert EventKind.HANDOVER in kinds, case.number
        member = session.scalar(select(RoundMember).where(RoundMember.case_id == case.id))
        assert member is not None and member.handed_over_at is not None
        assert member.departed_at is not None and member.departed_at <= member.handed_over_at
    elif wanted == S.CLOSED:
        _approved(session, case, ApprovalKind.CLOSURE, event.at)
        visits = session.scalars(select(FollowUpVisit).where(FollowUpVisit.case_id == case.id))
        assert all(v.done_on or v.waived_reason for v in visits), case.number
    elif wanted == S.LOCATED:
        assert case.candidate_id is not None or case.status in (S.DECLINED, S.DECEASED)


def _consented(session: Session, case: Case, kind: ConsentKind, until: datetime) -> None:
    consent = session.scalar(
        select(Consent)
        .where(Consent.case_id == case.id, Consent.kind == kind, Consent.given_at <= until)
        .order_by(Consent.id.desc())
        .limit(1)
    )
    assert consent is not None and consent.answer == Answer.YES, case.number
    assert consent.given_by == case.adult_user_id, case.number


def test_every_case_history_obeys_the_rules(demo: Demo) -> None:
    with demo.session() as session:
        walked = session.scalars(select(Case).where(Case.status != S.OPEN)).all()
        assert len(walked) > 50
        for case in walked:
            _check_case(session, case)
        # Every decision of a second person was another person's (four eyes).
        approvals = session.scalars(select(Approval).where(Approval.decided_by.is_not(None)))
        assert all(a.decided_by != a.requested_by for a in approvals)


def test_the_history_spreads_over_past_months_and_the_log_is_intact(demo: Demo) -> None:
    now = utcnow()
    with demo.session() as session:
        first, last = session.execute(select(func.min(CaseEvent.at), func.max(CaseEvent.at))).one()
        arrived = session.scalar(select(func.min(Record.created_at)))
        assert arrived is not None and arrived <= now - DEMO_HISTORY + timedelta(hours=1)
        assert first >= arrived and last <= now
        assert last - first > timedelta(days=200)
        # Work happened on many different days, not all at once.
        days = {at.date() for at in session.scalars(select(CaseEvent.at))}
        assert len(days) > 100
        furthest = max(
            WAY_HOME.index(S(s)) for s in session.scalars(select(Case.status)) if S(s) in WAY_HOME
        )
        assert WAY_HOME[furthest] == S.CLOSED
        report = verify_chain(session)
        assert report.intact, report.reason


def test_a_second_load_walks_nothing_twice(demo: Demo) -> None:
    with demo.session() as session:
        events = session.scalar(select(func.count()).select_from(CaseEvent))
        outcome = load_demo(session, **SIZE, skip_if_present=True, walk=walk_home)
        assert outcome.skipped
        assert session.scalar(select(func.count()).select_from(CaseEvent)) == events
        session.rollback()


def test_the_clock_runs_from_a_past_moment_and_never_ahead() -> None:
    moment = utcnow() - timedelta(days=30)
    with clock_from(moment):
        inside = utcnow()
    assert moment <= inside < moment + timedelta(seconds=5)
    assert utcnow() - inside > timedelta(days=29)
    with pytest.raises(ValueError, match="ahead"), clock_from(utcnow() + timedelta(days=1)):
        pass


def test_reunite_demo_walks_home_as_its_own_process(tmp_path: Path) -> None:
    env = {**os.environ, "REUNITE_DATABASE_URL": f"sqlite:///{tmp_path / 'reunite.db'}"}
    for command in (["db", "upgrade"], ["demo", "--requests", "80", "--disclosures", "120"]):
        done = subprocess.run(
            [str(REUNITE), *command], env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
    assert "way home:" in done.stdout and "closed" in done.stdout
    again = subprocess.run(
        [str(REUNITE), "demo", "--skip-if-present"], env=env, capture_output=True, text=True
    )
    assert again.returncode == 0 and "not loaded again" in again.stdout
    assert "way home:" not in again.stdout


def test_the_channel_shows_every_state_and_the_demo_family_has_two_cases(demo: Demo) -> None:
    from reunite.channel.models import Call, ChannelMessage
    from reunite.channel.service._sides import OPEN_STATUSES

    with demo.session() as session:
        states = Counter(session.scalars(select(ChannelMessage.state)))
        assert set(states) == {"draft", "submitted", "approved", "returned", "delivered", "read"}
        calls = Counter(session.scalars(select(Call.state)))
        assert calls["held"] >= 1 and calls["not_held"] >= 1 and calls["requested"] >= 1
        family = session.scalar(select(User).where(User.username == "demo-family"))
        assert family is not None
        followed = session.scalars(
            select(Case.status)
            .join(Record, Record.id == Case.request_id)
            .where(Record.filed_by_user_id == family.id)
        ).all()
        assert len(followed) == 2
        assert any(status in OPEN_STATUSES for status in followed)
        assert S.TRACING in followed
        # Every message was sent while its case's channel was open, by its rules: no message
        # is dated before the case was verified.
        verified_at = _mapping(
            session,
            select(CaseEvent.case_id, func.min(CaseEvent.at))
            .where(CaseEvent.to_status == S.VERIFIED)
            .group_by(CaseEvent.case_id),
        )
        for message in session.scalars(select(ChannelMessage)):
            assert message.created_at >= verified_at[message.case_id]
    assert any(line.startswith("channel:") for line in demo.lines)
