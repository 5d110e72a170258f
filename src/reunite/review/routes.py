"""API: the review queue of candidate pairs, and caseworkers' decisions (mediator staff only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from reunite.audit.service import record_event
from reunite.auth.principal import Principal
from reunite.auth.schemas import ErrorRead
from reunite.records.schemas import RecordRead
from reunite.review.schemas import (
    CandidatePage,
    CandidateRead,
    CandidateStatus,
    DecisionCreate,
    DecisionRead,
)
from reunite.review.service import CandidateView, count_queue, decide, review_queue
from reunite.web.deps import ApiPrincipal, DbSession, client_address, require_role

router = APIRouter(
    tags=["review"], responses={401: {"model": ErrorRead}, 404: {"model": ErrorRead}}
)

MAX_PAGE = 200


def staff_principal(principal: ApiPrincipal) -> Principal:
    """Let mediator staff through; to anyone else review does not exist (404)."""
    # Checked before the body is read, so that others get 404 whatever they send.
    require_role(principal, "admin", "caseworker")
    return principal


StaffPrincipal = Annotated[Principal, Depends(staff_principal)]


def _candidate_read(view: CandidateView) -> CandidateRead:
    candidate = view.candidate
    return CandidateRead.model_validate(
        {
            "id": candidate.id,
            "request_id": candidate.request_id,
            "disclosed_id": candidate.disclosed_id,
            "probability": candidate.probability,
            "engine_decision": candidate.engine_decision,
            "rival": candidate.rival,
            "explanation": candidate.explanation,
            "status": candidate.status,
            "created_at": candidate.created_at,
            "updated_at": candidate.updated_at,
            "request": RecordRead.model_validate(view.request),
            "disclosed": RecordRead.model_validate(view.disclosed),
            "decisions": [DecisionRead.model_validate(d) for d in view.decisions],
        }
    )


@router.get("/candidates", response_model=CandidatePage, responses={422: {"model": ErrorRead}})
def list_candidates_route(
    principal: StaffPrincipal,
    session: DbSession,
    request: Request,
    status_: Annotated[
        CandidateStatus, Query(alias="status", description="Which candidates to list.")
    ] = "proposed",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> CandidatePage:
    """List candidate pairs of one status, the most probable first, with both records."""
    views = review_queue(session, principal=principal, status=status_, limit=limit, offset=offset)
    total = count_queue(session, principal=principal, status=status_)
    # Both records of every pair are personal data read.
    record_event(
        session,
        actor=principal,
        action="records.list",
        subject_type="match_candidate",
        details={"status": status_, "offset": offset, "results": len(views)},
        address=client_address(request),
    )
    return CandidatePage(
        items=[_candidate_read(view) for view in views],
        total=total,
        status=status_,
        limit=limit,
        offset=offset,
    )


@router.post(
    "/candidates/{candidate_id}/decision",
    response_model=DecisionRead,
    status_code=status.HTTP_201_CREATED,
    responses={422: {"model": ErrorRead}},
)
def decide_route(
    candidate_id: int,
    decision: DecisionCreate,
    principal: StaffPrincipal,
    session: DbSession,
    request: Request,
) -> DecisionRead:
    """Confirm or reject a candidate pair with a reason; every decision is kept and audited.

    A rejected pair is never proposed again.
    """
    kept = decide(
        session,
        principal=principal,
        candidate_id=candidate_id,
        decision=decision.decision,
        reason=decision.reason,
        address=client_address(request),
    )
    return DecisionRead.model_validate(kept)
