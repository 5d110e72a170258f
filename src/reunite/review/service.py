"""Reviewing the engine's candidates: the queue, one pair, and people's decisions.

Review is the mediator's work: to anyone but its admin and caseworkers these functions
answer "not found", like everything a role may not use. Every decision is kept (a later one
does not erase an earlier one) and written to the audit log.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from reunite.audit.service import record_event
from reunite.auth.principal import Principal, require_staff
from reunite.db.base import utcnow
from reunite.errors import InvalidInput, NotFound
from reunite.jobs.models import Job
from reunite.jobs.service import latest_job
from reunite.records.models import Record
from reunite.review.jobs import MATCH_JOB
from reunite.review.models import CANDIDATE_STATES, MatchCandidate, MatchDecision

DECISIONS = ("confirmed", "rejected")
MAX_REASON = 2000
MAX_PAGE = 500

_Request = aliased(Record, name="request_record")
_Disclosed = aliased(Record, name="disclosed_record")


@dataclass
class CandidateView:
    """A candidate pair with both records and every decision taken on it, oldest first."""

    candidate: MatchCandidate
    request: Record
    disclosed: Record
    decisions: list[MatchDecision]


def _staff_only(principal: Principal) -> None:
    # Review is the mediator's act; to anyone else it does not exist.
    require_staff(principal, unseen="not found")


def _check_status(status: str) -> None:
    if status not in CANDIDATE_STATES:
        raise InvalidInput(f"unknown status {status!r}; use one of: {', '.join(CANDIDATE_STATES)}")


def _pairs() -> Select[MatchCandidate, Record, Record]:
    return (
        select(MatchCandidate, _Request, _Disclosed)
        .join(_Request, _Request.id == MatchCandidate.request_id)
        .join(_Disclosed, _Disclosed.id == MatchCandidate.disclosed_id)
    )


def _in_queue(status: str) -> ColumnElement[bool]:
    condition = MatchCandidate.status == status
    if status == "proposed":
        # A withdrawn record's pairs leave the queue at once, before matching runs again.
        condition = and_(condition, _Request.withdrawn.is_(False), _Disclosed.withdrawn.is_(False))
    return condition


def _views(
    session: Session, rows: list[tuple[MatchCandidate, Record, Record]]
) -> list[CandidateView]:
    ids = [candidate.id for candidate, _r, _d in rows]
    decisions: dict[int, list[MatchDecision]] = {i: [] for i in ids}
    if ids:
        statement = (
            select(MatchDecision)
            .where(MatchDecision.candidate_id.in_(ids))
            .order_by(MatchDecision.decided_at, MatchDecision.id)
        )
        for decision in session.scalars(statement):
            decisions[decision.candidate_id].append(decision)
    return [
        CandidateView(candidate=c, request=r, disclosed=d, decisions=decisions[c.id])
        for c, r, d in rows
    ]


def review_queue(
    session: Session,
    *,
    principal: Principal,
    status: str = "proposed",
    limit: int = 50,
    offset: int = 0,
) -> list[CandidateView]:
    """Return candidates of one status, the most probable first."""
    _staff_only(principal)
    _check_status(status)
    statement = (
        _pairs()
        .where(_in_queue(status))
        .order_by(MatchCandidate.probability.desc(), MatchCandidate.id)
        .limit(min(max(limit, 1), MAX_PAGE))
        .offset(max(offset, 0))
    )
    rows = [(c, r, d) for c, r, d in session.execute(statement)]
    return _views(session, rows)


def count_queue(session: Session, *, principal: Principal, status: str = "proposed") -> int:
    """Count the candidates `review_queue` pages through."""
    _staff_only(principal)
    _check_status(status)
    statement = (
        select(func.count())
        .select_from(MatchCandidate)
        .join(_Request, _Request.id == MatchCandidate.request_id)
        .join(_Disclosed, _Disclosed.id == MatchCandidate.disclosed_id)
        .where(_in_queue(status))
    )
    return session.scalar(statement) or 0


def get_candidate(session: Session, *, principal: Principal, candidate_id: int) -> CandidateView:
    """Return one candidate pair with both records and its decisions."""
    _staff_only(principal)
    row = session.execute(_pairs().where(MatchCandidate.id == candidate_id)).first()
    if row is None:
        raise NotFound("no such candidate")
    candidate, request, disclosed = row
    return _views(session, [(candidate, request, disclosed)])[0]


def candidates_for_record(
    session: Session, *, principal: Principal, record_id: uuid.UUID
) -> list[CandidateView]:
    """Return every candidate pair a record is part of, on either side, most probable first."""
    _staff_only(principal)
    statement = (
        _pairs()
        .where(
            or_(MatchCandidate.request_id == record_id, MatchCandidate.disclosed_id == record_id)
        )
        .order_by(MatchCandidate.probability.desc(), MatchCandidate.id)
    )
    return _views(session, [(c, r, d) for c, r, d in session.execute(statement)])


def decide(
    session: Session,
    *,
    principal: Principal,
    candidate_id: int,
    decision: str,
    reason: str,
    address: str = "",
) -> MatchDecision:
    """Confirm or reject a candidate with a reason; keep the decision and audit it."""
    _staff_only(principal)
    if decision not in DECISIONS:
        raise InvalidInput("a decision is confirmed or rejected")
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput("a decision needs a reason: say what settled it")
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"the reason is longer than {MAX_REASON} characters")
    # Locked so that two caseworkers deciding at once leave the status of the later one.
    candidate = session.get(MatchCandidate, candidate_id, with_for_update=True)
    if candidate is None:
        raise NotFound("no such candidate")
    previous = candidate.status
    now = utcnow()
    kept = MatchDecision(
        candidate_id=candidate.id,
        decision=decision,
        reason=reason,
        decided_by=principal.user_id,
        decided_at=now,
    )
    session.add(kept)
    candidate.status = decision
    candidate.updated_at = now
    session.flush()
    record_event(
        session,
        actor=principal,
        action="match.decision",
        subject_type="match_candidate",
        subject_id=str(candidate.id),
        details={
            "decision": decision,
            "reason": reason,
            "previous_status": previous,
            "request_id": str(candidate.request_id),
            "disclosed_id": str(candidate.disclosed_id),
            "probability": round(candidate.probability, 4),
        },
        address=address,
    )
    return kept


def latest_match_job(session: Session) -> Job | None:
    """Return the newest matching run (queued, running, done or failed), for its progress."""
    return latest_job(session, kind=MATCH_JOB)
