"""Reading cases: a case with everything it rests on, lists with filters, a caseworker's load."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.models import User
from reunite.auth.principal import Principal
from reunite.cases.access import get_visible_case, sees_whole_case, visible_cases
from reunite.cases.age import Age, Coming, age_between, age_on, turns_adult
from reunite.cases.enums import ApprovalState, CaseStatus, EventKind, Track
from reunite.cases.models import (
    Approval,
    BestInterests,
    Case,
    CaseEvent,
    CaseRequest,
    CaseTask,
    Consent,
    Determination,
    FamilyGroup,
    FollowUpVisit,
    Verification,
)
from reunite.cases.rules import FINISHED
from reunite.cases.service._common import staff_only
from reunite.cases.service._requirements import (
    latest_best_interests,
    latest_verification,
    signed_sides,
)
from reunite.cases.service._track import birth_of
from reunite.errors import InvalidInput
from reunite.records.models import Record
from reunite.vocabulary import N_, say

MAX_PAGE = 200
# How long someone who turned 18 counts as a new adult on a caseload.
NEW_ADULT_DAYS = timedelta(days=30)
# The lines of a timeline a family may read: what became of their child, not the work.
FAMILY_EVENTS = frozenset({EventKind.OPENED, EventKind.TRANSITION, EventKind.HANDOVER})


@dataclass
class CaseView:
    """A case and what it rests on, as the caller may see it."""

    case: Case
    request: Record
    disclosed: Record | None
    requests: list[Record]
    events: list[CaseEvent]
    age: Age | None
    age_at_separation: Age | None
    turns_adult: Coming | None
    assigned: str = ""
    group: FamilyGroup | None = None
    group_cases: list[Case] = field(default_factory=list)
    tasks: list[CaseTask] = field(default_factory=list)
    approvals: list[Approval] = field(default_factory=list)
    verification: Verification | None = None
    signed: set[str] = field(default_factory=set)
    best_interests: BestInterests | None = None
    determinations: list[Determination] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    visits: list[FollowUpVisit] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)

    @property
    def pending(self) -> list[Approval]:
        """Return the approvals still waiting for a second person."""
        return [a for a in self.approvals if a.state == ApprovalState.PENDING]


def _usernames(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.username).where(User.id.in_(wanted)))
    return dict(rows.all())


def read_case(
    session: Session,
    *,
    principal: Principal,
    case_id: int,
    address: str = "",
    today: date | None = None,
) -> CaseView:
    """Return a case the caller may see, with what they may know of it; audit the read."""
    case = get_visible_case(session, principal=principal, case_id=case_id)
    today = today or date.today()
    request = session.get(Record, case.request_id)
    assert request is not None
    disclosed = session.get(Record, case.disclosed_id) if case.disclosed_id else None
    requests = list(
        session.scalars(
            select(Record)
            .join(CaseRequest, CaseRequest.request_id == Record.id)
            .where(CaseRequest.case_id == case.id)
            .order_by(Record.created_at)
        )
    )
    events_query = select(CaseEvent).where(CaseEvent.case_id == case.id)
    if not sees_whole_case(principal):
        events_query = events_query.where(CaseEvent.kind.in_([k.value for k in FAMILY_EVENTS]))
    events = list(session.scalars(events_query.order_by(CaseEvent.id)))
    born = birth_of(request.birth_date, disclosed.birth_date if disclosed else None)
    separated = request.separation_date
    view = CaseView(
        case=case,
        request=request,
        disclosed=disclosed,
        requests=requests,
        events=events,
        age=age_on(born, today),
        age_at_separation=age_between(born, separated) if separated else None,
        turns_adult=turns_adult(born),
    )
    if case.family_group_id is not None:
        view.group = session.get(FamilyGroup, case.family_group_id)
        view.group_cases = list(
            session.scalars(
                select(Case)
                .where(Case.family_group_id == case.family_group_id, Case.id != case.id)
                .order_by(Case.id)
            )
        )
    if sees_whole_case(principal):
        _fill_work(session, view)
    else:
        view.verification = latest_verification(session, case=case)
        if view.verification is not None:
            view.signed = signed_sides(session, verification=view.verification)
        view.consents = list(
            session.scalars(select(Consent).where(Consent.case_id == case.id).order_by(Consent.id))
        )
    record_event(
        session,
        actor=principal,
        action="case.read",
        subject_type="case",
        subject_id=str(case.id),
        address=address,
    )
    return view


def _fill_work(session: Session, view: CaseView) -> None:
    case = view.case
    view.tasks = list(
        session.scalars(
            select(CaseTask)
            .where(CaseTask.case_id == case.id)
            .order_by(CaseTask.due_on, CaseTask.id)
        )
    )
    view.approvals = list(
        session.scalars(select(Approval).where(Approval.case_id == case.id).order_by(Approval.id))
    )
    view.verification = latest_verification(session, case=case)
    if view.verification is not None:
        view.signed = signed_sides(session, verification=view.verification)
    view.best_interests = latest_best_interests(session, case=case)
    view.determinations = list(
        session.scalars(
            select(Determination).where(Determination.case_id == case.id).order_by(Determination.id)
        )
    )
    view.consents = list(
        session.scalars(select(Consent).where(Consent.case_id == case.id).order_by(Consent.id))
    )
    view.visits = list(
        session.scalars(
            select(FollowUpVisit)
            .where(FollowUpVisit.case_id == case.id)
            .order_by(FollowUpVisit.due_on)
        )
    )
    ids: set[int | None] = {case.assigned_to, case.adult_user_id}
    ids |= {e.actor_id for e in view.events}
    ids |= {a.requested_by for a in view.approvals} | {a.decided_by for a in view.approvals}
    ids |= {t.assigned_to for t in view.tasks}
    view.names = _usernames(session, ids)
    view.assigned = view.names.get(case.assigned_to or 0, "")


@dataclass(frozen=True)
class CaseFilter:
    """What a list of cases is narrowed to; empty fields do not filter."""

    status: CaseStatus | None = None
    party_id: int | None = None
    assigned_to: int | None = None
    turning_adult: bool = False
    adult_track: bool = False


def case_filter(
    *,
    status: str = "",
    party_id: int | None = None,
    assigned_to: int | None = None,
    turning_adult: bool = False,
    adult_track: bool = False,
) -> CaseFilter:
    """Read a filter; an unknown status is refused, listing the known ones."""
    if status and status not in CaseStatus.values():
        raise InvalidInput(
            say(
                N_("unknown status {value}; use one of: {codes}"),
                value=repr(status),
                codes=", ".join(CaseStatus),
            )
        )
    return CaseFilter(
        status=CaseStatus(status) if status else None,
        party_id=party_id,
        assigned_to=assigned_to,
        turning_adult=turning_adult,
        adult_track=adult_track,
    )


def _filtered(principal: Principal, chosen: CaseFilter) -> Select[Case]:
    conditions: list[ColumnElement[bool]] = [visible_cases(principal)]
    if chosen.status is not None:
        conditions.append(Case.status == chosen.status)
    if chosen.assigned_to is not None:
        conditions.append(Case.assigned_to == chosen.assigned_to)
    if chosen.turning_adult:
        conditions.append(Case.turning_adult.is_(True))
    if chosen.adult_track:
        conditions.append(Case.track == "adult")
    if chosen.party_id is not None:
        sent = select(Record.id).where(Record.party_id == chosen.party_id)
        conditions.append(Case.request_id.in_(sent) | Case.disclosed_id.in_(sent))
    return select(Case).where(*conditions)


def list_cases(
    session: Session,
    *,
    principal: Principal,
    chosen: CaseFilter | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Case]:
    """Return the cases the caller may see that the filter selects; those turning 18 first."""
    statement = _filtered(principal, chosen or CaseFilter()).order_by(
        Case.turning_adult.desc(), Case.updated_at.desc(), Case.id.desc()
    )
    return list(
        session.scalars(statement.limit(min(max(limit, 1), MAX_PAGE)).offset(max(offset, 0)))
    )


def count_cases(session: Session, *, principal: Principal, chosen: CaseFilter | None = None) -> int:
    """Count the cases `list_cases` pages through."""
    statement = _filtered(principal, chosen or CaseFilter())
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


@dataclass
class Caseload:
    """A caseworker's work: their cases, tasks due and overdue, approvals waiting for others."""

    cases: list[Case]
    tasks: list[CaseTask]
    overdue: list[CaseTask]
    to_approve: list[Approval]
    turning_adult: list[Case]
    # Moved to the adult track lately: their options changed, they decide for themselves now.
    new_adults: list[Case] = field(default_factory=list)


