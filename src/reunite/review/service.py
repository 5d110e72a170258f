"""Reviewing the engine's candidates: the queue and its filters, one pair, people's decisions.

Review is the mediator's work: to anyone but its admin and caseworkers these functions
answer "not found", like everything a role may not use. Every decision is kept (a later one
does not erase an earlier one), names who took it and when, and is written to the audit log.
What depends on a decision elsewhere (releases made on a confirmed match) is the business
of `reunite.flows.review`, which calls `decide` here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from reunite.audit.service import record_event
from reunite.auth.models import User
from reunite.auth.principal import Principal, require_staff
from reunite.db.base import utcnow
from reunite.db.functions import fold_cyrillic, folded_text, unicode_lower
from reunite.errors import InvalidInput, NotFound
from reunite.jobs.models import Job
from reunite.jobs.service import latest_job
from reunite.records.models import Record
from reunite.review.enums import CandidateStatus, Decision
from reunite.review.jobs import MATCH_JOB
from reunite.review.models import MatchCandidate, MatchDecision
from reunite.vocabulary import N_, Message, Vocabulary, say

V = TypeVar("V", bound=Vocabulary)
MAX_REASON = 2000
MAX_PAGE = 500
MAX_FILTER_TEXT = 100

_Request = aliased(Record, name="request_record")
_Disclosed = aliased(Record, name="disclosed_record")


class ProbabilityBand(Vocabulary):
    """How sure the engine is of a pair, as the queue filters it."""

    HIGH = "high", N_("90% and above")
    MIDDLE = "middle", N_("50% to 90%")
    LOW = "low", N_("below 50%")


class AgeBand(Vocabulary):
    """The sought child's age today, as the queue filters it (the adult track starts at 18)."""

    UNDER_5 = "0-4", N_("under 5")
    FROM_5 = "5-9", N_("5 to 9")
    FROM_10 = "10-13", N_("10 to 13")
    FROM_14 = "14-17", N_("14 to 17")
    ADULT = "18+", N_("18 and over")


_BANDS = {
    ProbabilityBand.HIGH: (0.9, None),
    ProbabilityBand.MIDDLE: (0.5, 0.9),
    ProbabilityBand.LOW: (None, 0.5),
}
_AGES = {
    AgeBand.UNDER_5: (0, 4),
    AgeBand.FROM_5: (5, 9),
    AgeBand.FROM_10: (10, 13),
    AgeBand.FROM_14: (14, 17),
    AgeBand.ADULT: (18, 200),
}


# The queue's filters typed as free text (a place, a party's reference of a child's record):
# the audit log keeps them hashed (audit.terms), not in clear.
TYPED_FILTERS = ("region", "reference")


@dataclass(frozen=True)
class QueueFilter:
    """What a caseworker narrows the queue to; empty fields do not filter."""

    status: CandidateStatus = CandidateStatus.PROPOSED
    band: ProbabilityBand | None = None
    sex: str = ""
    age: AgeBand | None = None
    # Text found in the child's places: where they are now, were last seen, were born.
    region: str = ""
    # A party's own reference of either record («UA-1234», «RU-000777»).
    reference: str = ""
    today: date = field(default_factory=date.today)

    def query_values(self) -> dict[str, str]:
        """Return the filter as the query parameters a page link keeps."""
        values = {
            "status": self.status.value if self.status != CandidateStatus.PROPOSED else "",
            "band": self.band.value if self.band else "",
            "sex": self.sex,
            "age": self.age.value if self.age else "",
            "region": self.region,
            "reference": self.reference,
        }
        return {name: value for name, value in values.items() if value}


def queue_filter(
    *,
    status: str = "",
    band: str = "",
    sex: str = "",
    age: str = "",
    region: str = "",
    reference: str = "",
) -> QueueFilter:
    """Read a queue filter from what a page or the API was given; unknown values are refused."""

    def pick(vocabulary: type[V], value: str, what: str) -> V | None:
        if not value:
            return None
        if value not in vocabulary.values():
            raise InvalidInput(
                say(
                    N_("unknown {what} {value}; use one of: {codes}"),
                    what=Message(what),
                    value=repr(value),
                    codes=", ".join(vocabulary),
                )
            )
        return vocabulary(value)

    if sex not in ("", "M", "F"):
        raise InvalidInput(N_("sex is M or F"))
    return QueueFilter(
        status=pick(CandidateStatus, status, N_("status")) or CandidateStatus.PROPOSED,
        band=pick(ProbabilityBand, band, N_("probability band")),
        sex=sex,
        age=pick(AgeBand, age, N_("age band")),
        region=" ".join(region.split())[:MAX_FILTER_TEXT],
        reference=reference.strip()[:MAX_FILTER_TEXT],
    )


