"""A decision on a pair, with what hangs on it elsewhere.

A confirmed match is what releases to a family rest on (and, from issue 9, what a case's
`located` rests on). Saying later that the pair is not the same child must not leave those
standing unnoticed: the caseworker sees what depends on the confirmation, and the reversal
either revokes it, with the same reason, or is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from reunite.auth.principal import Principal
from reunite.errors import Conflict
from reunite.review.enums import CandidateStatus, Decision
from reunite.review.service import Decided, decide, lock_candidate
from reunite.sharing.models import Release
from reunite.sharing.service import releases_resting_on, revoke_all_resting_on
from reunite.vocabulary import N_, say


@dataclass(frozen=True)
class DecisionOutcome:
    """A decision taken, and the releases it revoked."""

    decided: Decided
    revoked: list[Release]


def dependents(session: Session, *, candidate_id: int) -> list[Release]:
    """Return what rests on a pair's confirmation today: the releases made on it."""
    return releases_resting_on(session, candidate_id=candidate_id)


def decide_pair(
    session: Session,
    *,
    principal: Principal,
    candidate_id: int,
    decision: str,
    reason: str,
    revoke_dependents: bool = False,
    address: str = "",
) -> DecisionOutcome:
    """Decide a pair; a reversal of a confirmation revokes what rests on it, or is refused."""
    candidate = lock_candidate(session, principal=principal, candidate_id=candidate_id)
    resting = []
    if candidate.status == CandidateStatus.CONFIRMED and decision != Decision.CONFIRMED:
        resting = dependents(session, candidate_id=candidate_id)
        if resting and not revoke_dependents:
            raise Conflict(
                say(
                    N_(
                        "{count} release(s) rest on this pair's confirmation; reversing it "
                        "revokes them: tick the box to confirm that you want them revoked"
                    ),
                    count=len(resting),
                ),
                code="releases_depend",
            )
    decided = decide(
        session,
        principal=principal,
        candidate_id=candidate_id,
        decision=decision,
        reason=reason,
        address=address,
    )
    revoked = []
    if resting:
        revoked = revoke_all_resting_on(
            session,
            principal=principal,
            candidate_id=candidate_id,
            reason=f"the match it rested on was reversed: {decided.decision.reason}",
            address=address,
        )
    return DecisionOutcome(decided, revoked)
