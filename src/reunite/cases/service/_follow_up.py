"""Follow-up after a child is home: visits due on days after the handover, done or waived.

The days come from the settings (`follow_up_days`, by default 2 weeks, 3 months and 6
months). The first visit done or waived moves a reunited case to follow_up; closing the case
needs every visit done or waived with a reason (cases.service._requirements).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth.principal import Principal
from reunite.cases.access import get_visible_case
from reunite.cases.enums import CaseStatus, EventKind
from reunite.cases.models import Case, FollowUpVisit
from reunite.cases.service._common import (
    add_event,
    audit_case,
    move,
    reason_of,
    staff_only,
    text_of,
)
from reunite.db.base import utcnow
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.settings import get_settings
from reunite.vocabulary import N_, Message, say


def schedule_visits(
    session: Session,
    *,
    principal: Principal | None,
    case: Case,
    start: date,
    days: list[int] | None = None,
) -> list[FollowUpVisit]:
    """Schedule a case's follow-up visits, counted from the handover (once per case)."""
    if session.scalar(select(FollowUpVisit.id).where(FollowUpVisit.case_id == case.id).limit(1)):
        return []
    offsets = sorted(set(days if days is not None else get_settings().follow_up_days))
    visits = [FollowUpVisit(case_id=case.id, due_on=start + timedelta(days=d)) for d in offsets]
    session.add_all(visits)
    session.flush()
    if visits:
        add_event(
            session,
            case=case,
            kind=EventKind.FOLLOW_UP,
            actor=principal,
            details={"scheduled": [v.due_on.isoformat() for v in visits]},
        )
    return visits


def add_visit(
    session: Session, *, principal: Principal, case_id: int, due_on: date
) -> FollowUpVisit:
    """Add a visit to a case that is home (one more than the schedule gave)."""
    staff_only(principal)
    case = get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
    if case.status not in (CaseStatus.REUNITED, CaseStatus.FOLLOW_UP):
        raise Conflict(say(N_("follow-up visits are for children who are home")))
    visit = FollowUpVisit(case_id=case.id, due_on=due_on)
    session.add(visit)
    session.flush()
    add_event(
        session,
        case=case,
        kind=EventKind.FOLLOW_UP,
        actor=principal,
        details={"scheduled": [due_on.isoformat()]},
    )
    return visit


def _open_visit(
    session: Session, principal: Principal, visit_id: int
) -> tuple[FollowUpVisit, Case]:
    staff_only(principal)
    visit = session.get(FollowUpVisit, visit_id, with_for_update=True)
    if visit is None:
        raise NotFound("no such visit")
    case = get_visible_case(session, principal=principal, case_id=visit.case_id, for_update=True)
    if visit.done_on is not None or visit.waived_reason:
        raise Conflict(say(N_("this visit is recorded already")))
    return visit, case


def _into_follow_up(session: Session, principal: Principal, case: Case) -> None:
    if case.status == CaseStatus.REUNITED:
        move(
            session,
            case=case,
            to=CaseStatus.FOLLOW_UP,
            actor=principal,
            reason=str(say(N_("the first follow-up visit is recorded"))),
        )


def record_visit(
    session: Session, *, principal: Principal, visit_id: int, done_on: date, outcome: str
) -> FollowUpVisit:
    """Record a visit done: the day and what was found."""
    visit, case = _open_visit(session, principal, visit_id)
    if done_on > date.today():
        raise InvalidInput(say(N_("the day of the visit is in the future")))
    visit.done_on = done_on
    visit.outcome = text_of(outcome, what=Message(N_("the outcome of the visit")))
    visit.recorded_by = principal.user_id
    visit.recorded_at = utcnow()
    add_event(
        session,
        case=case,
        kind=EventKind.FOLLOW_UP,
        actor=principal,
        reason=visit.outcome,
        details={"visit": visit.id, "done_on": done_on.isoformat()},
    )
    audit_case(session, principal, "case.follow_up", case, {"visit": visit.id})
    _into_follow_up(session, principal, case)
    return visit


def waive_visit(
    session: Session, *, principal: Principal, visit_id: int, reason: str
) -> FollowUpVisit:
    """Waive a visit, saying why (the family moved abroad, the child is an adult now…)."""
    visit, case = _open_visit(session, principal, visit_id)
    visit.waived_reason = reason_of(reason)
    visit.recorded_by = principal.user_id
    visit.recorded_at = utcnow()
    add_event(
        session,
        case=case,
        kind=EventKind.FOLLOW_UP,
        actor=principal,
        reason=visit.waived_reason,
        details={"visit": visit.id, "waived": True},
    )
    audit_case(session, principal, "case.follow_up_waived", case, {"visit": visit.id})
    _into_follow_up(session, principal, case)
    return visit


@dataclass(frozen=True)
class DueVisit:
    """A visit still to make, with its case."""

    visit: FollowUpVisit
    case: Case
    overdue: bool


def due_visits(
    session: Session, *, principal: Principal, today: date | None = None, limit: int = 200
) -> list[DueVisit]:
    """Return the visits neither done nor waived, the most overdue first."""
    staff_only(principal)
    today = today or date.today()
    rows = session.execute(
        select(FollowUpVisit, Case)
        .join(Case, Case.id == FollowUpVisit.case_id)
        .where(FollowUpVisit.done_on.is_(None), FollowUpVisit.waived_reason == "")
        .order_by(FollowUpVisit.due_on, FollowUpVisit.id)
        .limit(limit)
    )
    return [DueVisit(visit, case, visit.due_on < today) for visit, case in rows]
