"""Deciding on a pair of likely duplicates, and the groups links make."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.audit.service import record_event
from reunite.auth.principal import Principal, require_staff
from reunite.db.base import utcnow
from reunite.errors import InvalidInput, NotFound
from reunite.records.models import LinkStatus, RecordLink

MAX_REASON = 2000
# Messages people meet (the pages translate them).
NO_REASON = "a decision needs a reason: say what settled it"
UNKNOWN_DECISION = "choose link, dismiss or unlink"
NOT_LINKED = "these records are not linked"
ALREADY_LINKED = "these records are linked already"
ALREADY_DISMISSED = "this suspicion is dismissed already"
NO_SUCH_PAIR = "no such pair of likely duplicates"
MESSAGES = (
    NO_REASON,
    UNKNOWN_DECISION,
    NOT_LINKED,
    ALREADY_LINKED,
    ALREADY_DISMISSED,
    NO_SUCH_PAIR,
)


class LinkDecision(StrEnum):
    """What a caseworker decides on a pair of likely duplicates."""

    LINK = "link"  # the same child: the requests are one
    DISMISS = "dismiss"  # not the same child
    UNLINK = "unlink"  # undo a link: the pair is suspected again


_OUTCOME = {
    LinkDecision.LINK: LinkStatus.LINKED,
    LinkDecision.DISMISS: LinkStatus.DISMISSED,
    LinkDecision.UNLINK: LinkStatus.SUSPECTED,
}


def _pair(session: Session, first: uuid.UUID, second: uuid.UUID) -> RecordLink:
    low, high = sorted((first, second))
    # Locked so that two caseworkers deciding at once leave the later decision.
    link = session.scalar(
        select(RecordLink)
        .where(RecordLink.record_id == low, RecordLink.other_id == high)
        .with_for_update()
    )
    if link is None:
        raise NotFound(NO_SUCH_PAIR)
    return link


def decide_duplicate(
    session: Session,
    *,
    principal: Principal,
    record_id: uuid.UUID,
    other_id: uuid.UUID,
    decision: str,
    reason: str,
    address: str = "",
) -> RecordLink:
    """Link two likely duplicates as one child, dismiss them, or undo a link; with a reason."""
    require_staff(principal, unseen="no such page")
    try:
        choice = LinkDecision(decision)
    except ValueError:
        raise InvalidInput(UNKNOWN_DECISION) from None
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(NO_REASON)
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"the reason is longer than {MAX_REASON} characters")
    link = _pair(session, record_id, other_id)
    previous = LinkStatus(link.status)
    if choice is LinkDecision.UNLINK and previous is not LinkStatus.LINKED:
        raise InvalidInput(NOT_LINKED)
    if previous is _OUTCOME[choice]:
        raise InvalidInput(ALREADY_LINKED if choice is LinkDecision.LINK else ALREADY_DISMISSED)
    link.status = _OUTCOME[choice]
    link.decided_by = principal.user_id
    link.decided_at = utcnow()
    link.reason = reason
    session.flush()
    record_event(
        session,
        actor=principal,
        action=f"duplicate.{choice}",
        subject_type="record",
        subject_id=str(record_id),
        details={
            "record_id": str(link.record_id),
            "other_id": str(link.other_id),
            "decision": str(choice),
            "reason": reason,
            "previous_status": str(previous),
        },
        address=address,
    )
    return link


def linked_requests(session: Session, *, record_id: uuid.UUID) -> list[uuid.UUID]:
    """Return the records linked with this one as one child, itself included, in id order.

    Links join: if A is linked with B and B with C, all three are one child. A record
    linked with nothing is a group of one.
    """
    group = {record_id}
    frontier = {record_id}
    while frontier:
        linked = session.execute(
            select(RecordLink.record_id, RecordLink.other_id).where(
                RecordLink.status == LinkStatus.LINKED,
                RecordLink.record_id.in_(frontier) | RecordLink.other_id.in_(frontier),
            )
        ).all()
        reached = {member for pair in linked for member in pair}
        frontier = reached - group
        group |= reached
    return sorted(group)
