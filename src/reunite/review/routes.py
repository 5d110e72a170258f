"""API: the review queue of candidate pairs, and caseworkers' decisions (mediator staff only)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, status

from reunite.audit.service import record_event
from reunite.audit.terms import hidden_filters
from reunite.auth.principal import Principal
from reunite.auth.schemas import ErrorRead
from reunite.db.ids import LARGEST_ID
from reunite.flows.review import decide_pair
from reunite.records.schemas import RecordRead
from reunite.review.enums import CandidateStatus
from reunite.review.schemas import (
    CandidatePage,
    CandidateRead,
    DecisionCreate,
    DecisionOutcomeRead,
    DecisionRead,
)
from reunite.review.service import (
    TYPED_FILTERS,
    AgeBand,
    CandidateView,
    DecisionView,
    ProbabilityBand,
    count_queue,
    queue_filter,
    review_queue,
)
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


def _decision_read(view: DecisionView) -> DecisionRead:
    decision = view.decision
    return DecisionRead.model_validate(
        {
            "id": decision.id,
            "candidate_id": decision.candidate_id,
            "decision": decision.decision,
            "reason": decision.reason,
            "decided_by": decision.decided_by,
            "decided_by_name": view.decided_by,
            "decided_at": decision.decided_at,
        }
    )


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
            "decisions": [_decision_read(d) for d in view.decisions],
        }
    )


Filter = Annotated[str, Query(max_length=100)]


@router.get("/candidates", response_model=CandidatePage, responses={422: {"model": ErrorRead}})
def list_candidates_route(
    principal: StaffPrincipal,
    session: DbSession,
    request: Request,
    status_: Annotated[
        CandidateStatus, Query(alias="status", description="Which candidates to list.")
    ] = CandidateStatus.PROPOSED,
    band: Annotated[ProbabilityBand | None, Query(description="How sure the engine is.")] = None,
    sex: Annotated[Literal["M", "F"] | None, Query(description="The child's sex.")] = None,
    age: Annotated[AgeBand | None, Query(description="The child's age today.")] = None,
    region: Annotated[
        str, Query(max_length=100, description="Text in the child's places (now, last seen, born).")
    ] = "",
    reference: Annotated[
        str, Query(max_length=100, description="A party's own reference of either record.")
    ] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=LARGEST_ID)] = 0,
) -> CandidatePage:
    """List candidate pairs the filters select, the most probable first, with both records."""
    chosen = queue_filter(
        status=status_,
        band=band or "",
        sex=sex or "",
        age=age or "",
        region=region,
        reference=reference,
    )
    views = review_queue(session, principal=principal, chosen=chosen, limit=limit, offset=offset)
    total = count_queue(session, principal=principal, chosen=chosen)
    # Both records of every pair are personal data read.
    record_event(
        session,
        actor=principal,
        action="records.list",
        subject_type="match_candidate",
        details={
            **hidden_filters(chosen.query_values(), TYPED_FILTERS),
            "offset": offset,
            "results": len(views),
        },
        address=client_address(request),
    )
    return CandidatePage(
        items=[_candidate_read(view) for view in views],
        total=total,
        status=chosen.status,
        limit=limit,
        offset=offset,
    )


@router.post(
    "/candidates/{candidate_id}/decision",
    response_model=DecisionOutcomeRead,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": ErrorRead}, 422: {"model": ErrorRead}},
)
def decide_route(
    candidate_id: int,
    decision: DecisionCreate,
    principal: StaffPrincipal,
    session: DbSession,
    request: Request,
) -> DecisionOutcomeRead:
    """Confirm, reject or call related a candidate pair with a reason; every decision is kept.

    A rejected or related pair is never proposed again. Reversing a confirmed pair revokes
    the releases made on it, when `revoke_releases` says so; otherwise it answers 409 with
    code `releases_depend`.
    """
    outcome = decide_pair(
        session,
        principal=principal,
        candidate_id=candidate_id,
        decision=decision.decision,
        reason=decision.reason,
        revoke_dependents=decision.revoke_releases,
        address=client_address(request),
    )
    kept = outcome.decided.decision
    read = _decision_read(DecisionView(kept, principal.username))
    return DecisionOutcomeRead(
        **read.model_dump(), revoked_releases=[release.id for release in outcome.revoked]
    )
