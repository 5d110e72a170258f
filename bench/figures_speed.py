"""Dashboard figures: the SQL queries of reunite.figures against the naive ORM loop, side by side.

Run:  .venv/bin/python bench/figures_speed.py --postgres URL [--cases 100000] [--events 1000000]

Fills a new schema of the PostgreSQL database given (dropped afterwards; without --postgres a
temporary SQLite file) by bulk insert (COPY on PostgreSQL): the tracing requests, the cases
with statuses spread along the way home, their timelines (the opened event, each change of
status, and notes and tasks up to the number of events asked), a round member handed over
for every child who came home (times spread over two years, some in the last day), a
confirmed match for every case located, lists per party and family news messages. Then the
whole dashboard (`reunite.figures.service.figures`) runs, and so does the peer: the same
figures computed the naive way, every case, event, handover and decision loaded through the
ORM and counted in Python. Both must give the same figures; each time is the median of
--repeat runs.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.orm import Session

from reunite.auth.models import User
from reunite.cases.enums import CaseStatus
from reunite.cases.models import Case, CaseEvent, ReturnRound, RoundMember
from reunite.channel.models import ChannelMessage
from reunite.db.bulk import insert_rows
from reunite.db.engine import make_engine, session_factory
from reunite.db.migrate import upgrade
from reunite.exchange.models import Batch
from reunite.figures import service as figures
from reunite.figures.service import FUNNEL, WINDOWS, Dashboard, Period
from reunite.parties.models import Party
from reunite.records.models import Record
from reunite.review.models import MatchCandidate, MatchDecision

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CHUNK = 20_000
# How far along the way home the generated cases got (weights), and the endings.
REACH = [(CaseStatus.OPEN, 10), (CaseStatus.TRACING, 40), (CaseStatus.LOCATED, 10),
         (CaseStatus.VERIFIED, 5), (CaseStatus.CONTACT_ESTABLISHED, 5),
         (CaseStatus.RETURN_APPROVED, 3), (CaseStatus.IN_TRANSIT, 1),
         (CaseStatus.REUNITED, 4), (CaseStatus.FOLLOW_UP, 8), (CaseStatus.CLOSED, 6),
         (CaseStatus.DECLINED, 5), (CaseStatus.DUPLICATE, 3)]  # fmt: skip
WAY = [*FUNNEL, CaseStatus.FOLLOW_UP, CaseStatus.CLOSED]


def _store(session: Session, table: Any, names: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert rows, filling the columns they leave out with the columns' own defaults."""
    if not rows:
        return
    missing = [
        column for column in table.columns
        if column.name not in names and column.default is not None and not column.primary_key
    ]  # fmt: skip
    defaults = tuple(
        column.default.arg if column.default.is_scalar else column.default.arg(None)
        for column in missing
    )
    insert_rows(
        session, table, [*names, *(c.name for c in missing)], [row + defaults for row in rows]
    )


def _ids(engine: Engine) -> tuple[int, int, int, int]:
    with engine.begin() as connection:
        requesting = connection.scalar(
            insert(Party).values(name="Ukraine", role="requesting").returning(Party.id)
        )
        custodial = connection.scalar(
            insert(Party).values(name="Russian Federation", role="custodial").returning(Party.id)
        )
        batch = connection.scalar(
            insert(Batch).values(party_id=requesting, kind="requests", sha256="0" * 64,
                                 filename="bench", file_format="csv").returning(Batch.id)
        )  # fmt: skip
        user = connection.scalar(
            insert(User)
            .values(username="bench", password_hash="x", role="caseworker")
            .returning(User.id)
        )
        round_id = connection.scalar(
            insert(ReturnRound)
            .values(name="bench", planned_on=NOW.date())
            .returning(ReturnRound.id)
        )
        for party in (requesting, custodial):
            connection.execute(
                insert(Batch),
                [{"party_id": party, "kind": "disclosures", "sha256": f"{party:02d}{i:062d}",
                  "filename": "list.csv", "file_format": "csv",
                  "received_at": NOW - timedelta(days=i), "rows_read": 1000 + i,
                  "rows_rejected": i % 17} for i in range(1, 200)],
            )  # fmt: skip
    assert requesting and batch and user and round_id
    return batch, user, round_id, requesting


