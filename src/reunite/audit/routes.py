"""API: a signed checkpoint of the audit log, for the parties' systems to keep.

Each copy a party keeps is proof, out of the mediator's reach, of how long the log was: a log
later cut short or rewritten no longer holds it (`reunite audit verify --checkpoint`).
"""

from __future__ import annotations

from fastapi import APIRouter

from reunite.audit.checkpoints import checkpoint_document, recent_checkpoint
from reunite.audit.schemas import AuditCheckpointRead
from reunite.auth.schemas import ErrorRead
from reunite.web.deps import ApiPrincipal, DbSession, require_role

router = APIRouter(tags=["audit"], responses={401: {"model": ErrorRead}})

# The mediator's staff, the auditor and the parties' liaisons (their systems); not families.
CHECKPOINT_READERS = ("admin", "caseworker", "auditor", "liaison")


@router.get(
    "/audit/checkpoint",
    response_model=AuditCheckpointRead,
    responses={404: {"model": ErrorRead}, 503: {"model": ErrorRead}},
)
def audit_checkpoint_route(principal: ApiPrincipal, session: DbSession) -> AuditCheckpointRead:
    """Return a checkpoint of the audit log signed by the mediator (at most 10 minutes old)."""
    require_role(principal, *CHECKPOINT_READERS)
    checkpoint = recent_checkpoint(session, reason="asked by " + principal.role)
    return AuditCheckpointRead.model_validate(checkpoint_document(checkpoint))