@dataclass
class DecisionView:
    """One decision on a pair, with the name of the person who took it."""

    decision: MatchDecision
    decided_by: str


@dataclass
class CandidateView:
    """A candidate pair with both records and every decision taken on it, oldest first."""

    candidate: MatchCandidate
    request: Record
    disclosed: Record
    decisions: list[DecisionView]

    @property
    def latest_decision(self) -> DecisionView | None:
        """Return the decision in force (the latest), if people decided."""
        return self.decisions[-1] if self.decisions else None


def _staff_only(principal: Principal) -> None:
    # Review is the mediator's act; to anyone else it does not exist.
    require_staff(principal, unseen="not found")


def _pairs() -> Select[MatchCandidate, Record, Record]:
    return (
        select(MatchCandidate, _Request, _Disclosed)
        .join(_Request, _Request.id == MatchCandidate.request_id)
        .join(_Disclosed, _Disclosed.id == MatchCandidate.disclosed_id)
    )


def _conditions(chosen: QueueFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [MatchCandidate.status == chosen.status]
    if chosen.status == CandidateStatus.PROPOSED:
        # A withdrawn record's pairs leave the queue at once, before matching runs again.
        conditions += [_Request.withdrawn.is_(False), _Disclosed.withdrawn.is_(False)]
    if chosen.band is not None:
        low, high = _BANDS[chosen.band]
        if low is not None:
            conditions.append(MatchCandidate.probability >= low)
        if high is not None:
            conditions.append(MatchCandidate.probability < high)
    if chosen.sex:
        sex = func.coalesce(func.nullif(_Request.sex, ""), _Disclosed.sex)
        conditions.append(sex == chosen.sex)
    if chosen.age is not None:
        youngest, oldest = _AGES[chosen.age]
        born = func.substr(
            func.coalesce(func.nullif(_Request.birth_date, ""), _Disclosed.birth_date), 1, 4
        )
        conditions += [
            born != "",
            born >= f"{chosen.today.year - oldest:04d}",
            born <= f"{chosen.today.year - youngest:04d}",
        ]
    if chosen.region:
        wanted = fold_cyrillic(chosen.region)
        places = (
            _Disclosed.current_location,
            _Disclosed.birth_place,
            _Request.last_known_place,
            _Request.birth_place,
        )
        conditions.append(
            or_(*(folded_text(place).contains(wanted, autoescape=True) for place in places))
        )
    if chosen.reference:
        reference = chosen.reference.lower()
        conditions.append(
            or_(
                unicode_lower(_Request.external_id) == reference,
                unicode_lower(_Disclosed.external_id) == reference,
            )
        )
    return conditions


def _views(
    session: Session, rows: list[tuple[MatchCandidate, Record, Record]]
) -> list[CandidateView]:
    ids = [candidate.id for candidate, _r, _d in rows]
    decisions: dict[int, list[DecisionView]] = {i: [] for i in ids}
    if ids:
        statement = (
            select(MatchDecision, User.username)
            .join(User, User.id == MatchDecision.decided_by)
            .where(MatchDecision.candidate_id.in_(ids))
            .order_by(MatchDecision.decided_at, MatchDecision.id)
        )
        for decision, username in session.execute(statement):
            decisions[decision.candidate_id].append(DecisionView(decision, username))
    return [
        CandidateView(candidate=c, request=r, disclosed=d, decisions=decisions[c.id])
        for c, r, d in rows
    ]


def review_queue(
    session: Session,
    *,
    principal: Principal,
    chosen: QueueFilter | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[CandidateView]:
    """Return the candidates the filter selects, the most probable first."""
    _staff_only(principal)
    statement = (
        _pairs()
        .where(*_conditions(chosen or QueueFilter()))
        .order_by(MatchCandidate.probability.desc(), MatchCandidate.id)
        .limit(min(max(limit, 1), MAX_PAGE))
        .offset(max(offset, 0))
    )
    rows = [(c, r, d) for c, r, d in session.execute(statement)]
    return _views(session, rows)


def count_queue(
    session: Session, *, principal: Principal, chosen: QueueFilter | None = None
) -> int:
    """Count the candidates `review_queue` pages through."""
    _staff_only(principal)
    statement = (
        select(func.count())
        .select_from(MatchCandidate)
        .join(_Request, _Request.id == MatchCandidate.request_id)
        .join(_Disclosed, _Disclosed.id == MatchCandidate.disclosed_id)
        .where(*_conditions(chosen or QueueFilter()))
    )
    return session.scalar(statement) or 0


def next_in_queue(
    session: Session, *, principal: Principal, chosen: QueueFilter | None = None
) -> int | None:
    """Return the id of the first pair still waiting in a filtered queue, if any."""
    waiting = replace(chosen or QueueFilter(), status=CandidateStatus.PROPOSED)
    found = review_queue(session, principal=principal, chosen=waiting, limit=1)
    return found[0].candidate.id if found else None


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


def confirmed_matches(session: Session, *, record_id: uuid.UUID) -> list[MatchCandidate]:
    """Return the confirmed pairs a record is part of (on either side), oldest first."""
    statement = (
        select(MatchCandidate)
        .where(
            MatchCandidate.status == CandidateStatus.CONFIRMED,
            or_(MatchCandidate.request_id == record_id, MatchCandidate.disclosed_id == record_id),
        )
        .order_by(MatchCandidate.id)
    )
    return list(session.scalars(statement))


def confirmed_match_for_filer(
    session: Session, *, disclosed_id: uuid.UUID, filer_id: int
) -> MatchCandidate | None:
    """Return a confirmed pair of a disclosed record and a request this person filed."""
    statement = (
        select(MatchCandidate)
        .join(_Request, _Request.id == MatchCandidate.request_id)
        .where(
            MatchCandidate.disclosed_id == disclosed_id,
            MatchCandidate.status == CandidateStatus.CONFIRMED,
            _Request.filed_by_user_id == filer_id,
        )
        .order_by(MatchCandidate.id)
        .limit(1)
    )
    return session.scalar(statement)


@dataclass(frozen=True)
class Decided:
    """A decision just taken, and the status the pair had before it."""

    decision: MatchDecision
    previous: CandidateStatus

    @property
    def reverses_a_confirmation(self) -> bool:
        """Tell whether a pair people had confirmed is now said not to be the same child."""
        return self.previous == CandidateStatus.CONFIRMED and (
            self.decision.decision != Decision.CONFIRMED
        )


def lock_candidate(session: Session, *, principal: Principal, candidate_id: int) -> MatchCandidate:
    """Return a candidate locked for a decision (two people deciding at once take turns)."""
    _staff_only(principal)
    candidate = session.get(MatchCandidate, candidate_id, with_for_update=True)
    if candidate is None:
        raise NotFound("no such candidate")
    return candidate


def decide(
    session: Session,
    *,
    principal: Principal,
    candidate_id: int,
    decision: str,
    reason: str,
    address: str = "",
) -> Decided:
    """Confirm, reject or call related a pair, with a reason; keep the decision and audit it."""
    _staff_only(principal)
    if decision not in Decision.values():
        raise InvalidInput("a decision is confirmed, rejected or related")
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput("a decision needs a reason: say what settled it")
    if len(reason) > MAX_REASON:
        raise InvalidInput(
            say(N_("the reason is longer than {limit} characters"), limit=MAX_REASON)
        )
    candidate = lock_candidate(session, principal=principal, candidate_id=candidate_id)
    previous = CandidateStatus(candidate.status)
    now = utcnow()
    kept = MatchDecision(
        candidate_id=candidate.id,
        decision=decision,
        reason=reason,
        decided_by=principal.user_id,
        decided_at=now,
    )
    session.add(kept)
    candidate.status = CandidateStatus(decision)
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
            "previous_status": previous.value,
            "request_id": str(candidate.request_id),
            "disclosed_id": str(candidate.disclosed_id),
            "probability": round(candidate.probability, 4),
        },
        address=address,
    )
    return Decided(kept, previous)


def latest_match_job(session: Session) -> Job | None:
    """Return the newest matching run (queued, running, done or failed), for its progress."""
    return latest_job(session, kind=MATCH_JOB)