def fill(engine: Engine, cases: int, events: int, seed: int) -> None:
    """Store the cases, their timelines, handovers, matches, lists and messages."""
    rng = random.Random(seed)
    batch, user, round_id, party = _ids(engine)
    statuses, weights = zip(*REACH, strict=True)
    # The opened event and each change of status; notes fill up to the events asked for.
    steps = sum(w * (WAY.index(s) + 1 if s in WAY else 3) for s, w in REACH) / sum(weights)
    extra_per_case = max(events / cases - steps, 0)
    factory = session_factory(engine)
    done_events = 0
    case_id = 0
    event_id = 0
    candidate_id = 0
    while case_id < cases:
        records: list[tuple[Any, ...]] = []
        rows: list[tuple[Any, ...]] = []
        timeline: list[tuple[Any, ...]] = []
        members: list[tuple[Any, ...]] = []
        candidates: list[tuple[Any, ...]] = []
        decisions: list[tuple[Any, ...]] = []
        messages: list[tuple[Any, ...]] = []
        for _ in range(min(CHUNK, cases - case_id)):
            case_id += 1
            record = uuid.uuid4()
            records.append((record, party, "requests", f"UA-{case_id}", batch, batch))
            final = rng.choices(statuses, weights)[0]
            opened = NOW - timedelta(days=rng.uniform(1, 900))
            at = opened
            event_id += 1
            timeline.append((event_id, case_id, opened, "opened", None, "open"))
            path = WAY[1 : WAY.index(final) + 1] if final in WAY else [CaseStatus.TRACING, final]
            previous = CaseStatus.OPEN
            handed = None
            located_at = None
            for status in path:
                at = min(at + timedelta(days=rng.expovariate(1 / 20)), NOW)
                event_id += 1
                timeline.append((event_id, case_id, at, "transition", previous, status))
                if status == CaseStatus.REUNITED:
                    handed = at
                if status == CaseStatus.LOCATED:
                    located_at = at
                previous = status
            for _ in range(int(extra_per_case) + (rng.random() < extra_per_case % 1)):
                event_id += 1
                timeline.append((event_id, case_id, opened + (at - opened) * rng.random(),
                                 "note", None, None))  # fmt: skip
            adult = rng.random() < 0.08
            rows.append((case_id, record, final, at, "adult" if adult else "minor",
                         (not adult) and rng.random() < 0.03, opened, at))  # fmt: skip
            if handed is not None:
                members.append((case_id, round_id, case_id, handed))
            if located_at is not None:
                candidate_id += 1
                candidates.append((candidate_id, record, record, 0.9, "match", "confirmed"))
                decisions.append((candidate_id, "confirmed", user, located_at))
            if final in (CaseStatus.CONTACT_ESTABLISHED, CaseStatus.RETURN_APPROVED):
                state = rng.choice(["submitted", "approved", "delivered", "read"])
                messages.append((case_id, "to_child", state, "Mother", "Child", "We love you"))
        done_events += len(timeline)
        with factory() as session, session.begin():
            _store(session, Record.__table__, ["id", "party_id", "kind", "external_id",
                        "created_batch_id", "updated_batch_id"], records)  # fmt: skip
            _store(session, Case.__table__, ["id", "request_id", "status", "status_since",
                        "track", "turning_adult", "opened_at", "updated_at"], rows)  # fmt: skip
            _store(session, CaseEvent.__table__, ["id", "case_id", "at", "kind",
                        "from_status", "to_status"], timeline)  # fmt: skip
            _store(
                session,
                RoundMember.__table__,
                ["id", "round_id", "case_id", "handed_over_at"],
                members,
            )
            _store(session, MatchCandidate.__table__, ["id", "request_id", "disclosed_id",
                        "probability", "engine_decision", "status"], candidates)  # fmt: skip
            _store(
                session,
                MatchDecision.__table__,
                ["candidate_id", "decision", "decided_by", "decided_at"],
                decisions,
            )
            _store(session, ChannelMessage.__table__, ["case_id", "direction", "state",
                        "sender_name", "recipient_name", "text"], messages)  # fmt: skip
    if engine.dialect.name == "postgresql":
        # As autovacuum would after a bulk load: statistics, and the visibility map that lets
        # an index be read without the table.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in (
                "cases",
                "case_events",
                "round_members",
                "match_candidates",
                "match_decisions",
                "channel_messages",
                "batches",
                "records",
            ):
                connection.execute(text(f"VACUUM ANALYZE {table}"))
    print(f"{cases:,} cases and {done_events:,} events stored")


