"""A decision on a pair, with what hangs on it elsewhere.

A confirmed match is what releases rest on, and what a case's `located` rests on. Saying
later that the pair is not the same child must not leave those standing unnoticed: the
caseworker sees what depends on the confirmation; the reversal revokes the releases (with
the same reason, when the caseworker agreed to) and takes the case back to tracing, saying
why; a case further on the way home than contact established refuses the reversal.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from reunite.auth.principal import Principal
from reunite.cases.models import Case
from reunite.cases.service import case_resting_on, located_by, unlocated_by_reversal
from reunite.errors import Conflict
from reunite.review.enums import CandidateStatus, Decision
from reunite.review.service import Decided, decide, lock_candidate
from reunite.sharing.models import Release
from reunite.sharing.service import releases_resting_on, revoke_all_resting_on
from reunite.vocabulary import N_, say


@dataclass(frozen=True)
class DecisionOutcome:
    """A decision taken, the releases it revoked, and the case it moved (located, or back)."""

    decided: Decided
    revoked: list[Release]
    case: Case | None = None


@dataclass(frozen=True)
class Dependents:
    """What rests on a pair's confirmation: releases made on it, the case it located."""

    releases: list[Release]
    case: Case | None

    def __bool__(self) -> bool:
        return bool(self.releases) or self.case is not None


def dependents(session: Session, *, candidate_id: int) -> Dependents:
    """Return what rests on a pair's confirmation today."""
    return Dependents(
        releases=releases_resting_on(session, candidate_id=candidate_id),
        case=case_resting_on(session, candidate_id=candidate_id),
    )


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
    resting: list[Release] = []
    reversing = candidate.status == CandidateStatus.CONFIRMED and decision != Decision.CONFIRMED
    if reversing:
        resting = releases_resting_on(session, candidate_id=candidate_id)
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
    case = None
    if reversing:
        # The case the match located goes back to tracing, saying why (or, when the child
        # is further on the way home, the whole decision is refused: nothing was written).
        case = unlocated_by_reversal(
            session, principal=principal, candidate_id=candidate_id,
            reason=decided.decision.reason,
        )  # fmt: skip
    elif decided.decision.decision == Decision.CONFIRMED:
        case = located_by(
            session, principal=principal, candidate=candidate,
            reason=decided.decision.reason,
        )  # fmt: skip
    revoked = []
    if resting:
        revoked = revoke_all_resting_on(
            session,
            principal=principal,
            candidate_id=candidate_id,
            reason=f"the match it rested on was reversed: {decided.decision.reason}",
            address=address,
        )
    return DecisionOutcome(decided, revoked, case)
