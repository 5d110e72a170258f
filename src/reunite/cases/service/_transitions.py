"""Moving a case: the graph, the requirements, and the steps a second person must approve."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.auth.principal import Principal
from reunite.cases.access import get_visible_case
from reunite.cases.enums import ApprovalKind, ApprovalState, CaseStatus, EventKind
from reunite.cases.models import Approval, Case, CaseEvent
from reunite.cases.rules import APPROVED_BY, APPROVES, RECORDED_BY_EVENTS, may_follow
from reunite.cases.service._common import (
    IllegalTransition,
    add_event,
    audit_case,
    move,
    reason_of,
    staff_only,
)
from reunite.cases.service._requirements import confirmed_match, count_pending, unmet
from reunite.db.base import utcnow
from reunite.errors import Conflict, InvalidInput, NotFound
from reunite.review.models import MatchCandidate
from reunite.vocabulary import N_, Message, say


@dataclass(frozen=True)
class Moved:
    """What asking for a move did: the case moved (`event`), or an approval is awaited."""

    case: Case
    event: CaseEvent | None = None
    approval: Approval | None = None


def status_of(value: str) -> CaseStatus:
    """Read a status a person or a system named; an unknown one is refused, listing them."""
    if value not in CaseStatus.values():
        raise InvalidInput(
            say(
                N_("unknown status {value}; use one of: {codes}"),
                value=repr(value),
                codes=", ".join(CaseStatus),
            )
        )
    return CaseStatus(value)


def refuse(wanted: CaseStatus, missing: list[Message]) -> IllegalTransition:
    """Return the refusal of a move, saying all that is missing (the first in its detail)."""
    error = IllegalTransition(
        say(
            N_("the case cannot become {status}: {missing}"),
            status=wanted,
            missing=missing[0],
        )
    )
    error.detail = "the case cannot become {}: {}".format(
        wanted.label, "; ".join(str(item) for item in missing)
    )
    error.missing = missing  # type: ignore[attr-defined]
    return error


def check_move(session: Session, *, case: Case, wanted: CaseStatus) -> list[Message]:
    """Return why a case cannot move to a status now (empty: it can)."""
    current = CaseStatus(case.status)
    if wanted == current:
        return [say(N_("the case is {status} already"), status=current)]
    if not may_follow(current, wanted):
        return [
            say(
                N_("a case that is {current} cannot become {status}"),
                current=current,
                status=wanted,
            )
        ]
    return unmet(session, case=case, to=wanted)


def transition(
    session: Session,
    *,
    principal: Principal,
    case_id: int,
    to: str,
    reason: str,
    address: str = "",
) -> Moved:
    """Move a case, or ask for the second person's approval that the move needs.

    Refused with IllegalTransition (409, code `illegal_transition`) saying what is missing.
    """
    staff_only(principal)
    case = get_visible_case(session, principal=principal, case_id=case_id, for_update=True)
    wanted = status_of(to)
    reason = reason_of(reason)
    if wanted in RECORDED_BY_EVENTS:
        raise refuse(
            wanted,
            [say(N_("the departure and the handover are recorded in the case's round"))],
        )
    missing = check_move(session, case=case, wanted=wanted)
    if missing:
        raise refuse(wanted, missing)
    kind = APPROVED_BY.get(wanted)
    if kind is not None:
        approval = request_approval(
            session, principal=principal, case=case, kind=kind, note=reason, address=address
        )
        return Moved(case, approval=approval)
    details: dict[str, object] = {}
    if wanted == CaseStatus.LOCATED:
        details = _locate(session, case)
    event = move(
        session,
        case=case,
        to=wanted,
        actor=principal,
        reason=reason,
        details=details,
        address=address,
    )
    return Moved(case, event=event)


def _locate(session: Session, case: Case) -> dict[str, object]:
    match = confirmed_match(session, case=case)
    assert match is not None  # checked by unmet()
    case.disclosed_id = match.disclosed_id
    case.candidate_id = match.id
    return {"match": match.id, "disclosed_id": str(match.disclosed_id)}


def request_approval(
    session: Session,
    *,
    principal: Principal,
    case: Case,
    kind: ApprovalKind,
    note: str,
    address: str = "",
) -> Approval:
    """Ask a second person to approve a step; one request of a kind waits at a time."""
    staff_only(principal)
    if count_pending(session, case=case, kind=kind):
        raise Conflict(
            say(N_("an approval of the {kind} already waits for a second person"), kind=kind)
        )
    approval = Approval(
        case_id=case.id,
        kind=kind,
        state=ApprovalState.PENDING,
        note=reason_of(note, required=False),
        requested_by=principal.user_id,
        requested_at=utcnow(),
    )
    session.add(approval)
    session.flush()
    add_event(
        session,
        case=case,
        kind=EventKind.APPROVAL,
        actor=principal,
        reason=approval.note,
        details={"approval": approval.id, "kind": kind.value, "state": ApprovalState.PENDING.value},
    )
    audit_case(
        session,
        principal,
        "case.approval.requested",
        case,
        {"approval": approval.id, "kind": kind.value},
        address=address,
    )
    return approval


def decide_approval(
    session: Session,
    *,
    principal: Principal,
    approval_id: int,
    approve: bool,
    reason: str,
    address: str = "",
) -> Moved:
    """Approve or send back a step another person asked for; never one's own (four eyes)."""
    staff_only(principal)
    approval = session.get(Approval, approval_id, with_for_update=True)
    if approval is None:
        raise NotFound("no such approval")
    case = get_visible_case(session, principal=principal, case_id=approval.case_id, for_update=True)
    if approval.state != ApprovalState.PENDING:
        raise Conflict(say(N_("this approval was decided already")))
    if approval.requested_by == principal.user_id:
        raise Conflict(
            say(N_("four eyes: the person who asked for a step cannot approve it")),
            code="four_eyes",
        )
    reason = reason_of(reason, required=not approve)
    kind = ApprovalKind(approval.kind)
    target = APPROVES[kind]
    event = None
    if approve and target is not None:
        missing = check_move(session, case=case, wanted=target)
        if missing:
            raise refuse(target, missing)
    approval.state = ApprovalState.APPROVED if approve else ApprovalState.SENT_BACK
    approval.decided_by = principal.user_id
    approval.decided_at = utcnow()
    approval.reason = reason
    session.flush()
    add_event(
        session,
        case=case,
        kind=EventKind.APPROVAL,
        actor=principal,
        reason=reason,
        details={"approval": approval.id, "kind": kind.value, "state": approval.state},
    )
    audit_case(
        session,
        principal,
        "case.approval.decided",
        case,
        {"approval": approval.id, "kind": kind.value, "state": approval.state},
        address=address,
    )
    if approve and target is not None:
        event = move(
            session,
            case=case,
            to=target,
            actor=principal,
            reason=approval.note or reason,
            details={"approval": approval.id, "asked_by": approval.requested_by},
            address=address,
        )
    return Moved(case, event=event, approval=approval)


