"""Linking requests as one child brings their cases together.

Two requests a caseworker links as the same child (records.duplicates) are one sought child,
so one case: the oldest case stays and the others end as `duplicate`, their requests moving
to it (cases.service.join_duplicates). Undoing a link does not split a case again: the
caseworker who undoes it sees the case and opens the way from there.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from reunite.auth.principal import Principal
from reunite.cases.models import Case
from reunite.cases.service import join_duplicates
from reunite.records.duplicates import LinkDecision, decide_duplicate, linked_requests
from reunite.records.models import RecordLink


def decide_likely_duplicate(
    session: Session,
    *,
    principal: Principal,
    record_id: uuid.UUID,
    other_id: uuid.UUID,
    decision: str,
    reason: str,
    address: str = "",
) -> tuple[RecordLink, Case | None]:
    """Decide a pair of likely duplicates; a link of two requests joins their cases."""
    link = decide_duplicate(
        session, principal=principal, record_id=record_id, other_id=other_id,
        decision=decision, reason=reason, address=address,
    )  # fmt: skip
    case = None
    if decision == LinkDecision.LINK and link.kind == "requests":
        group = linked_requests(session, record_id=link.record_id)
        case = join_duplicates(session, principal=principal, request_ids=group)
    return link, case
