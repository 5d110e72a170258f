"""A caseworker's work on cases: assignment, notes, tasks, family groups, the adult's account."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth.models import User
from reunite.auth.principal import Principal
from reunite.cases.access import get_visible_case
from reunite.cases.enums import EventKind, Track
from reunite.cases.models import Case, CaseTask, FamilyGroup
from reunite.cases.service._common import add_event, audit_case, reason_of, staff_only, text_of
from reunite.db.base import utcnow
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.vocabulary import N_, Message, say

MAX_TITLE = 300


def _staff_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or user.role not in ("admin", "caseworker") or not user.active:
        raise InvalidInput(say(N_("no caseworker named {name}"), name=repr(username)))
    return user


def assign(session: Session, *, principal: Principal, case_id: int, username: str) -> Case:
    """Give a case to a caseworker (one's own or another's caseload)."""
    staff_only(principal)
    case = get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
    user = _staff_user(session, username)
    case.assigned_to = user.id
    add_event(
        session,
        case=case,
        kind=EventKind.ASSIGNED,
        actor=principal,
        details={"to": user.username},
    )
    audit_case(session, principal, "case.assigned", case, {"to": user.username})
    return case


def add_note(session: Session, *, principal: Principal, case_id: int, text: str) -> None:
    """Write a note on a case's timeline."""
    staff_only(principal)
    case = get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
    add_event(
        session,
        case=case,
        kind=EventKind.NOTE,
        actor=principal,
        reason=text_of(text, what=Message(N_("the note"))),
    )


def add_task(
    session: Session,
    *,
    principal: Principal,
    case_id: int,
    title: str,
    due_on: date,
    username: str = "",
) -> CaseTask:
    """Add a task to a case, due on a day, for a caseworker (the one who adds it by default)."""
    staff_only(principal)
    case = get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
    assignee = _staff_user(session, username).id if username.strip() else principal.user_id
    task = CaseTask(
        case_id=case.id,
        title=text_of(title, what=Message(N_("the task")), limit=MAX_TITLE),
        due_on=due_on,
        assigned_to=assignee,
        created_by=principal.user_id,
    )
    session.add(task)
    session.flush()
    add_event(
        session,
        case=case,
        kind=EventKind.TASK,
        actor=principal,
        reason=task.title,
        details={"task": task.id, "due_on": due_on.isoformat()},
    )
    return task


def complete_task(session: Session, *, principal: Principal, task_id: int) -> CaseTask:
    """Mark a task done."""
    staff_only(principal)
    task = session.get(CaseTask, task_id, with_for_update=True)
    if task is None:
        raise NotFound("no such task")
    case = get_visible_case(session, principal=principal, case_id=task.case_id)
    if task.done_at is not None:
        raise Conflict(say(N_("this task is done already")))
    task.done_at = utcnow()
    task.done_by = principal.user_id
    add_event(
        session,
        case=case,
        kind=EventKind.TASK,
        actor=principal,
        reason=task.title,
        details={"task": task.id, "done": True},
    )
    return task


def group_cases(
    session: Session, *, principal: Principal, case_ids: list[int], name: str
) -> FamilyGroup:
    """Group cases as one family (siblings): the group shows on each case, moves together."""
    staff_only(principal)
    cases = [
        get_visible_case(session, principal=principal, case_id=i, for_update=True) for i in case_ids
    ]
    if len({case.id for case in cases}) < 2:
        raise InvalidInput(say(N_("a family group holds at least two cases")))
    existing = {case.family_group_id for case in cases} - {None}
    if len(existing) > 1:
        raise Conflict(say(N_("these cases are in different family groups already")))
    group = session.get(FamilyGroup, existing.pop()) if existing else None
    if group is None:
        group = FamilyGroup(
            name=text_of(name, what=Message(N_("the family's name")), limit=200),
            created_by=principal.user_id,
        )
        session.add(group)
        session.flush()
    for case in cases:
        if case.family_group_id != group.id:
            case.family_group_id = group.id
            add_event(
                session,
                case=case,
                kind=EventKind.GROUP,
                actor=principal,
                details={"group": group.id, "name": group.name},
            )
    return group


def leave_group(session: Session, *, principal: Principal, case_id: int, reason: str) -> Case:
    """Take a case out of its family group, saying why."""
    staff_only(principal)
    case = get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
    if case.family_group_id is None:
        raise Conflict(say(N_("this case is in no family group")))
    group = case.family_group_id
    case.family_group_id = None
    add_event(
        session,
        case=case,
        kind=EventKind.GROUP,
        actor=principal,
        reason=reason_of(reason),
        details={"left": group},
    )
    return case


def link_adult(session: Session, *, principal: Principal, case_id: int, username: str) -> Case:
    """Give an adult's own account their case: they see it, and answer for themselves."""
    staff_only(principal)
    case = get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or user.role != "adult":
        raise InvalidInput(say(N_("no adult account named {name}"), name=repr(username)))
    case.adult_user_id = user.id
    add_event(
        session,
        case=case,
        kind=EventKind.TRACK,
        actor=principal,
        details={"adult_account": user.username},
    )
    audit_case(
        session,
        principal,
        "case.adult_linked",
        case,
        {"account": user.username, "track": Track(case.track).value},
    )
    return case