def naive(session: Session, now: datetime, period: Period) -> dict[str, Any]:
    """The peer: every row through the ORM, the figures counted in Python."""
    by_status: Counter[str] = Counter()
    cases = {case.id: case for case in session.scalars(select(Case))}
    for case in cases.values():
        by_status[case.status] += 1
    handovers = [
        m.handed_over_at for m in session.scalars(select(RoundMember))
        if m.handed_over_at is not None and m.removed_at is None
    ]  # fmt: skip
    windows = [
        sum(1 for h in handovers if now - timedelta(hours=hours) < h <= now) for hours in WINDOWS
    ]
    months: Counter[int] = Counter(
        h.year * 100 + h.month for h in handovers if period.start <= h < period.end
    )
    confirmed: dict[int, datetime] = {}
    statuses = {c.id: c.status for c in session.scalars(select(MatchCandidate))}
    for decision in session.scalars(select(MatchDecision)):
        if decision.decision == "confirmed" and statuses[decision.candidate_id] == "confirmed":
            at = confirmed.get(decision.candidate_id)
            confirmed[decision.candidate_id] = (
                max(at, decision.decided_at) if at else decision.decided_at
            )
    confirmed_months: Counter[int] = Counter(
        at.year * 100 + at.month for at in confirmed.values() if period.start <= at < period.end
    )
    per_case: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in session.scalars(select(CaseEvent).where(CaseEvent.kind == "transition")):
        per_case[event.case_id].append(event)
    rank = {status.value: i for i, status in enumerate(FUNNEL)}
    reached = [0] * len(FUNNEL)
    stays: dict[str, list[float]] = defaultdict(list)
    for case in cases.values():
        if case.status == CaseStatus.DUPLICATE:
            continue
        events = sorted(per_case.get(case.id, []), key=lambda e: (e.at, e.id))
        furthest = max([rank.get(e.to_status or "", -1) for e in events] + [0])
        for i in range(furthest + 1):
            reached[i] += 1
        entered = case.opened_at
        for event in events:
            if event.from_status in rank and period.start <= event.at < period.end:
                stays[event.from_status or ""].append((event.at - entered).total_seconds() / 86400)
            entered = event.at
    medians = {s: statistics.median(v) for s, v in stays.items()}
    lists: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for batch in session.scalars(select(Batch)):
        if period.start <= batch.received_at < period.end:
            row = lists[batch.party_id]
            row[0] += 1
            row[1] += batch.rows_read
            row[2] += batch.rows_rejected
    over = {"closed", "declined", "deceased", "duplicate", "transferred"}
    open_cases = [c for c in cases.values() if c.status not in over]
    messages = Counter(m.state for m in session.scalars(select(ChannelMessage)))
    return {
        "by_status": dict(by_status),
        "windows": windows,
        "months": {m: (months[m], confirmed_months[m]) for m in period.months},
        "reached": reached,
        "medians": medians,
        "lists": dict(lists),
        "adult": sum(1 for c in open_cases if c.track == "adult"),
        "turning": sum(1 for c in open_cases if c.turning_adult and c.track == "minor"),
        "messages": (messages["submitted"], messages["approved"]),
    }


def _same(board: Dashboard, peer: dict[str, Any]) -> bool:
    ours = {
        "by_status": {k: v for k, v in board.by_status.items() if v},
        "windows": [w.count for w in board.windows],
        "months": {m.month: (m.reunited, m.confirmed) for m in board.series},
        "reached": [s.reached for s in board.funnel],
        "lists": {r.party.id: [r.batches, r.rows, r.rejected] for r in board.lists if r.batches},
        "adult": board.adult_track,
        "turning": board.turning_adult,
        "messages": (board.awaiting_moderation, board.awaiting_delivery),
    }
    medians_agree = all(
        abs((stage.median_days or 0) - peer["medians"].get(stage.status.value, 0)) < 1e-3
        for stage in board.funnel
    )
    theirs = {key: peer[key] for key in ours}
    if ours != theirs:
        for key in ours:
            if ours[key] != theirs[key]:
                print(f"differ in {key}: {ours[key]} vs {theirs[key]}")
    return ours == theirs and medians_agree


@contextmanager
def database(postgres: str, folder: Path, keep: str = "") -> Iterator[Engine]:
    """Yield an engine on an empty, migrated database; remove it afterwards (unless kept)."""
    if not postgres:
        engine = make_engine(f"sqlite:///{folder / 'figures.db'}")
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    schema = keep or f"bench_figures_{uuid.uuid4().hex[:8]}"
    admin = make_engine(postgres)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    separator = "&" if "?" in postgres else "?"
    engine = make_engine(f"{postgres}{separator}options=-csearch_path%3D{schema}")
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        if not keep:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


