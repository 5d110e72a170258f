"""The mediator's figures, counted in SQL from what the other domains recorded.

Nothing here is typed in: each figure is a query over the events the cases, rounds, review,
exchange, channel and information-request domains keep. Every query aggregates in the
database (GROUP BY; a window function for the stays between changes of status), so the
dashboard answers in under a second for 100,000 cases and a million events on PostgreSQL
(bench/figures_speed.py).

Times are UTC throughout: "the last 24 hours" is the 24 hours before `now`, to the
microsecond, whatever the viewer's time zone (pages show the window in theirs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from reunite.auth.principal import Principal
from reunite.cases.enums import CaseStatus, EventKind, Track
from reunite.cases.models import Case, CaseEvent, RoundMember
from reunite.cases.rules import WAY_HOME
from reunite.channel.enums import MessageState
from reunite.channel.models import ChannelMessage
from reunite.db.base import utcnow
from reunite.errors import NotFound
from reunite.exchange.models import Batch
from reunite.figures._sql import days_between, dialect_of, median_by_group, utc_month
from reunite.figures.inquiries import PartyInquiries, inquiries_per_party
from reunite.parties.models import Party
from reunite.review.enums import CandidateStatus, Decision
from reunite.review.models import MatchCandidate, MatchDecision

# The windows of "reunited in the last …" (issue 11), in hours.
WINDOWS = (24, 7 * 24, 30 * 24)
# How many months the time series covers when no period is given.
DEFAULT_MONTHS = 12
# The funnel: the way home up to the handover (follow-up and closing come after home).
FUNNEL = WAY_HOME[: WAY_HOME.index(CaseStatus.REUNITED) + 1]


@dataclass(frozen=True)
class Period:
    """A span of time, start included, end excluded, in UTC."""

    start: datetime
    end: datetime

    @property
    def months(self) -> list[int]:
        """Return each month the period touches, as year * 100 + month."""
        months: list[int] = []
        year, month = self.start.year, self.start.month
        last = self.end - timedelta(microseconds=1)
        while (year, month) <= (last.year, last.month):
            months.append(year * 100 + month)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


def default_period(now: datetime, months: int = DEFAULT_MONTHS) -> Period:
    """Return the last `months` whole months and the current one, to `now`."""
    year, month = now.year, now.month - (months - 1)
    while month < 1:
        year, month = year - 1, month + 12
    # The end is excluded: a moment after `now`, so that what happened at `now` counts.
    return Period(start=datetime(year, month, 1, tzinfo=UTC), end=now + timedelta(microseconds=1))


def period_of(start: date | None, end: date | None, *, now: datetime) -> Period:
    """Return the period from one day to another (both included), UTC; open ends defaulted."""
    default = default_period(now)
    begins = datetime(start.year, start.month, start.day, tzinfo=UTC) if start else default.start
    ends = (
        datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=1)
        if end
        else default.end
    )
    return Period(start=begins, end=max(ends, begins))


@dataclass(frozen=True)
class Window:
    """Children handed over to their families in the `hours` before `end`."""

    hours: int
    start: datetime
    end: datetime
    count: int


@dataclass(frozen=True)
class MonthCount:
    """A month (year * 100 + month) and its two counts."""

    month: int
    reunited: int
    confirmed: int

    @property
    def label(self) -> str:
        """Return the month as people write it in figures: 2025-10."""
        return f"{self.month // 100:04d}-{self.month % 100:02d}"


@dataclass(frozen=True)
class Stage:
    """A step of the way home: how many cases got this far, and how long the stay lasted."""

    status: CaseStatus
    reached: int
    # The median days a case spent at this step before moving on (None: none moved on yet).
    median_days: float | None
    # How many stays the median is taken over.
    stays: int


@dataclass(frozen=True)
class PartyLists:
    """The lists one party sent: how many, how many rows, how many rows were rejected, and
    how many came without a signature (GC IV art. 137 asks that they be authenticated)."""

    party: Party
    batches: int
    rows: int
    rejected: int
    unsigned: int = 0

    @property
    def rejected_share(self) -> float:
        """Return the share of rows rejected, 0 to 1 (0 when no rows came)."""
        return self.rejected / self.rows if self.rows else 0.0


@dataclass(frozen=True)
class Dashboard:
    """Every figure of the mediator's dashboard, as of `now`."""

    now: datetime
    period: Period
    by_status: dict[str, int]
    windows: list[Window]
    series: list[MonthCount]
    funnel: list[Stage]
    lists: list[PartyLists]
    inquiries: list[PartyInquiries]
    adult_track: int
    turning_adult: int
    awaiting_moderation: int
    awaiting_delivery: int

    @property
    def cases(self) -> int:
        """Return how many cases there are, whatever their status."""
        return sum(self.by_status.values())


