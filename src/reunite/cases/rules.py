"""Which move a case may make, and what each move needs (DESIGN.md §2; issue 9).

The graph says which status may follow which; the requirements of a status are checked by
the service against what is recorded (cases.service). Four statuses are reached only when
a second person approves the step one caseworker asked for (four eyes): verified,
return_approved and closed through their own approvals, and the best-interests decision
that return_approved needs for a minor.
"""

from __future__ import annotations

from reunite.cases.enums import ApprovalKind, CaseStatus

S = CaseStatus

# Ends of a case other than home: reachable from any open step, with a reason.
ENDINGS = frozenset({S.DECLINED, S.DECEASED, S.DUPLICATE, S.TRANSFERRED})
_OPEN_ENDINGS = frozenset({S.DECLINED, S.DECEASED, S.DUPLICATE, S.TRANSFERRED})

ALLOWED: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.OPEN: frozenset({S.TRACING, S.LOCATED}) | _OPEN_ENDINGS,
    S.TRACING: frozenset({S.LOCATED}) | _OPEN_ENDINGS,
    # Back to tracing when the match that located the child is reversed.
    S.LOCATED: frozenset({S.VERIFIED, S.TRACING}) | _OPEN_ENDINGS,
    S.VERIFIED: frozenset({S.CONTACT_ESTABLISHED, S.TRACING}) | _OPEN_ENDINGS,
    S.CONTACT_ESTABLISHED: frozenset({S.RETURN_APPROVED, S.TRACING}) | _OPEN_ENDINGS,
    # An approved return can be halted (back to contact) before the child leaves.
    S.RETURN_APPROVED: frozenset({S.IN_TRANSIT, S.CONTACT_ESTABLISHED}) | _OPEN_ENDINGS,
    # A child on the way is handed over, or the journey is stopped and waits again.
    S.IN_TRANSIT: frozenset({S.REUNITED, S.RETURN_APPROVED, S.DECEASED}),
    # Reunited is not closed: follow-up continues (Primero).
    S.REUNITED: frozenset({S.FOLLOW_UP}),
    S.FOLLOW_UP: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    # A declined case may be taken up again when circumstances change.
    S.DECLINED: frozenset({S.TRACING}),
    S.DECEASED: frozenset(),
    S.DUPLICATE: frozenset(),
    S.TRANSFERRED: frozenset(),
}

# Statuses reached only through a second person's approval of the step.
APPROVED_BY: dict[CaseStatus, ApprovalKind] = {
    S.VERIFIED: ApprovalKind.VERIFICATION,
    S.RETURN_APPROVED: ApprovalKind.RETURN,
    S.CLOSED: ApprovalKind.CLOSURE,
}
APPROVES: dict[ApprovalKind, CaseStatus | None] = {
    ApprovalKind.VERIFICATION: S.VERIFIED,
    ApprovalKind.RETURN: S.RETURN_APPROVED,
    ApprovalKind.CLOSURE: S.CLOSED,
    # A prerequisite of a minor's return approval, not a status of its own.
    ApprovalKind.BEST_INTERESTS: None,
}
# Statuses another flow brings a case to (the match confirmed, the departure and handover
# recorded in a round): a person does not choose them in the transition form.
RECORDED_BY_EVENTS = frozenset({S.IN_TRANSIT, S.REUNITED})
# The order of the way home, for figures and for showing how far a case came.
WAY_HOME = (
    S.OPEN,
    S.TRACING,
    S.LOCATED,
    S.VERIFIED,
    S.CONTACT_ESTABLISHED,
    S.RETURN_APPROVED,
    S.IN_TRANSIT,
    S.REUNITED,
    S.FOLLOW_UP,
    S.CLOSED,
)
# Cases that are over: nothing more happens in them but a reopening of a declined one.
FINISHED = frozenset({S.CLOSED}) | ENDINGS


def may_follow(current: CaseStatus, wanted: CaseStatus) -> bool:
    """Tell whether the graph lets a case go from one status to another."""
    return wanted in ALLOWED[current]
