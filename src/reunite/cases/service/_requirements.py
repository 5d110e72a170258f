"""What each step of a case needs, read from what was recorded (issue 9's rules).

`unmet(session, case, to)` returns what is missing for a case to reach a status, each as a
message a page translates; an empty list means the step may be taken. The approval of a
second person is not among them: asking for it is how a gated step is taken
(_transitions.request_step), and it is checked when the approval is decided.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from reunite.cases.enums import (
    Answer,
    ApprovalKind,
    ApprovalState,
    CaseStatus,
    ConsentKind,
    EventKind,
    Side,
    Track,
)
from reunite.cases.models import (
    Approval,
    BestInterests,
    Case,
    CaseEvent,
    CaseRequest,
    Consent,
    Determination,
    FollowUpVisit,
    Signoff,
    Verification,
)
from reunite.review.enums import CandidateStatus
from reunite.review.models import MatchCandidate
from reunite.vocabulary import N_, Message, say

MIN_PANEL = 3
S = CaseStatus


def confirmed_match(session: Session, *, case: Case) -> MatchCandidate | None:
    """Return the confirmed match of one of the case's requests, the newest first."""
    requests = select(CaseRequest.request_id).where(CaseRequest.case_id == case.id)
    return session.scalar(
        select(MatchCandidate)
        .where(
            MatchCandidate.status == CandidateStatus.CONFIRMED,
            or_(
                MatchCandidate.request_id == case.request_id,
                MatchCandidate.request_id.in_(requests),
            ),
        )
        .order_by(MatchCandidate.updated_at.desc(), MatchCandidate.id.desc())
        .limit(1)
    )


def latest_verification(session: Session, *, case: Case) -> Verification | None:
    """Return the verification in force: the newest one recorded."""
    return session.scalar(
        select(Verification)
        .where(Verification.case_id == case.id)
        .order_by(Verification.id.desc())
        .limit(1)
    )


def signed_sides(session: Session, *, verification: Verification) -> set[str]:
    """Return the teams that signed a verification."""
    return set(
        session.scalars(select(Signoff.side).where(Signoff.verification_id == verification.id))
    )


def latest_best_interests(session: Session, *, case: Case) -> BestInterests | None:
    """Return the newest best-interests assessment of a case."""
    return session.scalar(
        select(BestInterests)
        .where(BestInterests.case_id == case.id)
        .order_by(BestInterests.id.desc())
        .limit(1)
    )


def latest_consent(session: Session, *, case: Case, kind: ConsentKind) -> Consent | None:
    """Return an adult's latest answer of a kind."""
    return session.scalar(
        select(Consent)
        .where(Consent.case_id == case.id, Consent.kind == kind)
        .order_by(Consent.id.desc())
        .limit(1)
    )


def approved_since(
    session: Session, *, case: Case, kind: ApprovalKind, since: datetime | None = None
) -> Approval | None:
    """Return an approval of a kind given (and decided) after a moment, if there is one."""
    statement = select(Approval).where(
        Approval.case_id == case.id,
        Approval.kind == kind,
        Approval.state == ApprovalState.APPROVED,
    )
    if since is not None:
        statement = statement.where(Approval.decided_at >= since)
    return session.scalar(statement.order_by(Approval.id.desc()).limit(1))


def _event_since(
    session: Session, *, case: Case, kind: EventKind, since: datetime
) -> CaseEvent | None:
    return session.scalar(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.kind == kind, CaseEvent.at >= since)
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )


def _verified(session: Session, case: Case) -> list[Message]:
    verification = latest_verification(session, case=case)
    if verification is None:
        return [say(N_("record how identity and the family link were checked (verification)"))]
    missing: list[Message] = []
    if not verification.evidence:
        missing.append(say(N_("the verification names no evidence")))
    if verification.child_willing != Answer.YES:
        missing.append(say(N_("the child's willingness is not recorded as yes")))
    if verification.family_willing != Answer.YES:
        missing.append(say(N_("the family's willingness is not recorded as yes")))
    signed = signed_sides(session, verification=verification)
    for side in Side:
        if side.value not in signed:
            missing.append(say(N_("the verification is not signed by {side}"), side=side))
    return missing