def case_of_request(session: Session, *, request_id: object) -> Case | None:
    """Return the case a tracing request belongs to (its own, or the one it joined)."""
    from reunite.cases.models import CaseRequest

    case_id = session.scalar(
        select(CaseRequest.case_id).where(CaseRequest.request_id == request_id)
    )
    return session.get(Case, case_id) if case_id is not None else None


# A confirmed match that is reversed takes its case back to tracing from these steps; later
# ones (a return approved, the child on the way or home) are not undone by a review decision.
REVERSIBLE = frozenset({CaseStatus.LOCATED, CaseStatus.VERIFIED, CaseStatus.CONTACT_ESTABLISHED})


def case_resting_on(session: Session, *, candidate_id: int) -> Case | None:
    """Return the case a confirmed match located, if one did."""
    return session.scalar(select(Case).where(Case.candidate_id == candidate_id))


def located_by(
    session: Session, *, principal: Principal, candidate: MatchCandidate, reason: str
) -> Case | None:
    """Move the case of a request to located when people confirm its match (if still open)."""
    case = case_of_request(session, request_id=candidate.request_id)
    if case is None or case.status not in (CaseStatus.OPEN, CaseStatus.TRACING):
        return case
    case.disclosed_id = candidate.disclosed_id
    case.candidate_id = candidate.id
    move(
        session,
        case=case,
        to=CaseStatus.LOCATED,
        actor=principal,
        reason=reason,
        details={"match": candidate.id, "disclosed_id": str(candidate.disclosed_id)},
    )
    return case


def unlocated_by_reversal(
    session: Session, *, principal: Principal, candidate_id: int, reason: str
) -> Case | None:
    """Take a case back to tracing when the match that located its child is reversed."""
    case = case_resting_on(session, candidate_id=candidate_id)
    if case is None:
        return None
    if case.status not in REVERSIBLE:
        raise Conflict(
            say(
                N_(
                    "case {case} rests on this match and is {status}: a review decision does "
                    "not undo that; change the case first"
                ),
                case=case.number,
                status=CaseStatus(case.status),
            ),
            code="case_depends",
        )
    case.disclosed_id = None
    case.candidate_id = None
    move(
        session,
        case=case,
        to=CaseStatus.TRACING,
        actor=principal,
        reason=str(
            say(N_("the match that located the child was reversed: {reason}"), reason=reason)
        ),
        details={"reversed_match": candidate_id},
    )
    return case