def _staff(principal: Principal) -> None:
    # Figures per party tell how an exchange is going: the mediator's own business.
    if not principal.is_staff:
        raise NotFound("no such page")


def dashboard(
    session: Session,
    *,
    principal: Principal,
    now: datetime | None = None,
    period: Period | None = None,
) -> Dashboard:
    """Return every figure of the dashboard (the mediator's staff only)."""
    _staff(principal)
    return figures(session, now=now, period=period)


def figures(
    session: Session, *, now: datetime | None = None, period: Period | None = None
) -> Dashboard:
    """Return every figure of the dashboard, for a caller already allowed (the CLI, a page)."""
    now = now or utcnow()
    period = period or default_period(now)
    return Dashboard(
        now=now,
        period=period,
        by_status=cases_by_status(session),
        windows=[reunited_within(session, hours=hours, now=now) for hours in WINDOWS],
        series=monthly_series(session, period=period),
        funnel=funnel(session, period=period),
        lists=lists_per_party(session, period=period),
        inquiries=inquiries_per_party(session, today=now.date()),
        adult_track=adult_track(session),
        turning_adult=turning_adult(session),
        awaiting_moderation=messages_in(session, MessageState.SUBMITTED),
        awaiting_delivery=messages_in(session, MessageState.APPROVED),
    )


def cases_by_status(session: Session) -> dict[str, int]:
    """Return how many cases stand at each status (every status, zeros included)."""
    rows = session.execute(select(Case.status, func.count()).group_by(Case.status)).all()
    counted = dict(rows)
    return {status.value: counted.get(status.value, 0) for status in CaseStatus}


def _handed_over(start: datetime, end: datetime) -> ColumnElement[bool]:
    # A handover is the moment a child is with the family: round_members.handed_over_at,
    # written once by cases.service.record_handover (with its "handover" case event).
    return and_(
        RoundMember.handed_over_at.is_not(None),
        RoundMember.handed_over_at > start,
        RoundMember.handed_over_at <= end,
        RoundMember.removed_at.is_(None),
    )


def reunited_within(session: Session, *, hours: int, now: datetime) -> Window:
    """Return how many children were handed over in the `hours` up to `now` (exact, UTC)."""
    start = now - timedelta(hours=hours)
    count = session.scalar(select(func.count()).where(_handed_over(start, now))) or 0
    return Window(hours=hours, start=start, end=now, count=count)


def monthly_series(session: Session, *, period: Period) -> list[MonthCount]:
    """Return, for each month of the period, the children reunited and the matches confirmed.

    A confirmed match counts in the month of its last confirmation, and only while it stands
    confirmed: a reversed one no longer counts.
    """
    handed = RoundMember.handed_over_at
    reunited_month = utc_month(handed)
    reunited = session.execute(
        select(reunited_month, func.count())
        .where(
            handed.is_not(None),
            handed >= period.start,
            handed < period.end,
            RoundMember.removed_at.is_(None),
        )
        .group_by(reunited_month)
    ).all()
    confirmed_at = (
        select(func.max(MatchDecision.decided_at).label("at"))
        .join(MatchCandidate, MatchCandidate.id == MatchDecision.candidate_id)
        .where(
            MatchDecision.decision == Decision.CONFIRMED,
            MatchCandidate.status == CandidateStatus.CONFIRMED,
        )
        .group_by(MatchDecision.candidate_id)
        .subquery()
    )
    confirmed_month = utc_month(confirmed_at.c.at)
    confirmed = session.execute(
        select(confirmed_month, func.count())
        .where(confirmed_at.c.at >= period.start, confirmed_at.c.at < period.end)
        .group_by(confirmed_month)
    ).all()
    by_reunited = {int(month): count for month, count in reunited}
    by_confirmed = {int(month): count for month, count in confirmed}
    return [
        MonthCount(month, by_reunited.get(month, 0), by_confirmed.get(month, 0))
        for month in period.months
    ]


