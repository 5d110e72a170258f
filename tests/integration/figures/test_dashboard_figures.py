"""Each figure of the dashboard against a history counted by hand (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from reunite.auth.principal import Principal
from reunite.auth.service import create_user, principal_of
from reunite.errors import NotFound
from reunite.figures import service as figures
from reunite.figures.service import Period

from building import NOW, History, new_history

DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)


@pytest.fixture
def history(session: Session) -> History:
    return new_history(session)


def _reunited(history: History, at: datetime | None) -> None:
    case = history.case(
        ("in_transit", NOW - 3 * DAY), ("reunited", at or NOW), opened=NOW - 90 * DAY
    )
    history.handover(case, at)


def test_reunited_in_the_last_24_hours_7_and_30_days_counts_handovers_exactly(
    history: History,
) -> None:
    _reunited(history, NOW)  # the very moment: in every window
    _reunited(history, NOW - 24 * 3600 * SECOND + SECOND)  # 23:59:59 ago: in
    _reunited(history, NOW - 24 * 3600 * SECOND)  # exactly 24 hours ago: out of the 24 h
    _reunited(history, NOW - 7 * DAY + SECOND)  # in 7 days
    _reunited(history, NOW - 7 * DAY)  # exactly 7 days: only in 30 days
    _reunited(history, NOW - 29 * DAY)
    _reunited(history, NOW - 31 * DAY)  # in no window
    _reunited(history, NOW + SECOND)  # recorded with a clock ahead: not yet
    _reunited(history, None)  # still travelling
    windows = {w.hours: w.count for w in [
        figures.reunited_within(history.session, hours=h, now=NOW) for h in (24, 168, 720)
    ]}  # fmt: skip
    assert windows == {24: 2, 168: 4, 720: 6}
    window = figures.reunited_within(history.session, hours=24, now=NOW)
    assert window.start == NOW - DAY and window.end == NOW


def test_a_child_taken_out_of_a_round_is_not_counted(history: History) -> None:
    case = history.case(("return_approved", NOW - 3 * DAY), opened=NOW - 9 * DAY)
    history.handover(case, NOW - SECOND, removed=True)
    assert figures.reunited_within(history.session, hours=24, now=NOW).count == 0


def test_the_monthly_series_counts_in_utc_months_whatever_the_session_zone(
    history: History,
) -> None:
    session = history.session
    if session.get_bind().dialect.name == "postgresql":
        # Auckland is 13 hours ahead: a month taken in the session's zone would move.
        session.execute(text("SET LOCAL TIME ZONE 'Pacific/Auckland'"))
    _reunited(history, NOW)  # 2025-10
    _reunited(history, datetime(2025, 10, 1, 0, 0, tzinfo=UTC))  # the first instant of October
    _reunited(history, datetime(2025, 9, 30, 23, 30, tzinfo=UTC))  # October in Kyiv, not UTC
    _reunited(history, datetime(2025, 9, 2, tzinfo=UTC))
    _reunited(history, datetime(2024, 10, 31, 23, 59, tzinfo=UTC))  # before the 12 months
    history.confirmation(("confirmed", datetime(2025, 10, 1, 9, tzinfo=UTC)))
    # Confirmed, then rejected: not a confirmed match any more.
    history.confirmation(
        ("confirmed", datetime(2025, 8, 5, tzinfo=UTC)),
        ("rejected", datetime(2025, 8, 6, tzinfo=UTC)),
        status="rejected",
    )
    # Confirmed, rejected, confirmed again: counts once, in the month of the last confirmation.
    history.confirmation(
        ("confirmed", datetime(2025, 6, 30, tzinfo=UTC)),
        ("rejected", datetime(2025, 7, 2, tzinfo=UTC)),
        ("confirmed", datetime(2025, 7, 20, tzinfo=UTC)),
    )
    history.confirmation(("confirmed", datetime(2024, 1, 1, tzinfo=UTC)))  # before the period
    series = figures.monthly_series(session, period=figures.default_period(NOW))
    assert [m.label for m in series][0] == "2024-11" and series[-1].label == "2025-10"
    assert len(series) == 12
    by_month = {m.label: (m.reunited, m.confirmed) for m in series}
    assert by_month["2025-10"] == (2, 1)
    assert by_month["2025-09"] == (2, 0)
    assert by_month["2025-08"] == (0, 0)
    assert by_month["2025-07"] == (0, 1)
    assert by_month["2025-06"] == (0, 0)
    assert sum(m.reunited for m in series) == 4 and sum(m.confirmed for m in series) == 2


def test_a_period_of_days_includes_its_last_day() -> None:
    period = figures.period_of(datetime(2025, 9, 1).date(), datetime(2025, 9, 30).date(), now=NOW)
    assert period == Period(datetime(2025, 9, 1, tzinfo=UTC), datetime(2025, 10, 1, tzinfo=UTC))
    assert period.months == [202509]


def test_the_funnel_counts_how_far_cases_came_and_the_median_days_at_each_step(
    history: History,
) -> None:
    d0 = NOW - 50 * DAY
    history.case(("tracing", d0 + 2 * DAY), ("located", d0 + 6 * DAY), opened=d0)
    history.case(("located", d0 + 4 * DAY), ("verified", d0 + 10 * DAY), opened=d0)
    history.case(("tracing", d0 + 4 * DAY), ("declined", d0 + 5 * DAY), opened=d0)
    history.case(opened=d0)
    # The same child as another case: counted once, there.
    history.case(("duplicate", d0 + 1 * DAY), opened=d0)
    # Located, sent back to tracing when the match was reversed, located again.
    history.case(
        ("tracing", d0 + 1 * DAY), ("located", d0 + 3 * DAY), ("tracing", d0 + 4 * DAY),
        ("located", d0 + 12 * DAY), opened=d0,
    )  # fmt: skip
    stages = {stage.status.value: stage for stage in figures.funnel(history.session)}
    reached = {status: stage.reached for status, stage in stages.items()}
    assert reached == {
        "open": 5, "tracing": 4, "located": 3, "verified": 1, "contact_established": 0,
        "return_approved": 0, "in_transit": 0, "reunited": 0,
    }  # fmt: skip
    # Days in open: 2, 4, 4, 1 → median 3 of 4 stays (the duplicate's day is not counted).
    assert stages["open"].median_days == pytest.approx(3.0)
    assert stages["open"].stays == 4
    # In tracing: 4 (2→6), 1 (4→5), 2 (1→3), 8 (4→12) → median 3.
    assert stages["tracing"].median_days == pytest.approx(3.0)
    # In located: 6 (4→10), 1 (3→4) → median 3.5.
    assert stages["located"].median_days == pytest.approx(3.5)
    assert stages["verified"].median_days is None and stages["verified"].stays == 0
    # Over a period: only the stays that ended in it (open: the two that left on day 4).
    recent = figures.funnel(history.session, period=Period(d0 + 3 * DAY, NOW))
    assert recent[0].median_days == pytest.approx(4.0) and recent[0].stays == 2
    assert [stage.reached for stage in recent] == [stage.reached for stage in stages.values()]


def test_lists_per_party_with_rows_and_the_share_rejected(history: History) -> None:
    history.lists(history.requesting, 100, 5, NOW - 10 * DAY)
    history.lists(history.requesting, 50, 0, NOW - 20 * DAY, signed_by=None)
    history.lists(history.requesting, 7, 0, NOW - 30 * DAY, signed_by="ed25519:abcd")
    history.lists(history.custodial, 10, 10, NOW - DAY)
    lists = {
        row.party.name: row
        for row in figures.lists_per_party(history.session, period=figures.default_period(NOW))
    }
    ukraine, russia = lists["Ukraine"], lists["Russia"]
    # The seed lists were received 400 days ago, before the period.
    assert (ukraine.batches, ukraine.rows, ukraine.rejected) == (3, 157, 5)
    assert ukraine.rejected_share == pytest.approx(5 / 157)
    assert ukraine.unsigned == 2 and russia.unsigned == 1
    assert (russia.batches, russia.rows, russia.rejected, russia.rejected_share) == (1, 10, 10, 1.0)
    everything = {row.party.name: row.batches for row in figures.lists_per_party(history.session)}
    assert everything == {"Ukraine": 4, "Russia": 2}


def test_adult_track_turning_18_and_messages_waiting(history: History) -> None:
    when = NOW - 5 * DAY
    on_track = history.case(("tracing", when), opened=when, track="adult")
    history.case(("tracing", when), ("declined", when + DAY), opened=when, track="adult")
    history.case(("tracing", when), opened=when, turning_adult=True)
    history.case(("duplicate", when), opened=when, turning_adult=True)
    history.case(opened=when)
    session = history.session
    assert figures.adult_track(session) == 1
    assert figures.turning_adult(session) == 1
    for state in ("submitted", "submitted", "approved", "delivered", "draft", "read"):
        history.message(on_track, state)
    assert figures.messages_in(session, figures.MessageState.SUBMITTED) == 2
    assert figures.messages_in(session, figures.MessageState.APPROVED) == 1
    by_status = figures.cases_by_status(session)
    assert by_status["tracing"] == 2 and by_status["declined"] == 1
    assert by_status["duplicate"] == 1 and by_status["open"] == 1
    assert by_status["closed"] == 0 and sum(by_status.values()) == 5


def test_information_requests_per_party_open_answered_overdue_and_time_to_answer(
    history: History,
) -> None:
    today = NOW.date()
    ukraine, russia = history.requesting, history.custodial
    history.inquiry(russia, "open", asked=NOW - 3 * DAY, due=today)  # due today: not late
    history.inquiry(russia, "open", asked=NOW - 9 * DAY, due=today - DAY)  # a day late
    history.inquiry(russia, "open", asked=NOW - 9 * DAY, due=today - 5 * DAY)
    for days in (2, 4, 9):  # answered after 2, 4 and 9 days: the median is 4
        history.inquiry(russia, "answered", asked=NOW - 20 * DAY, due=today,
                        answered=NOW - 20 * DAY + days * DAY)  # fmt: skip
    history.inquiry(russia, "withdrawn", asked=NOW - 9 * DAY, due=today - DAY)
    history.inquiry(ukraine, "answered", asked=NOW - 6 * DAY, due=today,
                    answered=NOW - 5 * DAY)  # fmt: skip
    history.inquiry(ukraine, "answered", asked=NOW - 6 * DAY, due=today,
                    answered=NOW - 3 * DAY)  # fmt: skip
    lines = {
        line.party.name: line for line in figures.inquiries_per_party(history.session, today=today)
    }
    assert set(lines) == {"Russia", "Ukraine"}
    russian = lines["Russia"]
    assert (russian.open, russian.overdue, russian.answered) == (1, 2, 3)
    assert russian.median_days == pytest.approx(4.0)
    ukrainian = lines["Ukraine"]
    assert (ukrainian.open, ukrainian.overdue, ukrainian.answered) == (0, 0, 2)
    assert ukrainian.median_days == pytest.approx(2.0)  # 1 and 3 days: their mean


def _principal(session: Session, role: str, party: str | None = None) -> Principal:
    user = create_user(
        session, username=f"u-{role}", password="correct horse battery", role=role,
        party_name=party,
    )  # fmt: skip
    return principal_of(session, user)


def test_the_dashboard_is_the_mediators_alone(history: History) -> None:
    session = history.session
    _reunited(history, NOW - SECOND)
    board = figures.dashboard(session, principal=_principal(session, "admin"), now=NOW)
    assert board.windows[0].count == 1 and board.cases == 1
    for role, party in (("liaison", "Ukraine"), ("auditor", None), ("family", "Ukraine")):
        with pytest.raises(NotFound):
            figures.dashboard(session, principal=_principal(session, role, party), now=NOW)