PARTS = {
    "cases by status": lambda s, _p: figures.cases_by_status(s),
    "reunited in 24 h, 7 d, 30 d": lambda s, _p: [
        figures.reunited_within(s, hours=h, now=NOW) for h in WINDOWS
    ],
    "monthly series": lambda s, p: figures.monthly_series(s, period=p),
    "funnel and medians": lambda s, p: figures.funnel(s, period=p),
    "lists per party": lambda s, p: figures.lists_per_party(s, period=p),
    "information requests": lambda s, _p: figures.inquiries_per_party(s, today=NOW.date()),
    "adults, turning 18, messages": lambda s, _p: (
        figures.adult_track(s), figures.turning_adult(s),
        figures.messages_in(s, figures.MessageState.SUBMITTED),
    ),
}  # fmt: skip


def parts(engine: Engine, period: Period) -> None:
    """Print the time of each figure's query (the median of five runs)."""
    print("| figure | ms |")
    print("|---|---|")
    for name, run in PARTS.items():
        times = []
        for _ in range(5):
            with session_factory(engine)() as session:
                began = time.perf_counter()
                run(session, period)
                times.append((time.perf_counter() - began) * 1000)
        print(f"| {name} | {statistics.median(times):,.0f} |")


def _server_cpu(session: Session) -> float:
    """Return the CPU seconds the session's database backend used so far (-inf if unknown).

    The machine the bench runs on may be shared: wall-clock time then measures the queue for
    the cores as much as the queries. A PostgreSQL backend on this machine tells its own CPU
    time in /proc; added to this process's, it is what the dashboard costs, contention aside.
    """
    if session.get_bind().dialect.name != "postgresql":
        return float("-inf")
    pid = session.scalar(text("SELECT pg_backend_pid()"))
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("-inf")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    """Fill a database, compute the dashboard both ways, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--postgres", default="", help="postgresql://… (default: SQLite)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--peer-repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", default="", help="PostgreSQL: keep (or reuse) this schema")
    parser.add_argument("--parts", action="store_true", help="also time each figure alone")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as folder,
        database(args.postgres, Path(folder), args.keep) as engine,
    ):
        started = time.perf_counter()
        with session_factory(engine)() as session:
            filled = session.scalar(select(func.count()).select_from(Case)) or 0
        if not filled:
            fill(engine, args.cases, args.events, args.seed)
        print(f"{engine.dialect.name}: filled in {time.perf_counter() - started:.0f} s")
        period = figures.default_period(NOW)
        if args.parts:
            parts(engine, period)
        ours: list[float] = []
        cpu: list[float] = []
        board = None
        for _ in range(args.repeat):
            with session_factory(engine)() as session:
                server = _server_cpu(session)
                began, began_cpu = time.perf_counter(), time.process_time()
                board = figures.figures(session, now=NOW, period=period)
                ours.append(time.perf_counter() - began)
                cpu.append(time.process_time() - began_cpu + _server_cpu(session) - server)
        theirs: list[float] = []
        peer: dict[str, Any] = {}
        for _ in range(args.peer_repeat):
            with session_factory(engine)() as session:
                began = time.perf_counter()
                peer = naive(session, NOW, period)
                theirs.append(time.perf_counter() - began)
        assert board is not None
        if not _same(board, peer):
            print("the two ways disagree")
            return 1
        mine, naive_s = statistics.median(ours), statistics.median(theirs)
        print(
            "| database | cases | events | dashboard (SQL), median s | best s "
            "| naive ORM loop, s | SQL / naive |"
        )
        print("|---|---|---|---|---|---|---|")
        print(
            f"| {engine.dialect.name} | {args.cases:,} | {args.events:,} | {mine:.3f} "
            f"| {min(ours):.3f} | {naive_s:.2f} | {mine / naive_s:.3f}× |"
        )
        print(f"load average while it ran: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
        if min(cpu) >= 0:
            print(
                f"CPU time of the dashboard, this process and its database backend: median "
                f"{statistics.median(cpu):.3f} s, best {min(cpu):.3f} s"
            )
        print(f"same figures both ways; reunited in 24 h: {board.windows[0].count}, "
              f"cases: {board.cases:,}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