def _rank_of_status(
    column: ColumnElement[str | None] | InstrumentedAttribute[str | None],
) -> ColumnElement[int]:
    return case({status.value: rank for rank, status in enumerate(FUNNEL)}, value=column, else_=-1)


def funnel(session: Session, *, period: Period | None = None) -> list[Stage]:
    """Return the way home step by step: cases that got this far, median days at each step.

    "Got this far" is the furthest step of the way home a case ever reached (a case located
    straight from open still passed tracing's place in the funnel; one sent back to tracing
    keeps the step it reached). Duplicates are the same child counted once: left out. The
    days at a step run from entering it (the case's "opened" event, for open) to the next
    change of status; the medians are of the stays that ended in the period, if one is
    given (how long the steps take now, not years ago).

    Each of the two queries reads one partial index in its own order, never the notes and
    tasks, and neither sorts the events: how far cases got reads the statuses they reached
    (`ix_case_events_reached`, by case), the stays read the cases' ways (`ix_case_events_way`:
    openings and changes of status, by case and time). Two passes cost less than one that
    feeds both figures (bench/RESULTS.md): the furthest step needs no window function, and
    a window or CTE shared by both costs more per event than a second, smaller index walk.
    """
    if dialect_of(session) == "postgresql":
        # The medians sort over a hundred thousand stays: in memory, not in files on disk.
        session.execute(text("SET LOCAL work_mem = '64MB'"))
    duplicates = select(Case.id).where(Case.status == CaseStatus.DUPLICATE)
    stages_at = _furthest_steps(session, duplicates)
    by_stage = _stays(session, duplicates, period)
    cases = session.scalar(select(func.count()).where(Case.status != CaseStatus.DUPLICATE)) or 0
    reached: list[int] = []
    total = 0
    # A case that reached step r also passed every step before it: counts accumulate down.
    for rank in reversed(range(len(FUNNEL))):
        total += stages_at.get(rank, 0)
        reached.append(total)
    reached.reverse()
    # Cases with no change of status at all stand at open.
    reached[0] = cases
    stages: list[Stage] = []
    for rank, (status, count) in enumerate(zip(FUNNEL, reached, strict=True)):
        median, n = by_stage.get(rank, (None, 0))
        stages.append(Stage(status=status, reached=count, median_days=median, stays=n))
    return stages


def _furthest_steps(session: Session, duplicates: Select[int]) -> dict[int, int]:
    """Return, by rank of step, how many cases (duplicates left out) got that far and no further."""
    # The changes of status come out of the index grouped by case: the grouping streams.
    furthest = (
        select(
            CaseEvent.case_id,
            # -1: only an ending beyond open (declined, say): the case reached open alone.
            func.max(_rank_of_status(CaseEvent.to_status)).label("rank"),
        )
        .where(CaseEvent.kind == _TRANSITION)
        .group_by(CaseEvent.case_id)
        .subquery()
    )
    # Duplicates are a few cases: leaving them out after the grouping tests each case once,
    # not each of its events.
    rows = session.execute(
        select(furthest.c.rank, func.count())
        .where(furthest.c.case_id.not_in(duplicates))
        .group_by(furthest.c.rank)
    ).all()
    return {int(rank): int(n) for rank, n in rows if rank is not None}