def _best_interests(session: Session, case: Case) -> list[Message]:
    assessment = latest_best_interests(session, case=case)
    if assessment is None:
        return [say(N_("a minor's return needs a best-interests assessment"))]
    missing: list[Message] = []
    if (
        approved_since(
            session, case=case, kind=ApprovalKind.BEST_INTERESTS, since=assessment.recorded_at
        )
        is None
    ):
        missing.append(say(N_("a second person has not approved the best-interests assessment")))
    if assessment.red_flag:
        determination = session.scalar(
            select(Determination)
            .where(
                Determination.case_id == case.id,
                Determination.recorded_at >= assessment.recorded_at,
            )
            .order_by(Determination.id.desc())
            .limit(1)
        )
        if determination is None:
            missing.append(
                say(
                    N_(
                        "the assessment raised a red flag: a formal determination by a panel "
                        "of at least {count} people must be recorded first"
                    ),
                    count=MIN_PANEL,
                )
            )
        elif not determination.return_in_best_interests:
            missing.append(
                say(N_("the panel determined that the return is not in the child's best interests"))
            )
    return missing


def _return(session: Session, case: Case) -> list[Message]:
    if case.track == Track.ADULT:
        consent = latest_consent(session, case=case, kind=ConsentKind.RETURN)
        if consent is None or consent.answer != Answer.YES:
            return [say(N_("an adult's return needs their own consent, recorded by them"))]
        return []
    return _best_interests(session, case)


def _contact(session: Session, case: Case) -> list[Message]:
    missing: list[Message] = []
    if case.track == Track.ADULT:
        consent = latest_consent(session, case=case, kind=ConsentKind.CONTACT)
        if consent is None or consent.answer != Answer.YES:
            missing.append(say(N_("the adult has not consented to contact with the family")))
    if _event_since(session, case=case, kind=EventKind.CONTACT, since=case.status_since) is None:
        missing.append(say(N_("record the contact between the child and the family first")))
    return missing


def _closure(session: Session, case: Case) -> list[Message]:
    visits = list(session.scalars(select(FollowUpVisit).where(FollowUpVisit.case_id == case.id)))
    if not visits:
        return [
            say(N_("no follow-up visit is recorded: schedule them, or waive them with a reason"))
        ]
    open_visits = [v for v in visits if v.done_on is None and not v.waived_reason]
    if open_visits:
        return [
            say(
                N_("{count} follow-up visit(s) are neither done nor waived"),
                count=len(open_visits),
            )
        ]
    return []


def unmet(session: Session, *, case: Case, to: CaseStatus) -> list[Message]:
    """Return what a case still lacks to reach a status (empty: nothing)."""
    if to == S.LOCATED:
        if confirmed_match(session, case=case) is None:
            return [say(N_("a case is located only on a confirmed match"))]
        return []
    if to == S.VERIFIED:
        return _verified(session, case)
    if to == S.CONTACT_ESTABLISHED:
        return _contact(session, case)
    if to == S.RETURN_APPROVED:
        return _return(session, case)
    if to == S.IN_TRANSIT:
        if _event_since(session, case=case, kind=EventKind.DEPARTURE, since=case.status_since):
            return []
        return [say(N_("the child's departure is recorded in a round of return"))]
    if to == S.REUNITED:
        if _event_since(session, case=case, kind=EventKind.HANDOVER, since=case.status_since):
            return []
        return [say(N_("a case is reunited only on a handover recorded in its round"))]
    if to == S.CLOSED:
        return _closure(session, case)
    return []


def count_pending(session: Session, *, case: Case, kind: ApprovalKind) -> int:
    """Count a case's approvals of a kind still waiting for a second person."""
    return (
        session.scalar(
            select(func.count()).where(
                Approval.case_id == case.id,
                Approval.kind == kind,
                Approval.state == ApprovalState.PENDING,
            )
        )
        or 0
    )
