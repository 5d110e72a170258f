"""What the case services share: the timeline's events, reasons, and moving a case on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.principal import Principal, require_staff
from reunite.cases.enums import CaseStatus, EventKind
from reunite.cases.models import Case, CaseEvent, CaseRequest
from reunite.db.base import utcnow
from reunite.errors import Conflict, InvalidInput
from reunite.notifications.service import notify
from reunite.records.models import Record
from reunite.vocabulary import N_, Message, say

MAX_REASON = 2000
MAX_TEXT = 4000


class IllegalTransition(Conflict):
    """A move the rules do not allow now; the message says what is missing."""

    code = "illegal_transition"


def staff_only(principal: Principal) -> None:
    """Let only the mediator's staff act on a case; to anyone else it does not exist."""
    require_staff(principal, unseen="no such case")


def reason_of(reason: str, *, required: bool = True, limit: int = MAX_REASON) -> str:
    """Return a reason as typed, tidied; refuse an empty or overlong one."""
    reason = " ".join(reason.split())
    if required and not reason:
        raise InvalidInput(say(N_("say why: a reason is needed")))
    if len(reason) > limit:
        raise InvalidInput(say(N_("the reason is longer than {limit} characters"), limit=limit))
    return reason


def text_of(value: str, *, what: Message, required: bool = True, limit: int = MAX_TEXT) -> str:
    """Return a text as typed (trimmed); refuse an empty or overlong one, naming it."""
    value = value.strip()
    if required and not value:
        raise InvalidInput(say(N_("{what} is needed"), what=what))
    if len(value) > limit:
        raise InvalidInput(
            say(N_("{what} is longer than {limit} characters"), what=what, limit=limit)
        )
    return value


def audit_case(
    session: Session,
    principal: Principal,
    action: str,
    case: Case,
    details: dict[str, Any],
    *,
    address: str = "",
) -> None:
    """Put a step on a case into the audit log (its timeline line is `add_event`'s)."""
    record_event(
        session,
        actor=principal,
        action=action,
        subject_type="case",
        subject_id=str(case.id),
        details=details,
        address=address,
    )


def add_event(
    session: Session,
    *,
    case: Case,
    kind: EventKind,
    actor: Principal | None,
    reason: str = "",
    details: dict[str, Any] | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
) -> CaseEvent:
    """Add a line to a case's timeline (the audit log gets its own entry from the caller)."""
    event = CaseEvent(
        case_id=case.id,
        at=utcnow(),
        actor_id=actor.user_id if actor is not None else None,
        actor=actor.username if actor is not None else "reunite",
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        details=details or {},
    )
    session.add(event)
    case.updated_at = event.at
    session.flush()
    return event


def move(
    session: Session,
    *,
    case: Case,
    to: CaseStatus,
    actor: Principal | None,
    reason: str,
    details: dict[str, Any] | None = None,
    address: str = "",
) -> CaseEvent:
    """Change a case's status: an event on its timeline and in the audit log."""
    previous = case.status
    event = add_event(
        session,
        case=case,
        kind=EventKind.TRANSITION,
        actor=actor,
        reason=reason,
        details=details,
        from_status=previous,
        to_status=to,
    )
    case.status = to
    case.status_since = event.at
    session.flush()
    record_event(
        session,
        actor=actor,
        actor_name="reunite",
        action="case.transition",
        subject_type="case",
        subject_id=str(case.id),
        details={"from": previous, "to": to.value, "reason": reason, **(details or {})},
        address=address,
    )
    if to in TOLD_TO_FAMILIES:
        _tell_family(session, case)
    return event


# The steps a family (and an adult on their own track) is told of, without a word of detail;
# the others (declined, deceased…) are told in person.
TOLD_TO_FAMILIES = frozenset(
    {
        CaseStatus.LOCATED,
        CaseStatus.VERIFIED,
        CaseStatus.CONTACT_ESTABLISHED,
        CaseStatus.RETURN_APPROVED,
        CaseStatus.IN_TRANSIT,
        CaseStatus.REUNITED,
    }
)


def _tell_family(session: Session, case: Case) -> None:
    filers = set(
        session.scalars(
            select(Record.filed_by_user_id)
            .join(CaseRequest, CaseRequest.request_id == Record.id)
            .where(CaseRequest.case_id == case.id, Record.filed_by_user_id.is_not(None))
        )
    )
    if case.adult_user_id is not None:
        filers.add(case.adult_user_id)
    people = [user for user in filers if user is not None]
    if people:
        notify(session, users=people, kind="case_step", link="/my-requests")