def _stays(
    session: Session, duplicates: Select[int], period: Period | None
) -> dict[int, tuple[float, int]]:
    """Return, by rank of step, the median days a stay there lasted and how many stays."""
    entered = func.lag(CaseEvent.at).over(
        partition_by=CaseEvent.case_id, order_by=(CaseEvent.at, CaseEvent.id)
    )
    walk = (
        select(
            CaseEvent.case_id,
            CaseEvent.kind,
            CaseEvent.from_status,
            CaseEvent.at,
            entered.label("entered"),
        )
        .where(CaseEvent.kind.in_(_WAY))
        .subquery()
    )
    ended: list[ColumnElement[bool]] = []
    if period is not None:
        ended = [walk.c.at >= period.start, walk.c.at < period.end]
    stays = (
        select(
            # Grouped by the step's rank, not its name: integers sort faster than text
            # compared by the database's collation.
            _rank_of_status(walk.c.from_status).label("group"),
            days_between(walk.c.at, walk.c.entered).label("value"),
        )
        .where(
            walk.c.kind == _TRANSITION,
            walk.c.entered.is_not(None),
            walk.c.from_status.in_([status.value for status in FUNNEL]),
            *ended,
            # After the window, on the stays left: a case's stays depend on its own events
            # alone, so leaving duplicates out here changes no other case's.
            walk.c.case_id.not_in(duplicates),
        )
        .subquery()
    )
    rows = session.execute(median_by_group(stays, dialect_of(session))).all()
    return {int(rank): (float(median), int(n)) for rank, median, n in rows}


# Literals, not parameters: the planner then matches the partial index of the cases' ways.
_TRANSITION: ColumnElement[str] = literal_column(f"'{EventKind.TRANSITION.value}'")
_WAY = [_TRANSITION, literal_column(f"'{EventKind.OPENED.value}'")]


def lists_per_party(session: Session, *, period: Period | None = None) -> list[PartyLists]:
    """Return, per party, the lists received (in the period), their rows, the rows rejected."""
    conditions: list[ColumnElement[bool]] = []
    if period is not None:
        conditions = [Batch.received_at >= period.start, Batch.received_at < period.end]
    counted = (
        select(
            Batch.party_id,
            func.count().label("batches"),
            func.coalesce(func.sum(Batch.rows_read), 0).label("rows"),
            func.coalesce(func.sum(Batch.rows_rejected), 0).label("rejected"),
            func.count(Batch.id).filter(Batch.signed_key_id.is_(None)).label("unsigned"),
        )
        .where(*conditions)
        .group_by(Batch.party_id)
        .subquery()
    )
    rows = session.execute(
        select(Party, counted.c.batches, counted.c.rows, counted.c.rejected, counted.c.unsigned)
        .outerjoin(counted, counted.c.party_id == Party.id)
        .order_by(Party.name)
    ).all()
    return [
        PartyLists(
            party=party,
            batches=batches or 0,
            rows=int(rows_ or 0),
            rejected=int(rej or 0),
            unsigned=int(unsigned or 0),
        )
        for party, batches, rows_, rej, unsigned in rows
    ]


def adult_track(session: Session) -> int:
    """Return how many open cases are on the adult track (turned 18 since separation)."""
    return (
        session.scalar(
            select(func.count()).where(Case.track == Track.ADULT, Case.status.not_in(_OVER))
        )
        or 0
    )


def turning_adult(session: Session) -> int:
    """Return how many open minors' cases are flagged as turning 18 within 90 days."""
    return (
        session.scalar(
            select(func.count()).where(
                Case.turning_adult.is_(True), Case.track == Track.MINOR, Case.status.not_in(_OVER)
            )
        )
        or 0
    )


def messages_in(session: Session, state: MessageState) -> int:
    """Return how many family news messages stand in a state (waiting for moderation, …)."""
    return session.scalar(select(func.count()).where(ChannelMessage.state == state)) or 0


# Cases that are over: the adult-track and turning-18 counts are of people still on the way.
_OVER: Sequence[str] = (
    CaseStatus.CLOSED,
    CaseStatus.DECLINED,
    CaseStatus.DECEASED,
    CaseStatus.DUPLICATE,
    CaseStatus.TRANSFERRED,
)