def caseload(session: Session, *, principal: Principal, today: date | None = None) -> Caseload:
    """Return a caseworker's caseload; approvals they may decide are those others asked for."""
    staff_only(principal)
    today = today or date.today()
    cases = list(
        session.scalars(
            select(Case)
            .where(Case.assigned_to == principal.user_id)
            .order_by(Case.turning_adult.desc(), Case.updated_at.desc())
            .limit(MAX_PAGE)
        )
    )
    tasks = list(
        session.scalars(
            select(CaseTask)
            .where(CaseTask.assigned_to == principal.user_id, CaseTask.done_at.is_(None))
            .order_by(CaseTask.due_on, CaseTask.id)
            .limit(MAX_PAGE)
        )
    )
    to_approve = list(
        session.scalars(
            select(Approval)
            .where(
                Approval.state == ApprovalState.PENDING,
                Approval.requested_by != principal.user_id,
            )
            .order_by(Approval.requested_at)
            .limit(MAX_PAGE)
        )
    )
    turning = list(
        session.scalars(
            select(Case).where(Case.turning_adult.is_(True)).order_by(Case.id).limit(MAX_PAGE)
        )
    )
    since = datetime.combine(today - NEW_ADULT_DAYS, time.min, tzinfo=UTC)
    moved = (
        select(CaseEvent.case_id)
        # The daily job's moves (no person's): linking an adult's account is a track event too.
        .where(
            CaseEvent.kind == EventKind.TRACK,
            CaseEvent.actor_id.is_(None),
            CaseEvent.at >= since,
        )
        .scalar_subquery()
    )
    new_adults = list(
        session.scalars(
            select(Case)
            .where(
                Case.track == Track.ADULT,
                Case.id.in_(moved),
                Case.status.not_in([status.value for status in FINISHED]),
            )
            .order_by(Case.id)
            .limit(MAX_PAGE)
        )
    )
    return Caseload(
        cases=cases,
        tasks=tasks,
        overdue=[task for task in tasks if task.due_on < today],
        to_approve=to_approve,
        turning_adult=turning,
        new_adults=new_adults,
    )


def caseworkers(session: Session) -> list[User]:
    """Return the active accounts a case may be given to (the mediator's staff)."""
    return list(
        session.scalars(
            select(User)
            .where(User.role.in_(["admin", "caseworker"]), User.active.is_(True))
            .order_by(User.username)
        )
    )


def cases_of_request(session: Session, *, request_ids: list[uuid.UUID]) -> dict[uuid.UUID, Case]:
    """Return the case of each of these tracing requests (those that have one)."""
    rows = session.execute(
        select(CaseRequest.request_id, Case)
        .join(Case, Case.id == CaseRequest.case_id)
        .where(CaseRequest.request_id.in_(request_ids))
    )
    return dict(rows.all())


def own_cases(session: Session, *, principal: Principal) -> list[Case]:
    """Return the cases an adult's own account was given (their own way home)."""
    if principal.role != "adult":
        return []
    return list(
        session.scalars(
            select(Case).where(Case.adult_user_id == principal.user_id).order_by(Case.id)
        )
    )
